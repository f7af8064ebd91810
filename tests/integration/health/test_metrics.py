"""GET /metrics on the controller's metrics listener (`--metrics-port`): the counts an operator
scrapes follow what the API, the worker and the health manager really did."""
import os
import re

import requests

import heartbeats as hb
import octane_server as h

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$')


def scrape(port):
    r = requests.get("http://127.0.0.1:%d/metrics" % port, timeout=10)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4"), r.headers
    samples = {}
    for line in r.text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, "not a Prometheus sample line: %r" % line
        samples[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return samples


def requests_total(samples, code, method, surface):
    key = 'octane_api_requests_total{code="%s",method="%s",surface="%s"}' % (code, method, surface)
    return samples.get(key, 0.0)


def test_metrics_follow_api_worker_and_health_manager():
    state = h.make_state_dir()
    server = h.OctaneProcess("serve", state, extra_args=["--metrics-port", "0",
                                                         "--health-bind-port", "0"]).start()
    try:
        port = hb.read_int_file(os.path.join(state, "metrics.port"))
        health_port = hb.read_int_file(os.path.join(state, "health.port"))
        c = h.Client(server.base_url, project="metrics")

        before = scrape(port)
        for _ in range(3):
            h.assert_ok(c.get("/v2/lbaas/loadbalancers"))
        assert c.get("/v2/lbaas/loadbalancers/" + "0" * 8 + "-0000-0000-0000-" + "0" * 12).status == 404
        after = scrape(port)
        assert (requests_total(after, 200, "GET", "load-balancer")
                - requests_total(before, 200, "GET", "load-balancer")) == 3
        assert (requests_total(after, 404, "GET", "load-balancer")
                - requests_total(before, 404, "GET", "load-balancer")) == 1
        assert after['octane_api_request_duration_seconds_count{surface="load-balancer"}'] >= 4

        assert after.get('octane_worker_flows_total{flow="create",outcome="success"}', 0) == 0
        lb = h.create_lb(c)["id"]
        h.wait_lb(c, lb)
        samples = h.poll_until(
            lambda: (lambda s: s if s.get('octane_worker_flows_total{flow="create",outcome="success"}')
                     == 1 else None)(scrape(port)), timeout=20, what="create flow counted")
        assert samples['octane_worker_flow_duration_seconds_count{flow="create"}'] == 1
        assert samples["octane_worker_queue_depth"] == 0

        # A heartbeat sealed with the wrong key is received and dropped as bad_hmac.
        assert samples['octane_heartbeats_dropped_total{reason="bad_hmac"}'] == 0
        sender = hb.Sender(health_port, "0" * 64)
        try:
            sender.send(hb.message("amphora-x", 1, {}, {}))
        finally:
            sender.close()
        samples = h.poll_until(
            lambda: (lambda s: s if s['octane_heartbeats_dropped_total{reason="bad_hmac"}'] == 1
                     else None)(scrape(port)), timeout=20, what="forged heartbeat counted")
        assert samples["octane_heartbeats_received_total"] == 1
        assert samples["octane_heartbeats_accepted_total"] == 0
        assert samples['octane_amphora_failovers_total{trigger="agent_exit"}'] == 0

        assert requests.get("http://127.0.0.1:%d/v2/lbaas/loadbalancers" % port,
                            timeout=10).status_code == 404
        assert requests.post("http://127.0.0.1:%d/metrics" % port, timeout=10).status_code == 405
    finally:
        server.stop()


def test_no_metrics_listener_unless_asked():
    state = h.make_state_dir()
    server = h.OctaneProcess("serve", state, extra_args=["--health-bind-port", "0"]).start()
    try:
        assert not os.path.exists(os.path.join(state, "metrics.port"))
        assert h.Client(server.base_url).get("/metrics").status == 404
    finally:
        server.stop()
