"""Stick tables replicated between two engines (`peers` section, HAProxy's peers protocol):
an entry learned by one engine steers the other's traffic, a restarted engine gets the table
back, a reload keeps it, and HAProxy 2.6 is a peer as good as another octane engine."""
import os
import re
import socket

import pytest

from proxy_harness import (HAPROXY, Engine, HttpBackend, TcpBackend, backend_pair,
                           defaults_section, free_port, http_get, stats_command, wait_until)

ADDRESS = {"A": "127.0.0.2", "B": "127.0.0.3"}


# SOURCE_IP and APP_COOKIE persistence as Octavia renders them (tables of ip / string keys).
PERSISTENCE = {
    "tcp": "    stick-table type ip size 10k peers pp\n    stick on src\n",
    "http": "    stick-table type string len 64 size 10k peers pp\n"
            "    stick store-response res.cook(JSESSIONID)\n"
            "    stick match req.cook(JSESSIONID)\n",
}


def config(name, port, peer_port, backends, sock, mode="tcp"):
    servers = "\n".join(f"    server {b.name.decode()} 127.0.0.1:{b.port}" for b in backends)
    return f"""
global
    stats socket {sock} mode 600 level admin
{defaults_section(mode)}peers pp
    peer A {ADDRESS['A']}:{peer_port}
    peer B {ADDRESS['B']}:{peer_port}
listen lb
    bind {ADDRESS[name]}:{port}
    balance roundrobin
{PERSISTENCE[mode]}{servers}
"""


class Peer:
    """One engine of the pair: its process, stats socket and address."""

    def __init__(self, name, kind, port, peer_port, backends, tmp_path, mode="tcp"):
        self.name, self.kind, self.port = name, kind, port
        self.sock = str(tmp_path / f"{name}.sock")
        self.config = config(name, port, peer_port, backends, self.sock, mode)
        self.engine = Engine(kind, self.config, extra_args=["-L", name])
        self.proc = None

    def restart(self):
        """A new process of the same engine (not a reload: it starts with an empty table)."""
        self.engine.stop()
        self.engine = Engine(self.kind, self.config, extra_args=["-L", self.name])
        return self.start()

    def start(self, extra=()):
        self.proc = self.engine.start(extra=extra, wait_socket=self.sock)
        return self.proc

    def member(self, source):
        """The backend member a client from 127.0.0.`source` reaches through this engine."""
        with socket.socket() as s:
            s.settimeout(5)
            s.bind((f"127.0.0.{source}", 0))
            s.connect((ADDRESS[self.name], self.port))
            data = b""
            while not data.endswith(b"\n"):
                d = s.recv(64)
                assert d, f"{self.kind} {self.name} closed the connection"
                data += d
            return data.decode().strip()

    def http(self, path, cookie=None):
        """(member, Set-Cookie) of one HTTP request through this engine."""
        s = socket.create_connection((ADDRESS[self.name], self.port), timeout=5)
        with s:
            _, hdrs, body = http_get(self.port, path,
                                     {"Cookie": cookie} if cookie else None, sock=s)
        return body.split(" ")[0], hdrs.get("set-cookie", "")

    def table(self):
        """client address -> member name, from `show table lb` (same format on both engines)."""
        out = stats_command(self.sock, "show table lb")
        return dict(re.findall(r"key=(\S+) .*?server_key=(\S+)", out))


@pytest.fixture
def pair(request, tmp_path):
    """Starts engines A and B of the kinds the test is parametrized with; stops them after."""
    kinds = getattr(request, "param", ("octane", "octane"))
    mode = "http" if request.node.get_closest_marker("http") else "tcp"
    if "haproxy" in kinds:
        assert os.path.exists(HAPROXY), "haproxy is missing (scripts/install-deps.sh installs it)"
    port, peer_port = free_port(), free_port()
    with backend_pair(HttpBackend if mode == "http" else TcpBackend) as backends:
        peers = {n: Peer(n, k, port, peer_port, backends, tmp_path, mode)
                 for n, k in zip("AB", kinds)}
        try:
            yield peers
        finally:
            for p in peers.values():
                p.engine.stop()


def learn_entries(a):
    """Three clients through A land on both members (round robin): {source: member}. The third
    repeats a member: HAProxy then sends its server_key as a cached dictionary id only."""
    learned = {10: a.member(10), 11: a.member(11), 12: a.member(12)}
    assert sorted(set(learned.values())) == ["one", "two"] and learned[12] == learned[10], learned
    return learned


def wait_replicated(b, learned):
    want = {f"127.0.0.{s}": m for s, m in learned.items()}
    wait_until(lambda: all(b.table().get(k) == v for k, v in want.items()), 10,
               f"{b.kind} {b.name} to learn {want} (has {b.table()})")


def check_b_follows_a(b, learned):
    """B's own round robin would give its next client the member opposite to its first pick;
    the client whose replicated entry names that first pick must get it anyway."""
    first = b.member(20)
    source = next(s for s, m in learned.items() if m == first)
    assert b.member(source) == first
    # B's round robin was not consulted: a new client still gets the other member.
    assert b.member(21) != first


KINDS = [("octane", "octane"), ("octane", "haproxy"), ("haproxy", "octane")]


@pytest.mark.parametrize("restart_b", [False, True], ids=["running", "restarted"])
@pytest.mark.parametrize("pair", KINDS, indirect=True, ids=["-".join(k) for k in KINDS])
def test_entry_learned_on_a_steers_b(pair, restart_b):
    """With restart_b, B is a new process once A's entries reached the old one: it gets them
    back from A (a BACKUP rebuilt after a failover)."""
    a, b = pair["A"], pair["B"]
    a.start()
    b.start()
    learned = learn_entries(a)
    wait_replicated(b, learned)
    if restart_b:
        b.restart()
        wait_replicated(b, learned)
    check_b_follows_a(b, learned)


def test_reload_keeps_the_table(pair):
    """The new process learns the table from the old one (B is down: nobody else has it)."""
    a = pair["A"]
    old = a.start()
    learned = learn_entries(a)
    new = a.start(extra=["-sf", str(old.pid)])
    old.wait(timeout=10)
    assert new.poll() is None
    wait_replicated(a, learned)
    assert all(a.member(s) == m for s, m in learned.items())


@pytest.mark.http
@pytest.mark.parametrize("pair", KINDS, indirect=True, ids=["-".join(k) for k in KINDS])
def test_app_cookie_sessions_follow_their_member_on_b(pair):
    """APP_COOKIE: the session cookie a member set through A (string keys) steers B."""
    a, b = pair["A"], pair["B"]
    a.start()
    b.start()
    owners = {}
    for _ in range(2):
        member, cookie = a.http("/login")
        owners[cookie.split(";")[0]] = member
    assert sorted(owners.values()) == ["one", "two"], owners
    wait_until(lambda: b.table() == {c.split("=", 1)[1]: m for c, m in owners.items()}, 10,
               f"{b.kind} B to learn the sessions (has {b.table()})")
    first = b.http("/")[0]  # B's round robin; its next pick is the other member
    cookie = next(c for c, m in owners.items() if m == first)
    assert b.http("/app", cookie)[0] == first


def haproxy_view_of(haproxy, name):
    """(rx_hbt, no_hbt, proto_err) of peer `name` in HAProxy's `show peers`."""
    out = stats_command(haproxy.sock, "show peers")
    m = re.search(rf"id={name}\(remote,\w+\)[^\n]*\n[^\n]*rx_hbt=(\d+) no_hbt=(\d+) "
                  r"new_conn=\d+ proto_err=(\d+)", out)
    assert m, out
    return tuple(map(int, m.groups()))


@pytest.mark.parametrize("pair", [("octane", "haproxy")], indirect=True, ids=["octane-haproxy"])
def test_idle_session_lives_on_heartbeats(pair):
    """HAProxy drops a peer it has not heard from for 5 s (no_hbt): an idle octane peer must send
    heartbeats, and nothing it sent was a protocol error to HAProxy."""
    a, b = pair["A"], pair["B"]
    a.start()
    b.start()
    learn_entries(a)
    wait_until(lambda: haproxy_view_of(b, "A")[0] >= 3, 20, "three heartbeats from octane")
    rx_hbt, no_hbt, proto_err = haproxy_view_of(b, "A")
    assert (no_hbt, proto_err) == (0, 0)


def test_unbindable_peer_address_leaves_tables_local(tmp_path):
    """Replication is worth less than the traffic: our peer line on an address this host does
    not have is a warning, and the engine serves with a local table."""
    with backend_pair(TcpBackend) as backends:
        a = Peer("A", "octane", free_port(), free_port(), backends, tmp_path)
        a.engine.stop()
        # The first occurrence is the peer line (the peers section comes before the listener).
        a.engine = Engine("octane", a.config.replace(ADDRESS["A"] + ":", "192.0.2.1:", 1),
                          extra_args=["-L", "A"])
        try:
            a.start()
            learn_entries(a)
            assert "192.0.2.1" in a.engine.log() and "stay local" in a.engine.log()
            assert len(a.table()) == 3
        finally:
            a.engine.stop()
