#!/usr/bin/python3
"""Amphora benchmark for issue 5: Octane with local amphorae (octane agent + octane-proxy), loopback.

Figures (every loop bounded in count and time, one global deadline):
  1. POST -> first byte: a single-call graph create (load balancer + TCP listener + ROUND_ROBIN pool
     + 2 members) and then connect attempts to <vip>:<port> every --poll-ms until a member's first
     byte arrives through the VIP; --runs runs, each load balancer cascade-deleted (untimed) before
     the next: p50 / p99 / max.
  2. 200 live: --live load balancers created back to back (graph create), all serving (each VIP
     answered once), then per amphora the RSS and PSS of its agent and its engine (/proc), and the
     CPU of `octane serve` and of all agents over --window seconds of idling (heartbeats only).

Usage:
  bench/amphora_bench.py [--runs 50] [--live 200] [--out FILE.json]
Starts $OCTANE_BUILD_DIR/octane serve (default build/) with its defaults in a temp state dir, and
stops it and every amphora it started (by PID) at the end.
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration", "harness"))
import octane_server as h  # noqa: E402
import requests  # noqa: E402

DEADLINE = None
LISTENER_PORT = 8022


def check_deadline():
    if time.monotonic() > DEADLINE:
        raise SystemExit("benchmark deadline exceeded")


class Members:
    """Two TCP servers answering each connection with one line, on addresses of Neutron ports."""

    def __init__(self, addresses):
        self.socks = []
        for i, address in enumerate(addresses):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((address, 0 if not self.socks else self.port))
            s.listen(1024)
            self.port = s.getsockname()[1]
            self.socks.append(s)
            threading.Thread(target=self._serve, args=(s, b"member-%d\n" % (i + 1)),
                             daemon=True).start()

    @staticmethod
    def _serve(sock, line):
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            try:
                conn.sendall(line)
            except OSError:
                pass
            conn.close()

    def stop(self):
        for s in self.socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


class Api:
    def __init__(self, base, token):
        self.base = base
        self.session = requests.Session()
        self.session.headers["X-Auth-Token"] = token

    def call(self, method, path, body=None, expect=(200,)):
        check_deadline()
        r = self.session.request(method, self.base + path, json=body, timeout=60)
        assert r.status_code in expect, (method, path, r.status_code, r.text)
        return r.json() if r.content else None


def first_byte(address, port, timeout=1.0):
    try:
        with socket.create_connection((address, port), timeout=timeout) as s:
            return s.recv(1)
    except OSError:
        return b""


def graph_body(subnet_id, members, name):
    return {"loadbalancer": {
        "name": name, "vip_subnet_id": subnet_id,
        "listeners": [{"name": name + "-l", "protocol": "TCP", "protocol_port": LISTENER_PORT,
                       "default_pool": {"name": name + "-p", "protocol": "TCP",
                                        "lb_algorithm": "ROUND_ROBIN",
                                        "members": [{"address": s.getsockname()[0],
                                                     "protocol_port": members.port,
                                                     "subnet_id": subnet_id}
                                                    for s in members.socks]}}]}}


def wait_active(api, lb_id, poll_s):
    """The engine serves a moment before the worker records ACTIVE; a delete needs ACTIVE."""
    while True:
        lb = api.call("GET", "/v2/lbaas/loadbalancers/" + lb_id)["loadbalancer"]
        if lb["provisioning_status"] == "ACTIVE":
            return
        assert lb["provisioning_status"].startswith("PENDING_"), lb
        time.sleep(poll_s)


def wait_gone(api, lb_id, poll_s):
    while True:
        check_deadline()
        r = api.session.get(api.base + "/v2/lbaas/loadbalancers/" + lb_id, timeout=60)
        if r.status_code == 404:
            return
        time.sleep(poll_s)


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100.0 * len(s) + 0.5)) - 1))]


def memory_kib(pid):
    """(RSS, PSS) in KiB of one process."""
    rss = pss = 0
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    return rss, pss


def measure_first_byte(api, subnet_id, members, runs, poll_s):
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        lb = api.call("POST", "/v2/lbaas/loadbalancers",
                      graph_body(subnet_id, members, "fb-%d" % i), expect=(201,))["loadbalancer"]
        while not first_byte(lb["vip_address"], LISTENER_PORT):
            check_deadline()
            time.sleep(poll_s)
        times.append((time.perf_counter() - t0) * 1000.0)
        wait_active(api, lb["id"], poll_s)
        api.call("DELETE", "/v2/lbaas/loadbalancers/%s?cascade=true" % lb["id"], expect=(204,))
        wait_gone(api, lb["id"], poll_s)
    return times


def cpu_seconds(pid):
    """utime + stime of a process, seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_cpu_percent(pids, seconds):
    """CPU used by these processes while nothing but heartbeats and health checks happen."""
    before = sum(cpu_seconds(p) for p in pids)
    time.sleep(seconds)  # a measurement window, not a wait for a condition
    return 100.0 * (sum(cpu_seconds(p) for p in pids) - before) / seconds


def measure_live(api, state_dir, subnet_id, members, count, poll_s, serve_pid, window_s):
    t0 = time.perf_counter()
    lbs = [api.call("POST", "/v2/lbaas/loadbalancers",
                    graph_body(subnet_id, members, "live-%d" % i), expect=(201,))["loadbalancer"]
           for i in range(count)]
    for lb in lbs:
        while not first_byte(lb["vip_address"], LISTENER_PORT):
            check_deadline()
            time.sleep(poll_s)
    all_serving_s = time.perf_counter() - t0
    per_amphora = []
    pids = h.local_amphora_pids(state_dir)  # amphora id -> agent PID
    for amphora_id, agent in pids.items():
        amphora = api.call("GET", "/v2/octavia/amphorae/" + amphora_id)["amphora"]
        pid_file = os.path.join(state_dir, "amphorae", amphora_id, amphora["loadbalancer_id"],
                                "haproxy.pid")
        with open(pid_file) as f:
            engine = int(f.read())
        a_rss, a_pss = memory_kib(agent)
        e_rss, e_pss = memory_kib(engine)
        per_amphora.append({"agent_rss": a_rss, "agent_pss": a_pss, "engine_rss": e_rss,
                            "engine_pss": e_pss})
    assert len(per_amphora) == count, (len(per_amphora), count)
    for lb in lbs:
        wait_active(api, lb["id"], poll_s)
    agents = list(pids.values())
    cpu = {"serve_percent": idle_cpu_percent([serve_pid], window_s),
           "all_agents_percent": idle_cpu_percent(agents, window_s)}
    for lb in lbs:
        api.call("DELETE", "/v2/lbaas/loadbalancers/%s?cascade=true" % lb["id"], expect=(204,))
    for lb in lbs:
        wait_gone(api, lb["id"], poll_s)
    return all_serving_s, per_amphora, cpu


def stop_all(srv, members, state):
    """Stops what a benchmark started here: the member servers, octane serve, the local amphorae
    of state (by their recorded PIDs); removes state."""
    if members:
        members.stop()
    srv.stop(check=False)
    h.stop_local_amphorae(state)
    shutil.rmtree(state, ignore_errors=True)


def write_result(path, result):
    if path:
        with open(path, "w") as f:
            json.dump(result, f, indent=2)


def start_serve(prefix: str, extra_args=()):
    """`octane serve` with its defaults (but extra_args) over a fresh temp state dir:
    (state dir, process)."""
    state = tempfile.mkdtemp(prefix=prefix)
    srv = h.OctaneProcess("serve", state, plain=True, extra_args=[
        "--bind-host", "127.0.0.1", "--bind-port", "0", "--health-bind-port", "0"] + list(extra_args))
    srv.start()
    return state, srv


def admin_api(state: str, srv) -> "Api":
    """The API as admin-openrc's user."""
    env = h.read_openrc(os.path.join(state, "admin-openrc"))
    return Api(srv.base_url, h.keystone_token(srv.base_url, env))


def selfservice_members(api: "Api", count: int = 2):
    """(selfservice subnet, Members) on `count` new ports of that network."""
    subnet = api.call("GET", "/networking/v2.0/subnets?name=selfservice")["subnets"][0]
    addresses = [api.call("POST", "/networking/v2.0/ports", {"port": {
        "network_id": subnet["network_id"], "name": "member-%d" % i}},
        expect=(201,))["port"]["fixed_ips"][0]["ip_address"] for i in range(count)]
    return subnet, Members(addresses)


def main():
    global DEADLINE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--live", type=int, default=200)
    ap.add_argument("--poll-ms", type=float, default=2.0)
    ap.add_argument("--window", type=float, default=30.0,
                    help="seconds over which idle CPU of serve and agents is measured (several "
                         "heartbeat intervals)")
    ap.add_argument("--heartbeat-interval", type=int,
                    help="seconds between the amphorae's heartbeats (default: octane serve's, 10)")
    ap.add_argument("--max-seconds", type=float, default=1800)
    ap.add_argument("--out")
    args = ap.parse_args()
    DEADLINE = time.monotonic() + args.max_seconds
    poll_s = args.poll_ms / 1000.0

    hb = ["--heartbeat-interval", str(args.heartbeat_interval)] if args.heartbeat_interval else []
    state, srv = start_serve("octane-amphora-bench-", hb)
    members = None
    result = {}
    try:
        api = admin_api(state, srv)
        subnet, members = selfservice_members(api)

        times = measure_first_byte(api, subnet["id"], members, args.runs, poll_s)
        result["post_to_first_byte_ms"] = {
            "runs": len(times), "p50": statistics.median(times), "p99": pct(times, 99),
            "max": max(times), "min": min(times)}
        print("POST -> first byte over %d runs: p50 %.1f ms, p99 %.1f ms, min %.1f, max %.1f"
              % (len(times), statistics.median(times), pct(times, 99), min(times), max(times)),
              flush=True)

        if args.live > 0:
            serving_s, per, cpu = measure_live(api, state, subnet["id"], members, args.live,
                                               poll_s, srv.pid, args.window)
            summary = {k: statistics.mean(p[k] for p in per) for k in per[0]}
            result["live"] = {"load_balancers": args.live, "all_serving_s": serving_s,
                              "mean_kib_per_amphora": summary,
                              "max_total_rss_kib": max(p["agent_rss"] + p["engine_rss"]
                                                       for p in per),
                              "idle_cpu": cpu}
            print("%d live load balancers, all serving after %.1f s; per amphora (mean KiB): "
                  "agent RSS %.0f PSS %.0f, engine RSS %.0f PSS %.0f, total RSS %.0f PSS %.0f"
                  % (args.live, serving_s, summary["agent_rss"], summary["agent_pss"],
                     summary["engine_rss"], summary["engine_pss"],
                     summary["agent_rss"] + summary["engine_rss"],
                     summary["agent_pss"] + summary["engine_pss"]), flush=True)
            print("idle with %d amphorae heartbeating every %s s: octane serve %.1f%% CPU, "
                  "all agents %.1f%% CPU (over %.0f s each)"
                  % (args.live, args.heartbeat_interval or "10 (default)", cpu["serve_percent"],
                     cpu["all_agents_percent"], args.window),
                  flush=True)
    finally:
        stop_all(srv, members, state)
    write_result(args.out, result)


if __name__ == "__main__":
    main()
