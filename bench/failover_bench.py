#!/usr/bin/python3
"""Failover benchmark for issue 13: kill -9 of a SINGLE amphora -> first byte through the VIP again.

`octane serve` with its defaults (local amphorae, heartbeat_timeout 60 s, so only the controller's
direct watch of its agents can make it in time). One load balancer (graph create: TCP listener,
ROUND_ROBIN pool, 2 members on loopback). Then --kills times: kill -9 of its amphora's agent and
engine together, and connect attempts to <vip>:<port> every --poll-ms until a member's first byte
arrives (each bounded by --bound seconds); the load balancer is ACTIVE again before the next kill.
Prints p50 / p99 / max (ms). Every loop is bounded in count and time, with one global deadline.

Usage:
  bench/failover_bench.py [--kills 20] [--poll-ms 5] [--out FILE.json]
  bench/failover_bench.py --topology ACTIVE_STANDBY [--silent] [--kills 10] [--out FILE.json]
    (root: the VIP switch of a MASTER/BACKUP pair on linuxbridge, see vrrp_failover_bench.py)
Starts $OCTANE_BUILD_DIR/octane serve (default build/) in a temp state dir, and stops it and every
amphora it started (by PID) at the end.
"""
import argparse
import os
import signal
import statistics
import sys
import time

import amphora_bench as ab

h = ab.h


def serving_amphora(api, lb_id):
    amps = api.call("GET", "/v2/octavia/amphorae?loadbalancer_id=" + lb_id)["amphorae"]
    return [a for a in amps if a["status"] == "ALLOCATED"]


def engine_pid(state, amphora_id, lb_id):
    try:
        with open(os.path.join(state, "amphorae", amphora_id, lb_id, "haproxy.pid")) as f:
            return int(f.read())
    except (OSError, ValueError):
        return None


def kill_amphora(state, amphora, lb_id):
    """kill -9 of the agent and its engine, both checked by command line to be ours."""
    agent = h.agent_pid(amphora)
    engine = engine_pid(state, amphora["id"], lb_id)
    assert amphora["id"] in h.process_argv(agent), amphora
    os.kill(agent, signal.SIGKILL)
    if engine and any(state in arg for arg in h.process_argv(engine)):
        os.kill(engine, signal.SIGKILL)


def wait_replaced(api, lb_id, old_id, poll_s, bound_s):
    deadline = time.monotonic() + bound_s
    while time.monotonic() < deadline:
        ab.check_deadline()
        amps = serving_amphora(api, lb_id)
        lb = api.call("GET", "/v2/lbaas/loadbalancers/" + lb_id)["loadbalancer"]
        if len(amps) == 1 and amps[0]["id"] != old_id and lb["provisioning_status"] == "ACTIVE":
            return amps[0]
        time.sleep(poll_s)
    raise SystemExit("amphora %s not replaced within %.0f s" % (old_id, bound_s))


def measure(api, state, lb, kills, poll_s, bound_s):
    times = []
    [amphora] = serving_amphora(api, lb["id"])
    for _ in range(kills):
        t0 = time.perf_counter()
        kill_amphora(state, amphora, lb["id"])
        deadline = time.monotonic() + bound_s
        while not ab.first_byte(lb["vip_address"], ab.LISTENER_PORT, timeout=0.2):
            ab.check_deadline()
            if time.monotonic() > deadline:
                raise SystemExit("no first byte within %.0f s of kill -9" % bound_s)
            time.sleep(poll_s)
        times.append((time.perf_counter() - t0) * 1000.0)
        amphora = wait_replaced(api, lb["id"], amphora["id"], poll_s, bound_s)
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--poll-ms", type=float, default=5.0)
    ap.add_argument("--bound", type=float, default=30.0, help="seconds allowed per failover")
    ap.add_argument("--max-seconds", type=float, default=900)
    ap.add_argument("--out")
    ap.add_argument("--topology", default="SINGLE", choices=("SINGLE", "ACTIVE_STANDBY"))
    ap.add_argument("--silent", action="store_true",
                    help="ACTIVE_STANDBY: kill keepalived too (no resignation advertisement)")
    args = ap.parse_args()
    if args.topology == "ACTIVE_STANDBY":
        import vrrp_failover_bench as vb
        result = vb.run(args.kills, args.silent, args.bound)
        vb.report(result)
        ab.write_result(args.out, {"vip_switch_ms": result})
        return 0
    ab.DEADLINE = time.monotonic() + args.max_seconds
    poll_s = args.poll_ms / 1000.0

    state, srv = ab.start_serve("octane-failover-bench-")
    members = None
    result = {}
    try:
        api = ab.admin_api(state, srv)
        subnet, members = ab.selfservice_members(api)
        lb = api.call("POST", "/v2/lbaas/loadbalancers",
                      ab.graph_body(subnet["id"], members, "failover"),
                      expect=(201,))["loadbalancer"]
        ab.wait_active(api, lb["id"], poll_s)
        times = measure(api, state, lb, args.kills, poll_s, args.bound)
        result["kill_to_first_byte_ms"] = {
            "kills": len(times), "p50": statistics.median(times), "p99": ab.pct(times, 99),
            "max": max(times), "min": min(times), "all": times}
        print("kill -9 (agent + engine) -> first byte through the VIP over %d kills: p50 %.1f ms, "
              "p99 %.1f ms, min %.1f, max %.1f" % (len(times), statistics.median(times),
                                                   ab.pct(times, 99), min(times), max(times)),
              flush=True)
    finally:
        ab.stop_all(srv, members, state)
    ab.write_result(args.out, result)


if __name__ == "__main__":
    sys.exit(main())
