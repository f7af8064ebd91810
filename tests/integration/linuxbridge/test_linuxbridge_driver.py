"""The linuxbridge network driver on this machine (root): refusal without privileges, the
unreachable safety routes, reconciliation both ways at start, and 100 create/delete cycles of a
load balancer with a floating IP leaving nothing behind.

Needs root (namespaces, netlink, nftables): skipped, with the reason printed, when not root.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import uuid

import pytest

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import octane_server as h  # noqa: E402
from netns_probe import links, namespaces, run  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0,
                                reason="needs root: creates network namespaces, devices, nftables")

CYCLES = 100
MGMT_CIDR = "10.0.0.0/24"


def link_names(ns: str) -> list[str]:
    return list(links(ns))


def serve(state: str) -> h.OctaneProcess:
    return h.OctaneProcess("serve", state, plain=True, extra_args=[
        "--network-driver", "linuxbridge", "--health-bind-port", "0", "--bind-host", "127.0.0.1",
        "--bind-port", "0"])


def octane(state: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run(h.octane_binary(), *args[:2], "--state-dir", state, *args[2:], check=check)


@pytest.fixture()
def state():
    work = tempfile.mkdtemp(prefix="octane-lb-")
    path = os.path.join(work, "state")
    try:
        yield path
    finally:
        octane(path, "network", "teardown", check=False)
        shutil.rmtree(work, ignore_errors=True)


def test_serve_refuses_without_net_admin_naming_what_is_missing(state):
    proc = run("setpriv", "--inh-caps=-net_admin,-sys_admin", "--bounding-set=-net_admin,-sys_admin",
               h.octane_binary(), "serve", "--state-dir", state, "--network-driver", "linuxbridge",
               "--bind-port", "0", check=False, timeout=30)
    assert proc.returncode != 0
    assert "CAP_NET_ADMIN" in proc.stderr + proc.stdout and "CAP_SYS_ADMIN" in proc.stderr + proc.stdout
    assert not [n for n in namespaces() if n.startswith("octane-")]


def test_unreachable_route_keeps_management_traffic_local_and_start_repairs_both_ways(state):
    server = serve(state).start()
    try:
        routes = run("ip", "-j", "route", "show", MGMT_CIDR).stdout
        kinds = {(r.get("type", "unicast"), r.get("dev")) for r in json.loads(routes)}
        assert ("unreachable", None) in kinds and ("unicast", "o-hm0") in kinds
        web = octane(state, "host", "create", "web", "--network", "selfservice", "--host", "2").stdout
        port_id = dict(line.split(None, 1) for line in web.splitlines())["port_id"]
        tap = "tap" + port_id[:11]
        assert tap in link_names("octane-host-2")
        server.kill9()
    except BaseException:
        server.stop(check=False)
        raise
    # A missing device fails locally instead of leaving by the default route.
    run("ip", "link", "del", "o-hm0")
    probe = run("ip", "route", "get", "10.0.0.77", check=False)
    assert probe.returncode != 0 and "no route to host" in probe.stderr.lower()  # EHOSTUNREACH
    # Leftovers of a crash: an amphora nobody knows (with a process inside), a stray tap.
    stray = "amphora-" + str(uuid.uuid4())
    run("ip", "netns", "add", stray)
    sleeper = subprocess.Popen(["ip", "netns", "exec", stray, "sleep", "300"])
    run("ip", "-n", "octane-host-1", "link", "add", "tapdeadbeef-00", "type", "veth", "peer",
        "name", "strayveth0")
    run("ip", "-n", "octane-host-2", "link", "del", tap)
    server = serve(state).start()
    try:
        assert "o-hm0" in link_names("")
        assert stray not in namespaces()
        assert sleeper.wait(timeout=10) != 0  # killed with its namespace
        assert "tapdeadbeef-00" not in link_names("octane-host-1")
        names = link_names("octane-host-2")
        assert names.count(tap) == 1 and "octane-vm-web" in namespaces()
        assert run("ip", "route", "get", "10.0.0.77").returncode == 0
        octane(state, "host", "delete", "web")
        assert "octane-vm-web" not in namespaces() and tap not in link_names("octane-host-2")
    finally:
        server.stop(check=False)


def test_hundred_load_balancers_with_floating_ips_leave_nothing_behind(state):
    server = serve(state).start()
    try:
        env = h.read_openrc(os.path.join(state, "admin-openrc"))
        c = h.Client(server.base_url, token=h.keystone_token(server.base_url, env))
        net = "/networking/v2.0"
        provider = c.get(net + "/networks", params={"name": "provider"}).json["networks"][0]["id"]
        selfservice = c.get(net + "/subnets", params={"name": "selfservice"}).json["subnets"][0]["id"]
        router_id = c.get(net + "/routers", params={"name": "router"}).json["routers"][0]["id"]
        router_ns = "qrouter-" + router_id

        database = os.path.join(state, "octane.db")

        def rows(sql: str) -> int:
            with sqlite3.connect(database) as db:
                return db.execute(sql).fetchone()[0]

        def counts():
            ports = c.get(net + "/ports").json["ports"]
            fips = c.get(net + "/floatingips").json["floatingips"]
            table = run("ip", "netns", "exec", router_ns, "nft", "list", "ruleset").stdout
            return {"ports": len(ports), "fips": len(fips), "dnat": table.count("dnat to"),
                    "namespaces": sorted(namespaces()),
                    "host1": sorted(link_names("octane-host-1")),
                    "host2": sorted(link_names("octane-host-2")),
                    "allocations": rows("SELECT COUNT(*) FROM net_ip_allocations"),
                    "leases": rows("SELECT COUNT(*) FROM work_leases"),
                    "segments": rows("SELECT COUNT(*) FROM lb_network_segments"),
                    "amphorae": rows("SELECT COUNT(*) FROM amphorae WHERE status != 'DELETED'")}

        before = counts()
        for cycle in range(CYCLES):
            lb = c.post("/v2/lbaas/loadbalancers", {"loadbalancer": {
                "name": "cycle-%d" % cycle, "vip_subnet_id": selfservice}})
            assert lb.status == 201, lb
            lb = lb.json["loadbalancer"]
            h.wait_for_status(c, "/v2/lbaas/loadbalancers/" + lb["id"], "provisioning_status",
                              "ACTIVE")
            fip = c.post(net + "/floatingips", {"floatingip": {
                "floating_network_id": provider, "port_id": lb["vip_port_id"]}})
            assert fip.status == 201, fip
            fip = fip.json["floatingip"]
            assert fip["router_id"] == router_id
            table = run("ip", "netns", "exec", router_ns, "nft", "list", "ruleset").stdout
            assert "ip daddr %s dnat to %s" % (fip["floating_ip_address"], lb["vip_address"]) in table
            assert c.delete(net + "/floatingips/" + fip["id"]).status == 204
            assert c.delete("/v2/lbaas/loadbalancers/" + lb["id"],
                            params={"cascade": "true"}).status == 204
            h.wait_gone(c, "/v2/lbaas/loadbalancers/" + lb["id"])
        assert counts() == before
    finally:
        server.stop(check=False)


def test_root_namespace_on_provider_only_when_the_operator_asks(state):
    os.makedirs(state, exist_ok=True)
    config = os.path.join(state, "octane.conf")
    with open(config, "w") as f:
        f.write("[linuxbridge]\nattach_root_to_provider = true\n")
    server = h.OctaneProcess("serve", state, plain=True, extra_args=[
        "--config-file", config, "--network-driver", "linuxbridge", "--health-bind-port", "0",
        "--bind-host", "127.0.0.1", "--bind-port", "0"]).start()
    try:
        info = json.loads(run("ip", "-j", "addr", "show", "dev", "o-ex0").stdout)[0]
        address = [a for a in info["addr_info"] if a["family"] == "inet"][0]
        assert address["local"].startswith("172.16.0.") and address["prefixlen"] == 24
        routes = json.loads(run("ip", "-j", "route", "show", "172.16.0.0/24").stdout)
        assert {r.get("type", "unicast") for r in routes} == {"unicast", "unreachable"}
        env = h.read_openrc(os.path.join(state, "admin-openrc"))
        c = h.Client(server.base_url, token=h.keystone_token(server.base_url, env))
        router = c.get("/networking/v2.0/routers", params={"name": "router"}).json["routers"][0]
        gateway = router["external_gateway_info"]["external_fixed_ips"][0]["ip_address"]
        # The router's gateway address answers from the host's shell: refused (no listener there)
        # proves the path, a timeout would not.
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((gateway, 9), timeout=5)
    finally:
        server.stop(check=False)
    server = serve(state).start()  # the option gone: so is the port
    try:
        assert "o-ex0" not in link_names("")
    finally:
        server.stop(check=False)
