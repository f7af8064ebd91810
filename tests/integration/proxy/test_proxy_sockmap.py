"""Scenarios of the L4 kernel fast path (`tune.sockmap`, BPF sockmap): the payload never reaches
octane-proxy, which must still forward FINs and resets, time idle sessions out, count bytes and
leave nothing behind in the kernel's map. The common L4 scenarios run on this path too
(test_proxy_l4.py, conftest.py's `l4_path`)."""
import contextlib
import fcntl
import hashlib
import os
import select
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time

import pytest

from proxy_harness import (Engine, TcpBackend, free_port, proxy_binary, recv_until_eof, running,
                           show_info, show_stat, stats_command, wait_until)

pytestmark = pytest.mark.skipif(os.geteuid() != 0,
                                reason="the sockmap fast path needs root (loading BPF programs)")

BLOCK = os.urandom(1 << 20)
GIB_BLOCKS = 1024


def config(backend_port, client_timeout="10s", server_timeout="10s", sockmap="on", extra=""):
    def make(port, sock):
        return f"""
global
    maxconn 20000
    tune.sockmap {sockmap}
    {extra}
    stats socket {sock} mode 600 level admin
defaults
    mode tcp
    timeout connect 1s
    timeout client {client_timeout}
    timeout server {server_timeout}
frontend fe
    bind 127.0.0.1:{port}
    default_backend be
backend be
    server s1 127.0.0.1:{backend_port}
"""
    return make


class Backend(TcpBackend):
    """Runs `handler(conn)` for each connection in its own thread; keeps what handlers return.
    With `prelude`, each connection first carries a short conversation (see `converse`)."""

    def __init__(self, handler, prelude=True):
        self.handler = handler
        self.prelude = prelude
        self.results = []
        self.errors = []
        super().__init__("sockmap")

    def _serve(self, c):
        with c:
            c.settimeout(30)
            try:
                if self.prelude:
                    assert recv_exact(c, 1) == b"1"
                    c.sendall(b"1")
                    assert recv_exact(c, 1) == b"2"
                    c.sendall(b"2")
                self.results.append(self.handler(c))
            except OSError as e:
                self.errors.append(e)


def recv_exact(c, n):
    data = b""
    while len(data) < n:
        d = c.recv(n - len(data))
        if not d:
            break
        data += d
    return data


def converse(s):
    """A request, its answer and a second request (answered too): the proxy joins a session once
    it is a conversation (or a bulk transfer), not a connection that may carry one exchange.
    No Nagle: the caller's next bytes follow "2" before its ACK (40 ms per connection else)."""
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(b"1")
    assert recv_exact(s, 1) == b"1"
    s.sendall(b"2")
    # Joined (or refused) before the backend could answer "2": no FIN can race the join.
    assert recv_exact(s, 1) == b"2"


def echo(c):
    while True:
        d = c.recv(65536)
        if not d:
            return True
        c.sendall(d)


def joined(sock, n=1):
    return lambda: int(show_info(sock)["SockmapSessions"]) == n


def all_gone(sock):
    info = show_info(sock)
    return (info["CurrConns"], info["SockmapSessions"], info["SockmapSources"]) == ("0", "0", "0")


@contextlib.contextmanager
def joined_session(tmp_path, handler, **cfg):
    """A connection through the proxy to a Backend running `handler`, joined in the kernel;
    yields (client socket, stats socket path, backend), then checks the session left the map."""
    be = Backend(handler)
    try:
        with running("octane", config(be.port, **cfg), tmp_path) as (port, _):
            sock = str(tmp_path / "s.sock")
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                converse(s)
                wait_until(joined(sock), 5, "session joined in the kernel")
                yield s, sock, be
            wait_until(lambda: all_gone(sock), 10, "session closed and left the map")
    finally:
        be.stop()


def sha_of_input(c):
    h = hashlib.sha256()
    n = 0
    while True:
        d = c.recv(1 << 20)
        if not d:
            return h.hexdigest(), n
        h.update(d)
        n += len(d)


def test_one_gib_each_way_arrives_intact_on_the_kernel_path(tmp_path):
    """After a short conversation (which joins the session), 1 GiB up (the backend hashes it,
    then answers with the hash), then 1 GiB down (the client hashes it), on one connection:
    every byte through the kernel (or, past `max-queue`, taken back in order), FIN after the
    last one."""
    expected = hashlib.sha256(BLOCK * GIB_BLOCKS).hexdigest()

    def handler(c):
        digest, n = sha_of_input(c)  # up to the client's FIN, forwarded by the proxy
        c.sendall(f"{digest} {n}\n".encode())
        for _ in range(GIB_BLOCKS):
            c.sendall(BLOCK)
        return digest, n

    be = Backend(handler)
    try:
        with running("octane", config(be.port), tmp_path) as (port, proc):
            sock = str(tmp_path / "s.sock")
            started = time.monotonic()
            with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                converse(s)
                for _ in range(GIB_BLOCKS):
                    s.sendall(BLOCK)
                s.shutdown(socket.SHUT_WR)
                f = s.makefile("rb")
                line = f.readline().decode().split()
                assert line == [expected, str(GIB_BLOCKS << 20)]
                h = hashlib.sha256()
                n = 0
                while True:
                    d = f.read1(1 << 20)
                    if not d:
                        break
                    h.update(d)
                    n += len(d)
                assert n == GIB_BLOCKS << 20 and h.hexdigest() == expected
            assert time.monotonic() - started < 120
            wait_until(lambda: all_gone(sock), 10, "session closed and left the map")
            rows = show_stat(sock)
            assert int(rows[("fe", "FRONTEND")]["bin"]) == (GIB_BLOCKS << 20) + 2
            assert int(rows[("fe", "FRONTEND")]["bout"]) == (GIB_BLOCKS << 20) + len(" ".join(line)) + 3
            assert show_info(sock)["SockmapCumSessions"] == "1"
    finally:
        be.stop()


def test_a_one_way_bulk_transfer_stays_on_the_copy_path(tmp_path):
    """64 MiB up with no answer before the end: not a conversation, so the session is not
    joined (the copy path splices it; joined, a fast sender outruns the kernel's forwarding and
    the direction ends on recv/send), and every byte arrives."""
    blocks = 64

    def handler(c):
        digest, n = sha_of_input(c)
        c.sendall(f"{digest} {n}\n".encode())
        return digest, n

    be = Backend(handler, prelude=False)
    try:
        with running("octane", config(be.port), tmp_path) as (port, _):
            sock = str(tmp_path / "s.sock")
            with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                for _ in range(blocks):
                    s.sendall(BLOCK)
                s.shutdown(socket.SHUT_WR)
                expected = hashlib.sha256(BLOCK * blocks).hexdigest()
                assert recv_until_eof(s).decode().split() == [expected, str(blocks << 20)]
            wait_until(lambda: all_gone(sock), 10, "session closed")
            info = show_info(sock)
            assert (info["Sockmap"], info["SockmapCumSessions"]) == ("1", "0"), info
    finally:
        be.stop()


def queued(sock, request):
    """SIOCINQ (FIONREAD) or SIOCOUTQ (TIOCOUTQ) of a socket, in bytes."""
    return struct.unpack("i", fcntl.ioctl(sock.fileno(), request, b"\0\0\0\0"))[0]


SIOCINQ, SIOCOUTQ = 0x541B, 0x5411


def sysctl_max(name):
    with open(f"/proc/sys/net/ipv4/{name}") as f:
        return int(f.read().split()[2])


def held_back_limit():
    """What a held-back direction may hold at most with `max-queue 4m`: the source's largest
    receive buffer, the destination's largest send buffer, and `max-queue`."""
    return sysctl_max("tcp_rmem") + sysctl_max("tcp_wmem") + (4 << 20)


@pytest.mark.parametrize("max_queue,bounded", [("4m", True), ("1g", False)])
def test_a_destination_that_does_not_read_holds_the_client_back(tmp_path, max_queue, bounded):
    """A backend that reads nothing while the client pushes: what the proxy's sockets and the
    kernel between them hold (the client's bytes sent, minus its own send queue and the
    backend's receive queue) stays within a few socket buffers, since the verdict program stops
    redirecting once the backend's side holds `tune.sockmap.max-queue` and TCP flow control
    then holds the client. Once the backend reads, every byte arrives in order (SHA-256),
    including those sent after the direction went back to user space, then the FIN. With a
    bound too large to matter (1g), the same push shows what the bound prevents."""
    limit = held_back_limit()
    cap = (512 << 20) if bounded else 2 * limit + (64 << 20)  # bytes and time bound the push
    read_now = threading.Event()
    conns = []

    def handler(c):
        conns.append(c)
        assert read_now.wait(60)
        digest, n = sha_of_input(c)
        c.sendall(b"done")
        return digest, n

    be = Backend(handler)
    try:
        extra = f"tune.sockmap.max-queue {max_queue}"
        with running("octane", config(be.port, extra=extra), tmp_path) as (port, _):
            sock = str(tmp_path / "s.sock")
            h = hashlib.sha256()
            sent = held = 0
            with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                converse(s)  # both directions joined before the push, none parked
                wait_until(lambda: show_info(sock)["SockmapSources"] == "2", 5, "both joined")
                sent = push_until_held_back(s, h, cap)
                wait_until(lambda: len(conns) == 1, 5, "backend accepted")
                held = sent - queued(s, SIOCOUTQ) - queued(conns[0], SIOCINQ)
                info = show_info(sock)
                read_now.set()
                s.settimeout(60)
                # More after the direction went back to user space: it must follow in order.
                for _ in range(8):
                    s.sendall(BLOCK)
                    h.update(BLOCK)
                    sent += len(BLOCK)
                s.shutdown(socket.SHUT_WR)
                assert recv_until_eof(s) == b"done"
            wait_until(lambda: be.results or be.errors, 30, "backend finished")
            assert not be.errors
            assert be.results == [(h.hexdigest(), sent)]
            wait_until(lambda: all_gone(sock), 10, "session closed and left the map")
            assert info["SockmapCumSessions"] == "1"
            print(f"held {held >> 20} MiB of {sent >> 20} MiB sent (limit {limit >> 20} MiB)")
            if bounded:
                assert held < limit, f"the kernel held {held >> 20} MiB (limit {limit >> 20})"
                final = show_info(sock)
                assert final["SockmapPassed"] == "1", final
            else:
                assert held > 2 * limit, f"only {held >> 20} MiB held without the bound"
    finally:
        read_now.set()
        be.stop()


def push_until_held_back(s, h, cap, seconds=15):
    """Sends BLOCK's bytes on non-blocking `s` until `cap` bytes, `seconds`, or 1.5 s without
    progress (the receiving side holds it back); hashes what went. Returns the bytes sent."""
    s.setblocking(False)
    view = memoryview(BLOCK)
    sent = 0
    deadline = time.monotonic() + seconds
    last_progress = time.monotonic()
    while sent < cap and time.monotonic() < deadline:
        off = sent % len(BLOCK)
        try:
            n = s.send(view[off:])
        except BlockingIOError:
            if time.monotonic() - last_progress > 1.5:
                break
            select.select([], [s], [], 0.1)
            continue
        h.update(view[off:off + n])
        sent += n
        last_progress = time.monotonic()
    s.setblocking(True)
    return sent


def test_a_client_that_does_not_read_holds_the_backend_back(tmp_path):
    """The other direction of the test above: a backend pushing to a client that reads nothing
    is held back once the client's side holds `max-queue`; then the client reads every byte in
    order, and the backend's FIN after them."""
    limit = held_back_limit()
    pushed = threading.Event()
    out = {}

    def handler(c):
        h = hashlib.sha256()
        sent = push_until_held_back(c, h, 512 << 20)
        out["held"] = sent - queued(c, SIOCOUTQ)  # the client's receive queue is taken later
        out["sent"] = sent
        pushed.set()
        c.settimeout(60)
        for _ in range(8):  # more after the direction went back to user space
            c.sendall(BLOCK)
            h.update(BLOCK)
        out["sent"] += 8 * len(BLOCK)
        return h.hexdigest()

    with joined_session(tmp_path, handler) as (s, sock, be):
        assert pushed.wait(30)
        held = out["held"] - queued(s, SIOCINQ)
        s.settimeout(60)
        digest, n = sha_of_input(s)
        wait_until(lambda: be.results or be.errors, 30, "backend finished")
        assert not be.errors
        assert (digest, n) == (be.results[0], out["sent"])
        print(f"held {held >> 20} MiB of {out['sent'] >> 20} MiB sent (limit {limit >> 20} MiB)")
        assert held < limit, f"the kernel held {held >> 20} MiB (limit {limit >> 20})"
        assert show_info(sock)["SockmapPassed"] == "1"


def test_a_reset_ends_a_session_held_back_by_the_bound(tmp_path):
    """A client held back by the bound (its direction passed, the backend reading nothing)
    resets: the session ends and leaves the map, and the backend sees the end."""
    read_now = threading.Event()
    seen = []

    def handler(c):
        assert read_now.wait(60)
        try:
            while c.recv(1 << 20):
                pass
            seen.append(b"")
        except ConnectionResetError:
            seen.append("reset")
        return True

    with joined_session(tmp_path, handler) as (s, sock, _):
        push_until_held_back(s, hashlib.sha256(), 512 << 20)
        wait_until(lambda: show_info(sock)["SockmapSessions"] == "1", 5, "still joined")
        reset(s)
        read_now.set()
        wait_until(lambda: seen, 30, "backend saw the end")
        assert seen[0] in (b"", "reset")


def test_client_half_close_then_server_answers(tmp_path):
    """The client's FIN reaches the backend after its data; the backend still answers."""
    def handler(c):
        got = recv_until_eof(c)
        c.sendall(b"answer:" + got)
        return got

    with joined_session(tmp_path, handler) as (s, _, _):
        s.sendall(b"question" * 1000)
        s.shutdown(socket.SHUT_WR)
        assert recv_until_eof(s) == b"answer:" + b"question" * 1000


def test_server_half_close_then_client_still_sends(tmp_path):
    """The backend's FIN reaches the client after its data; the client's data still flows."""
    def handler(c):
        assert c.recv(2) == b"go"  # the session is joined by then
        c.sendall(b"banner" * 1000)
        c.shutdown(socket.SHUT_WR)
        return recv_until_eof(c)

    with joined_session(tmp_path, handler) as (s, _, be):
        s.sendall(b"go")
        assert recv_until_eof(s) == b"banner" * 1000
        s.sendall(b"late" * 1000)
        s.shutdown(socket.SHUT_WR)
        wait_until(lambda: be.results, 10, "backend saw the client's FIN")
        assert be.results == [b"late" * 1000]


def reset(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def test_client_reset_closes_the_server_side(tmp_path):
    seen = []

    def handler(c):
        c.sendall(b"hello")
        try:
            seen.append(c.recv(100))  # b"" (FIN) or ECONNRESET: the session ended
        except ConnectionResetError:
            seen.append("reset")
        return True

    with joined_session(tmp_path, handler) as (s, _, _):
        assert s.recv(5) == b"hello"
        reset(s)
        wait_until(lambda: seen, 10, "backend saw the end")
        assert seen[0] in (b"", "reset")


def test_server_reset_resets_the_client(tmp_path):
    def handler(c):
        c.sendall(b"hello")
        c.recv(5)
        reset(c)
        return True

    with joined_session(tmp_path, handler) as (s, _, _):
        assert s.recv(5) == b"hello"
        s.sendall(b"bye!!")
        with pytest.raises(ConnectionResetError):
            recv_until_eof(s)


def test_idle_timeout_fires_but_not_while_bytes_flow(tmp_path):
    """`timeout client 1s`: the kernel moves the bytes, the proxy reads the idle time from
    tcp_info. Traffic every 0.3 s for 2.5 s keeps the session; then 1 s of silence ends it."""
    with joined_session(tmp_path, echo, client_timeout="1s", server_timeout="1s") as (s, _, _):
        deadline = time.monotonic() + 2.5
        while True:
            s.sendall(b"y")
            assert s.recv(1) == b"y"
            quiet = time.monotonic()
            if quiet > deadline:
                break
            time.sleep(0.3)
        with pytest.raises(ConnectionResetError):
            while s.recv(1):  # the proxy resets a timed-out session, as HAProxy does
                pass
        assert 0.9 < time.monotonic() - quiet < 4


def test_ten_thousand_short_connections_leave_no_map_entry(tmp_path):
    def handler(c):
        d = c.recv(100)
        c.sendall(d)
        return True

    be = Backend(handler)
    errors = []
    count = [0]
    try:
        with running("octane", config(be.port), tmp_path) as (port, _):
            sock = str(tmp_path / "s.sock")

            def client(n):
                for i in range(n):
                    try:
                        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                            converse(s)
                            s.sendall(b"ping%05d" % i)
                            assert s.recv(100) == b"ping%05d" % i
                            count[0] += 1
                    except (OSError, AssertionError) as e:
                        errors.append(repr(e))

            threads = [threading.Thread(target=client, args=(2500,)) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=300)
            assert errors == [] and count[0] == 10000, errors[:5]
            wait_until(lambda: all_gone(sock), 20, "every session closed and left the map")
            info = show_info(sock)
            # Joined at the second request, before anyone could close.
            assert (info["SockmapCumSessions"], info["SockmapRefused"]) == ("10000", "0"), info
            # show activity counts the same joins per thread
            line = next(l for l in stats_command(sock, "show activity").splitlines()
                        if l.startswith("sockmap_joined:"))
            assert line.split()[1] == info["SockmapCumSessions"], line
    finally:
        be.stop()


def listens(pid, port):
    """Whether process pid holds a listening TCP socket on port (ss names each holder)."""
    out = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True,
                         timeout=10).stdout
    return f"pid={pid}," in out


def test_reload_keeps_joined_sessions_in_the_old_process(tmp_path):
    """A session joined in the kernel before a reload goes on in the old process, which exits
    once it ends; new sessions are joined by the new process."""
    be = Backend(echo)
    port = free_port()
    sock = str(tmp_path / "s.sock")
    eng = Engine("octane", config(be.port)(port, sock))
    try:
        old = eng.start(wait_socket=sock)
        held = socket.create_connection(("127.0.0.1", port), timeout=10)
        converse(held)
        held.sendall(b"before")
        assert held.recv(6) == b"before"
        wait_until(joined(sock), 5, "session joined in the kernel")
        new = eng.start(extra=["-sf", str(old.pid)], wait_socket=sock)
        # The old process accepts until its soft stop begins; only then must new sessions be the
        # new process's.
        wait_until(lambda: not listens(old.pid, port), 5, "old process released the listener")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            converse(s)
            s.sendall(b"new")
            assert s.recv(3) == b"new"
        held.sendall(b"after" * 10000)
        got = b""
        while len(got) < 50000:
            got += held.recv(65536)
        assert got == b"after" * 10000
        assert old.poll() is None
        held.close()
        assert old.wait(timeout=10) == 0
        assert new.poll() is None
        wait_until(lambda: show_info(sock)["SockmapCumSessions"] == "1", 5, f"new one joined: {show_info(sock)}")
    finally:
        eng.stop()
        be.stop()


def test_off_copies_in_user_space(tmp_path):
    def handler(c):
        c.sendall(c.recv(100))
        return True

    be = Backend(handler)
    try:
        with running("octane", config(be.port, sockmap="off"), tmp_path) as (port, _):
            sock = str(tmp_path / "s.sock")
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                converse(s)
                s.sendall(b"hi")
                assert s.recv(2) == b"hi"
            info = show_info(sock)
            assert (info["Sockmap"], info["SockmapCumSessions"]) == ("0", "0")
    finally:
        be.stop()


def test_without_bpf_rights_the_engine_says_why_once_and_copies():
    """As nobody the program cannot be loaded: one warning with the reason, then the same
    service in user space."""
    d = tempfile.mkdtemp(prefix="sockmap-nobody-")
    os.chmod(d, 0o777)  # nobody creates its stats socket here
    be = Backend(echo)
    port = free_port()
    sock = os.path.join(d, "s.sock")
    cfg = os.path.join(d, "proxy.cfg")
    with open(cfg, "w") as f:
        f.write(config(be.port)(port, sock))
    os.chmod(cfg, 0o644)
    log_path = os.path.join(d, "out.log")
    with open(log_path, "w") as log:
        p = subprocess.Popen(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                              proxy_binary(), "-db", "-f", cfg], stdout=log,
                             stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: os.path.exists(sock) or p.poll() is not None, 10, "stats socket")
        assert p.poll() is None, open(log_path).read()
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                converse(s)
                s.sendall(b"copied")
                assert recv_exact(s, 6) == b"copied"
        info = show_info(sock)
        assert (info["Sockmap"], info["SockmapCumSessions"]) == ("0", "0")
        warnings = [l for l in open(log_path).read().splitlines() if "tune.sockmap" in l]
        assert len(warnings) == 1 and "Operation not permitted" in warnings[0], warnings
        assert "forwarded in user space" in warnings[0]
    finally:
        p.terminate()
        p.wait(timeout=10)
        be.stop()
        shutil.rmtree(d, ignore_errors=True)
