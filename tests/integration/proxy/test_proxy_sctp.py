"""octane-proxy --lvs with `protocol SCTP` (docs/amphora.md §5): one-to-one associations relayed
to SCTP members, spread by the scheduler, checked with SCTP associations. On a kernel without
SCTP (socket() gives EPROTONOSUPPORT) the engine refuses to start saying so, and the traffic test
skips saying "kernel lacks SCTP"."""
import socket
import subprocess

import pytest

from proxy_harness import proxy_binary, show_stat, wait_until
from udp_harness import (LvsEngine, SctpEcho, free_udp_port, lvs_config, sctp_socket,
                         sctp_supported)


def ask(c, payload=b"q"):
    c.sendall(payload)
    return c.recv(65536).split(b":", 1)[0].decode()


def test_without_kernel_sctp_the_engine_says_so(tmp_path):
    if sctp_supported():
        pytest.skip("the kernel has SCTP: the traffic test below runs instead")
    cfg = tmp_path / "lvs.cfg"
    cfg.write_text(lvs_config(free_udp_port(), [("m1", 1000)], protocol="SCTP"))
    out = subprocess.run([proxy_binary(), "-db", "--lvs", str(cfg)], capture_output=True,
                         text=True, timeout=10)
    assert out.returncode == 1
    assert "kernel lacks SCTP" in out.stderr, out.stderr


@pytest.mark.skipif(not sctp_supported(), reason="kernel lacks SCTP")
def test_sctp_associations_spread_and_move(tmp_path):
    members = [SctpEcho("m1"), SctpEcho("m2")]
    port = free_udp_port()
    e = LvsEngine(tmp_path, lvs_config(port, [("m1", members[0].port), ("m2", members[1].port)],
                                       protocol="SCTP"))
    e.start()
    clients = []
    try:
        for _ in range(4):
            c = sctp_socket()
            c.settimeout(5)
            c.connect(("127.0.0.1", port))
            clients.append(c)
        placed = [ask(c) for c in clients]
        assert set(placed) == {"m1", "m2"}, placed
        for c, first in zip(clients, placed):
            assert [ask(c, b"%d" % i) for i in range(3)] == [first] * 3
        members[0].stop()
        wait_until(lambda: show_stat(e.sock)[("pool-1:listener-1", "m1")]["status"] == "DOWN",
                   10, "m1 DOWN")
        with sctp_socket() as c:
            c.settimeout(5)
            c.connect(("127.0.0.1", port))
            assert ask(c) == "m2"
    finally:
        for c in clients:
            c.close()
        e.stop()
        for m in members:
            m.stop()
