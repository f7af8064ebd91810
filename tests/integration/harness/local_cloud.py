"""`octane serve` with local amphorae for traffic tests: fast heartbeats and failover, member
addresses taken from Neutron ports of `selfservice` (as member VMs would have them)."""
from __future__ import annotations

import contextlib
import socket

import octane_server as h


@contextlib.contextmanager
def traffic_cloud(state: str):
    """Heartbeats every second, failover after 3 s of silence; local amphorae stopped after."""
    srv = h.OctaneProcess("serve", state, plain=True, extra_args=[
        "--bind-host", "127.0.0.1", "--bind-port", "0", "--health-bind-port", "0",
        "--heartbeat-interval", "1", "--heartbeat-timeout", "3", "--health-check-interval", "1"])
    srv.start()
    try:
        yield srv
    finally:
        try:
            srv.stop()
        finally:
            h.stop_local_amphorae(state)


def member_addresses(api, count: int, prefix: str = "member-vm") -> list[str]:
    """Addresses of new Neutron ports on selfservice (so IPAM never hands them to a VIP); `api`
    has get(path) and post(path, body) returning requests responses."""
    nets = api.get("/networking/v2.0/networks?name=selfservice").json()["networks"]
    assert len(nets) == 1, nets
    addresses = []
    for i in range(count):
        r = api.post("/networking/v2.0/ports", {"port": {
            "network_id": nets[0]["id"], "name": "%s-%d" % (prefix, i + 1)}})
        assert r.status_code == 201, r.text
        addresses.append(r.json()["port"]["fixed_ips"][0]["ip_address"])
    return addresses


def port_free_on(address: str, port: int, kind: int = socket.SOCK_STREAM) -> bool:
    with socket.socket(socket.AF_INET, kind) as s:
        try:
            s.bind((address, port))
            return True
        except OSError:
            return False
