"""Acceptance of issue 5: the seed's load balancer carrying real traffic on one machine.

`octane serve` with its defaults (local amphorae: an `octane agent` process running octane-proxy
per amphora; built-in identity and networking), heartbeats every second and failover after 3 s
of silence. The seed's commands run with the real `openstack` CLI; two members are real TCP
servers answering with their own name, on addresses of Neutron ports of `selfservice` (as member
VMs would have). Then, in order:
  - the load balancer goes PENDING_CREATE -> ACTIVE; ten connections to the VIP alternate 1,2,1,2;
  - `loadbalancer status show` is ONLINE/NO_MONITOR and `loadbalancer stats show` counts exactly
    those ten connections and the bytes the members sent;
  - a TCP health monitor: both members ONLINE; a killed member goes ERROR and the pool DEGRADED,
    traffic goes only to the live one, and both come back when it returns;
  - kill -9 of the amphora's processes: a new amphora id, the same VIP, traffic again;
  - cascade delete: no process, file, socket or port left behind.
"""
from __future__ import annotations

import glob
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import octane_server as h  # noqa: E402
from local_cloud import member_addresses, port_free_on, traffic_cloud  # noqa: E402
from name_server import NameServer  # noqa: E402

OPENSTACK = "/usr/bin/openstack"
CLI_TIMEOUT_S = 90
DEADLINE_S = 20.0
POLL_S = 0.05
SEED_PORT = 22


def ask(address: str, port: int, timeout: float = 5.0) -> str:
    """One connection through the VIP: the name of the member that answered."""
    with socket.create_connection((address, port), timeout=timeout) as s:
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(256)
            if not chunk:
                break
            data += chunk
    return data.decode().strip()


def wait_until(what: str, predicate, deadline_s: float = DEADLINE_S, observe=None):
    """Polls predicate() until truthy; observe() (if given) describes the state on timeout."""
    deadline = time.monotonic() + deadline_s
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(POLL_S)
    raise AssertionError("timed out waiting for %s (last: %r)" % (
        what, observe() if observe else last))


def wait_for_statuses(api: "Api", lb_id: str, what: str, wanted):
    """Polls the status tree until wanted(statuses) holds."""
    return wait_until(what, lambda: wanted(tree_statuses(api, lb_id)),
                      observe=lambda: tree_statuses(api, lb_id))


class Api:
    """HTTP with a Keystone token from admin-openrc, for polling and checks."""

    def __init__(self, base: str, env: dict[str, str]):
        self.base = base
        self.headers = {"X-Auth-Token": h.keystone_token(base, env)}

    def get(self, path: str) -> requests.Response:
        return requests.get(self.base + path, headers=self.headers, timeout=10)

    def post(self, path: str, body: dict) -> requests.Response:
        return requests.post(self.base + path, headers=self.headers, json=body, timeout=10)

    def delete(self, path: str) -> requests.Response:
        return requests.delete(self.base + path, headers=self.headers, timeout=10)

    def status_of(self, path: str, key: str) -> str:
        r = self.get(path)
        assert r.status_code == 200, r.text
        return r.json()[key]["provisioning_status"]

    def wait_active(self, path: str, key: str) -> list[str]:
        """Polls until ACTIVE; returns the distinct statuses seen, in order."""
        seen: list[str] = []

        def active():
            status = self.status_of(path, key)
            if not seen or seen[-1] != status:
                seen.append(status)
            assert status == "ACTIVE" or status.startswith("PENDING_"), (path, status)
            return status == "ACTIVE"
        wait_until(path + " ACTIVE", active)
        return seen


class Cli:
    def __init__(self, env: dict[str, str]):
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        self.env.update(env)

    def run(self, *args: str) -> str:
        proc = subprocess.run([OPENSTACK, *args], env=self.env, capture_output=True, text=True,
                              timeout=CLI_TIMEOUT_S, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, "openstack %s -> %s\n%s%s" % (
            " ".join(args), proc.returncode, proc.stdout, proc.stderr)
        return proc.stdout

    def json(self, *args: str):
        return json.loads(self.run(*args, "-f", "json"))


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    with traffic_cloud(str(tmp_path_factory.mktemp("octane-traffic"))) as srv:
        yield srv


def amphora_of(api: Api, lb_id: str) -> dict:
    r = api.get("/v2/octavia/amphorae?loadbalancer_id=" + lb_id)
    assert r.status_code == 200, r.text
    live = [a for a in r.json()["amphorae"] if a["status"] not in ("DELETED",)]
    assert len(live) == 1, live
    return live[0]


def processes_of(state_dir: str, amphora: dict, lb_id: str) -> tuple[int, int]:
    """(agent PID from compute_id, engine PID from the agent's pid file)."""
    kind, pid, _port = amphora["compute_id"].split(":")
    assert kind == "local", amphora
    agent = int(pid)
    assert amphora["id"] in h.process_argv(agent), h.process_argv(agent)
    pid_file = os.path.join(state_dir, "amphorae", amphora["id"], lb_id, "haproxy.pid")
    with open(pid_file) as f:
        engine = int(f.read().strip())
    assert "octane-proxy" in " ".join(h.process_argv(engine)), h.process_argv(engine)
    return agent, engine


def tree_statuses(source, lb_id: str) -> dict[str, str]:
    """Operating statuses of the status tree: lb, listener, pool, member:<address>. From the CLI's
    `loadbalancer status show` (JSON by itself) or, when polling, from the API directly."""
    if isinstance(source, Cli):
        tree = json.loads(source.run("loadbalancer", "status", "show", lb_id))["loadbalancer"]
    else:
        r = source.get("/v2/lbaas/loadbalancers/%s/status" % lb_id)
        assert r.status_code == 200, r.text
        tree = r.json()["statuses"]["loadbalancer"]
    listener = tree["listeners"][0]
    pool = listener["pools"][0]
    out = {"lb": tree["operating_status"], "listener": listener["operating_status"],
           "pool": pool["operating_status"]}
    for member in pool["members"]:
        out["member:" + member["address"]] = member["operating_status"]
    return out


def alternates(names: list[str], expected: set[str]) -> bool:
    return set(names) == expected and all(a != b for a, b in zip(names, names[1:]))


def test_seed_load_balancer_carries_traffic(cloud):
    env = h.read_openrc(os.path.join(cloud.state_dir, "admin-openrc"))
    cli = Cli(env)
    api = Api(cloud.base_url, env)

    addresses = member_addresses(api, 2)
    port = SEED_PORT if all(port_free_on(a, SEED_PORT) for a in addresses) else 0
    servers = [NameServer(addresses[0], port, "member-1")]
    servers.append(NameServer(addresses[1], servers[0].port, "member-2"))
    member_port = servers[0].port
    try:
        run_seed(cloud, cli, api, servers, member_port)
    finally:
        for server in servers:
            server.stop()


def run_seed(cloud, cli: Cli, api: Api, servers: list[NameServer], member_port: int):
    lb = cli.json("loadbalancer", "create", "--name", "lb", "--vip-subnet-id", "selfservice")
    lb_id, vip = lb["id"], lb["vip_address"]
    assert lb["provisioning_status"] == "PENDING_CREATE", lb
    # The amphora boots in well under a second: often ACTIVE before the CLI has even exited.
    seen = api.wait_active("/v2.0/lbaas/loadbalancers/" + lb_id, "loadbalancer")
    assert set(seen) <= {"PENDING_CREATE", "ACTIVE"}, seen
    listen_port = SEED_PORT if port_free_on(vip, SEED_PORT) else member_port + 1

    listener = cli.json("loadbalancer", "listener", "create", "--name", "lb-ssh", "--protocol",
                        "TCP", "--protocol-port", str(listen_port), lb_id)
    api.wait_active("/v2.0/lbaas/listeners/" + listener["id"], "listener")
    pool = cli.json("loadbalancer", "pool", "create", "--name", "lb-ssh-pool", "--lb-algorithm",
                    "ROUND_ROBIN", "--listener", "lb-ssh", "--protocol", "TCP")
    api.wait_active("/v2.0/lbaas/pools/" + pool["id"], "pool")
    for server in servers:
        member = cli.json("loadbalancer", "member", "create", "--subnet-id", "selfservice",
                          "--address", server.address, "--protocol-port", str(member_port),
                          "lb-ssh-pool")
        api.wait_active("/v2.0/lbaas/pools/%s/members/%s" % (pool["id"], member["id"]), "member")
    api.wait_active("/v2.0/lbaas/loadbalancers/" + lb_id, "loadbalancer")

    # The seed's `cat /var/lib/octavia/<lb-id>/haproxy.cfg` moment.
    amphora = amphora_of(api, lb_id)
    with open(os.path.join(cloud.state_dir, "amphorae", amphora["id"], lb_id,
                           "haproxy.cfg")) as f:
        config = f.read()
    assert "frontend %s" % listener["id"] in config, config
    assert "bind %s:%d" % (vip, listen_port) in config, config
    for server in servers:
        assert " %s:%d " % (server.address, member_port) in config, config

    # The seed's check: successive connections land on alternate members.
    names = [ask(vip, listen_port) for _ in range(10)]
    assert alternates(names, {"member-1", "member-2"}), names
    sent_bytes = sum(len(n) + 1 for n in names)

    # Without a health monitor the members are NO_MONITOR, everything else ONLINE.
    statuses = tree_statuses(cli, lb_id)
    assert statuses == {"lb": "ONLINE", "listener": "ONLINE", "pool": "ONLINE",
                        "member:" + servers[0].address: "NO_MONITOR",
                        "member:" + servers[1].address: "NO_MONITOR"}, statuses

    # Statistics come from the engine's counters through the heartbeats.
    def counted():
        r = api.get("/v2/lbaas/loadbalancers/%s/stats" % lb_id)
        assert r.status_code == 200, r.text
        stats = r.json()["stats"]
        return stats if stats["total_connections"] >= 10 and stats["bytes_out"] >= sent_bytes \
            else None
    stats = wait_until("stats of the ten connections", counted)
    assert cli.json("loadbalancer", "stats", "show", lb_id) == stats
    assert stats == {"active_connections": 0, "bytes_in": 0, "bytes_out": sent_bytes,
                     "request_errors": 0, "total_connections": 10}, stats
    listener_stats = cli.json("loadbalancer", "listener", "stats", "show", listener["id"])
    assert listener_stats == stats, listener_stats

    # A TCP health monitor brings the members ONLINE; a killed member goes ERROR.
    hm = cli.json("loadbalancer", "healthmonitor", "create", "--delay", "1", "--timeout", "1",
                  "--max-retries", "1", "--max-retries-down", "1", "--type", "TCP",
                  "lb-ssh-pool")
    api.wait_active("/v2.0/lbaas/healthmonitors/" + hm["id"], "healthmonitor")
    live, killed = servers
    wait_for_statuses(api, lb_id, "both members ONLINE",
                      lambda t: all(v == "ONLINE" for v in t.values()))

    killed.stop()
    # As Octavia: the listener stays ONLINE (its frontend is OPEN), the pool and LB degrade.
    expected_degraded = {"lb": "DEGRADED", "listener": "ONLINE", "pool": "DEGRADED",
                         "member:" + live.address: "ONLINE", "member:" + killed.address: "ERROR"}
    wait_for_statuses(api, lb_id, "the killed member ERROR, pool DEGRADED",
                      lambda t: t == expected_degraded)
    assert tree_statuses(cli, lb_id) == expected_degraded
    names = [ask(vip, listen_port) for _ in range(6)]
    assert names == ["member-1"] * 6, names

    servers[1] = NameServer(killed.address, member_port, "member-2")
    wait_for_statuses(api, lb_id, "both members ONLINE again",
                      lambda t: all(v == "ONLINE" for v in t.values()))
    names = [ask(vip, listen_port) for _ in range(4)]
    assert alternates(names, {"member-1", "member-2"}), names

    # kill -9 of the amphora's processes: failover to a new amphora on the same VIP.
    old = amphora_of(api, lb_id)
    agent, engine = processes_of(cloud.state_dir, old, lb_id)
    killed_at = time.monotonic()
    os.kill(engine, signal.SIGKILL)
    os.kill(agent, signal.SIGKILL)
    wait_until("the killed amphora's processes gone",
               lambda: h.process_gone(agent) and h.process_gone(engine))

    def serves_again():
        try:
            return ask(vip, listen_port, timeout=1.0) in ("member-1", "member-2")
        except OSError:
            return False
    wait_until("traffic through the VIP after failover", serves_again)
    healed_s = time.monotonic() - killed_at
    print("failover: traffic again %.2f s after kill -9" % healed_s)
    api.wait_active("/v2.0/lbaas/loadbalancers/" + lb_id, "loadbalancer")
    new = amphora_of(api, lb_id)
    assert new["id"] != old["id"], (old, new)
    shown = api.get("/v2.0/lbaas/loadbalancers/" + lb_id).json()["loadbalancer"]
    assert shown["vip_address"] == vip, shown
    assert new["ha_ip"] == vip and old["ha_ip"] == vip, (old, new)
    names = [ask(vip, listen_port) for _ in range(4)]
    assert alternates(names, {"member-1", "member-2"}), names

    # Cascade delete leaves no process, file, socket or port behind.
    agent, engine = processes_of(cloud.state_dir, new, lb_id)
    vip_port_id = shown["vip_port_id"]
    cli.run("loadbalancer", "delete", "--cascade", lb_id)
    wait_until("the load balancer gone",
               lambda: api.get("/v2.0/lbaas/loadbalancers/" + lb_id).status_code == 404)
    wait_until("the amphora's processes gone",
               lambda: h.process_gone(agent) and h.process_gone(engine))
    for amphora in (old, new):
        assert not os.path.exists(os.path.join(cloud.state_dir, "amphorae", amphora["id"]))
        assert glob.glob("/tmp/octane-%s-*" % amphora["id"][:8]) == []
    assert api.get("/networking/v2.0/ports/" + vip_port_id).status_code == 404
    with pytest.raises(OSError):
        ask(vip, listen_port, timeout=2.0)
    assert h.local_amphora_pids(cloud.state_dir) == {}
