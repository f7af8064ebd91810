"""Acceptance of issue 10: the seed's whole walk-through on the `linuxbridge` network driver.

`octane serve --network-driver linuxbridge` (root) realises the built-in Neutron subset on this
machine: simulated compute hosts (namespaces octane-host-N) joined by an underlay, `selfservice` as
a VXLAN segment (vxlan-<vni> on each host's brq<11>), `provider` flat, the first-start `router`
(qrouter-<id>, qr-/qg-, nftables NAT), amphorae in amphora-<id> (agent on <mgmt ip>:9443) and
amphora-haproxy-<id> (eth1 with the VRRP port address and the VIP /32). Two instances run a real
OpenSSH sshd, one per compute host, so traffic crosses VXLAN. With the real `openstack` CLI: the
seed's load balancer, listener lb-ssh TCP:22, ROUND_ROBIN pool lb-ssh-pool, two members, a floating
IP on the VIP port; from a client namespace on `provider`, `ssh <fip> ip addr show` twice lands on
one member, then the other. kill -9 of the amphora: failover on the same VIP port, the same two
logins work again through the same floating IP. Cascade delete, floating IP delete and host
deletes leave no namespace, device or nft rule of theirs.

Needs root (namespaces, netlink, nftables): skipped, with the reason printed, when not root.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sys

import pytest

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import octane_server as h  # noqa: E402
from netns_probe import run, namespaces, links, addresses, ruleset, wait_until  # noqa: E402
from octane_hosts import linuxbridge_world  # noqa: E402
from openstack_cli import Cli  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0,
                                reason="needs root: creates network namespaces, devices, nftables")

SSH_TIMEOUT_S = 30


class Sshd:
    """A real OpenSSH server for one instance: own host key, the test's key authorised."""

    def __init__(self, work: str, name: str, client_pub: str):
        self.dir = os.path.join(work, "sshd-" + name)
        os.makedirs(self.dir)
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", os.path.join(self.dir, "host_key"))
        shutil.copy(client_pub, os.path.join(self.dir, "authorized_keys"))
        self.config = os.path.join(self.dir, "sshd_config")
        with open(self.config, "w") as f:
            f.write("\n".join([
                "Port 22", "ListenAddress 0.0.0.0",
                "HostKey " + os.path.join(self.dir, "host_key"),
                "PidFile " + os.path.join(self.dir, "sshd.pid"),
                "AuthorizedKeysFile " + os.path.join(self.dir, "authorized_keys"),
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no",
                "StrictModes no", "PermitRootLogin prohibit-password", ""]))
        os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege separation directory

    def command(self) -> list[str]:
        return ["/usr/sbin/sshd", "-D", "-e", "-f", self.config]


def ssh_ip_addr(client_ns: str, key: str, fip: str) -> str:
    return run("ip", "netns", "exec", client_ns, "ssh", "-i", key, "-o", "BatchMode=yes",
               "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
               "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR",
               "root@" + fip, "ip", "addr", "show", timeout=SSH_TIMEOUT_S).stdout


def member_of(output: str, members: dict[str, str]) -> str:
    found = [name for name, address in members.items()
             if re.search(r"inet %s/\d+" % re.escape(address), output)]
    assert len(found) == 1, "expected one member's address in:\n" + output
    return found[0]


@pytest.fixture()
def world():
    with linuxbridge_world("octane-lb-e2e-", ["--heartbeat-timeout", "3", "--heartbeat-interval", "1"]) as made:
        yield made


def test_seed_on_linuxbridge(world):
    work, state, server, octane = world
    cli = Cli(h.read_openrc(os.path.join(state, "admin-openrc")))

    key = os.path.join(work, "demo_rsa")
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key)
    members = {}
    for name, host in (("instance02", 1), ("instance03", 2)):
        sshd = Sshd(work, name, key + ".pub")
        members[name] = octane.host_create(name, "selfservice", host, *sshd.command())["address"]
    client = octane.host_create("client", "provider", 1)
    client_ns = client["namespace"]

    # The seed's commands, verbatim.
    lb = cli.json("loadbalancer", "create", "--name", "lb", "--vip-subnet-id", "selfservice")
    assert lb["provisioning_status"] == "PENDING_CREATE"
    wait_until(lambda: cli.json("loadbalancer", "show", "lb")["provisioning_status"] == "ACTIVE",
               "load balancer ACTIVE")
    cli.json("loadbalancer", "listener", "create", "--name", "lb-ssh", "--protocol", "TCP",
             "--protocol-port", "22", lb["id"])
    wait_until(lambda: cli.json("loadbalancer", "show", "lb")["provisioning_status"] == "ACTIVE",
               "listener applied")
    cli.json("loadbalancer", "pool", "create", "--name", "lb-ssh-pool", "--lb-algorithm",
             "ROUND_ROBIN", "--listener", "lb-ssh", "--protocol", "TCP")
    for address in members.values():
        wait_until(lambda: cli.json("loadbalancer", "show", "lb")["provisioning_status"] == "ACTIVE",
                   "pool applied")
        cli.json("loadbalancer", "member", "create", "--subnet-id", "selfservice", "--address",
                 address, "--protocol-port", "22", "lb-ssh-pool")
    wait_until(lambda: cli.json("loadbalancer", "show", "lb")["provisioning_status"] == "ACTIVE",
               "members applied")
    fip = cli.json("floating", "ip", "create", "provider")["floating_ip_address"]
    vip_port = cli.run("loadbalancer", "show", lb["id"], "-c", "vip_port_id", "-f",
                       "value").stdout.strip()
    cli.run("floating", "ip", "set", "--port", vip_port, fip)

    # The seed's picture: the amphora and its namespaces.
    amphora = wait_until(lambda: [a for a in cli.json("loadbalancer", "amphora", "list",
                                                        "--loadbalancer", lb["id"])
                                  if a["status"] == "ALLOCATED"], "amphora")[0]
    shown = cli.json("loadbalancer", "amphora", "show", amphora["id"])
    assert shown["ha_ip"] == lb["vip_address"]
    assert shown["vrrp_ip"] and shown["vrrp_ip"] != lb["vip_address"]
    engine_ns = "amphora-haproxy-" + amphora["id"]
    assert {engine_ns, "amphora-" + amphora["id"]} <= namespaces()
    prefix = cli.json("subnet", "show", "selfservice")["cidr"].split("/")[1]
    assert set(addresses(engine_ns, "eth1")) == {shown["vrrp_ip"] + "/" + prefix,
                                                 lb["vip_address"] + "/32"}
    ca = os.path.join(state, "pki")
    agent = run("curl", "-sS", "-k", "--cert", os.path.join(ca, "client.pem"), "-m", "10",
                "https://%s:9443" % shown["lb_network_ip"]).stdout
    assert json.loads(agent) == {"api_version": "1.0"}
    network_id = cli.json("network", "show", "selfservice")["id"]
    host_ns = "octane-host-" + shown["cached_zone"].split("-")[1]
    host_links = links(host_ns)
    bridge = "brq" + network_id[:11]
    tap = "tap" + shown["vrrp_port_id"][:11]
    assert host_links[tap]["master"] == bridge
    vxlans = [n for n, l in host_links.items()
              if l.get("linkinfo", {}).get("info_kind") == "vxlan" and l.get("master") == bridge]
    assert len(vxlans) == 1 and re.fullmatch(r"vxlan-\d+", vxlans[0])
    vni = int(vxlans[0].split("-")[1])
    assert host_links[vxlans[0]]["linkinfo"]["info_data"]["id"] == vni

    # Round robin through the floating IP: one member, then the other.
    first = member_of(ssh_ip_addr(client_ns, key, fip), members)
    second = member_of(ssh_ip_addr(client_ns, key, fip), members)
    assert {first, second} == set(members)

    # kill -9 of the amphora: failover on the same VIP port, the floating IP keeps working.
    for ns in (engine_ns, "amphora-" + amphora["id"]):
        for pid in run("ip", "netns", "pids", ns).stdout.split():
            os.kill(int(pid), 9)
    replacement = wait_until(
        lambda: [a for a in cli.json("loadbalancer", "amphora", "list", "--loadbalancer", lb["id"])
                 if a["status"] == "ALLOCATED" and a["id"] != amphora["id"]], "failover")[0]
    wait_until(lambda: cli.json("loadbalancer", "show", "lb")["provisioning_status"] == "ACTIVE",
               "failover done")
    replacement = cli.json("loadbalancer", "amphora", "show", replacement["id"])
    assert replacement["ha_ip"] == lb["vip_address"]
    assert replacement["vrrp_port_id"] != shown["vrrp_port_id"]
    assert cli.json("loadbalancer", "show", "lb")["vip_port_id"] == vip_port
    assert "amphora-haproxy-" + amphora["id"] not in namespaces()
    first = member_of(ssh_ip_addr(client_ns, key, fip), members)
    second = member_of(ssh_ip_addr(client_ns, key, fip), members)
    assert {first, second} == set(members)

    # Everything goes with what it belongs to.
    router = cli.json("router", "show", "router")
    router_ns = "qrouter-" + router["id"]
    assert "dnat to " + lb["vip_address"] in ruleset(router_ns)
    cli.run("loadbalancer", "delete", "--cascade", "lb")
    wait_until(lambda: not [x for x in cli.json("loadbalancer", "list") if x["id"] == lb["id"]],
               "load balancer gone")
    cli.run("floating", "ip", "delete", fip)
    for name in (*members, "client"):
        octane("host", "delete", name)
    left = namespaces()
    assert not [n for n in left if n.startswith(("amphora-", "octane-vm-"))], left
    assert fip not in ruleset(router_ns) and lb["vip_address"] not in ruleset(router_ns)
    assert fip + "/32" not in [a for dev in links(router_ns) if dev.startswith("qg-")
                               for a in addresses(router_ns, dev)]
    for n in range(1, 3):
        for name in links("octane-host-%d" % n):
            assert not name.startswith(tuple("tap" + p[:11] for p in (
                shown["vrrp_port_id"], replacement["vrrp_port_id"],
                client["port_id"]))), name
