"""SOURCE_IP_PORT end to end: the API takes the pool, the worker renders it, a local amphora's
octane-proxy serves it (docs/haproxy-dialect.md §3). Octavia's amphora provider refuses this
algorithm (501); Octane serves it for TCP-family listeners.

Three loopback members answer each connection with their name. One client address connects from
many source ports (bound explicitly, closed with a reset so a port can connect again at once):
the ports spread over the members, and one port keeps its member.
"""
from __future__ import annotations

import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import octane_server as h  # noqa: E402
from name_server import NameServer  # noqa: E402

WAIT_S = 30.0
PORTS = 30  # distinct source ports; all on one member of three by chance: 3 * 3**-30


def member_of(vip: str, port: int, src_port: int) -> str:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.settimeout(5)
        s.bind(("127.0.0.1", src_port))
        s.connect((vip, port))
        return s.makefile("rb").readline().strip().decode()


def free_ports(n: int) -> list[int]:
    held = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            held.append(s)
        return [s.getsockname()[1] for s in held]
    finally:
        for s in held:
            s.close()


def test_source_ip_port_pool_spreads_ports_and_keeps_a_port_on_its_member(cloud):
    _srv, client = cloud
    subnet = client.get("/networking/v2.0/subnets?name=selfservice").json["subnets"][0]["id"]
    members = [NameServer("127.10.255.%d" % (240 + i), 0, n)
               for i, n in enumerate(("one", "two", "three"))]
    try:
        r = client.post(h.LB, {"loadbalancer": {
            "name": "sip", "vip_subnet_id": subnet,
            "listeners": [{"name": "sip-l", "protocol": "TCP", "protocol_port": 8090,
                           "default_pool": {"name": "sip-p", "protocol": "TCP",
                                            "lb_algorithm": "SOURCE_IP_PORT",
                                            "members": [{"address": m.address,
                                                         "protocol_port": m.port}
                                                        for m in members]}}]}})
        assert r.status == 201, r
        lb = r.json["loadbalancer"]
        lb_path = "%s/%s" % (h.LB, lb["id"])
        h.wait_for_status(client, lb_path, "provisioning_status", "ACTIVE", timeout=WAIT_S)
        pool = client.get(h.POOLS, params={"name": "sip-p"}).json["pools"][0]
        assert pool["lb_algorithm"] == "SOURCE_IP_PORT"

        ports = free_ports(PORTS)
        first = {p: member_of(lb["vip_address"], 8090, p) for p in ports}
        assert len(set(first.values())) >= 2, first
        for p in ports[:5]:
            assert [member_of(lb["vip_address"], 8090, p) for _ in range(3)] == [first[p]] * 3

        r = client.delete(lb_path, params={"cascade": "true"})
        assert r.status == 204, r
        h.wait_gone(client, lb_path, timeout=WAIT_S)
    finally:
        for m in members:
            m.stop()
