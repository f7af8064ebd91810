"""Issue 13 item 4: amphorae on simulated compute hosts, reached only over lb-mgmt-net.

`octane serve --network-driver linuxbridge` (root). An HTTP member on selfservice, a load
balancer with listener 8093 and a floating IP; from a client namespace on `provider` traffic flows
through the floating IP. Then:

- the boundary: the amphora's disk (its agent's --state-dir) is a tmpfs in the amphora's own mount
  namespace; from the controller process's mount namespace the directory is an empty mount point,
  while the agent sees its haproxy.cfg and config drive there;
- `octane host-agent disable <the amphora's host>`: the load balancer goes PENDING_UPDATE, then
  ACTIVE with its amphora on the other host, traffic through the floating IP comes back within a
  bound, nothing is left on the disabled host; new load balancers never land there;
- `octane host-agent enable`: the host takes amphorae again;
- with `[nova] anti_affinity_policy = soft-anti-affinity`, an ACTIVE_STANDBY pair on two hosts is
  drained too: the replacement shares the last enabled host with its peer (the default, hard
  anti-affinity, leaves such a pair where it is: unit-tested in evacuation_plan_test).

Needs root (namespaces, netlink, nftables, mounts): skipped, with the reason printed, when not root.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time

import pytest

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import database_choice  # noqa: E402
import octane_server as h  # noqa: E402
from netns_probe import run, namespaces, wait_until  # noqa: E402
from octane_hosts import Octane, linuxbridge_world  # noqa: E402
from openstack_cli import Cli  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0,
                                reason="needs root: creates network namespaces, devices, mounts")

PORT = "8093"  # a listener port of its own: parallel serves share the first VIPs
TRAFFIC_BACK_S = 20.0  # disable -> a health-check pass (3 s) -> failover -> traffic again
POLL_S = 0.02


@pytest.fixture()
def world():
    with linuxbridge_world("octane-evac-e2e-") as made:
        yield made


def fetch(client_ns: str, url: str) -> str:
    return run("ip", "netns", "exec", client_ns, "curl", "-s", "-m", "2", url, check=False,
               timeout=10).stdout


def host_agents(octane: Octane) -> dict[str, tuple[str, int]]:
    """host -> (enabled|disabled, ALLOCATED amphorae there), from `octane host-agent list`."""
    out = octane("host-agent", "list").stdout
    return {f[0]: (f[1], int(f[2])) for f in (line.split() for line in out.splitlines()) if f}


def lb_status(state: str, lb_id: str) -> str:
    rows = database_choice.query(
        state, "SELECT provisioning_status FROM load_balancers WHERE id = '%s'" % lb_id)
    return rows[0][0] if rows else ""


def allocated(cli: Cli, lb_id: str) -> list[dict]:
    return cli.allocated_amphorae(lb_id)


def active(cli: Cli, name: str) -> bool:
    return cli.json("loadbalancer", "show", name)["provisioning_status"] == "ACTIVE"


def new_lb(cli: Cli, name: str) -> dict:
    lb = cli.json("loadbalancer", "create", "--name", name, "--vip-subnet-id", "selfservice")
    wait_until(lambda: active(cli, name), name + " ACTIVE")
    [amphora] = allocated(cli, lb["id"])
    return amphora


def web_load_balancer(cli: Cli, member_address: str, client_ns: str, reply: str, *flags):
    """Load balancer `lb` (HTTP listener, ROUND_ROBIN pool, one member) behind a new floating
    IP; returns (load balancer, floating IP, URL) once the URL answers `reply`."""
    lb = cli.json("loadbalancer", "create", "--name", "lb", "--vip-subnet-id", "selfservice",
                  *flags)
    wait_until(lambda: active(cli, "lb"), "load balancer ACTIVE", timeout=120)
    cli.json("loadbalancer", "listener", "create", "--name", "web", "--protocol", "HTTP",
             "--protocol-port", PORT, lb["id"])
    wait_until(lambda: active(cli, "lb"), "listener applied")
    cli.json("loadbalancer", "pool", "create", "--name", "web-pool", "--lb-algorithm",
             "ROUND_ROBIN", "--listener", "web", "--protocol", "HTTP")
    wait_until(lambda: active(cli, "lb"), "pool applied")
    cli.json("loadbalancer", "member", "create", "--subnet-id", "selfservice", "--address",
             member_address, "--protocol-port", "80", "web-pool")
    wait_until(lambda: active(cli, "lb"), "member applied")
    fip = cli.json("floating", "ip", "create", "provider")["floating_ip_address"]
    vip_port = cli.json("loadbalancer", "show", "lb")["vip_port_id"]
    cli.run("floating", "ip", "set", "--port", vip_port, fip)
    url = "http://%s:%s/" % (fip, PORT)
    wait_until(lambda: reply in fetch(client_ns, url), "traffic through the FIP")
    return lb, fip, url


def agent_pid(amphora: dict) -> int:
    host, pid, port = amphora["compute_id"].split(":")
    assert host == amphora["cached_zone"] and port == "9443", amphora
    return int(pid)


def test_host_evacuation(world):
    work, state, server, octane = world
    cli = Cli(h.read_openrc(os.path.join(state, "admin-openrc")))

    member = octane.web_member("web", "selfservice", 2, os.path.join(work, "site"),
                               "member-of-evacuation\n")
    client_ns = octane.host_create("client", "provider", 1)["namespace"]
    assert set(host_agents(octane)) == {"host-1", "host-2"}

    lb, fip, url = web_load_balancer(cli, member["address"], client_ns, "member-of-evacuation")

    [old] = allocated(cli, lb["id"])
    drained = old["cached_zone"]
    assert drained in ("host-1", "host-2") and old["compute_flavor"] == "simulated-host"
    assert host_agents(octane)[drained] == ("enabled", 1)

    # The boundary: the agent's files exist only in the amphora's own mount namespace.
    pid = agent_pid(old)
    disk = os.path.join(state, "compute", drained, "disks", old["id"])
    assert os.readlink("/proc/%d/ns/mnt" % pid) != os.readlink("/proc/%d/ns/mnt" % server.pid)
    assert os.listdir("/proc/%d/root%s" % (server.pid, disk)) == []
    inside = "/proc/%d/root%s" % (pid, disk)
    assert os.path.exists(os.path.join(inside, lb["id"], "haproxy.cfg"))
    assert {"server.crt", "server.key", "client_ca.pem"} <= set(
        os.listdir(os.path.join(inside, "etc")))
    assert not os.path.exists(os.path.join(state, "amphorae", old["id"]))

    # Drain the host: one failover, traffic again through the same floating IP.
    disabled_at = time.monotonic()
    octane("host-agent", "disable", drained)
    assert host_agents(octane)[drained][0] == "disabled"
    seen = []
    deadline = disabled_at + 60
    while time.monotonic() < deadline:
        status = lb_status(state, lb["id"])
        if not seen or seen[-1] != status:
            seen.append(status)
        if "PENDING_UPDATE" in seen and status == "ACTIVE":
            break
        time.sleep(POLL_S)
    assert "PENDING_UPDATE" in seen and seen[-1] == "ACTIVE", seen
    assert set(seen) == {"ACTIVE", "PENDING_UPDATE"}, seen
    back = wait_until(lambda: "member-of-evacuation" in fetch(client_ns, url) and time.monotonic(),
                      "traffic after the drain", timeout=TRAFFIC_BACK_S)
    print("traffic back %.2f s after `host-agent disable`" % (back - disabled_at))
    [new] = allocated(cli, lb["id"])
    assert new["id"] != old["id"] and new["cached_zone"] != drained
    assert database_choice.query(
        state, "SELECT status FROM amphorae WHERE id = '%s'" % old["id"]) == [("DELETED",)]
    assert host_agents(octane)[drained] == ("disabled", 0)
    assert not {"amphora-" + old["id"], "amphora-haproxy-" + old["id"]} & namespaces()
    assert not os.path.exists(disk)
    assert not os.path.exists("/proc/%d" % pid) or old["id"] not in h.process_argv(pid)

    # No new amphora on the disabled host (round robin would alternate between the two).
    for name in ("lb2", "lb3"):
        assert new_lb(cli, name)["cached_zone"] != drained

    # Enabled again: the host takes amphorae (the next two alternate over both hosts).
    octane("host-agent", "enable", drained)
    assert host_agents(octane)[drained][0] == "enabled"
    zones = {new_lb(cli, name)["cached_zone"] for name in ("lb4", "lb5")}
    assert drained in zones
    assert "member-of-evacuation" in fetch(client_ns, url)

    for name in ("lb", "lb2", "lb3", "lb4", "lb5"):
        cli.run("loadbalancer", "delete", "--cascade", name)
    wait_until(lambda: not cli.json("loadbalancer", "list"), "load balancers gone")
    cli.run("floating", "ip", "delete", fip)
    left = namespaces()
    assert not [n for n in left if n.startswith("amphora-")], left
    for host in ("host-1", "host-2"):
        assert os.listdir(os.path.join(state, "compute", host, "disks")) == []
        assert os.listdir(os.path.join(state, "compute", host, "servers")) == []


def test_soft_anti_affinity_drains_a_pair_onto_the_last_host():
    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", prefix="octane-evac-soft-",
                                       delete=False)
    with conf:
        conf.write("[nova]\nanti_affinity_policy = soft-anti-affinity\n")
    try:
        with linuxbridge_world("octane-evac-soft-", ["--config-file", conf.name]) as made:
            drain_pair(*made)
    finally:
        os.unlink(conf.name)


def drain_pair(work, state, server, octane):
    cli = Cli(h.read_openrc(os.path.join(state, "admin-openrc")))
    member = octane.web_member("web", "selfservice", 2, os.path.join(work, "site"),
                               "member-of-the-pair\n")
    client_ns = octane.host_create("client", "provider", 1)["namespace"]
    cli.json("loadbalancer", "flavorprofile", "create", "--name", "fp-pair", "--provider",
             "amphora", "--flavor-data", '{"loadbalancer_topology": "ACTIVE_STANDBY"}')
    cli.json("loadbalancer", "flavor", "create", "--name", "pair", "--flavorprofile", "fp-pair",
             "--enable")
    lb, fip, url = web_load_balancer(cli, member["address"], client_ns, "member-of-the-pair",
                                     "--flavor", "pair")

    pair = allocated(cli, lb["id"])
    # Soft anti-affinity still spreads the pair while it can.
    assert sorted(a["cached_zone"] for a in pair) == ["host-1", "host-2"], pair
    leaving = next(a for a in pair if a["cached_zone"] == "host-1")

    octane("host-agent", "disable", "host-1")

    def drained():
        if not active(cli, "lb"):
            return None  # the failover is under way: amphorae come and go
        now = allocated(cli, lb["id"])
        return len(now) == 2 and {a["cached_zone"] for a in now} == {"host-2"} and now

    now = wait_until(drained, "the pair on host-2", timeout=90)
    assert sorted(a["role"] for a in now) == ["BACKUP", "MASTER"], now
    assert leaving["id"] not in {a["id"] for a in now}
    assert host_agents(octane)["host-1"] == ("disabled", 0)
    wait_until(lambda: "member-of-the-pair" in fetch(client_ns, url), "traffic after the drain",
               timeout=TRAFFIC_BACK_S)

    cli.run("loadbalancer", "delete", "--cascade", "lb")
    wait_until(lambda: not cli.json("loadbalancer", "list"), "load balancer gone")
    cli.run("floating", "ip", "delete", fip)
