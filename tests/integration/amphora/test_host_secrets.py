"""Secrets of a host running `octane serve` with local amphorae (issue 11, security item 5).

  - The heartbeat key is not on any agent's command line (readable by every user through `ps`
    and /proc/<pid>/cmdline); the agent reads it from its amphora-agent.conf, mode 0600.
  - The engines' stats sockets (which accept whoever can reach the path) live in a directory of
    mode 0700 owned by us, not in /tmp itself.
  - The state directory, the amphora directories and the secrets in them are private (0700 / no
    group or other bits).
"""
from __future__ import annotations

import os
import re
import stat
import sys

import pytest

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import octane_server as h  # noqa: E402

WAIT_S = 30.0


@pytest.fixture(scope="module")
def serving_lb(cloud):
    srv, client = cloud
    subnet = client.get("/networking/v2.0/subnets?name=selfservice").json["subnets"][0]["id"]
    r = client.post(h.LB, {"loadbalancer": {
        "name": "secrets", "vip_subnet_id": subnet,
        "listeners": [{"name": "l", "protocol": "TCP", "protocol_port": 8081}]}})
    assert r.status == 201, r
    lb_id = r.json["loadbalancer"]["id"]
    h.wait_for_status(client, "%s/%s" % (h.LB, lb_id), "provisioning_status", "ACTIVE",
                      timeout=WAIT_S, fail_on=("ERROR",))
    yield lb_id
    client.delete("%s/%s" % (h.LB, lb_id), params={"cascade": "true"})
    h.wait_gone(client, "%s/%s" % (h.LB, lb_id), timeout=WAIT_S)


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def assert_private_dir(path):
    st = os.lstat(path)
    assert stat.S_ISDIR(st.st_mode), path
    assert st.st_uid == os.geteuid(), path
    assert stat.S_IMODE(st.st_mode) == 0o700, "%s is %o" % (path, stat.S_IMODE(st.st_mode))


def test_heartbeat_key_is_not_on_an_agent_command_line(cloud, serving_lb):
    srv, _ = cloud
    with open(os.path.join(srv.state_dir, "heartbeat.key")) as f:
        key = f.read().strip()
    assert len(key) >= 32
    agents = h.local_amphora_pids(srv.state_dir)
    assert agents, "no agent running"
    for amphora_id, pid in agents.items():
        argv = h.process_argv(pid)
        assert not any(key in a for a in argv), argv
        conf = os.path.join(srv.state_dir, "amphorae", amphora_id, "amphora-agent.conf")
        assert mode(conf) == 0o600, oct(mode(conf))
        with open(conf) as f:
            assert re.search(r"^heartbeat_key = %s$" % re.escape(key), f.read(), re.M)


def test_stats_sockets_live_in_a_private_directory(cloud, serving_lb):
    srv, _ = cloud
    [amphora_id] = h.local_amphora_pids(srv.state_dir)
    cfg = os.path.join(srv.state_dir, "amphorae", amphora_id, serving_lb, "haproxy.cfg")
    with open(cfg) as f:
        socket_path = re.search(r"^\s*stats socket (\S+)", f.read(), re.M).group(1)
    assert len(socket_path.encode()) <= 107
    parent = os.path.dirname(socket_path)
    assert os.path.realpath(parent) != "/tmp"
    assert_private_dir(parent)
    h.poll_until(lambda: os.path.exists(socket_path), timeout=WAIT_S, what="the stats socket")
    assert stat.S_ISSOCK(os.lstat(socket_path).st_mode)


def test_state_directory_and_its_secrets_are_private(cloud, serving_lb):
    srv, _ = cloud
    assert_private_dir(srv.state_dir)
    [amphora_id] = h.local_amphora_pids(srv.state_dir)
    assert_private_dir(os.path.join(srv.state_dir, "amphorae", amphora_id))
    files = ["heartbeat.key", "admin-openrc"]
    if h.database_choice.engine() == "sqlite":
        files.append("octane.db")
    for name in files:
        path = os.path.join(srv.state_dir, name)
        assert mode(path) & 0o077 == 0, "%s is %o" % (path, mode(path))
    for root, _dirs, files in os.walk(os.path.join(srv.state_dir, "pki")):
        for name in files:
            if name.endswith(".key") or "key" in name:
                path = os.path.join(root, name)
                assert mode(path) & 0o077 == 0, "%s is %o" % (path, mode(path))
