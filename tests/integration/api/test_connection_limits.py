"""Unauthenticated denial of service against the API's HTTP server (issue 11, security item 1).

Real `octane serve` processes (noauth, noop drivers) with the limits of `[api_settings]` set low in
a config file. Clients come from distinct loopback addresses (127.0.0.x) where a test needs several
"hosts":
  - 100 connections that sent half a request head do not keep another client from its answer;
  - a request head must be complete within header_timeout, even when trickled byte by byte, and an
    idle keep-alive connection is closed after keepalive_timeout;
  - connections from one address beyond max_connections_per_client are closed at once, others
    are still served, and a slot freed is usable again;
  - with the descriptors exhausted (a low RLIMIT_NOFILE, many connections held) the server waits
    between accept attempts instead of spinning: its CPU time over a window stays low, and it
    answers again once the connections are gone.
"""
import os
import socket
import stat
import time

import pytest
import requests

import octane_server as h

pytestmark = pytest.mark.needs_process

TICKS = os.sysconf("SC_CLK_TCK")
NOFILE = 96  # descriptors of the server in the exhaustion test


def write_conf(state_dir, **settings):
    path = os.path.join(state_dir, "limits.conf")
    with open(path, "w") as f:
        f.write("[api_settings]\n")
        for key, value in settings.items():
            f.write("%s = %s\n" % (key, value))
    return path


def start(tmp_path, binary=None, **settings):
    state = str(tmp_path)
    conf = write_conf(state, **settings)
    p = h.OctaneProcess("serve", state, extra_args=["--config-file", conf, "--health-bind-port", "0"],
                        binary=binary)
    return p.start()


@pytest.fixture
def server(tmp_path):
    p = start(tmp_path, header_timeout=1, keepalive_timeout=2, max_connections_per_client=20)
    yield p
    p.stop()


@pytest.fixture
def patient_server(tmp_path):
    """Long deadlines, so held connections stay until the test lets them go."""
    p = start(tmp_path, header_timeout=60, keepalive_timeout=60, max_connections_per_client=20)
    yield p
    p.stop()


def port_of(p):
    return int(p.base_url.rsplit(":", 1)[1])


def connect(port, source="127.0.0.1"):
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    return s


def partial_head(port, source="127.0.0.1"):
    s = connect(port, source)
    s.sendall(b"GET /v2 HTTP/1.1\r\nHost: x\r\n")
    return s


def closed_by_server(s, within):
    """True when the server closes (FIN or RST) within `within` seconds; nothing may be sent."""
    s.settimeout(within)
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def status_line(s):
    """The first 12 bytes of the answer ("HTTP/1.1 200"), fewer when the server closes first."""
    got = b""
    while len(got) < 12:
        chunk = s.recv(12 - len(got))
        if not chunk:
            break
        got += chunk
    return got


def get_root(base_url, timeout=5):
    return requests.get(base_url + "/", timeout=timeout)


def close_all(socks):
    for s in socks:
        s.close()


def test_partial_heads_do_not_keep_others_waiting(patient_server):
    port = port_of(patient_server)
    # 100 half-sent heads from 50 addresses, 2 each: within every limit, held for the whole test.
    held = [partial_head(port, "127.0.0.%d" % (10 + i % 50)) for i in range(100)]
    try:
        start = time.monotonic()
        r = get_root(patient_server.base_url)
        assert r.status_code == 200, r.text
        assert time.monotonic() - start < 2.0
    finally:
        close_all(held)


def test_request_head_has_a_deadline_even_when_trickled(server):
    port = port_of(server)
    idle = partial_head(port)
    start = time.monotonic()
    assert closed_by_server(idle, 10), "a silent half head is kept open"
    assert 0.5 <= time.monotonic() - start <= 5
    idle.close()

    trickle = connect(port)
    start = time.monotonic()
    closed = False
    # One byte every 0.2 s: each read is quick, the head as a whole is not (bounded: 50 bytes).
    for byte in b"GET /v2 HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 30:
        try:
            trickle.sendall(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            closed = True
            break
        if closed_by_server(trickle, 0.2):
            closed = True
            break
    assert closed, "a trickled head is kept open for %.1f s" % (time.monotonic() - start)
    assert time.monotonic() - start <= 5
    trickle.close()


def test_idle_keepalive_connection_is_closed(server):
    s = connect(port_of(server))
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(4096)
        assert chunk, head
        head += chunk
    assert head.startswith(b"HTTP/1.1 200"), head
    # The rest of that body may still come; then the server must close within keepalive (2 s).
    start = time.monotonic()
    s.settimeout(10)
    while True:
        try:
            if not s.recv(65536):
                break
        except ConnectionResetError:
            break
    assert 1.0 <= time.monotonic() - start <= 6
    s.close()


def test_connections_from_one_client_beyond_the_limit_are_refused(patient_server):
    port = port_of(patient_server)
    base = patient_server.base_url
    held = [partial_head(port, "127.0.0.3") for _ in range(20)]
    try:
        # Accepted in order: once the server has taken the 20, the next from there is closed.
        excess = connect(port, "127.0.0.3")
        assert closed_by_server(excess, 5), "the 21st connection of one client was kept"
        excess.close()
        # Another client is still served.
        other = connect(port, "127.0.0.4")
        other.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert status_line(other) == b"HTTP/1.1 200"
        other.close()
        # A slot given back is usable again.
        held.pop().close()

        def served_again():
            s = connect(port, "127.0.0.3")
            try:
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                return status_line(s) == b"HTTP/1.1 200"
            except (ConnectionResetError, BrokenPipeError):
                return False
            finally:
                s.close()
        h.poll_until(served_again, timeout=5, what="a freed slot serves the client again")
    finally:
        close_all(held)
    assert get_root(base).status_code == 200


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def test_out_of_descriptors_backs_off_and_recovers(tmp_path):
    wrapper = tmp_path / "low-nofile.sh"
    wrapper.write_text("#!/bin/sh\nulimit -n %d || exit 3\nexec '%s' \"$@\"\n"
                       % (NOFILE, h.octane_binary()))
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    state = tmp_path / "state"
    state.mkdir()
    p = start(state, binary=str(wrapper), header_timeout=60, keepalive_timeout=60,
              max_connections_per_client=1000)
    held = []
    try:
        port = port_of(p)
        # More than the process has descriptors; the kernel queues what the server cannot take.
        for _ in range(200):
            held.append(connect(port))
        h.poll_until(lambda: len(os.listdir("/proc/%d/fd" % p.pid)) >= NOFILE - 1, timeout=10,
                     what="the server out of descriptors")
        before = cpu_seconds(p.pid)
        start_wall = time.monotonic()
        time.sleep(2.0)  # the measured window itself, not a wait for a condition
        used = cpu_seconds(p.pid) - before
        window = time.monotonic() - start_wall
        assert used < 0.25 * window, "%.2f s of CPU in %.2f s while out of descriptors" % (used, window)
        assert p.alive()
        close_all(held)
        held = []
        def answers():
            try:
                return get_root(p.base_url, timeout=2).status_code == 200
            except requests.RequestException:
                return False
        h.poll_until(answers, timeout=15, what="the API answering again")
    finally:
        close_all(held)
        p.stop()
