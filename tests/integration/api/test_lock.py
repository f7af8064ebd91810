"""The LB lock (docs/octavia-api.md §3.1, §3.2), observed deterministically: `octane api` +
`octane worker` build ACTIVE objects, then the worker is stopped so every change stays PENDING_*;
every 409 rule is asserted exactly; a new worker on the same state dir then takes everything to ACTIVE / DELETED.
"""
import shutil

import pytest

import octane_server as h
from octane_server import LB, LISTENERS, POOLS, HMS, L7P

pytestmark = pytest.mark.needs_process


def lb_locked(lb_id, state):
    return "Invalid state %s of loadbalancer resource %s" % (state, lb_id)


def immutable(kind, obj_id):
    return "%s %s is immutable and cannot be updated." % (kind, obj_id)


def status(c, path):
    r = c.get(path)
    assert r.status == 200, r
    return h._single(r.json)["provisioning_status"]


def build(c, with_hm=True):
    lb = h.create_lb(c)
    li = h.create_listener(c, lb["id"], "HTTP", 80)
    pool = h.create_pool(c, lb["id"], "HTTP", listener_id=li["id"])
    m = h.create_member(c, lb["id"], pool["id"], "10.0.0.1", 80)
    hm = h.create_hm(c, lb["id"], pool["id"]) if with_hm else None
    pol = h.create_l7policy(c, lb["id"], li["id"], "REJECT")
    rule = h.create_l7rule(c, lb["id"], pol["id"])
    for path in ("%s/%s" % (LISTENERS, li["id"]), "%s/%s" % (POOLS, pool["id"]),
                 "%s/%s/members/%s" % (POOLS, pool["id"], m["id"]), "%s/%s" % (L7P, pol["id"]),
                 "%s/%s/rules/%s" % (L7P, pol["id"], rule["id"])) + \
            (("%s/%s" % (HMS, hm["id"]),) if hm else ()):
        h.wait_active(c, path)
    return dict(lb=lb["id"], li=li["id"], pool=pool["id"], m=m["id"], hm=hm["id"] if hm else None,
                pol=pol["id"], rule=rule["id"])


class Env:
    """`octane api` plus a worker that tests stop and start again, over one state dir."""

    def __init__(self):
        self.state = h.make_state_dir()
        self.api = h.OctaneProcess("api", self.state).start()
        self.worker = None
        self.start_worker()
        self.c = h.Client(self.api.base_url, project="lock-project")

    def start_worker(self):
        self.worker = h.OctaneProcess("worker", self.state).start()

    def stop_worker(self):
        self.worker.stop()  # asserts a clean exit on SIGTERM

    def close(self):
        for p in (self.worker, self.api):
            if p is not None and p.alive():
                p.stop()
        shutil.rmtree(self.state, ignore_errors=True)


@pytest.fixture
def env():
    e = Env()
    try:
        yield e
    finally:
        for p in (e.worker, e.api):
            if p is not None and p.alive():
                p.kill9()
        shutil.rmtree(e.state, ignore_errors=True)


def test_pending_create_lb_is_locked(env):
    c = env.c
    env.stop_worker()
    r = c.post(LB, {"loadbalancer": {"name": "pc", "vip_subnet_id": h.SUBNET_ID}})
    assert r.status == 201, r
    pc = r.json["loadbalancer"]["id"]
    assert status(c, "%s/%s" % (LB, pc)) == "PENDING_CREATE"
    h.assert_fault(c.put("%s/%s" % (LB, pc), {"loadbalancer": {"name": "x"}}), 409, lb_locked(pc, "PENDING_CREATE"))
    h.assert_fault(c.delete("%s/%s" % (LB, pc)), 409, lb_locked(pc, "PENDING_CREATE"))
    h.assert_fault(c.delete("%s/%s" % (LB, pc), params={"cascade": "true"}), 409, lb_locked(pc, "PENDING_CREATE"))
    h.assert_fault(c.put("%s/%s/failover" % (LB, pc)), 409, lb_locked(pc, "PENDING_CREATE"))
    h.assert_fault(c.post(LISTENERS, {"listener": {"loadbalancer_id": pc, "protocol": "TCP", "protocol_port": 1}}),
                   409, immutable("Load Balancer", pc))
    h.assert_fault(c.post(POOLS, {"pool": {"loadbalancer_id": pc, "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}}),
                   409, immutable("Load Balancer", pc))
    assert status(c, "%s/%s" % (LB, pc)) == "PENDING_CREATE"
    env.start_worker()
    h.wait_lb(c, pc)
    env.close()


def test_lb_update_locks_every_child_change(env):
    c = env.c
    a = build(c)
    env.stop_worker()
    r = c.put("%s/%s" % (LB, a["lb"]), {"loadbalancer": {"name": "renamed"}})
    assert r.status == 200, r
    assert r.json["loadbalancer"]["provisioning_status"] == "PENDING_UPDATE"
    assert status(c, "%s/%s" % (LB, a["lb"])) == "PENDING_UPDATE"
    lb_id = a["lb"]
    locked = lb_locked(lb_id, "PENDING_UPDATE")
    imm = immutable("Load Balancer", lb_id)
    h.assert_fault(c.put("%s/%s" % (LB, lb_id), {"loadbalancer": {"name": "again"}}), 409, locked)
    h.assert_fault(c.delete("%s/%s" % (LB, lb_id)), 409, locked)
    h.assert_fault(c.delete("%s/%s" % (LB, lb_id), params={"cascade": "true"}), 409, locked)
    h.assert_fault(c.put("%s/%s/failover" % (LB, lb_id)), 409, locked)
    checks = [
        ("POST", LISTENERS, {"listener": {"loadbalancer_id": lb_id, "protocol": "TCP", "protocol_port": 22}}),
        ("PUT", "%s/%s" % (LISTENERS, a["li"]), {"listener": {"name": "x"}}),
        ("DELETE", "%s/%s" % (LISTENERS, a["li"]), None),
        ("POST", POOLS, {"pool": {"loadbalancer_id": lb_id, "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}),
        ("PUT", "%s/%s" % (POOLS, a["pool"]), {"pool": {"name": "x"}}),
        ("DELETE", "%s/%s" % (POOLS, a["pool"]), None),
        ("POST", "%s/%s/members" % (POOLS, a["pool"]), {"member": {"address": "10.0.0.2", "protocol_port": 80}}),
        ("PUT", "%s/%s/members/%s" % (POOLS, a["pool"], a["m"]), {"member": {"weight": 5}}),
        ("DELETE", "%s/%s/members/%s" % (POOLS, a["pool"], a["m"]), None),
        ("PUT", "%s/%s/members" % (POOLS, a["pool"]), {"members": [{"address": "10.0.0.3", "protocol_port": 80}]}),
        ("PUT", "%s/%s" % (HMS, a["hm"]), {"healthmonitor": {"delay": 7}}),
        ("DELETE", "%s/%s" % (HMS, a["hm"]), None),
        ("POST", L7P, {"l7policy": {"listener_id": a["li"], "action": "REJECT"}}),
        ("PUT", "%s/%s" % (L7P, a["pol"]), {"l7policy": {"name": "x"}}),
        ("DELETE", "%s/%s" % (L7P, a["pol"]), None),
        ("POST", "%s/%s/rules" % (L7P, a["pol"]), {"rule": {"type": "PATH", "compare_type": "EQUAL_TO", "value": "/b"}}),
        ("PUT", "%s/%s/rules/%s" % (L7P, a["pol"], a["rule"]), {"rule": {"value": "/c"}}),
        ("DELETE", "%s/%s/rules/%s" % (L7P, a["pol"], a["rule"]), None),
    ]
    for method, path, body in checks:
        h.assert_fault(c.request(method, path, body=body), 409, imm)
    # nothing moved: children still ACTIVE, the LB still PENDING_UPDATE, GETs still answer
    for path in ("%s/%s" % (LISTENERS, a["li"]), "%s/%s" % (POOLS, a["pool"]), "%s/%s" % (HMS, a["hm"]),
                 "%s/%s/members/%s" % (POOLS, a["pool"], a["m"]), "%s/%s" % (L7P, a["pol"]),
                 "%s/%s/rules/%s" % (L7P, a["pol"], a["rule"])):
        assert status(c, path) == "ACTIVE", path
    assert status(c, "%s/%s" % (LB, lb_id)) == "PENDING_UPDATE"
    assert c.get("%s/%s/status" % (LB, lb_id)).status == 200
    assert c.get("%s/%s/members" % (POOLS, a["pool"])).json["members"][0]["id"] == a["m"]
    env.start_worker()
    assert h.wait_lb(c, lb_id)["name"] == "renamed"
    env.close()


def test_pool_update_locks_pool_children(env):
    c = env.c
    b = build(c, with_hm=False)
    env.stop_worker()
    r = c.put("%s/%s" % (POOLS, b["pool"]), {"pool": {"name": "pool-renamed"}})
    assert r.status == 200, r
    assert r.json["pool"]["provisioning_status"] == "PENDING_UPDATE"
    assert status(c, "%s/%s" % (POOLS, b["pool"])) == "PENDING_UPDATE"
    assert status(c, "%s/%s" % (LISTENERS, b["li"])) == "PENDING_UPDATE"
    assert status(c, "%s/%s" % (LB, b["lb"])) == "PENDING_UPDATE"
    assert status(c, "%s/%s/members/%s" % (POOLS, b["pool"], b["m"])) == "ACTIVE"
    # the pool is checked before the LB (reference verified)
    h.assert_fault(c.post("%s/%s/members" % (POOLS, b["pool"]), {"member": {"address": "10.0.0.9", "protocol_port": 80}}),
                   409, immutable("Pool", b["pool"]))
    h.assert_fault(c.post(HMS, {"healthmonitor": {"pool_id": b["pool"], "type": "TCP", "delay": 5, "timeout": 3,
                                                  "max_retries": 3}}), 409, immutable("Pool", b["pool"]))
    h.assert_fault(c.put("%s/%s" % (LB, b["lb"]), {"loadbalancer": {"name": "x"}}), 409,
                   lb_locked(b["lb"], "PENDING_UPDATE"))
    env.start_worker()
    h.wait_lb(c, b["lb"])
    assert h.wait_active(c, "%s/%s" % (POOLS, b["pool"]))["name"] == "pool-renamed"
    assert status(c, "%s/%s" % (LISTENERS, b["li"])) == "ACTIVE"
    env.close()


def test_policy_update_locks_rules(env):
    c = env.c
    d = build(c, with_hm=False)
    env.stop_worker()
    r = c.put("%s/%s" % (L7P, d["pol"]), {"l7policy": {"name": "pol-renamed"}})
    assert r.status == 200, r
    assert status(c, "%s/%s" % (L7P, d["pol"])) == "PENDING_UPDATE"
    assert status(c, "%s/%s" % (LISTENERS, d["li"])) == "PENDING_UPDATE"
    assert status(c, "%s/%s" % (LB, d["lb"])) == "PENDING_UPDATE"
    h.assert_fault(c.post("%s/%s/rules" % (L7P, d["pol"]),
                          {"rule": {"type": "PATH", "compare_type": "EQUAL_TO", "value": "/z"}}),
                   409, immutable("L7Policy", d["pol"]))
    env.start_worker()
    h.wait_lb(c, d["lb"])
    assert h.wait_active(c, "%s/%s" % (L7P, d["pol"]))["name"] == "pol-renamed"
    assert status(c, "%s/%s" % (LISTENERS, d["li"])) == "ACTIVE"
    env.close()


def test_deletes_wait_for_the_worker(env):
    c = env.c
    a = build(c)
    d = build(c, with_hm=False)
    env.stop_worker()
    assert c.delete("%s/%s" % (LISTENERS, d["li"])).status == 204
    assert status(c, "%s/%s" % (LISTENERS, d["li"])) == "PENDING_DELETE"
    assert status(c, "%s/%s" % (LB, d["lb"])) == "PENDING_UPDATE"
    assert c.delete("%s/%s" % (LB, a["lb"]), params={"cascade": "true"}).status == 204
    assert status(c, "%s/%s" % (LB, a["lb"])) == "PENDING_DELETE"
    # children keep their status until the worker deletes them
    assert status(c, "%s/%s" % (LISTENERS, a["li"])) == "ACTIVE"
    h.assert_fault(c.delete("%s/%s" % (LB, a["lb"]), params={"cascade": "true"}), 409,
                   lb_locked(a["lb"], "PENDING_DELETE"))
    h.assert_fault(c.put("%s/%s" % (LISTENERS, a["li"]), {"listener": {"name": "x"}}), 409,
                   immutable("Load Balancer", a["lb"]))
    env.start_worker()
    h.wait_gone(c, "%s/%s" % (LISTENERS, d["li"]))
    h.wait_lb(c, d["lb"])
    h.wait_gone(c, "%s/%s" % (LB, a["lb"]))
    for path in ("%s/%s" % (LISTENERS, a["li"]), "%s/%s" % (POOLS, a["pool"]), "%s/%s" % (HMS, a["hm"]),
                 "%s/%s" % (L7P, a["pol"]), "%s/%s/members/%s" % (POOLS, a["pool"], a["m"])):
        assert c.get(path).status == 404, path
    # no PENDING_* anywhere
    for path, key in ((LB, "loadbalancers"), (LISTENERS, "listeners"), (POOLS, "pools"), (L7P, "l7policies")):
        assert [x for x in h.list_all(c, path, key) if x["provisioning_status"] != "ACTIVE"] == [], path
    env.close()


def test_lock_is_atomic_under_concurrency():
    """20 concurrent child creates on one ACTIVE LB with no worker running: exactly one wins (201),
    the others get the exact 409; likewise for 20 concurrent LB updates on another LB."""
    import concurrent.futures
    state = h.make_state_dir()
    api = h.OctaneProcess("api", state).start()
    worker = h.OctaneProcess("worker", state).start()
    try:
        c = h.Client(api.base_url, project="race")
        lb1 = h.create_lb(c)
        lb2 = h.create_lb(c)
        worker.stop()

        def post_listener(port):
            cl = h.Client(api.base_url, project="race")
            try:
                return cl.post(LISTENERS, {"listener": {"loadbalancer_id": lb1["id"], "protocol": "TCP",
                                                        "protocol_port": port}})
            finally:
                cl.close()

        def put_lb(i):
            cl = h.Client(api.base_url, project="race")
            try:
                return cl.put("%s/%s" % (LB, lb2["id"]), {"loadbalancer": {"name": "n%d" % i}})
            finally:
                cl.close()

        with concurrent.futures.ThreadPoolExecutor(max_workers=10) as ex:
            rs = list(ex.map(post_listener, range(1000, 1020)))
            us = list(ex.map(put_lb, range(20)))
        assert sorted(r.status for r in rs) == [201] + [409] * 19, [r.status for r in rs]
        for r in rs:
            if r.status == 409:
                h.assert_fault(r, 409, immutable("Load Balancer", lb1["id"]))
        assert len(h.list_all(c, LISTENERS, "listeners", {"loadbalancer_id": lb1["id"]})) == 1
        assert sorted(r.status for r in us) == [200] + [409] * 19, [r.status for r in us]
        winner = [r for r in us if r.status == 200][0].json["loadbalancer"]["name"]
        for r in us:
            if r.status == 409:
                h.assert_fault(r, 409, lb_locked(lb2["id"], "PENDING_UPDATE"))
        worker = h.OctaneProcess("worker", state).start()
        assert h.wait_lb(c, lb2["id"])["name"] == winner
        h.wait_lb(c, lb1["id"])
        worker.stop()
        api.stop()
    finally:
        for p in (worker, api):
            if p.alive():
                p.kill9()
        shutil.rmtree(state, ignore_errors=True)
