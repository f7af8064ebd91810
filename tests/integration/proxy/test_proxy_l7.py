"""HTTP-mode scenarios: balancing per request, L7 rules, header insertion, persistence."""
import socket
import threading
import types

import pytest

from proxy_harness import (Engine, HttpBackend, backend_pair, free_port, http_get, l7_config,
                           recv_until_eof, rss_kib, running, show_stat, wait_until)


@pytest.fixture
def backends():
    with backend_pair(HttpBackend) as bs:
        yield bs


def names_over_one_connection(port, n):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        return [http_get(port, f"/r{i}", sock=s)[2].split(" ")[0] for i in range(n)]


@pytest.mark.parametrize("kind", ["octane", "haproxy"])
def test_requests_alternate_and_carry_xff(kind, backends, tmp_path):
    port = free_port()
    sock = str(tmp_path / "s.sock")
    eng = Engine(kind, l7_config(port, backends, sock))
    try:
        eng.start(wait_socket=sock)
        names = names_over_one_connection(port, 4)
        assert names in (["one", "two"] * 2, ["two", "one"] * 2), names
        status, hdrs, body = http_get(port, "/x")
        assert status == 200 and body.endswith("xff=127.0.0.1")
        assert hdrs.get("set-cookie", "").startswith("SRV=c")
    finally:
        eng.stop()


def test_server_connections_are_reused_until_the_server_closes_them(backends, tmp_path):
    with running("octane", lambda port, sock: l7_config(port, backends, sock), tmp_path) as (port, _), \
            socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        names = [http_get(port, f"/a{i}", sock=s)[2].split(" ")[0] for i in range(20)]
        assert sorted(set(names)) == ["one", "two"] and names.count("one") == 10, names
        # Idle and write-space events on the connection not in use must not drop it.
        assert [len(b.conns) for b in backends] == [1, 1]
        backends[0].conns[0].shutdown(socket.SHUT_RDWR)  # server closes an idle connection
        names = [http_get(port, f"/b{i}", sock=s)[2].split(" ")[0] for i in range(4)]
        assert names.count("one") == 2 and names.count("two") == 2, names
        assert [len(b.conns) for b in backends] == [2, 1]


@pytest.mark.parametrize("kind", ["octane", "haproxy"])
def test_request_with_fin_after_keepalive_gets_reply_then_close(kind, backends, tmp_path):
    with running(kind, lambda port, sock: l7_config(port, backends, sock), tmp_path) as (port, _), \
            socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        assert http_get(port, "/first", sock=s)[0] == 200
        # The next request and the client's FIN arrive together: one short read holds both.
        s.sendall(b"GET /bytes/30000 HTTP/1.1\r\nHost: t\r\n\r\n")
        s.shutdown(socket.SHUT_WR)
        head, body = recv_until_eof(s).split(b"\r\n\r\n", 1)  # the reply, then the close
    assert head.startswith(b"HTTP/1.1 200") and body == b"x" * 30000


def test_body_until_close_with_fin_in_the_same_read(tmp_path):
    body = b"until-close " * 100
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)

    def serve():
        c, _ = srv.accept()
        with c:
            head = b""
            while b"\r\n\r\n" not in head:
                head += c.recv(4096)
            c.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body)  # then the FIN

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    server = [types.SimpleNamespace(port=srv.getsockname()[1])]
    try:
        with running("octane", lambda port, sock: l7_config(port, server, sock), tmp_path) as (
                port, _), socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            data = recv_until_eof(s)  # the body ends with the server's close, relayed
        assert data.startswith(b"HTTP/1.1 200") and data.endswith(body)
        t.join(timeout=5)
    finally:
        srv.close()


def test_idle_keepalive_connections_release_their_buffers(backends, tmp_path):
    held = []
    with running("octane", lambda port, sock: l7_config(port, backends, sock), tmp_path) as (
            port, p):
        before = rss_kib(p.pid)
        for _ in range(40):
            s = socket.socket()
            # A small receive window makes the proxy park most of the reply (up to its limit).
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.settimeout(10)
            s.connect(("127.0.0.1", port))
            status, _, body = http_get(port, "/bytes/1048576", sock=s)
            assert status == 200 and len(body) == 1048576
            held.append(s)  # stays open, idle, keep-alive
        # Holding 40 parked-then-drained replies (~256 KiB each) would be over 10 MiB.
        assert rss_kib(p.pid) - before < 4096, (before, rss_kib(p.pid))
        assert http_get(port, "/after", sock=held[0])[0] == 200  # still usable
        for s in held:
            s.close()


@pytest.mark.parametrize("kind", ["octane", "haproxy"])
def test_l7_rules_deny_and_redirect(kind, backends, tmp_path):
    port = free_port()
    sock = str(tmp_path / "s.sock")
    eng = Engine(kind, l7_config(port, backends, sock))
    try:
        eng.start(wait_socket=sock)
        assert http_get(port, "/admin/panel")[0] == 403
        status, hdrs, _ = http_get(port, "/", {"Host": "old.example.com"})
        assert status == 301 and hdrs["location"] == "https://www.example.com/new"
    finally:
        eng.stop()


@pytest.mark.parametrize("kind", ["octane", "haproxy"])
def test_cookie_persistence_pins_a_server(kind, backends, tmp_path):
    port = free_port()
    sock = str(tmp_path / "s.sock")
    eng = Engine(kind, l7_config(port, backends, sock))
    try:
        eng.start(wait_socket=sock)
        for _ in range(4):
            assert http_get(port, "/p", {"Cookie": "SRV=c2"})[2].startswith("two ")
    finally:
        eng.stop()


def test_bad_requests_get_clean_errors(backends, tmp_path):
    port = free_port()
    sock = str(tmp_path / "s.sock")
    eng = Engine("octane", l7_config(port, backends, sock))
    try:
        eng.start(wait_socket=sock)
        for raw in (b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
                    b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n",
                    b"BAD\x01 / HTTP/1.1\r\n\r\n"):
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(raw)
                data = s.recv(4096)
                assert data.startswith(b"HTTP/1.1 400"), data
        rows = show_stat(sock)
        assert int(rows[("fe", "FRONTEND")]["ereq"]) == 3
        # The proxy is still serving.
        assert http_get(port, "/ok")[0] == 200
    finally:
        eng.stop()


def test_server_error_statuses_are_counted(backends, tmp_path):
    port = free_port()
    sock = str(tmp_path / "s.sock")
    eng = Engine("octane", l7_config(port, backends, sock))
    try:
        eng.start(wait_socket=sock)
        assert http_get(port, "/status/503")[0] == 503
        wait_until(lambda: show_stat(sock)[("fe", "FRONTEND")]["hrsp_5xx"] == "1", 5, "5xx count")
    finally:
        eng.stop()


def test_soft_stop_closes_idle_keepalive_and_exits(backends, tmp_path):
    """SIGUSR1: listeners close, an idle keep-alive connection is closed, the process exits 0."""
    import signal
    port = free_port()
    sock = str(tmp_path / "s.sock")
    eng = Engine("octane", l7_config(port, backends, sock))
    try:
        p = eng.start(wait_socket=sock)
        c = socket.create_connection(("127.0.0.1", port), timeout=5)
        assert http_get(port, "/a", sock=c)[0] == 200
        p.send_signal(signal.SIGUSR1)
        assert p.wait(timeout=10) == 0
        assert c.recv(100) == b""
        c.close()
    finally:
        eng.stop()


@pytest.mark.parametrize("kind", ["octane", "haproxy"])
def test_slowloris_head_gets_408(kind, backends, tmp_path):
    port = free_port()
    sock = str(tmp_path / "s.sock")
    cfg = l7_config(port, backends, sock).replace("    timeout client 10s\n",
                                                 "    timeout client 10s\n    timeout http-request 500ms\n")
    eng = Engine(kind, cfg)
    try:
        eng.start(wait_socket=sock)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ")
            data = s.recv(4096)  # blocks until the proxy answers on its own timer
            assert data.startswith(b"HTTP/1.1 408"), data
    finally:
        eng.stop()


def test_access_log_uses_octavia_log_format(backends, tmp_path):
    port = free_port()
    sock = str(tmp_path / "s.sock")
    log_file = tmp_path / "access.log"
    cfg = l7_config(port, backends, sock).replace(
        "    default_backend be\n",
        "    default_backend be\n    log global\n"
        "    log-format proj\\ lb\\ %f\\ %ci\\ %ST\\ %b\\ %s\\ %{+Q}r\n")
    eng = Engine("octane", cfg, extra_args=["--log", f"file:{log_file}"])
    try:
        eng.start(wait_socket=sock)
        assert http_get(port, "/logged")[0] == 200
        wait_until(lambda: log_file.exists() and "/logged" in log_file.read_text(), 5, "log line")
        line = log_file.read_text().strip().splitlines()[-1]
        assert line.startswith("proj lb fe 127.0.0.1 200 be s")
        assert line.endswith('"GET /logged HTTP/1.1"')
    finally:
        eng.stop()


@pytest.mark.parametrize("kind", ["octane", "haproxy"])
def test_app_cookie_stick_table(kind, backends, tmp_path):
    """APP_COOKIE persistence as Octavia renders it: the server that set JSESSIONID keeps it."""
    port = free_port()
    sock = str(tmp_path / "s.sock")
    cfg = l7_config(port, backends, sock).replace(
        "    cookie SRV insert indirect nocache\n",
        "    stick-table type string len 64 size 10k\n"
        "    stick store-response res.cook(JSESSIONID)\n"
        "    stick match req.cook(JSESSIONID)\n")
    eng = Engine(kind, cfg)
    try:
        eng.start(wait_socket=sock)
        status, hdrs, body = http_get(port, "/login")
        owner = body.split(" ")[0]
        assert hdrs["set-cookie"].startswith(f"JSESSIONID=sess-{owner}")
        for _ in range(4):
            got = http_get(port, "/app", {"Cookie": f"JSESSIONID=sess-{owner}"})[2]
            assert got.startswith(owner + " "), got
    finally:
        eng.stop()


@pytest.mark.parametrize("kind", ["octane", "haproxy"])
def test_client_asking_for_close_is_told_close(kind, backends, tmp_path):
    """The server answers keep-alive (HttpBackend ignores the client's close): the proxy, which
    ends the connection after the response, says so, or the client takes the FIN for a failure
    of a connection it meant to reuse (wrk counts a read error for every request)."""
    with running(kind, lambda port, sock: l7_config(port, backends, sock), tmp_path) as (port, _):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
            status, hdrs, _ = http_get(port, "/a", {"Connection": "close"}, sock=c)
            assert (status, hdrs.get("connection")) == (200, "close")
            assert recv_until_eof(c) == b""
