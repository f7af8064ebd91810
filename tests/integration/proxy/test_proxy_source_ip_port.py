"""SOURCE_IP_PORT through a real engine on loopback: the backend the renderer writes for it
(`<rule> set-var(txn.src_port) src_port` + `balance hash src,concat(:,txn.src_port)`,
docs/haproxy-dialect.md §3) spreads the connections of one client address over the members by
source port, keeps one source port on one member, and rehashes onto the others when a member goes
into maintenance. HAProxy 2.6 runs the same file, as a reference for the behaviour.

Clients bind their source port explicitly and close with a reset (SO_LINGER 0), so the same
port can connect again at once without a TIME_WAIT in the way.
"""
import socket
import struct

import pytest

from proxy_harness import (HttpBackend, TcpBackend, defaults_section, free_port, http_get, running,
                           show_stat, stats_command)

MEMBERS = ("one", "two", "three")
PORTS = 30  # distinct source ports; all on one member of three by chance: 3 * 3**-30


def config(mode, key_rule, backends):
    def make(port, sock):
        servers = "".join(f"    server {b.name.decode()} 127.0.0.1:{b.port} weight 1\n"
                          for b in backends)
        return f"""
global
    maxconn 2000
    stats socket {sock} mode 600 level admin
{defaults_section(mode)}frontend fe
    bind 127.0.0.1:{port}
    default_backend be
backend be
    {key_rule} set-var(txn.src_port) src_port
    balance hash src,concat(:,txn.src_port)
{servers}"""
    return make


def client_socket(src_port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.settimeout(5)
    s.bind(("127.0.0.1", src_port))
    return s


def tcp_member(port, src_port):
    with client_socket(src_port) as s:
        s.connect(("127.0.0.1", port))
        return s.makefile("rb").readline().strip().decode()


def http_member(port, src_port):
    with client_socket(src_port) as s:
        s.connect(("127.0.0.1", port))
        status, _, body = http_get(port, "/", sock=s)
        assert status == 200, body
        return body.split(" ")[0]


def source_ports(n):
    """n distinct ports free right now (bound by nobody on 127.0.0.1)."""
    ports = set()
    for _ in range(n * 10):
        ports.add(free_port())
        if len(ports) == n:
            return sorted(ports)
    raise AssertionError("not enough free ports")


CASES = [
    pytest.param("tcp", "tcp-request content", TcpBackend, tcp_member, id="tcp"),
    pytest.param("http", "http-request", HttpBackend, http_member, id="http"),
]


@pytest.mark.parametrize("kind", ["octane", "haproxy"])
@pytest.mark.parametrize("mode,key_rule,backend_cls,member", CASES)
def test_ports_spread_and_one_port_sticks(kind, mode, key_rule, backend_cls, member, tmp_path):
    backends = [backend_cls(name) for name in MEMBERS]
    try:
        with running(kind, config(mode, key_rule, backends), tmp_path) as (port, _):
            ports = source_ports(PORTS)
            first = {p: member(port, p) for p in ports}
            used = set(first.values())
            assert len(used) >= 2, first
            # The same source port again, several times: the same member every time.
            for p in ports[:5]:
                assert [member(port, p) for _ in range(4)] == [first[p]] * 4, (p, first[p])
            sock = str(tmp_path / "s.sock")
            if kind == "octane":
                rows = show_stat(sock)
                assert rows[("be", "BACKEND")]["algo"] == "hash"
                total = sum(int(rows[("be", n)]["stot"]) for n in MEMBERS)
                assert total == PORTS + 5 * 4
            # A member in maintenance: its ports rehash onto the others, still one member a port.
            gone = first[ports[0]]
            stats_command(sock, f"disable server be/{gone}")
            after = {p: member(port, p) for p in ports}
            assert gone not in after.values(), after
            assert len(set(after.values())) == 2, after
            assert [member(port, ports[0]) for _ in range(3)] == [after[ports[0]]] * 3
    finally:
        for b in backends:
            b.stop()
