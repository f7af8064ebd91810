"""octane-proxy refuses what would silently weaken it (issue 11, security items 8 and 9).

  - A second engine started on a VIP:port another engine listens on fails with "address in use";
    the first keeps serving alone. Only a reload of the same engine (`-sf <pid>`, which takes the
    very listening socket over through the @octane-proxy-<pid> hand-over) shares the address; that
    such a reload still loses no connection is test_proxy_l4.py::test_reload_under_load_loses_nothing.
  - When the engine, started as root with `user`/`group`, cannot give up root (here: run without
    CAP_SETUID/CAP_SETGID in its bounding set), it exits with an alert instead of serving as root.
"""
import os
import shutil
import subprocess

import pytest

from proxy_harness import Engine, TcpBackend, free_port, tcp_hello
from test_proxy_l4 import l4_config


def one_backend_config(port, backend, sock, global_extra=""):
    config = l4_config(port, [backend], sock)
    return config.replace("global\n", "global\n" + global_extra, 1) if global_extra else config


@pytest.fixture
def backend():
    b = TcpBackend("one")
    yield b
    b.stop()


def run_to_exit(argv, what, timeout=10):
    """Runs an engine that must exit by itself; one still running after `timeout` is killed."""
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail("%s: the engine was still running after %d s" % (what, timeout))


def test_second_engine_on_a_taken_vip_fails_with_address_in_use(backend, tmp_path):
    port = free_port()
    first = Engine("octane", one_backend_config(port, backend, tmp_path / "a.sock"))
    second = Engine("octane", one_backend_config(port, backend, tmp_path / "b.sock"))
    try:
        p = first.start(wait_socket=tmp_path / "a.sock")
        r = run_to_exit(second.command(), "second engine on a taken VIP:port")
        assert r.returncode != 0, "a second engine started on a taken VIP:port"
        assert "Address already in use" in r.stderr + r.stdout, r.stderr
        assert p.poll() is None
        for _ in range(20):  # every connection still reaches the first engine's backend
            assert tcp_hello(port) == "one"
    finally:
        first.stop()
        second.stop()


def test_engine_that_cannot_drop_root_exits(backend, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root: the engine changes user only when started as root")
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("setpriv (util-linux) is required to start the engine without CAP_SETUID")
    port = free_port()
    config = one_backend_config(port, backend, tmp_path / "s.sock", "    user nobody\n    group nogroup\n")
    eng = Engine("octane", config)
    try:
        # Root without CAP_SETUID and CAP_SETGID: setgroups/setgid/setuid fail with EPERM.
        argv = [setpriv, "--bounding-set", "-setuid,-setgid", "--inh-caps", "-setuid,-setgid",
                *eng.command()]
        r = run_to_exit(argv, "engine unable to drop root")
        assert r.returncode != 0, "the engine kept running as root: " + r.stderr
        assert "[ALERT]" in r.stderr and "Operation not permitted" in r.stderr, r.stderr
        # With the capabilities it drops to nobody and serves.
        ok = Engine("octane", config.replace(str(tmp_path / "s.sock"), str(tmp_path / "t.sock")))
        try:
            p = ok.start(wait_socket=tmp_path / "t.sock")
            with open("/proc/%d/status" % p.pid) as f:
                uids = next(line for line in f if line.startswith("Uid:")).split()[1:]
            assert set(uids) == {str(int(subprocess.check_output(["id", "-u", "nobody"])))}
        finally:
            ok.stop()
    finally:
        eng.stop()


def fetch_listener_fds(pid, as_uid=None):
    """Connects to the engine's @octane-proxy-<pid> hand-over socket (as `as_uid` when given, in a
    child process) and returns how many descriptors it was sent before the end or a close."""
    script = r"""
import array, os, socket, sys
uid = int(sys.argv[2])
if uid >= 0:
    os.setgid(uid); os.setuid(uid)
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(5)
s.connect("\0octane-proxy-" + sys.argv[1])
count = 0
for _ in range(4096):
    data, anc, _, _ = s.recvmsg(256, socket.CMSG_SPACE(4))
    if not data or data == b"end":
        break
    for level, kind, payload in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            count += len(array.array("i", payload))
print(count)
"""
    uid = -1 if as_uid is None else as_uid
    r = subprocess.run(["/usr/bin/python3", "-c", script, str(pid), str(uid)],
                       capture_output=True, text=True, timeout=10)
    assert r.returncode == 0, r.stderr
    return int(r.stdout)


def test_listener_hand_over_refuses_another_user(backend, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root: the test connects once as root and once as user nobody")
    port = free_port()
    engine = Engine("octane", one_backend_config(port, backend, tmp_path / "a.sock"))
    try:
        p = engine.start(wait_socket=tmp_path / "a.sock")
        assert fetch_listener_fds(p.pid) >= 1, "root (the engine's own user) gets the listeners"
        assert fetch_listener_fds(p.pid, as_uid=65534) == 0, "user nobody got a listening socket"
        assert tcp_hello(port) == "one"
    finally:
        engine.stop()
