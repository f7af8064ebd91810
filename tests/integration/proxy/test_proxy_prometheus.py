"""Octavia's PROMETHEUS listener, as Octavia renders it (an internal exporter endpoint on
127.0.0.1, a listener frontend whose default backend reaches it): the engine answers /metrics with
the families of HAProxy 2.6's exporter. HAProxy runs the same file: every family we print exists
there with the same type, so dashboards built on an amphora's metrics keep working."""
import re
import urllib.request

import pytest

from proxy_harness import (Engine, HttpBackend, backend_pair, defaults_section, free_port,
                           http_get)

SAMPLE = re.compile(r'^([a-z_]+)\{([^}]*)\} (\S+)$|^([a-z_]+) (\S+)$')


def prometheus_config(listener_port, internal_port, web_port, backends):
    servers = "\n".join(f"    server s{i + 1} 127.0.0.1:{b.port} weight 1"
                        for i, b in enumerate(backends))
    return f"""
global
    maxconn 1000
{defaults_section('http', ['http-keep-alive'])}
frontend prometheus-exporter-internal-endpoint
    bind 127.0.0.1:{internal_port}
    mode http
    no log
    http-request use-service prometheus-exporter if {{ path /metrics }}
    http-request reject
    timeout http-request 5s
    timeout client 5s
backend prometheus-exporter-internal
    mode http
    no log
    balance first
    timeout connect 5s
    timeout server 5s
    server prometheus-internal 127.0.0.1:{internal_port}

frontend web
    bind 127.0.0.1:{web_port}
    mode http
    default_backend pool
backend pool
    mode http
    balance roundrobin
{servers}

frontend metrics-listener
    bind 127.0.0.1:{listener_port}
    mode http
    default_backend prometheus-exporter-internal
"""


def scrape(port):
    # urllib, not http_get: HAProxy answers in chunks.
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain"), r.headers
        body = r.read().decode()
    types, samples = {}, {}
    for line in body.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            types[name] = kind
        elif line and not line.startswith("#"):
            m = SAMPLE.match(line)
            assert m, "not a sample line: %r" % line
            if m.group(1):
                samples[(m.group(1), m.group(2))] = float(m.group(3))
            else:
                samples[(m.group(4), "")] = float(m.group(5))
    return types, samples


@pytest.fixture
def backends():
    with backend_pair(HttpBackend) as bs:
        yield bs


def run_and_scrape(kind, backends, requests_to_web):
    listener, internal, web = free_port(), free_port(), free_port()
    engine = Engine(kind, prometheus_config(listener, internal, web, backends))
    try:
        engine.start(wait_port=listener)
        for _ in range(requests_to_web):
            assert http_get(web, "/")[0] == 200
        assert http_get(web, "/status/404")[0] == 404
        return scrape(listener)
    finally:
        engine.stop()


def test_metrics_through_the_prometheus_listener_count_what_was_served(backends):
    types, samples = run_and_scrape("octane", backends, 5)
    assert samples[("haproxy_frontend_http_responses_total", 'proxy="web",code="2xx"')] == 5
    assert samples[("haproxy_frontend_http_responses_total", 'proxy="web",code="4xx"')] == 1
    assert samples[("haproxy_frontend_http_requests_total", 'proxy="web"')] == 6
    served = sum(samples[("haproxy_server_sessions_total", 'proxy="pool",server="%s"' % s)]
                 for s in ("s1", "s2"))
    assert served == 6
    assert samples[("haproxy_server_status", 'proxy="pool",server="s1",state="UP"')] == 1
    assert samples[("haproxy_backend_status", 'proxy="pool",state="UP"')] == 1
    assert samples[("haproxy_process_max_connections", "")] == 1000
    assert types["haproxy_frontend_http_responses_total"] == "counter"
    assert types["haproxy_server_status"] == "gauge"


def test_every_family_exists_in_haproxys_exporter_with_the_same_type(backends):
    ours, our_samples = run_and_scrape("octane", backends, 2)
    theirs, their_samples = run_and_scrape("haproxy", backends, 2)
    assert ours, "no families"
    missing = {name: kind for name, kind in ours.items() if theirs.get(name) != kind}
    assert not missing, "families HAProxy 2.6 does not print (or with another type): %s" % missing
    # Same label sets for the families both print, per object.
    for name in ("haproxy_frontend_http_responses_total", "haproxy_server_status",
                 "haproxy_backend_sessions_total"):
        our_labels = {labels for (n, labels) in our_samples if n == name}
        their_labels = {labels for (n, labels) in their_samples if n == name}
        assert our_labels <= their_labels, (name, our_labels - their_labels)
