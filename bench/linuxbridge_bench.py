#!/usr/bin/python3
"""Benchmark of the linuxbridge network driver (issue 10), as root, on this machine only.

`octane serve --network-driver linuxbridge`: every amphora is two namespaces plugged into VXLAN
segments, every floating IP an address and NAT rules in the router namespace. Figures (every loop
bounded in count and time, one global deadline):
  1. graph POST -> first byte through the floating IP: a single-call graph create (load balancer +
     TCP listener + ROUND_ROBIN pool + 2 members on two compute hosts), then a floating IP created
     on its VIP port, then connection attempts from a client namespace on `provider` to
     <fip>:<port> every --poll-ms until a member's first byte arrives; --runs runs, each cascade-
     deleted (untimed) before the next: p50 / p99 / max.
  2. the kernel work per load balancer: netlink requests and nft transactions of each amphora plug
     and of each floating IP's realisation, from the server's log lines.
  3. --live load balancers with floating IPs, all answering through their floating IP; RSS and PSS
     of each amphora's agent and engine; idle CPU of serve and of all agents over --window s.

Usage: sudo bench/linuxbridge_bench.py [--runs 50] [--live 100] [--out FILE.json]
Starts $OCTANE_BUILD_DIR/octane serve (default build/) in a temp state dir; at the end stops it
and removes everything the driver made (`octane network teardown`).
"""
import argparse
import ctypes
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration", "harness"))
import octane_server as h  # noqa: E402
import amphora_bench  # noqa: E402
from amphora_bench import Api, memory_kib, cpu_seconds, pct  # noqa: E402

LISTENER_PORT = 8022
MEMBER_PORT = 8080
CLONE_NEWNET = 0x40000000
DEADLINE = None
# A member: one line per connection (python3 of the host, inside the instance's namespace).
MEMBER = ("import socket,sys\ns=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
          "s.bind(('0.0.0.0',%d));s.listen(1024)\nwhile True:\n c,_=s.accept();c.sendall(sys.argv[1].encode()+b'\\n');c.close()\n"
          % MEMBER_PORT)


def check_deadline():
    if time.monotonic() > DEADLINE:
        raise SystemExit("benchmark deadline exceeded")


class Prober:
    """A thread living in the client's namespace: connects to (address, port), returns 1st byte."""

    def __init__(self, netns):
        self.requests = queue.Queue()
        self.answers = queue.Queue()
        self.netns = netns
        threading.Thread(target=self._run, daemon=True).start()
        assert self.answers.get(timeout=10) == "ready"

    def _run(self):
        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open("/run/netns/" + self.netns, os.O_RDONLY)
        if libc.setns(fd, CLONE_NEWNET) != 0:
            self.answers.put("setns failed: %d" % ctypes.get_errno())
            return
        os.close(fd)
        self.answers.put("ready")
        while True:
            address, port = self.requests.get()
            try:
                with socket.create_connection((address, port), timeout=1.0) as s:
                    self.answers.put(s.recv(1))
            except OSError:
                self.answers.put(b"")

    def first_byte(self, address, port):
        self.requests.put((address, port))
        return self.answers.get(timeout=10)


def octane(state, *args):
    return subprocess.run([h.octane_binary(), *args[:2], "--state-dir", state, *args[2:]],
                          capture_output=True, text=True, check=True, timeout=60).stdout


def graph_body(subnet_id, members, name):
    return {"loadbalancer": {
        "name": name, "vip_subnet_id": subnet_id,
        "listeners": [{"name": name + "-l", "protocol": "TCP", "protocol_port": LISTENER_PORT,
                       "default_pool": {"name": name + "-p", "protocol": "TCP",
                                        "lb_algorithm": "ROUND_ROBIN",
                                        "members": [{"address": a, "protocol_port": MEMBER_PORT,
                                                     "subnet_id": subnet_id} for a in members]}}]}}


def wait_until(fn, poll_s):
    while True:
        check_deadline()
        value = fn()
        if value:
            return value
        time.sleep(poll_s)


def create_served(api, prober, subnet, provider, members, name, poll_s):
    lb = api.call("POST", "/v2/lbaas/loadbalancers", graph_body(subnet, members, name),
                  expect=(201,))["loadbalancer"]
    fip = api.call("POST", "/networking/v2.0/floatingips", {"floatingip": {
        "floating_network_id": provider, "port_id": lb["vip_port_id"]}},
        expect=(201,))["floatingip"]
    wait_until(lambda: prober.first_byte(fip["floating_ip_address"], LISTENER_PORT), poll_s)
    return lb, fip


def remove(api, lb, fip, poll_s):
    wait_until(lambda: api.call("GET", "/v2/lbaas/loadbalancers/" + lb["id"])["loadbalancer"][
        "provisioning_status"] == "ACTIVE", poll_s)
    api.call("DELETE", "/networking/v2.0/floatingips/" + fip["id"], expect=(204,))
    api.call("DELETE", "/v2/lbaas/loadbalancers/%s?cascade=true" % lb["id"], expect=(204,))
    wait_until(lambda: api.session.get(api.base + "/v2/lbaas/loadbalancers/" + lb["id"],
                                       timeout=60).status_code == 404, poll_s)


COST = re.compile(r"linuxbridge: (plugged amphora|reconciled).* in ([\d.]+) ms \((\d+) netlink "
                  r"requests, (\d+) nft transactions\)")


def costs(log_path, since):
    out = {"plug": [], "reconcile": []}
    with open(log_path) as f:
        f.seek(since)
        for line in f:
            m = COST.search(line)
            if m:
                kind = "plug" if m.group(1).startswith("plugged") else "reconcile"
                out[kind].append((float(m.group(2)), int(m.group(3)), int(m.group(4))))
    return out


def main():
    global DEADLINE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--live", type=int, default=100)
    ap.add_argument("--poll-ms", type=float, default=2.0)
    ap.add_argument("--window", type=float, default=5.0)
    ap.add_argument("--max-seconds", type=float, default=1800)
    ap.add_argument("--out")
    args = ap.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("needs root (namespaces, netlink, nftables)")
    DEADLINE = time.monotonic() + args.max_seconds
    amphora_bench.DEADLINE = DEADLINE  # its Api checks the same deadline
    poll_s = args.poll_ms / 1000.0
    work = tempfile.mkdtemp(prefix="octane-lb-bench-")
    state = os.path.join(work, "state")
    srv = h.OctaneProcess("serve", state, plain=True, extra_args=[
        "--network-driver", "linuxbridge", "--bind-host", "127.0.0.1", "--bind-port", "0",
        "--health-bind-port", "0"])
    srv.start()
    result = {}
    try:
        env = h.read_openrc(os.path.join(state, "admin-openrc"))
        api = Api(srv.base_url, h.keystone_token(srv.base_url, env))
        subnet = api.call("GET", "/networking/v2.0/subnets?name=selfservice")["subnets"][0]["id"]
        provider = api.call("GET", "/networking/v2.0/networks?name=provider")["networks"][0]["id"]
        members = []
        for i, host in enumerate((1, 2)):
            out = octane(state, "host", "create", "member%d" % i, "--network", "selfservice",
                         "--host", str(host), "--", "/usr/bin/python3", "-c", MEMBER, "m%d" % i)
            members.append(re.search(r"^address\s+(\S+)", out, re.M).group(1))
        octane(state, "host", "create", "client", "--network", "provider", "--host", "1")
        prober = Prober("octane-vm-client")

        since = os.path.getsize(srv.log_path)
        times = []
        for i in range(args.runs):
            t0 = time.perf_counter()
            lb, fip = create_served(api, prober, subnet, provider, members, "fb-%d" % i, poll_s)
            times.append((time.perf_counter() - t0) * 1000.0)
            remove(api, lb, fip, poll_s)
        spent = costs(srv.log_path, since)
        result["post_to_first_byte_via_fip_ms"] = {
            "runs": len(times), "p50": statistics.median(times), "p99": pct(times, 99),
            "min": min(times), "max": max(times), "each": [round(t, 1) for t in times]}
        print("graph POST + floating IP -> first byte through the FIP, %d runs: p50 %.1f ms, "
              "p99 %.1f ms, min %.1f, max %.1f" % (len(times), statistics.median(times),
                                                   pct(times, 99), min(times), max(times)),
              flush=True)
        plug = spent["plug"]
        per_lb = {"plug_ms_p50": statistics.median(p[0] for p in plug),
                  "plug_netlink_requests_p50": statistics.median(p[1] for p in plug),
                  "plug_nft_transactions_max": max(p[2] for p in plug),
                  "reconciles": len(spent["reconcile"]),
                  "reconcile_netlink_requests_p50": statistics.median(
                      r[1] for r in spent["reconcile"]) if spent["reconcile"] else 0,
                  "nft_transactions_total": sum(r[2] for r in spent["reconcile"])}
        result["kernel_work"] = per_lb
        print("per amphora plug: p50 %.1f ms, %d netlink requests, %d nft transactions; %d "
              "floating IP realisations (create + delete) for %d runs: p50 %d netlink requests, "
              "%d nft transactions in all" % (
                  per_lb["plug_ms_p50"], per_lb["plug_netlink_requests_p50"],
                  per_lb["plug_nft_transactions_max"], per_lb["reconciles"], len(times),
                  per_lb["reconcile_netlink_requests_p50"], per_lb["nft_transactions_total"]),
              flush=True)

        if args.live > 0:
            t0 = time.perf_counter()
            live = [create_served(api, prober, subnet, provider, members, "live-%d" % i, poll_s)
                    for i in range(args.live)]
            serving_s = time.perf_counter() - t0
            per = []
            for amphora_id, agent in h.local_amphora_pids(state).items():
                amphora = api.call("GET", "/v2/octavia/amphorae/" + amphora_id)["amphora"]
                with open(os.path.join(state, "amphorae", amphora_id, amphora["loadbalancer_id"],
                                       "haproxy.pid")) as f:
                    engine = int(f.read())
                a = memory_kib(agent)
                e = memory_kib(engine)
                per.append({"agent_rss": a[0], "agent_pss": a[1], "engine_rss": e[0],
                            "engine_pss": e[1]})
            mean = {k: statistics.mean(p[k] for p in per) for k in per[0]}
            agents = list(h.local_amphora_pids(state).values())
            before = (cpu_seconds(srv.pid), sum(cpu_seconds(p) for p in agents))
            time.sleep(args.window)  # a measurement window, not a wait for a condition
            after = (cpu_seconds(srv.pid), sum(cpu_seconds(p) for p in agents))
            cpu = [100.0 * (b - a) / args.window for a, b in zip(before, after)]
            result["live"] = {"load_balancers": args.live, "created_and_serving_s": serving_s,
                              "mean_kib_per_amphora": mean, "idle_cpu_percent_serve": cpu[0],
                              "idle_cpu_percent_agents": cpu[1]}
            print("%d live load balancers with floating IPs, created one after another and all "
                  "answering through their FIP in %.1f s; per amphora (mean KiB): agent RSS %.0f "
                  "PSS %.0f, engine RSS %.0f PSS %.0f; idle CPU: serve %.1f%%, all agents %.1f%%"
                  % (args.live, serving_s, mean["agent_rss"], mean["agent_pss"],
                     mean["engine_rss"], mean["engine_pss"], cpu[0], cpu[1]), flush=True)
            for lb, fip in live:
                remove(api, lb, fip, poll_s)
    finally:
        srv.stop(check=False)
        subprocess.run([h.octane_binary(), "network", "teardown", "--state-dir", state],
                       timeout=120)
        shutil.rmtree(work, ignore_errors=True)
    amphora_bench.write_result(args.out, result)


if __name__ == "__main__":
    main()
