"""Quota enforcement under the keystone auth strategy, as Octavia's check_quota_met: every create
path (load balancer, listener, pool, member incl. batch PUT, health monitor, L7 policy, L7 rule, and
the single-call graph create counting every object in it) answers 403 "Quota has been met for
resources: <Resource>" when it would exceed the project's quota or the configured [quotas]
defaults; a refused create writes nothing; concurrent creates never overshoot; deleted objects
release their quota.

Facts: docs/octavia-api.md §2.10 (names, 403, -1 = unlimited); reference Octavia 11
(octavia/db/repositories.py check_quota_met: in use = rows not DELETED, + count > quota;
controllers/member.py batch: net growth new - deleted, additive_only: new only)."""
from __future__ import annotations

import os
import sys
import threading
import uuid

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import cloud as c  # noqa: E402

V2 = "/v2/lbaas"
LB = V2 + "/loadbalancers"
NET = "/networking/v2.0"
DEFAULT_POOL_QUOTA = 3  # from the config file of the module's server


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    state = str(tmp_path_factory.mktemp("octane-quota"))
    conf = os.path.join(state, "octane.conf")
    with open(conf, "w") as f:
        f.write("[quotas]\ndefault_pool_quota = %d\ndefault_l7rule_quota = -1\n" % DEFAULT_POOL_QUOTA)
    s = c.start(state, "--config-file", conf)
    s.admin = c.system_token(s.base_url, "admin", c.admin_password(state))
    try:
        yield s
    finally:
        s.stop()


class Tenant:
    """A fresh project with a member user, its token, its id and the selfservice subnet."""

    def __init__(self, srv, quota: dict | None = None):
        self.srv = srv
        name = "q-" + uuid.uuid4().hex[:8]
        c.add_user(srv.state_dir, name, name, name + "-pw", "member")
        self.tok = c.token(srv.base_url, name, name + "-pw", name)
        self.project = c.call("GET", srv.base_url + "/identity/v3/projects?name=" + name,
                              srv.admin).json()["projects"][0]["id"]
        self.subnet = self.get(NET + "/subnets?name=selfservice").json()["subnets"][0]["id"]
        if quota:
            r = c.call("PUT", srv.base_url + V2 + "/quotas/" + self.project, srv.admin,
                       json={"quota": quota})
            assert r.status_code == 202, r.text

    def req(self, method, path, **kw):
        return c.call(method, self.srv.base_url + path, self.tok, **kw)

    def get(self, path):
        return self.req("GET", path)

    def wait_active(self, lb_id):
        def active():
            lb = self.get(LB + "/" + lb_id).json()["loadbalancer"]
            assert lb["provisioning_status"] != "ERROR", lb
            return lb["provisioning_status"] == "ACTIVE"
        c.h.poll_until(active, what="load balancer %s ACTIVE" % lb_id)

    def lb(self, **body):
        r = self.req("POST", LB, json={"loadbalancer": {"vip_subnet_id": self.subnet, **body}})
        assert r.status_code == 201, r.text
        self.wait_active(r.json()["loadbalancer"]["id"])
        return r.json()["loadbalancer"]

    def create(self, lb_id, path, key, body, expect=201):
        r = self.req("POST", path, json={key: body})
        assert r.status_code == expect, r.text
        if expect == 201:
            self.wait_active(lb_id)
            return r.json()[key]
        return r

    def count(self, path, key):
        r = self.get(path)
        assert r.status_code == 200, r.text
        return len(r.json()[key])


def assert_quota_met(r, resource):
    assert r.status_code == 403, r.text
    assert r.json() == {"faultcode": "Client", "debuginfo": None,
                        "faultstring": "Quota has been met for resources: " + resource}


def test_single_creates_of_every_child(srv):
    t = Tenant(srv, {"listener": 1, "pool": 2, "healthmonitor": 1, "l7policy": 1, "l7rule": 1,
                     "member": 2})
    lb = t.lb()
    listener = t.create(lb["id"], V2 + "/listeners", "listener",
                        {"loadbalancer_id": lb["id"], "protocol": "HTTP", "protocol_port": 80})
    assert_quota_met(t.create(lb["id"], V2 + "/listeners", "listener",
                              {"loadbalancer_id": lb["id"], "protocol": "HTTP", "protocol_port": 81},
                              expect=403), "Listener")
    pools = [t.create(lb["id"], V2 + "/pools", "pool", {"loadbalancer_id": lb["id"], "protocol": "HTTP",
                                                          "lb_algorithm": "ROUND_ROBIN"}) for _ in range(2)]
    assert_quota_met(t.create(lb["id"], V2 + "/pools", "pool",
                              {"loadbalancer_id": lb["id"], "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"},
                              expect=403), "Pool")
    hm = {"type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 3}
    t.create(lb["id"], V2 + "/healthmonitors", "healthmonitor", {"pool_id": pools[0]["id"], **hm})
    assert_quota_met(t.create(lb["id"], V2 + "/healthmonitors", "healthmonitor",
                              {"pool_id": pools[1]["id"], **hm}, expect=403), "Health Monitor")
    policy = t.create(lb["id"], V2 + "/l7policies", "l7policy",
                      {"listener_id": listener["id"], "action": "REJECT"})
    assert_quota_met(t.create(lb["id"], V2 + "/l7policies", "l7policy",
                              {"listener_id": listener["id"], "action": "REJECT"}, expect=403), "L7 Policy")
    rules = V2 + "/l7policies/%s/rules" % policy["id"]
    rule = {"type": "PATH", "compare_type": "STARTS_WITH", "value": "/a"}
    t.create(lb["id"], rules, "rule", rule)
    assert_quota_met(t.create(lb["id"], rules, "rule", rule, expect=403), "L7 Rule")
    members = V2 + "/pools/%s/members" % pools[0]["id"]
    for address in ("127.10.9.1", "127.10.9.2"):
        t.create(lb["id"], members, "member", {"address": address, "protocol_port": 22})
    assert_quota_met(t.create(lb["id"], members, "member", {"address": "127.10.9.3", "protocol_port": 22},
                              expect=403), "Member")
    # nothing half-written by the refusals, and the load balancer was not left locked
    assert t.count(V2 + "/listeners", "listeners") == 1
    assert t.count(V2 + "/pools", "pools") == 2
    assert t.count(V2 + "/healthmonitors", "healthmonitors") == 1
    assert t.count(V2 + "/l7policies", "l7policies") == 1
    assert t.count(rules, "rules") == 1
    assert t.count(members, "members") == 2
    assert t.get(LB + "/" + lb["id"]).json()["loadbalancer"]["provisioning_status"] == "ACTIVE"


def test_deleted_objects_release_quota(srv):
    t = Tenant(srv, {"listener": 1})
    lb = t.lb()
    body = {"loadbalancer_id": lb["id"], "protocol": "TCP", "protocol_port": 22}
    listener = t.create(lb["id"], V2 + "/listeners", "listener", body)
    assert t.req("DELETE", V2 + "/listeners/" + listener["id"]).status_code == 204
    c.h.poll_until(lambda: t.get(V2 + "/listeners/" + listener["id"]).status_code == 404,
                   what="listener deleted")
    t.create(lb["id"], V2 + "/listeners", "listener", body)


def test_batch_member_update_counts_the_resulting_members(srv):
    t = Tenant(srv, {"member": 2})
    lb = t.lb()
    pool = t.create(lb["id"], V2 + "/pools", "pool",
                    {"loadbalancer_id": lb["id"], "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"})
    members = V2 + "/pools/%s/members" % pool["id"]

    def batch(addresses, **params):
        return t.req("PUT", members, params=params,
                     json={"members": [{"address": a, "protocol_port": 22} for a in addresses]})

    assert_quota_met(batch(["127.10.8.1", "127.10.8.2", "127.10.8.3"]), "Member")
    assert t.count(members, "members") == 0
    assert t.get(LB + "/" + lb["id"]).json()["loadbalancer"]["provisioning_status"] == "ACTIVE"
    assert batch(["127.10.8.1", "127.10.8.2"]).status_code == 202
    t.wait_active(lb["id"])
    # replacing both keeps the project at 2 members: allowed
    assert batch(["127.10.8.3", "127.10.8.4"]).status_code == 202
    t.wait_active(lb["id"])
    assert sorted(m["address"] for m in t.get(members).json()["members"]) == ["127.10.8.3", "127.10.8.4"]
    # additive_only counts the new ones only
    assert_quota_met(batch(["127.10.8.5"], additive_only="true"), "Member")
    # a single create in another pool of the project is refused as well
    other = t.create(lb["id"], V2 + "/pools", "pool",
                     {"loadbalancer_id": lb["id"], "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"})
    assert_quota_met(t.req("POST", V2 + "/pools/%s/members" % other["id"],
                           json={"member": {"address": "127.10.8.9", "protocol_port": 22}}), "Member")


def graph(t, name, **extra):
    pool = {"name": "p1", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
            "healthmonitor": {"type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 3},
            "members": [{"address": "127.10.7.1", "protocol_port": 80},
                        {"address": "127.10.7.2", "protocol_port": 80}]}
    listener = {"name": "l1", "protocol": "HTTP", "protocol_port": 80, "default_pool": {"name": "p1"},
                "l7policies": [{"action": "REJECT", "rules": [
                    {"type": "PATH", "compare_type": "STARTS_WITH", "value": "/a"},
                    {"type": "PATH", "compare_type": "STARTS_WITH", "value": "/b"}]}]}
    body = {"name": name, "vip_subnet_id": t.subnet, "listeners": [listener], "pools": [pool]}
    body.update(extra)
    return t.req("POST", LB, json={"loadbalancer": body})


@pytest.mark.parametrize("quota,resource", [
    ({"loadbalancer": 0}, "Load Balancer"),
    ({"pool": 0}, "Pool"),
    ({"healthmonitor": 0}, "Health Monitor"),
    ({"member": 1}, "Member"),
    ({"listener": 0}, "Listener"),
    ({"l7policy": 0}, "L7 Policy"),
    ({"l7rule": 1}, "L7 Rule"),
])
def test_graph_create_counts_every_object(srv, quota, resource):
    t = Tenant(srv, quota)
    assert_quota_met(graph(t, "g"), resource)
    # nothing written: no load balancer, no children, no VIP port left behind
    assert t.count(LB, "loadbalancers") == 0
    assert t.count(V2 + "/pools", "pools") == 0 and t.count(V2 + "/listeners", "listeners") == 0
    ports = c.call("GET", srv.base_url + NET + "/ports?device_owner=Octavia", srv.admin).json()["ports"]
    assert [p for p in ports if p["project_id"] == t.project] == []


def test_graph_create_within_quota(srv):
    t = Tenant(srv, {"loadbalancer": 1, "listener": 1, "pool": 1, "healthmonitor": 1, "member": 2,
                     "l7policy": 1, "l7rule": 2})
    r = graph(t, "fits")
    assert r.status_code == 201, r.text
    t.wait_active(r.json()["loadbalancer"]["id"])
    assert_quota_met(t.req("POST", LB, json={"loadbalancer": {"vip_subnet_id": t.subnet}}), "Load Balancer")


def test_configured_defaults(srv):
    t = Tenant(srv)
    for path in ("/quotas/" + t.project, "/quotas/" + t.project + "/default"):
        q = t.get(V2 + path).json()["quota"]
        assert q["pool"] == DEFAULT_POOL_QUOTA and q["listener"] == -1 and q["l7rule"] == -1, q
    lb = t.lb()
    body = {"loadbalancer_id": lb["id"], "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}
    for _ in range(DEFAULT_POOL_QUOTA):
        t.create(lb["id"], V2 + "/pools", "pool", body)
    assert_quota_met(t.create(lb["id"], V2 + "/pools", "pool", body, expect=403), "Pool")
    # a project's own value wins over the default; null goes back to it
    r = c.call("PUT", srv.base_url + V2 + "/quotas/" + t.project, srv.admin, json={"quota": {"pool": -1}})
    assert r.status_code == 202, r.text
    t.create(lb["id"], V2 + "/pools", "pool", body)


def test_bad_quota_default_is_refused_at_start(tmp_path):
    conf = tmp_path / "octane.conf"
    conf.write_text("[quotas]\ndefault_member_quota = -2\n")
    s = c.h.OctaneProcess("serve", str(tmp_path), plain=True,
                          extra_args=["--bind-port", "0", "--config-file", str(conf)])
    with pytest.raises(RuntimeError):
        s.start()
    assert s.stop(check=False) != 0
    assert "default_member_quota" in s.log_tail()


def test_concurrent_creates_never_overshoot(srv):
    t = Tenant(srv, {"loadbalancer": 3})
    results = []
    lock = threading.Lock()

    def create():
        r = t.req("POST", LB, json={"loadbalancer": {"vip_subnet_id": t.subnet}})
        with lock:
            results.append(r.status_code)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert sorted(results) == [201] * 3 + [403] * 5, results
    assert t.count(LB, "loadbalancers") == 3


def test_inline_rules_of_a_policy_count(srv):
    t = Tenant(srv, {"l7rule": 1})
    lb = t.lb()
    listener = t.create(lb["id"], V2 + "/listeners", "listener",
                        {"loadbalancer_id": lb["id"], "protocol": "HTTP", "protocol_port": 80})
    rule = {"type": "PATH", "compare_type": "STARTS_WITH", "value": "/a"}
    body = {"listener_id": listener["id"], "action": "REJECT", "rules": [rule, dict(rule, value="/b")]}
    assert_quota_met(t.req("POST", V2 + "/l7policies", json={"l7policy": body}), "L7 Rule")
    assert t.count(V2 + "/l7policies", "l7policies") == 0
    body["rules"] = [rule]
    t.create(lb["id"], V2 + "/l7policies", "l7policy", body)


def test_first_create_makes_the_quota_row(srv):
    """Octavia creates a project's quota row at its first quota check: GET /quotas lists the
    project from its first create on, with nothing set (null), and GET one shows the defaults."""
    t = Tenant(srv)

    def rows():
        r = c.call("GET", srv.base_url + V2 + "/quotas", srv.admin)
        assert r.status_code == 200, r.text
        return [q for q in r.json()["quotas"] if q["project_id"] == t.project]

    assert rows() == []
    t.lb()
    listed = rows()
    assert len(listed) == 1, listed
    assert listed[0]["loadbalancer"] is None and listed[0]["pool"] is None, listed[0]
    one = c.call("GET", srv.base_url + V2 + "/quotas/" + t.project, srv.admin).json()["quota"]
    assert one["pool"] == DEFAULT_POOL_QUOTA and one["loadbalancer"] == -1, one
