"""Routers with the real `openstack` CLI against `octane serve` defaults (built-in identity and
networking): `router create/show/list/set --external-gateway/unset --external-gateway/set --route/unset
--route/add subnet/remove subnet/delete`, the first-start router, and floating IP association that needs a
router between the port's subnet and the external network (404 without one, as Neutron)."""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import octane_server as h  # noqa: E402
from openstack_cli import Cli  # noqa: E402

@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    state = str(tmp_path_factory.mktemp("octane-routers"))
    srv = h.OctaneProcess("serve", state, plain=True,
                          extra_args=["--bind-host", "127.0.0.1", "--bind-port", "0",
                                      "--amphora-driver", "noop"])
    srv.start()
    try:
        yield Cli(h.read_openrc(os.path.join(state, "admin-openrc")))
    finally:
        srv.stop()


def test_first_start_router(cli):
    provider = cli.json("network", "show", "provider")
    selfservice = cli.json("subnet", "show", "selfservice")
    listed = cli.json("router", "list")
    assert [r["Name"] for r in listed] == ["router"]
    shown = cli.json("router", "show", "router")
    assert shown["external_gateway_info"]["network_id"] == provider["id"]
    assert shown["interfaces_info"] == [{"port_id": shown["interfaces_info"][0]["port_id"],
                                         "ip_address": selfservice["gateway_ip"],
                                         "subnet_id": selfservice["id"]}]


def test_router_commands_and_floating_ip_association(cli):
    provider = cli.json("network", "show", "provider")
    net = cli.json("network", "create", "cli-net")
    sub = cli.json("subnet", "create", "--network", "cli-net", "--subnet-range", "10.77.0.0/24",
                   "cli-sub")
    port = cli.json("port", "create", "--network", "cli-net", "cli-port")
    fip = cli.json("floating", "ip", "create", "provider")

    # No router joins cli-sub to provider: Neutron's 404, with its wording.
    refused = cli.run("floating", "ip", "set", "--port", port["id"], fip["id"], check=False)
    assert refused.returncode != 0
    expected = ("External network %s is not reachable from subnet %s.  Therefore, cannot associate "
                "Port %s with a Floating IP." % (provider["id"], sub["id"], port["id"]))
    assert expected in refused.stderr, refused.stderr
    assert cli.json("floating", "ip", "show", fip["id"])["port_id"] is None

    router = cli.json("router", "create", "cli-router")
    assert router["external_gateway_info"] is None and router["status"] == "ACTIVE"
    cli.run("router", "set", "--external-gateway", "provider", "cli-router")
    shown = cli.json("router", "show", "cli-router")
    gateway = shown["external_gateway_info"]
    assert gateway["network_id"] == provider["id"] and gateway["enable_snat"] is True
    assert gateway["external_fixed_ips"][0]["ip_address"].startswith("127.20.")
    cli.run("router", "add", "subnet", "cli-router", "cli-sub")
    shown = cli.json("router", "show", "cli-router")
    assert [i["ip_address"] for i in shown["interfaces_info"]] == [sub["gateway_ip"]]
    assert "cli-router" in [r["Name"] for r in cli.json("router", "list")]
    route = "destination=192.168.77.0/24,gateway=10.77.0.9"
    cli.run("router", "set", "--route", route, "cli-router")
    assert cli.json("router", "show", "cli-router")["routes"] == [
        {"destination": "192.168.77.0/24", "nexthop": "10.77.0.9"}]
    cli.run("router", "unset", "--route", route, "cli-router")
    assert cli.json("router", "show", "cli-router")["routes"] == []

    cli.run("floating", "ip", "set", "--port", port["id"], fip["id"])
    associated = cli.json("floating", "ip", "show", fip["id"])
    assert associated["port_id"] == port["id"]
    assert associated["router_id"] == router["id"]
    assert associated["fixed_ip_address"] == port["fixed_ips"][0]["ip_address"]

    # What the floating IP needs cannot go; the router's ports cannot be deleted directly.
    removed = cli.run("router", "remove", "subnet", "cli-router", "cli-sub", check=False)
    assert removed.returncode != 0 and "required by one or more floating IPs" in removed.stderr
    unset = cli.run("router", "unset", "--external-gateway", "cli-router", check=False)
    assert unset.returncode != 0 and "Gateway cannot be updated for router" in unset.stderr
    deleted = cli.run("router", "delete", "cli-router", check=False)
    assert deleted.returncode != 0
    assert "Router %s has ports still attached" % router["id"] in deleted.stderr
    interface = shown["interfaces_info"][0]["port_id"]
    port_delete = cli.run("port", "delete", interface, check=False)
    assert port_delete.returncode != 0
    assert "has device owner network:router_interface" in port_delete.stderr
    network_delete = cli.run("network", "delete", "cli-net", check=False)
    assert network_delete.returncode != 0

    cli.run("floating", "ip", "unset", "--port", fip["id"])
    assert cli.json("floating", "ip", "show", fip["id"])["router_id"] is None
    cli.run("router", "remove", "subnet", "cli-router", "cli-sub")
    assert cli.json("router", "show", "cli-router")["interfaces_info"] == []
    cli.run("router", "unset", "--external-gateway", "cli-router")
    assert cli.json("router", "show", "cli-router")["external_gateway_info"] is None
    cli.run("router", "delete", "cli-router")
    assert "cli-router" not in [r["Name"] for r in cli.json("router", "list")]
    cli.run("floating", "ip", "delete", fip["id"])
    cli.run("port", "delete", "cli-port")
    cli.run("subnet", "delete", "cli-sub")
    cli.run("network", "delete", net["id"])
