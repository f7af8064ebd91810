"""Acceptance of issue 4: the seed's commands verbatim with the real `openstack` CLI against
`octane serve` with its defaults (auth_strategy keystone with the built-in identity, network
driver local with the built-in Neutron subset), after `source <state dir>/admin-openrc`.

Checks: every command succeeds; the tables have the reference transcript's columns
(a recorded session of octaviaclient 3.1 against Octavia 11.0.0) plus only the fields the seed's newer Octavia
adds; objects reach ACTIVE (polled over HTTP with a deadline); the VIP port and the floating IP
exist in /networking and are associated; a second project's user sees none of it (403/404 as
Octavia); a wrong password gets 401.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import pytest
import requests

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import octane_server as h  # noqa: E402
from openstack_cli import Cli  # noqa: E402

ACTIVE_DEADLINE_S = 60.0

# Columns of the reference transcript (octaviaclient 3.1 over Octavia 11.0.0), in order.
LB_SHOW = ["admin_state_up", "availability_zone", "created_at", "description", "flavor_id", "id",
           "listeners", "name", "operating_status", "pools", "project_id", "provider",
           "provisioning_status", "updated_at", "vip_address", "vip_network_id", "vip_port_id",
           "vip_qos_policy_id", "vip_subnet_id", "tags", "additional_vips"]
LB_LIST = ["id", "name", "project_id", "vip_address", "provisioning_status", "operating_status",
           "provider"]
LISTENER_SHOW = ["admin_state_up", "connection_limit", "created_at", "default_pool_id",
                 "default_tls_container_ref", "description", "id", "insert_headers", "l7policies",
                 "loadbalancers", "name", "operating_status", "project_id", "protocol",
                 "protocol_port", "provisioning_status", "sni_container_refs",
                 "timeout_client_data", "timeout_member_connect", "timeout_member_data",
                 "timeout_tcp_inspect", "updated_at", "client_ca_tls_container_ref",
                 "client_authentication", "client_crl_container_ref", "allowed_cidrs",
                 "tls_ciphers", "tls_versions", "alpn_protocols", "tags"]
POOL_SHOW = ["admin_state_up", "created_at", "description", "healthmonitor_id", "id",
             "lb_algorithm", "listeners", "loadbalancers", "members", "name", "operating_status",
             "project_id", "protocol", "provisioning_status", "session_persistence", "updated_at",
             "tls_container_ref", "ca_tls_container_ref", "crl_container_ref", "tls_enabled",
             "tls_ciphers", "tls_versions", "tags", "alpn_protocols"]
MEMBER_SHOW = ["address", "admin_state_up", "created_at", "id", "name", "operating_status",
               "project_id", "protocol_port", "provisioning_status", "subnet_id", "updated_at",
               "weight", "monitor_port", "monitor_address", "backup", "tags"]
MEMBER_LIST = ["id", "name", "project_id", "provisioning_status", "address", "protocol_port",
               "operating_status", "weight"]
# Fields of the seed's newer Octavia that 11.0.0 lacks (README of the reference).
NEWER_FIELDS = {"vip_vnic_type", "hsts_max_age", "hsts_include_subdomains", "hsts_preload",
                "vip_sg_ids"}


def show_fields(text: str) -> dict[str, str]:
    """Field -> Value of a `show`-style table, in order."""
    out = {}
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] != "Field":
            out[cells[0]] = cells[1]
    return out


def list_table(text: str) -> tuple[list[str], list[list[str]]]:
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("|")]
    assert rows, text
    return rows[0], rows[1:]


def same_columns(ours: list[str], reference: list[str]):
    assert [c for c in ours if c not in NEWER_FIELDS] == reference, (ours, reference)


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    state = str(tmp_path_factory.mktemp("octane-seed"))
    srv = h.OctaneProcess("serve", state, plain=True,
                          extra_args=["--bind-host", "127.0.0.1", "--bind-port", "0",
                                      "--amphora-driver", "noop"])
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def wait_active(base: str, token: str, path: str, key: str):
    deadline = time.monotonic() + ACTIVE_DEADLINE_S
    last = None
    while time.monotonic() < deadline:
        r = requests.get(base + path, headers={"X-Auth-Token": token}, timeout=10)
        assert r.status_code == 200, r.text
        last = r.json()[key]["provisioning_status"]
        if last == "ACTIVE":
            return r.json()[key]
        assert last.startswith("PENDING_"), r.text
        time.sleep(0.1)
    raise AssertionError("%s still %s after %.0f s" % (path, last, ACTIVE_DEADLINE_S))


def test_seed_commands_verbatim(cloud):
    openrc = os.path.join(cloud.state_dir, "admin-openrc")
    assert stat.S_IMODE(os.stat(openrc).st_mode) == 0o600
    env = h.read_openrc(openrc)
    assert env["OS_AUTH_URL"] == cloud.base_url + "/identity/v3"
    for key, value in {"OS_USERNAME": "admin", "OS_PROJECT_NAME": "admin",
                       "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_NAME": "Default",
                       "OS_IDENTITY_API_VERSION": "3", "OS_AUTH_TYPE": "password",
                       "OS_REGION_NAME": "RegionOne"}.items():
        assert env[key] == value, key
    cli = Cli(env)
    base = cloud.base_url
    token = h.keystone_token(base, env)

    out = cli.run("loadbalancer", "create", "--name", "lb", "--vip-subnet-id", "selfservice").stdout
    lb = show_fields(out)
    same_columns(list(lb), LB_SHOW)
    lb_id = lb["id"]
    assert lb["name"] == "lb" and lb["provisioning_status"] == "PENDING_CREATE"
    assert lb["vip_address"].startswith("127.10."), lb

    header, rows = list_table(cli.run("loadbalancer", "list").stdout)
    assert header == LB_LIST
    assert [r[0] for r in rows] == [lb_id]
    wait_active(base, token, "/v2.0/lbaas/loadbalancers/" + lb_id, "loadbalancer")

    shown = show_fields(cli.run("loadbalancer", "show", lb_id).stdout)
    same_columns(list(shown), LB_SHOW)
    assert shown["provisioning_status"] == "ACTIVE"

    listener = show_fields(cli.run("loadbalancer", "listener", "create", "--name", "lb-ssh",
                                   "--protocol", "TCP", "--protocol-port", "22", lb_id).stdout)
    same_columns(list(listener), LISTENER_SHOW)
    wait_active(base, token, "/v2.0/lbaas/listeners/" + listener["id"], "listener")

    pool = show_fields(cli.run("loadbalancer", "pool", "create", "--name", "lb-ssh-pool",
                               "--lb-algorithm", "ROUND_ROBIN", "--listener", "lb-ssh",
                               "--protocol", "TCP").stdout)
    same_columns(list(pool), POOL_SHOW)
    wait_active(base, token, "/v2.0/lbaas/pools/" + pool["id"], "pool")

    members = []
    for address in ("127.10.1.79", "127.10.1.88"):
        member = show_fields(cli.run("loadbalancer", "member", "create", "--subnet-id",
                                     "selfservice", "--address", address, "--protocol-port",
                                     "22", "lb-ssh-pool").stdout)
        same_columns(list(member), MEMBER_SHOW)
        assert member["subnet_id"] == lb["vip_subnet_id"]
        members.append(member["id"])
        wait_active(base, token, "/v2.0/lbaas/pools/%s/members/%s" % (pool["id"], member["id"]),
                    "member")

    header, rows = list_table(cli.run("loadbalancer", "member", "list", "lb-ssh-pool").stdout)
    assert header == MEMBER_LIST
    assert sorted(r[0] for r in rows) == sorted(members)
    assert all(r[3] == "ACTIVE" for r in rows), rows

    fip = show_fields(cli.run("floating", "ip", "create", "provider").stdout)
    assert fip["floating_ip_address"].startswith("127.20."), fip
    assert fip["port_id"] == "None"

    vip_port_id = cli.run("loadbalancer", "show", lb_id, "-c", "vip_port_id",
                          "-f", "value").stdout.strip()
    assert vip_port_id == lb["vip_port_id"]
    port = requests.get(base + "/networking/v2.0/ports/" + vip_port_id,
                        headers={"X-Auth-Token": token}, timeout=10)
    assert port.status_code == 200, port.text
    assert [ip["ip_address"] for ip in port.json()["port"]["fixed_ips"]] == [lb["vip_address"]]

    cli.run("floating", "ip", "set", "--port", vip_port_id, fip["floating_ip_address"])
    got = requests.get(base + "/networking/v2.0/floatingips/" + fip["id"],
                       headers={"X-Auth-Token": token}, timeout=10).json()["floatingip"]
    assert got["port_id"] == vip_port_id
    assert got["fixed_ip_address"] == lb["vip_address"]
    assert got["status"] == "ACTIVE"
    # through the first-start router that joins selfservice to provider
    routers = requests.get(base + "/networking/v2.0/routers?name=router",
                           headers={"X-Auth-Token": token}, timeout=10).json()["routers"]
    assert got["router_id"] == routers[0]["id"]
    wait_active(base, token, "/v2.0/lbaas/loadbalancers/" + lb_id, "loadbalancer")

    # A second project's member user sees none of it.
    octane = h.octane_binary()
    for argv in (["project", "create", "demo"],
                 ["user", "create", "demo", "--password", "demo-pw", "--project", "demo"],
                 ["role", "add", "member", "--user", "demo", "--project", "demo"]):
        subprocess.run([octane, *argv, "--state-dir", cloud.state_dir], check=True,
                       capture_output=True, timeout=30)
    demo = Cli(dict(env, OS_USERNAME="demo", OS_PASSWORD="demo-pw", OS_PROJECT_NAME="demo"))
    assert demo.run("loadbalancer", "list", "-f", "value", "-c", "id").stdout.strip() == ""
    denied = demo.run("loadbalancer", "show", lb_id, check=False)
    assert denied.returncode != 0
    assert "403" in denied.stderr + denied.stdout or "404" in denied.stderr + denied.stdout, denied
    denied = demo.run("loadbalancer", "member", "list", pool["id"], check=False)
    assert denied.returncode != 0, denied.stdout

    # A wrong password gets 401.
    wrong = Cli(dict(env, OS_PASSWORD="not-the-password")).run("loadbalancer", "list",
                                                                check=False)
    assert wrong.returncode != 0
    assert "401" in wrong.stderr + wrong.stdout, wrong.stderr
