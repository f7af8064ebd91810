"""Worker flows with local amphorae when the data plane refuses a change (issue 5, item 4).

`octane serve` with its default drivers (local amphorae running octane-proxy). The refusal is a
listener port another socket of this test already holds on 0.0.0.0, so the engine cannot bind
it: the agent reports the engine's own error once the engine has exited, instead of a reload that
"succeeded" with nothing listening.
  - a new load balancer whose only listener cannot bind: ERROR, and its amphora is reverted
    (status DELETED, no agent or engine process left);
  - a listener added to a serving load balancer that cannot bind: the listener ERROR, the load
    balancer ACTIVE again, the same amphora, and the old listener still serving.
  - `amphora show` is truthful: ALLOCATED, STANDALONE, the VIP as ha_ip, a certificate that expires
    in the future, the agent's management address; an amphora failover replaces it on the VIP.
"""
from __future__ import annotations

import datetime
import os
import socket
import sqlite3
import sys

import pytest

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import octane_server as h  # noqa: E402

WAIT_S = 30.0


@pytest.fixture
def taken_port():
    """A port held on 0.0.0.0 by this test: no VIP can listen on it."""
    s = socket.socket()
    s.bind(("0.0.0.0", 0))
    s.listen(1)
    yield s.getsockname()[1]
    s.close()


def subnet_id(client: h.Client) -> str:
    r = client.get("/networking/v2.0/subnets?name=selfservice")
    assert r.status == 200, r
    return r.json["subnets"][0]["id"]


def amphorae_of(client: h.Client, lb_id: str) -> list[dict]:
    r = client.get(h.AMPS, params={"loadbalancer_id": lb_id})
    assert r.status == 200, r
    return r.json["amphorae"]


def recorded_amphorae(state_dir: str, lb_id: str) -> list[tuple[str, str]]:
    db = sqlite3.connect(os.path.join(state_dir, "octane.db"), timeout=10)
    try:
        return db.execute("SELECT id, status FROM amphorae WHERE load_balancer_id = ?",
                          (lb_id,)).fetchall()
    finally:
        db.close()


def wait_status(client, path, want):
    return h.wait_for_status(client, path, "provisioning_status", want, timeout=WAIT_S, fail_on=())


def test_load_balancer_whose_listener_cannot_bind_goes_error_and_its_amphora_is_reverted(
        cloud, taken_port):
    srv, client = cloud
    r = client.post(h.LB, {"loadbalancer": {
        "name": "blocked", "vip_subnet_id": subnet_id(client),
        "listeners": [{"name": "blocked-l", "protocol": "TCP", "protocol_port": taken_port}]}})
    assert r.status == 201, r
    lb_id = r.json["loadbalancer"]["id"]
    listener_id = r.json["loadbalancer"]["listeners"][0]["id"]
    wait_status(client, "%s/%s" % (h.LB, lb_id), "ERROR")
    assert client.get("%s/%s" % (h.LISTENERS, listener_id)).json["listener"][
        "provisioning_status"] == "ERROR"
    # The API lists no DELETED amphora (as the reference); the database keeps the reverted one.
    assert amphorae_of(client, lb_id) == []
    reverted = recorded_amphorae(srv.state_dir, lb_id)
    assert [status for _id, status in reverted] == ["DELETED"], reverted
    assert not os.path.exists(os.path.join(srv.state_dir, "amphorae", reverted[0][0]))
    assert h.local_amphora_pids(srv.state_dir) == {}

    r = client.delete("%s/%s" % (h.LB, lb_id), params={"cascade": "true"})
    assert r.status == 204, r
    h.wait_gone(client, "%s/%s" % (h.LB, lb_id), timeout=WAIT_S)


def test_listener_that_cannot_bind_goes_error_while_the_load_balancer_keeps_serving(
        cloud, taken_port, member_server):
    srv, client = cloud
    member_address, member_port = member_server.getsockname()
    r = client.post(h.LB, h.one_member_tcp_graph("serving", subnet_id(client), member_address,
                                                 member_port, listener_name="ok"))
    assert r.status == 201, r
    lb = r.json["loadbalancer"]
    lb_path = "%s/%s" % (h.LB, lb["id"])
    wait_status(client, lb_path, "ACTIVE")
    before = amphorae_of(client, lb["id"])
    assert len(before) == 1 and before[0]["status"] == "ALLOCATED", before

    # amphora show is truthful
    shown = client.get("%s/%s" % (h.AMPS, before[0]["id"])).json["amphora"]
    assert shown["role"] == "STANDALONE" and shown["ha_ip"] == lb["vip_address"], shown
    assert shown["ha_port_id"] == lb["vip_port_id"] and shown["lb_network_ip"] == "127.0.0.1"
    expiry = datetime.datetime.fromisoformat(shown["cert_expiration"])
    assert expiry > datetime.datetime.now() + datetime.timedelta(days=30), shown
    assert before[0]["id"] in h.process_argv(h.agent_pid(shown))

    r = client.post(h.LISTENERS, {"listener": {
        "name": "blocked", "loadbalancer_id": lb["id"], "protocol": "TCP",
        "protocol_port": taken_port}})
    assert r.status == 201, r
    listener_path = "%s/%s" % (h.LISTENERS, r.json["listener"]["id"])
    wait_status(client, listener_path, "ERROR")
    wait_status(client, lb_path, "ACTIVE")

    after = amphorae_of(client, lb["id"])
    assert [(a["id"], a["status"]) for a in after] == [(before[0]["id"], "ALLOCATED")], after
    with socket.create_connection((lb["vip_address"], 8080), timeout=5) as c:
        peer_seen = member_server.accept()
        peer_seen[0].close()
        assert c.getpeername() == (lb["vip_address"], 8080)

    # The blocked listener is deleted (an ERROR object may be), then an operator's failover
    # (`openstack loadbalancer amphora failover`): a new amphora on the same VIP, the old agent
    # gone, the listener serving again. (With the blocked listener kept, the new amphora could
    # not bind it either and the failover would end in ERROR, as Octavia's does.)
    r = client.delete(listener_path)
    assert r.status == 204, r
    h.wait_gone(client, listener_path, timeout=WAIT_S)
    wait_status(client, lb_path, "ACTIVE")
    old_pid = h.agent_pid(shown)
    r = client.put("%s/%s/failover" % (h.AMPS, before[0]["id"]))
    assert r.status == 202, r
    wait_status(client, lb_path, "ACTIVE")
    replaced = amphorae_of(client, lb["id"])
    assert len(replaced) == 1 and replaced[0]["id"] != before[0]["id"], replaced
    assert replaced[0]["ha_ip"] == lb["vip_address"] and replaced[0]["status"] == "ALLOCATED"
    assert before[0]["id"] not in h.process_argv(old_pid)
    with socket.create_connection((lb["vip_address"], 8080), timeout=5):
        member_server.accept()[0].close()

    r = client.delete(lb_path, params={"cascade": "true"})
    assert r.status == 204, r
    h.wait_gone(client, lb_path, timeout=WAIT_S)
    assert h.local_amphora_pids(srv.state_dir) == {}
