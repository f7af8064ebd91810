"""What the ACTIVE_STANDBY e2e test and bench/failover_bench.py share: a linuxbridge `octane serve`
with two TCP reply servers on two simulated hosts, a client namespace on `provider`, an
ACTIVE_STANDBY load balancer (through a flavor, with the real `openstack` CLI) behind a floating IP,
and the probe that measures how long after a kill the floating IP answers again."""
from __future__ import annotations

import json
import os
import re
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import octane_server as h  # noqa: E402
from netns_probe import run, wait_until  # noqa: E402
from openstack_cli import Cli  # noqa: E402
from octane_hosts import Octane  # noqa: E402,F401

PORT = 8080

# Each connection is answered with the member's name, then closed.
REPLY_SERVER = r"""
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", %d)); s.listen(64)
while True:
    c, _ = s.accept()
    try: c.sendall(sys.argv[1].encode())
    finally: c.close()
""" % PORT

# Connects to the floating IP until a reply comes (bounded in attempts and time); prints the
# CLOCK_MONOTONIC instant of the first reply, so the caller can subtract its kill instant.
PROBE = r"""
import json, socket, sys, time
fip, limit = sys.argv[1], float(sys.argv[2])
deadline = time.monotonic() + limit
attempts = 0
while time.monotonic() < deadline and attempts < 5000:
    attempts += 1
    try:
        with socket.create_connection((fip, %d), timeout=0.1) as c:
            c.settimeout(1.0)
            reply = c.recv(64)
            if reply:
                print(json.dumps({"at": time.monotonic(), "reply": reply.decode(),
                                  "attempts": attempts}))
                sys.exit(0)
    except OSError:
        pass
print(json.dumps({"at": None, "attempts": attempts}))
sys.exit(1)
""" % PORT


def start_server(state: str) -> h.OctaneProcess:
    server = h.OctaneProcess("serve", state, plain=True, extra_args=[
        "--network-driver", "linuxbridge", "--health-bind-port", "0", "--heartbeat-timeout", "3",
        "--heartbeat-interval", "1",
        "--bind-host", "127.0.0.1", "--bind-port", "0"])
    server.start()
    return server


def lb_active(cli: Cli, name: str) -> bool:
    return cli.json("loadbalancer", "show", name)["provisioning_status"] == "ACTIVE"


def build(cli: Cli, octane: Octane, name: str = "lb", persistence: str | None = None) -> dict:
    """Members, client, flavor, load balancer, listener, pool (with `persistence`, a session
    persistence type), members, floating IP."""
    members = {}
    for member, host in (("instance02", 1), ("instance03", 2)):
        members[member] = octane.host_create(member, "selfservice", host, "/usr/bin/python3",
                                             "-c", REPLY_SERVER, member)["address"]
    client = octane.host_create("client", "provider", 1)
    cli.json("loadbalancer", "flavorprofile", "create", "--name", "fp-active-standby",
             "--provider", "amphora", "--flavor-data",
             '{"loadbalancer_topology": "ACTIVE_STANDBY"}')
    cli.json("loadbalancer", "flavor", "create", "--name", "active-standby", "--flavorprofile",
             "fp-active-standby", "--enable")
    lb = cli.json("loadbalancer", "create", "--name", name, "--vip-subnet-id", "selfservice",
                  "--flavor", "active-standby")
    wait_until(lambda: lb_active(cli, name), "load balancer ACTIVE", timeout=120)
    cli.json("loadbalancer", "listener", "create", "--name", name + "-tcp", "--protocol", "TCP",
             "--protocol-port", str(PORT), lb["id"])
    wait_until(lambda: lb_active(cli, name), "listener applied")
    cli.json("loadbalancer", "pool", "create", "--name", name + "-pool", "--lb-algorithm",
             "ROUND_ROBIN", "--listener", name + "-tcp", "--protocol", "TCP",
             *(["--session-persistence", "type=" + persistence] if persistence else []))
    for address in members.values():
        wait_until(lambda: lb_active(cli, name), "pool applied")
        cli.json("loadbalancer", "member", "create", "--subnet-id", "selfservice", "--address",
                 address, "--protocol-port", str(PORT), name + "-pool")
    wait_until(lambda: lb_active(cli, name), "members applied")
    fip = cli.json("floating", "ip", "create", "provider")["floating_ip_address"]
    vip_port = cli.json("loadbalancer", "show", name)["vip_port_id"]
    cli.run("floating", "ip", "set", "--port", vip_port, fip)
    return {"lb": cli.json("loadbalancer", "show", name), "members": members,
            "client_ns": client["namespace"], "client_address": client["address"], "fip": fip,
            "vip_port": vip_port}


def amphorae(cli: Cli, lb_id: str) -> list[dict]:
    return cli.allocated_amphorae(lb_id)


def vip_holder(amps: list[dict], vip: str) -> list[str]:
    """Ids of the amphorae whose VIP interface holds the VIP right now."""
    held = []
    for a in amps:
        out = run("ip", "-n", "amphora-haproxy-" + a["id"], "-j", "addr", "show", "dev", "eth1",
                  check=False).stdout
        for link in json.loads(out or "[]"):
            if any(i.get("local") == vip for i in link.get("addr_info", [])):
                held.append(a["id"])
    return held


def probe(client_ns: str, fip: str, limit: float) -> dict:
    out = run("ip", "netns", "exec", client_ns, "/usr/bin/python3", "-c", PROBE, fip, str(limit),
              check=False, timeout=limit + 30).stdout
    return json.loads(out.strip().splitlines()[-1])


def agent_pid(amphora: dict) -> int:
    return int(amphora["compute_id"].split(":")[1])  # host-N:<pid>:<port>


def amphora_dir(state: str, amphora: dict) -> str:
    """The amphora's disk as its agent sees it: private to the amphora's mount namespace
    (docs/amphora.md §6), so read through the agent's /proc/<pid>/root."""
    return "/proc/%d/root%s" % (agent_pid(amphora), os.path.join(
        os.path.abspath(state), "compute", amphora["cached_zone"], "disks", amphora["id"]))


def engine_pids(state: str, amphora: dict) -> list[int]:
    """The engines the amphora's agent started (their pid files under its state directory)."""
    pids = []
    base = amphora_dir(state, amphora)
    for entry in os.listdir(base):
        path = os.path.join(base, entry, "haproxy.pid")
        if os.path.exists(path):
            pids.append(int(open(path).read().split()[0]))
    return pids


def stick_table(state: str, amphora: dict, lb_id: str) -> dict[str, str]:
    """client address -> member id, from `show table <backend>` on the amphora engine's stats
    socket (a path in the agent's mount namespace, reached through /proc/<agent pid>/root)."""
    with open(os.path.join(amphora_dir(state, amphora), lb_id, "haproxy.cfg")) as f:
        cfg = f.read()
    path = "/proc/%d/root%s" % (agent_pid(amphora), re.search(r"stats socket (\S+)", cfg).group(1))
    backend = re.search(r"^backend (\S+)", cfg, re.M).group(1)
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(5)
        s.connect(path)
        s.sendall(b"show table " + backend.encode() + b"\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return dict(re.findall(r"key=(\S+) .*?server_key=(\S+)", data.decode()))


def keepalived_pids(state: str, amphora: dict) -> list[int]:
    """keepalived's main process (the agent's child) and its VRRP process, from their pid files."""
    base = os.path.join(amphora_dir(state, amphora), "vrrp")
    pids = []
    for name in ("keepalived.pid", "vrrp.pid"):
        path = os.path.join(base, name)
        if os.path.exists(path):
            pids.append(int(open(path).read().split()[0]))
    return pids


def process_age_s(pid: int) -> float:
    """Seconds since the process started (its start time in /proc/<pid>/stat, in clock ticks)."""
    with open("/proc/%d/stat" % pid) as f:
        started = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - started / os.sysconf("SC_CLK_TCK")


def keepalived_past_startup_delay(state: str, amphora: dict, delay_s: float = 5.0) -> bool:
    """Both keepalived processes run and the VRRP one is older than the BACKUP role's
    vrrp_startup_delay (3 x advert_int + 2 s): a steady pair, where only VRRP's master-down
    timer or the controller's takeover can move the VIP."""
    pids = keepalived_pids(state, amphora)
    try:
        return len(pids) == 2 and process_age_s(pids[1]) > delay_s
    except (OSError, ValueError, IndexError):
        return False


def kill_master(state: str, master: dict, everything: bool) -> float:
    """kill -9 of the MASTER's agent and engines (and, with everything, keepalived and its VRRP
    process too: a silent death); returns the CLOCK_MONOTONIC instant of the kill."""
    pids = [agent_pid(master)] + engine_pids(state, master)
    if everything:
        # The VRRP process first: once the agent is gone keepalived would resign (SIGTERM).
        pids = list(reversed(keepalived_pids(state, master))) + pids
    at = time.monotonic()
    for pid in pids:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
    return at
