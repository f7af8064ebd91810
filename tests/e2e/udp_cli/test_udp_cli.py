"""Acceptance of issue 12's UDP part: a UDP listener on a local amphora with the real CLI.

`octane serve` with its defaults (local amphorae; the agent runs `octane-proxy --lvs` on the
keepalived LVS file the controller renders, docs/amphora.md §5), heartbeats every second. Two
members are UDP echo servers on addresses of Neutron ports of `selfservice`, started here:
  - `listener create --protocol UDP --protocol-port 53`, a UDP ROUND_ROBIN pool, two members,
    `healthmonitor create --type UDP-CONNECT`: everything ACTIVE, the LVS file on the amphora;
  - datagrams from one source stick to one member, different sources spread over both;
  - members ONLINE through the heartbeat; a stopped member goes ERROR (`member show`), the pool
    DEGRADED, and its flows move to the other member;
  - the amphora is never failed over for serving UDP; `loadbalancer stats show` counts the flows;
  - kill -9 of the amphora's agent and engine: a new amphora serves the UDP VIP;
  - deleting the load balancer stops its engines.
"""
from __future__ import annotations

import os
import signal
import socket
import sys

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "seed_traffic"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "integration", "proxy"))
import octane_server as h  # noqa: E402
from test_seed_traffic import (Api, Cli, amphora_of, cloud, member_addresses,  # noqa: E402,F401
                               port_free_on, wait_for_statuses, wait_until)
from udp_harness import SctpEcho, UdpEcho, sctp_supported  # noqa: E402

LISTEN_PORT = 53


def ask(client: socket.socket, vip: str, port: int, payload: bytes = b"q") -> str:
    client.sendto(payload, (vip, port))
    data, peer = client.recvfrom(65536)
    assert peer == (vip, port), peer
    return data.split(b":", 1)[0].decode()


def answered(vip: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
        c.settimeout(0.5)
        try:
            return ask(c, vip, port) in ("member-1", "member-2")
        except OSError:
            return False


def test_udp_listener_with_the_cli(cloud):
    env = h.read_openrc(os.path.join(cloud.state_dir, "admin-openrc"))
    cli = Cli(env)
    api = Api(cloud.base_url, env)
    addresses = member_addresses(api, 2)
    servers = [UdpEcho("member-1", address=addresses[0])]
    servers.append(UdpEcho("member-2", port=servers[0].port, address=addresses[1]))
    try:
        run(cloud, cli, api, servers)
    finally:
        for s in servers:
            s.stop()


def run(cloud, cli: Cli, api: Api, servers: list[UdpEcho]):
    member_port = servers[0].port
    lb = cli.json("loadbalancer", "create", "--name", "dns-lb", "--vip-subnet-id", "selfservice")
    lb_id, vip = lb["id"], lb["vip_address"]
    api.wait_active("/v2.0/lbaas/loadbalancers/" + lb_id, "loadbalancer")
    amphora = amphora_of(api, lb_id)
    port = LISTEN_PORT if port_free_on(vip, LISTEN_PORT, socket.SOCK_DGRAM) else member_port + 1
    listener = cli.json("loadbalancer", "listener", "create", "--name", "dns", "--protocol",
                        "UDP", "--protocol-port", str(port), lb_id)
    api.wait_active("/v2.0/lbaas/listeners/" + listener["id"], "listener")
    pool = cli.json("loadbalancer", "pool", "create", "--name", "dns-pool", "--lb-algorithm",
                    "ROUND_ROBIN", "--listener", "dns", "--protocol", "UDP")
    api.wait_active("/v2.0/lbaas/pools/" + pool["id"], "pool")
    members = {}
    for server in servers:
        member = cli.json("loadbalancer", "member", "create", "--subnet-id", "selfservice",
                          "--address", server.address, "--protocol-port", str(member_port),
                          "dns-pool")
        members[server.address] = member["id"]
        api.wait_active("/v2.0/lbaas/pools/%s/members/%s" % (pool["id"], member["id"]), "member")
    hm = cli.json("loadbalancer", "healthmonitor", "create", "--delay", "3", "--timeout", "1",
                  "--max-retries", "1", "--max-retries-down", "1", "--type", "UDP-CONNECT",
                  "dns-pool")
    api.wait_active("/v2.0/lbaas/healthmonitors/" + hm["id"], "healthmonitor")
    api.wait_active("/v2.0/lbaas/loadbalancers/" + lb_id, "loadbalancer")

    # What the amphora received: Octavia's keepalived LVS file for the listener.
    with open(os.path.join(cloud.state_dir, "amphorae", amphora["id"], listener["id"],
                           "lvs.cfg")) as f:
        config = f.read()
    assert "virtual_server group ipv4-group {" in config, config
    assert "    %s %d\n" % (vip, port) in config, config
    assert "    protocol UDP\n" in config and "    lb_algo wrr\n" in config, config
    for server in servers:
        assert "real_server %s %d {" % (server.address, member_port) in config, config
        assert "udp_check.sh %s %d\"" % (server.address, member_port) in config, config

    wait_until("the VIP answering", lambda: answered(vip, port))
    # One source sticks to one member; different sources spread over both.
    seen = set()
    for _ in range(6):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
            c.settimeout(2)
            first = ask(c, vip, port)
            assert [ask(c, vip, port, b"%d" % i) for i in range(4)] == [first] * 4
            seen.add(first)
    assert seen == {"member-1", "member-2"}, seen

    wait_for_statuses(api, lb_id, "both members ONLINE",
                      lambda t: all(v == "ONLINE" for v in t.values()))

    # A stopped member: ERROR through the UDP-CONNECT monitor, and its flows move.
    clients = []
    for _ in range(4):
        c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        c.settimeout(2)
        clients.append(c)
    try:
        placed = [ask(c, vip, port) for c in clients]
        assert set(placed) == {"member-1", "member-2"}, placed
        live, stopped = servers
        stopped.stop()
        expected = {"lb": "DEGRADED", "listener": "ONLINE", "pool": "DEGRADED",
                    "member:" + live.address: "ONLINE", "member:" + stopped.address: "ERROR"}
        wait_for_statuses(api, lb_id, "the stopped member ERROR", lambda t: t == expected)
        shown = cli.json("loadbalancer", "member", "show", "dns-pool", members[stopped.address])
        assert shown["operating_status"] == "ERROR", shown
        assert [ask(c, vip, port) for c in clients] == ["member-1"] * 4
    finally:
        for c in clients:
            c.close()

    # The heartbeat carries the UDP listener (also before it had a pool): never failed over,
    # and its flows are counted.
    assert amphora_of(api, lb_id)["id"] == amphora["id"]
    stats = wait_until("UDP flows in the statistics", lambda: (
        lambda s: s if s["total_connections"] >= 10 else None)(
            cli.json("loadbalancer", "stats", "show", lb_id)))
    assert stats["bytes_in"] > 0 and stats["bytes_out"] > 0, stats

    # kill -9 of the amphora's agent and UDP engine: a new amphora serves the VIP again.
    agent = int(amphora["compute_id"].split(":")[1])
    with open(os.path.join(cloud.state_dir, "amphorae", amphora["id"], listener["id"],
                           "haproxy.pid")) as f:
        engine = int(f.read().strip())
    assert "--lvs" in h.process_argv(engine), h.process_argv(engine)
    os.kill(engine, signal.SIGKILL)
    os.kill(agent, signal.SIGKILL)
    wait_until("the killed processes gone", lambda: h.process_gone(agent) and
               h.process_gone(engine))
    wait_until("the VIP answering after failover", lambda: answered(vip, port))
    api.wait_active("/v2.0/lbaas/loadbalancers/" + lb_id, "loadbalancer")
    assert amphora_of(api, lb_id)["id"] != amphora["id"]

    # Deleting the load balancer stops its engines.
    cli.run("loadbalancer", "delete", "--cascade", lb_id)
    wait_until("the VIP silent", lambda: not answered(vip, port))


def sctp_ask(vip: str, port: int) -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_SCTP) as c:
        c.settimeout(2)
        c.connect((vip, port))
        c.sendall(b"q")
        return c.recv(65536).split(b":", 1)[0].decode()


def test_sctp_listener_with_the_cli(cloud):
    """With kernel SCTP: associations spread over two SCTP members and a stopped member goes
    ERROR through the SCTP monitor. Without it, the listener goes ERROR (its engine refuses to
    start saying "kernel lacks SCTP") and the load balancer stays ACTIVE with the amphora."""
    env = h.read_openrc(os.path.join(cloud.state_dir, "admin-openrc"))
    cli = Cli(env)
    api = Api(cloud.base_url, env)
    lb = cli.json("loadbalancer", "create", "--name", "sctp-lb", "--vip-subnet-id", "selfservice")
    lb_id, vip = lb["id"], lb["vip_address"]
    api.wait_active("/v2.0/lbaas/loadbalancers/" + lb_id, "loadbalancer")
    amphora = amphora_of(api, lb_id)
    listener = cli.json("loadbalancer", "listener", "create", "--name", "sctp", "--protocol",
                        "SCTP", "--protocol-port", "3868", lb_id)
    api.wait_active("/v2.0/lbaas/listeners/" + listener["id"], "listener")
    pool = cli.json("loadbalancer", "pool", "create", "--name", "sctp-pool", "--lb-algorithm",
                    "ROUND_ROBIN", "--listener", "sctp", "--protocol", "SCTP")
    if not sctp_supported():
        # Without a pool the LVS file has no virtual server, so the listener itself went ACTIVE;
        # the pool, which needs an SCTP socket on the VIP, goes ERROR.
        wait_until("the SCTP pool ERROR", lambda: api.status_of(
            "/v2.0/lbaas/pools/" + pool["id"], "pool") == "ERROR")
        api.wait_active("/v2.0/lbaas/loadbalancers/" + lb_id, "loadbalancer")
        log = os.path.join(cloud.state_dir, "amphorae", amphora["id"], listener["id"],
                           "engine.log")
        with open(log) as f:
            assert "kernel lacks SCTP" in f.read()
        assert amphora_of(api, lb_id)["id"] == amphora["id"]
        cli.run("loadbalancer", "delete", "--cascade", lb_id)
        return
    api.wait_active("/v2.0/lbaas/pools/" + pool["id"], "pool")
    addresses = member_addresses(api, 2)
    servers = [SctpEcho("member-1", address=addresses[0])]
    servers.append(SctpEcho("member-2", port=servers[0].port, address=addresses[1]))
    try:
        for server in servers:
            cli.json("loadbalancer", "member", "create", "--address", server.address,
                     "--protocol-port", str(server.port), "sctp-pool")
        cli.json("loadbalancer", "healthmonitor", "create", "--delay", "1", "--timeout", "1",
                 "--max-retries", "1", "--max-retries-down", "1", "--type", "SCTP", "sctp-pool")
        api.wait_active("/v2.0/lbaas/loadbalancers/" + lb_id, "loadbalancer")
        wait_until("the VIP answering", lambda: sctp_ask(vip, 3868))
        assert {sctp_ask(vip, 3868) for _ in range(6)} == {"member-1", "member-2"}
        servers[1].stop()
        wait_for_statuses(api, lb_id, "the stopped member ERROR",
                          lambda t: t.get("member:" + servers[1].address) == "ERROR")
        assert [sctp_ask(vip, 3868) for _ in range(4)] == ["member-1"] * 4
    finally:
        for s in servers:
            s.stop()
    cli.run("loadbalancer", "delete", "--cascade", lb_id)
