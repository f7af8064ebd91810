"""allowed_cidrs enforced on a linuxbridge amphora, with the real `openstack` CLI.

An HTTP member (python3 -m http.server) on `selfservice`, two clients on `provider` reaching the
VIP through a floating IP (the router DNATs without SNAT, so the amphora sees each client's own
address). `listener create --allowed-cidr <client a>/32`: a answers, b's connection is dropped;
`listener set --allowed-cidr <client b>/32`: the other way round; `listener unset
--allowed-cidrs`: both. The amphora's namespace holds Octavia's nftables table throughout.

Needs root (namespaces, netlink, nftables): skipped, with the reason printed, when not root.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import octane_server as h  # noqa: E402
from netns_probe import run, ruleset, wait_until  # noqa: E402
from octane_hosts import Octane  # noqa: E402
from openstack_cli import Cli  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0,
                                reason="needs root: creates network namespaces, devices, nftables")

# A refused client's SYN is dropped, not answered: curl gives up after this.
REFUSED_AFTER_S = "3"


def curl(client_ns: str, url: str, max_time: str = "10"):
    return run("ip", "netns", "exec", client_ns, "curl", "-sS", "-o", "/dev/null", "-w",
               "%{http_code}", "-m", max_time, url, check=False, timeout=30)


def answers(client_ns: str, url: str) -> bool:
    done = curl(client_ns, url)
    return done.returncode == 0 and done.stdout == "200"


def refused(client_ns: str, url: str) -> bool:
    done = curl(client_ns, url, REFUSED_AFTER_S)
    return done.returncode == 28 and done.stdout == "000"  # 28: timed out, nothing answered


@pytest.fixture()
def world():
    work = tempfile.mkdtemp(prefix="octane-cidrs-e2e-")
    state = os.path.join(work, "state")
    server = h.OctaneProcess("serve", state, plain=True, extra_args=[
        "--network-driver", "linuxbridge", "--health-bind-port", "0",
        "--bind-host", "127.0.0.1", "--bind-port", "0"])
    octane = Octane(state)
    try:
        server.start()
        yield work, state, octane
    finally:
        server.stop(check=False)
        octane("network", "teardown", check=False)
        shutil.rmtree(work, ignore_errors=True)


def test_allowed_cidrs_through_a_floating_ip(world):
    work, state, octane = world
    cli = Cli(h.read_openrc(os.path.join(state, "admin-openrc")))
    web = octane.web_member("web", "selfservice", 2, os.path.join(work, "www"), "member\n")
    client_a = octane.host_create("client-a", "provider", 1)
    client_b = octane.host_create("client-b", "provider", 2)
    a, b = client_a["namespace"], client_b["namespace"]

    def active(what: str):
        wait_until(lambda: cli.json("loadbalancer", "show", "lb")["provisioning_status"] ==
                   "ACTIVE", what)

    lb = cli.json("loadbalancer", "create", "--name", "lb", "--vip-subnet-id", "selfservice")
    active("load balancer ACTIVE")
    cli.json("loadbalancer", "listener", "create", "--name", "web", "--protocol", "HTTP",
             "--protocol-port", "80", "--allowed-cidr", client_a["address"] + "/32", lb["id"])
    active("listener applied")
    cli.json("loadbalancer", "pool", "create", "--name", "web-pool", "--lb-algorithm",
             "ROUND_ROBIN", "--listener", "web", "--protocol", "HTTP")
    active("pool applied")
    cli.json("loadbalancer", "member", "create", "--subnet-id", "selfservice", "--address",
             web["address"], "--protocol-port", "80", "web-pool")
    active("member applied")
    fip = cli.json("floating", "ip", "create", "provider")["floating_ip_address"]
    vip_port = cli.run("loadbalancer", "show", lb["id"], "-c", "vip_port_id", "-f",
                       "value").stdout.strip()
    cli.run("floating", "ip", "set", "--port", vip_port, fip)
    url = "http://%s/" % fip

    amphora = [x for x in cli.json("loadbalancer", "amphora", "list", "--loadbalancer", lb["id"])
               if x["status"] == "ALLOCATED"][0]
    engine_ns = "amphora-haproxy-" + amphora["id"]
    table = ruleset(engine_ns)
    assert "table inet amphora_table" in table
    assert "ip saddr %s tcp dport 80 accept" % client_a["address"] in table, table

    wait_until(lambda: answers(a, url), "client a through the floating IP")
    assert refused(b, url)

    cli.run("loadbalancer", "listener", "set", "--allowed-cidr", client_b["address"] + "/32",
            "web")
    active("allowed_cidrs replaced")
    assert cli.json("loadbalancer", "listener", "show", "web")["allowed_cidrs"] == \
        client_b["address"] + "/32"
    assert answers(b, url)
    assert refused(a, url)

    cli.run("loadbalancer", "listener", "unset", "--allowed-cidrs", "web")
    active("allowed_cidrs cleared")
    assert answers(a, url)
    assert answers(b, url)
    assert "ip saddr" not in ruleset(engine_ns).split("amphora_vip_chain")[1]

    cli.run("loadbalancer", "delete", "--cascade", "lb")
    wait_until(lambda: not [x for x in cli.json("loadbalancer", "list") if x["id"] == lb["id"]],
               "load balancer gone")
    cli.run("floating", "ip", "delete", fip)
    for name in ("web", "client-a", "client-b"):
        octane("host", "delete", name)
