"""Failover of a silent amphora (docs/amphora.md §3; issue 5 item 5).

`octane serve` with heartbeat_timeout 3 s and health_check_interval 1 s, noop drivers: while the
amphora reports, nothing happens; once it falls silent, the health manager asks for a failover
(LB PENDING_UPDATE + failover_requests) and the worker replaces the amphora: a new amphora id, the
LB ACTIVE again, within timeout + interval + slack. The replacement never reports (noop amphorae
have no agent) and is not failed over again.
"""
import os
import time
import uuid


import heartbeats as hb
import octane_server as h
from octane_server import AMPS, LB


KEY = "failover-key-" + uuid.uuid4().hex[:8]
TIMEOUT_S = 3
INTERVAL_S = 1
BOUND_S = TIMEOUT_S + INTERVAL_S + 4  # slack for a loaded test machine


def allocated(c, lb_id):
    r = c.get(AMPS, params={"loadbalancer_id": lb_id})
    assert r.status == 200, r
    return [a["id"] for a in r.json["amphorae"] if a["status"] == "ALLOCATED"]


def lb_status(c, lb_id):
    return h._single(c.get("%s/%s" % (LB, lb_id)).json)["provisioning_status"]


def test_silent_amphora_is_replaced():
    args = ["--health-bind-port", "0", "--heartbeat-key", KEY,
            "--heartbeat-timeout", str(TIMEOUT_S), "--health-check-interval", str(INTERVAL_S)]
    with h.running_server("serve", extra_args=args) as srv:
        c = h.Client(srv.base_url, project="failover")
        lb = h.create_lb(c)["id"]
        listener = h.create_listener(c, lb, "TCP", 80)["id"]
        [amphora] = allocated(c, lb)
        sender = hb.Sender(hb.read_int_file(os.path.join(srv.state_dir, "health.port")), KEY)
        try:
            # Reporting for more than two timeouts keeps it: heartbeats every 0.5 s for 7 s.
            seq = 0
            deadline = time.monotonic() + 2 * TIMEOUT_S + 1
            while time.monotonic() < deadline:
                seq += 1
                sender.send(hb.message(amphora, seq, {listener: ("OPEN", hb.stats())}, {}))
                assert allocated(c, lb) == [amphora]
                assert lb_status(c, lb) == "ACTIVE"
                time.sleep(0.5)  # the heartbeat interval of this fake agent, not a wait
            last_beat = time.monotonic()
            k = hb.wait_counters(srv.state_dir, lambda k: k["accepted"] >= seq - 1)
            assert k["failovers"] == 0, k

            # Silence: a new amphora within the bound.
            seen = set()

            def replaced():
                seen.add(lb_status(c, lb))
                now = allocated(c, lb)
                return now if now and now != [amphora] and lb_status(c, lb) == "ACTIVE" else None
            [new] = hb.poll(replaced, BOUND_S + 5, "a new amphora")
            elapsed = time.monotonic() - last_beat
            assert elapsed >= TIMEOUT_S - 0.5, elapsed
            assert elapsed <= BOUND_S, elapsed
            assert new != amphora
            r = c.get("%s/%s" % (AMPS, amphora))
            assert r.status == 404 or r.json["amphora"]["status"] == "DELETED", r
            k = hb.wait_counters(srv.state_dir, lambda k: k["failovers"] == 1)
            with open(srv.log_path, "rb") as f:
                log = f.read().decode("utf-8", "replace")
            asked = "amphora %s of load balancer %s silent" % (amphora, lb)
            assert asked in log, log[-3000:]
            # PENDING_UPDATE is usually too short to be polled; the worker's log shows it
            done = "load balancer %s PENDING_UPDATE done" % lb
            assert "PENDING_UPDATE" in seen or log.rfind(done) > log.find(asked), (seen, log[-3000:])

            # Heartbeats from the old amphora are now ignored.
            seq += 1
            sender.send(hb.message(amphora, seq, {listener: ("OPEN", hb.stats())}, {}))
            hb.wait_counters(srv.state_dir, lambda k: k["ignored"]["unknown_amphora"] == 1)

            # The replacement (no agent: noop driver) is not failed over in turn.
            quiet_until = time.monotonic() + TIMEOUT_S + 2 * INTERVAL_S
            while time.monotonic() < quiet_until:
                assert allocated(c, lb) == [new]
                time.sleep(0.2)
            assert hb.counters(srv.state_dir)["failovers"] == 1
            assert lb_status(c, lb) == "ACTIVE"
        finally:
            sender.close()
            c.close()
