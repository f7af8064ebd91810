"""octane-proxy --lvs: UDP listeners served from the keepalived LVS file Octavia renders
(docs/amphora.md §5): per-flow affinity, round robin across sources, UDP-CONNECT checks that take
a stopped member out and move its flows, stats in HAProxy's CSV, located errors for `-c`."""
import http.server
import socket
import subprocess
import threading

import pytest

from proxy_harness import proxy_binary, show_stat, wait_until
from udp_harness import LvsEngine, UdpEcho, ask, free_udp_port, lvs_config, member_of


@pytest.fixture
def members():
    pair = [UdpEcho("m1"), UdpEcho("m2")]
    yield pair
    for m in pair:
        m.stop()


@pytest.fixture
def engine(tmp_path, members):
    port = free_udp_port()
    e = LvsEngine(tmp_path, lvs_config(port, [("m1", members[0].port), ("m2", members[1].port)]))
    e.port = port
    e.start()
    yield e
    e.stop()


def test_one_source_sticks_and_sources_spread(engine):
    seen = set()
    for _ in range(6):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
            first = member_of(ask(engine.port, b"a", c))
            for i in range(5):
                assert member_of(ask(engine.port, b"%d" % i, c)) == first
            seen.add(first)
    assert seen == {"m1", "m2"}


def test_answers_carry_the_payload(engine):
    assert ask(engine.port, b"payload-123").split(b":", 1)[1] == b"payload-123"


def test_stopped_member_goes_down_and_its_flows_move(engine, members):
    clients = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(4)]
    try:
        placed = {c: member_of(ask(engine.port, b"x", c)) for c in clients}
        assert set(placed.values()) == {"m1", "m2"}
        members[0].stop()
        wait_until(lambda: show_stat(engine.sock)[("pool-1:listener-1", "m1")]["status"] == "DOWN",
                   10, "m1 DOWN")
        rows = show_stat(engine.sock)
        assert rows[("pool-1:listener-1", "m2")]["status"] == "UP"
        assert rows[("pool-1:listener-1", "BACKEND")]["status"] == "UP"
        for c in clients:  # the flows of m1 were dropped: their next datagram goes to m2
            assert member_of(ask(engine.port, b"y", c)) == "m2"
    finally:
        for c in clients:
            c.close()


def test_stats_count_flows_datagrams_and_bytes(engine):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
        for _ in range(3):
            ask(engine.port, b"12345", c)
    rows = show_stat(engine.sock)
    fe = rows[("listener-1", "FRONTEND")]
    assert fe["status"] == "OPEN"
    assert int(fe["stot"]) == 1 and int(fe["scur"]) == 1
    assert int(fe["bin"]) == 15 and int(fe["dgram_in"]) == 3 and int(fe["dgram_out"]) == 3
    assert int(fe["bout"]) == 3 * len(b"m1:12345")
    servers = [rows[("pool-1:listener-1", m)] for m in ("m1", "m2")]
    assert sorted(int(s["stot"]) for s in servers) == [0, 1]


def test_flow_idle_timeout_reschedules(tmp_path, members):
    port = free_udp_port()
    e = LvsEngine(tmp_path, lvs_config(port, [("m1", members[0].port), ("m2", members[1].port)],
                                       monitor=False), extra=["--udp-timeout", "1"])
    e.start()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
            ask(port, b"a", c)
            assert int(show_stat(e.sock)[("listener-1", "FRONTEND")]["scur"]) == 1
            wait_until(lambda: show_stat(e.sock)[("listener-1", "FRONTEND")]["scur"] == "0", 5,
                       "the idle flow to expire")
            rows = show_stat(e.sock)
            assert rows[("pool-1:listener-1", "m1")]["status"] == "no check"
    finally:
        e.stop()


def test_reload_keeps_flows_on_their_members(engine):
    """IPVS keeps its connection table when keepalived reloads: the new process takes over the
    old one's flows, so each client stays on its member even when clients come back in another
    order (a fresh round robin would swap them)."""
    clients = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(4)]
    try:
        placed = [member_of(ask(engine.port, b"x", c)) for c in clients]
        assert set(placed) == {"m1", "m2"}
        old = engine.procs[-1]
        engine.start(soft_stop=old.pid)
        old.wait(10)
        assert "took over 4 flows" in engine.log()
        after = [member_of(ask(engine.port, b"y", c)) for c in reversed(clients)]
        assert after == list(reversed(placed))
    finally:
        for c in clients:
            c.close()


def test_reload_hands_the_vip_over(engine):
    old = engine.procs[-1]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
        ask(engine.port, b"before", c)
        engine.start(soft_stop=old.pid)
        old.wait(10)  # the old process stops once its flows are idle
        assert member_of(ask(engine.port, b"after", c)) in ("m1", "m2")


def test_check_reports_located_errors(tmp_path):
    cfg = tmp_path / "bad.cfg"
    cfg.write_text("virtual_server 127.0.0.1 53 {\n    lb_algo mh\n    quorum 2\n}\n")
    out = subprocess.run([proxy_binary(), "-c", "--lvs", str(cfg)], capture_output=True,
                         text=True, timeout=10)
    assert out.returncode == 1
    assert f"{cfg}:2: lb_algo 'mh' is not supported" in out.stderr
    assert f"{cfg}:3: unknown keyword 'quorum' in virtual_server" in out.stderr
    cfg.write_text(lvs_config(53, [("m1", 1000)]))
    ok = subprocess.run([proxy_binary(), "-c", "--lvs", str(cfg)], capture_output=True,
                        text=True, timeout=10)
    assert ok.returncode == 0, ok.stderr


def test_listener_without_pool_is_reported(tmp_path):
    """The health manager counts enabled listeners in each heartbeat: one without a pool yet must
    still show (a FRONTEND row), or its amphora would be taken for stale."""
    text = "\n".join(lvs_config(free_udp_port(), []).splitlines()[:5]) + "\n\n"
    e = LvsEngine(tmp_path, text)
    e.start()
    try:
        rows = show_stat(e.sock)
        assert rows[("listener-1", "FRONTEND")]["status"] == "OPEN"
        assert len(rows) == 1, rows
    finally:
        e.stop()


class StatusServer:
    """HTTP on loopback answering every GET with `code`."""

    def __init__(self, code):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass
        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def connect_check(kind, port, extra=""):
    return (f"        {kind} {{\n{extra}            connect_ip 127.0.0.1\n"
            f"            connect_port {port}\n            connect_timeout 1\n        }}")


def test_tcp_and_http_monitors_on_a_udp_pool(tmp_path, members):
    """Octavia allows TCP and HTTP monitors on UDP pools (TCP_CHECK, HTTP_GET): a member whose
    check port refuses, or answers a status not listed, goes DOWN and gets no flows."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen(8)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, not listening: connects are refused
    ok, bad = StatusServer(204), StatusServer(500)
    url = ("            url {\n              path /health\n              status_code 200\n"
           "            }\n            url {\n              path /health\n"
           "              status_code 204\n            }\n")
    cases = {
        "TCP_CHECK": {"m1": connect_check("TCP_CHECK", listening.getsockname()[1]),
                      "m2": connect_check("TCP_CHECK", closed.getsockname()[1])},
        "HTTP_GET": {"m1": connect_check("HTTP_GET", ok.port, url),
                     "m2": connect_check("HTTP_GET", bad.port, url)},
    }
    try:
        for kind, checks in cases.items():
            port = free_udp_port()
            d = tmp_path / kind
            d.mkdir()
            e = LvsEngine(d, lvs_config(port, [("m1", members[0].port), ("m2", members[1].port)],
                                        checks=checks))
            e.start()
            try:
                wait_until(lambda: show_stat(e.sock)[("pool-1:listener-1", "m2")]["status"]
                           == "DOWN", 10, f"m2 DOWN by {kind}")
                assert show_stat(e.sock)[("pool-1:listener-1", "m1")]["status"] == "UP"
                assert {member_of(ask(port)) for _ in range(4)} == {"m1"}
            finally:
                e.stop()
    finally:
        listening.close()
        closed.close()
        ok.stop()
        bad.stop()


def test_flow_limit_evicts_the_least_recently_active(tmp_path, members):
    """A flow holds a socket: at --max-flows the least recently active flow makes room, and
    every client is still answered."""
    port = free_udp_port()
    e = LvsEngine(tmp_path, lvs_config(port, [("m1", members[0].port), ("m2", members[1].port)],
                                       monitor=False), extra=["--max-flows", "2"])
    e.start()
    clients = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(3)]
    try:
        for c in clients:
            ask(port, b"a", c)
        fe = show_stat(e.sock)[("listener-1", "FRONTEND")]
        assert fe["scur"] == "2" and fe["stot"] == "3", fe
        ask(port, b"b", clients[0])  # its flow was evicted: a new one
        assert show_stat(e.sock)[("listener-1", "FRONTEND")]["stot"] == "4"
        ask(port, b"c", clients[2])  # still open
        assert show_stat(e.sock)[("listener-1", "FRONTEND")]["stot"] == "4"
    finally:
        for c in clients:
            c.close()
        e.stop()


@pytest.mark.parametrize("extra,spread", [("", False), ("    sh-port", True)])
def test_source_ip_hash_and_source_ip_port(tmp_path, members, extra, spread):
    """lb_algo sh (SOURCE_IP): every port of one client address lands on one member; with
    sh-port (how Octane renders SOURCE_IP_PORT) the ports spread."""
    port = free_udp_port()
    e = LvsEngine(tmp_path, lvs_config(port, [("m1", members[0].port), ("m2", members[1].port)],
                                       algo="sh", monitor=False, extra_vs=extra))
    e.start()
    try:
        seen = {member_of(ask(port)) for _ in range(12)}
        assert len(seen) == (2 if spread else 1), seen
    finally:
        e.stop()


def test_source_ip_persistence_keeps_the_client_network(tmp_path, members):
    """persistence_timeout (SOURCE_IP session persistence with round robin): new flows of one
    client address stay on its member."""
    port = free_udp_port()
    e = LvsEngine(tmp_path, lvs_config(port, [("m1", members[0].port), ("m2", members[1].port)],
                                       monitor=False,
                                       extra_vs="    persistence_timeout 360\n"
                                                "    persistence_granularity 255.255.255.255"))
    e.start()
    try:
        assert len({member_of(ask(port)) for _ in range(8)}) == 1
    finally:
        e.stop()
