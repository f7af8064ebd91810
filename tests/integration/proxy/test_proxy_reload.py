"""Graceful reloads: a soft stop (`-sf` hand-over, SIGUSR1) must not cost a single request, on
keep-alive connections or with one request per connection, and `hard-stop-after` bounds it."""
import contextlib
import re
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest

from proxy_harness import (Engine, HttpBackend, backend_pair, free_port, http_get, l7_config,
                           listening_sockets, recv_until_eof, running, show_stat,
                           stats_command, wait_until)

WRK = shutil.which("wrk")
WRK_SECONDS = 12
MAX_RELOADS = 40


def wrk_counts(output):
    """Requests, socket errors and non-2xx/3xx responses as wrk prints them (absent = 0)."""
    errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if m:
        errors = dict(zip(errors, map(int, m.groups())))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"(\d+) requests in", output)
    assert m, output
    return int(m.group(1)), errors


def frontend_stat(sock, column):
    return int(show_stat(sock)[("fe", "FRONTEND")][column] or 0)


@pytest.fixture
def backends():
    with backend_pair(HttpBackend) as bs:
        yield bs


@pytest.fixture
def engine(backends, tmp_path):
    """(engine, port, stats socket) for l7_config on two threads; stopped afterwards."""
    port = free_port()
    sock = str(tmp_path / "s.sock")
    eng = Engine("octane", l7_config(port, backends, sock, nbthread=2))
    yield eng, port, sock
    eng.stop()


@pytest.mark.parametrize("mode", ["keep-alive", "close"])
def test_reloads_under_wrk_cost_no_request(mode, engine):
    assert WRK, "wrk is missing (scripts/install-deps.sh installs it)"
    eng, port, sock = engine
    current = eng.start(wait_socket=sock)
    cmd = [WRK, "-t2", "-c32", f"-d{WRK_SECONDS}s", "--timeout", "5s", f"http://127.0.0.1:{port}/"]
    if mode == "close":
        cmd[1:1] = ["-H", "Connection: close"]
    wrk = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: frontend_stat(sock, "req_tot") > 200, 10, "load running")
        retired = []
        # Reload until wrk is nearly done; each new process must answer on the stats socket
        # with its pid and have taken traffic over before the next reload retires it.
        deadline = time.monotonic() + WRK_SECONDS - 2
        while len(retired) < MAX_RELOADS and time.monotonic() < deadline:
            new = eng.start(extra=["-sf", str(current.pid)], wait_socket=sock)
            retired.append(current)
            current = new
            wait_until(lambda: frontend_stat(sock, "req_tot") >= 32, 10, "traffic moved over")
        out, _ = wrk.communicate(timeout=WRK_SECONDS + 20)
    finally:
        if wrk.poll() is None:
            wrk.kill()
            wrk.wait(timeout=5)
    total, errors = wrk_counts(out)
    assert len(retired) >= 10, f"only {len(retired)} reloads"
    assert errors == {"connect": 0, "read": 0, "write": 0, "timeout": 0, "non_2xx": 0}, out
    assert total > 1000, out
    for p in retired:  # each old process finished its connections and exited cleanly
        assert p.wait(timeout=15) == 0, eng.log()
    assert "Pid: " + str(current.pid) in stats_command(sock, "show info")


def soft_stop(p, port):
    """SIGUSR1, then waits until the process has let go of its listener (its workers have
    reacted to the stop, sessions included)."""
    p.send_signal(signal.SIGUSR1)
    wait_until(lambda: listening_sockets(port) == 0, 10, "listener released")


@contextlib.contextmanager
def one_connection(engine):
    """Starts the engine and opens a client connection: yields (connection, stop), where stop()
    soft-stops the process; afterwards the process must have exited 0."""
    eng, port, sock = engine
    p = eng.start(wait_socket=sock)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
        yield c, lambda: soft_stop(p, port)
    assert p.wait(timeout=10) == 0


def test_idle_keepalive_connection_gets_its_next_request_answered_with_close(engine):
    port = engine[1]
    with one_connection(engine) as (c, stop):
        status, hdrs, _ = http_get(port, "/first", sock=c)
        assert status == 200 and hdrs.get("connection") != "close"
        stop()
        status, hdrs, body = http_get(port, "/second", sock=c)
        assert (status, hdrs.get("connection")) == (200, "close")
        assert body.endswith(" /second xff=127.0.0.1")
        assert recv_until_eof(c) == b""


def test_response_in_flight_at_soft_stop_announces_close(engine):
    _, port, sock = engine
    with one_connection(engine) as (c, stop):
        result = {}
        reader = threading.Thread(target=lambda: result.update(r=http_get(port, "/delay/600",
                                                                          sock=c)))
        reader.start()
        wait_until(lambda: frontend_stat(sock, "req_tot") == 1, 5, "request at the proxy")
        stop()
        reader.join(timeout=10)
        status, hdrs, _ = result["r"]
        assert (status, hdrs.get("connection")) == (200, "close")
        assert recv_until_eof(c) == b""


def test_connection_accepted_before_soft_stop_gets_its_first_request_served(engine):
    _, port, sock = engine
    with one_connection(engine) as (c, stop):
        wait_until(lambda: frontend_stat(sock, "scur") == 1, 5, "connection accepted")
        stop()
        status, hdrs, _ = http_get(port, "/late", sock=c)
        assert (status, hdrs.get("connection")) == (200, "close")


def test_close_after_response_is_a_fin_even_with_unread_input(engine):
    """The client asked for close but kept sending: the proxy shuts its side down and reads the
    rest, so the client gets the whole response and a FIN, never a reset."""
    eng, port, sock = engine
    eng.start(wait_socket=sock)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
        request = b"GET /a HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        junk = b"x" * (1 << 20)  # beyond what the proxy buffers before it stops reading

        def send():
            try:
                c.sendall(request + junk)
            except OSError:
                pass  # reported by the reader below

        sender = threading.Thread(target=send)
        sender.start()
        data = recv_until_eof(c)  # a reset raises ConnectionResetError here
        sender.join(timeout=10)
    assert data.startswith(b"HTTP/1.1 200")
    assert b"\r\nconnection: close\r\n" in data.lower()


def test_hard_stop_after_bounds_the_soft_stop(backends, tmp_path):
    def config(port, sock):
        text = l7_config(port, backends, sock)
        return text.replace("global\n", "global\n    hard-stop-after 1s\n")

    with running("octane", config, tmp_path) as (port, p), \
            socket.create_connection(("127.0.0.1", port), timeout=10) as c:
        c.sendall(b"GET /delay/8000 HTTP/1.1\r\nHost: t\r\n\r\n")
        sock = str(tmp_path / "s.sock")
        wait_until(lambda: frontend_stat(sock, "req_tot") == 1, 5, "request at the proxy")
        started = time.monotonic()
        p.send_signal(signal.SIGUSR1)
        assert p.wait(timeout=6) == 0  # long before the server answers
        assert time.monotonic() - started >= 0.9
        assert recv_until_eof(c) == b""  # closed without a response
