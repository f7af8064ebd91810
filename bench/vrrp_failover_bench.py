#!/usr/bin/python3
"""VIP switch of an ACTIVE_STANDBY load balancer (issue 13): kill -9 of the MASTER -> first reply
through the floating IP, on the linuxbridge driver (root), over --kills kills.

The e2e test's world (tests/e2e/active_standby_linuxbridge/vrrp_world.py): `octane serve
--network-driver linuxbridge`, two reply servers on two simulated hosts, a client namespace on
`provider`, a load balancer through an ACTIVE_STANDBY flavor behind a floating IP. Each round kills
the current MASTER (its agent and engines; with --silent also keepalived's processes first, as a
whole amphora dying without a word), probes the floating IP from the client namespace (connect
timeout 0.1 s, bounded) and waits until failover has rebuilt the pair (bounded) before the next
round. Prints p50 / p99 / max of kill -> first reply (ms).

Run through bench/failover_bench.py --topology ACTIVE_STANDBY [--silent] [--kills 10].
"""
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e",
                                "active_standby_linuxbridge"))
import vrrp_world as w  # noqa: E402


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def rebuilt(cli, lb_id, dead_id):
    amps = w.amphorae(cli, lb_id)
    ids = [a["id"] for a in amps]
    if len(amps) == 2 and dead_id not in ids and w.lb_active(cli, "lb"):
        return {a["role"]: a for a in amps}
    return None


def run(kills, silent, bound_s):
    if os.geteuid() != 0:
        raise SystemExit("needs root (linuxbridge: namespaces, netlink, nftables)")
    work = tempfile.mkdtemp(prefix="octane-vrrp-bench-")
    state = os.path.join(work, "state")
    octane = w.Octane(state)
    server = w.start_server(state)
    times = []
    try:
        cli = w.Cli(w.h.read_openrc(os.path.join(state, "admin-openrc")))
        info = w.build(cli, octane)
        lb = info["lb"]
        roles = {a["role"]: a for a in w.amphorae(cli, lb["id"])}
        for round_ in range(kills):
            amps = list(roles.values())
            w.wait_until(lambda: w.vip_holder(amps, lb["vip_address"]) == [roles["MASTER"]["id"]],
                         "VIP on the MASTER")
            w.wait_until(lambda: w.keepalived_past_startup_delay(state, roles["BACKUP"]),
                         "BACKUP's keepalived past its startup delay", timeout=30)
            killed_at = w.kill_master(state, roles["MASTER"], everything=silent)
            answer = w.probe(info["client_ns"], info["fip"], bound_s)
            if answer["at"] is None:
                raise SystemExit("no reply within %.0f s of the kill" % bound_s)
            times.append((answer["at"] - killed_at) * 1000.0)
            print("kill %d: %.0f ms" % (round_ + 1, times[-1]), flush=True)
            dead = roles["MASTER"]["id"]
            roles = w.wait_until(lambda: rebuilt(cli, lb["id"], dead), "pair rebuilt",
                                 timeout=120)
    finally:
        server.stop(check=False)
        octane("network", "teardown", check=False)
        shutil.rmtree(work, ignore_errors=True)
    return {"kills": len(times), "silent": silent, "p50": statistics.median(times),
            "p99": pct(times, 99), "min": min(times), "max": max(times), "all": times}


def report(result):
    what = ("kill -9 of the MASTER's keepalived, agent and engine (silent)" if result["silent"]
            else "kill -9 of the MASTER's agent and engine")
    print("%s -> first reply through the floating IP over %d kills: p50 %.0f ms, p99 %.0f ms, "
          "min %.0f, max %.0f" % (what, result["kills"], result["p50"], result["p99"],
                                  result["min"], result["max"]), flush=True)


if __name__ == "__main__":
    started = time.monotonic()
    report(run(int(sys.argv[1]) if len(sys.argv) > 1 else 10, "--silent" in sys.argv, 30.0))
    print("took %.0f s" % (time.monotonic() - started))
