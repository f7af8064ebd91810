"""Members: fields/defaults, duplicate 409, operating_status NO_MONITOR/OFFLINE, update, delete,
batch PUT (create/update/delete, additive_only, duplicate key), validation.

Facts: docs/octavia-api.md §2.6; the reference Octavia 11 (probed).
"""
import pytest

import octane_server as h
from octane_server import POOLS, SUBNET_ID

MEMBER_KEYS = {"id", "name", "operating_status", "provisioning_status", "admin_state_up", "address",
               "protocol_port", "weight", "backup", "subnet_id", "project_id", "tenant_id", "created_at",
               "updated_at", "monitor_address", "monitor_port", "tags"}


@pytest.fixture(scope="module")
def lb(c):
    return h.create_lb(c)


@pytest.fixture(scope="module")
def pool(c, lb):
    li = h.create_listener(c, lb["id"], "TCP", 22)
    return h.create_pool(c, lb["id"], "TCP", listener_id=li["id"])


def mpath(pool_id, mid=""):
    return "%s/%s/members%s" % (POOLS, pool_id, "/" + mid if mid else "")


def members_of(c, pool_id):
    return h.list_all(c, mpath(pool_id), "members")


def test_create_defaults_and_duplicate(c, lb, pool, project):
    r = c.post(mpath(pool["id"]), {"member": {"address": "192.168.101.79", "protocol_port": 22,
                                              "subnet_id": SUBNET_ID}})
    assert r.status == 201, r
    m = r.json["member"]
    assert MEMBER_KEYS <= set(m), MEMBER_KEYS - set(m)
    assert "pool_id" not in m
    assert m["provisioning_status"] == "PENDING_CREATE" and m["operating_status"] == "NO_MONITOR"
    assert m["name"] == "" and m["admin_state_up"] is True and m["weight"] == 1 and m["backup"] is False
    assert m["monitor_address"] is None and m["monitor_port"] is None and m["tags"] == []
    assert m["subnet_id"] == SUBNET_ID
    assert m["project_id"] == project and m["tenant_id"] == project
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, mpath(pool["id"], m["id"]))
    assert got["operating_status"] == "NO_MONITOR"
    assert h.wait_active(c, "%s/%s" % (POOLS, pool["id"]))["members"] == [{"id": m["id"]}]
    r = c.post(mpath(pool["id"]), {"member": {"address": "192.168.101.79", "protocol_port": 22}})
    h.assert_fault(r, 409, "Another member on this pool is already using ip 192.168.101.79 on protocol_port 22")
    assert h.wait_lb(c, lb["id"])["provisioning_status"] == "ACTIVE"
    # same address, other port is fine
    h.create_member(c, lb["id"], pool["id"], "192.168.101.79", 23)


def test_update_and_null_resets(c, lb, pool):
    m = h.create_member(c, lb["id"], pool["id"], "10.1.0.1", 80, name="m", weight=10, backup=True,
                        monitor_address="10.9.9.9", monitor_port=8080, tags=["a"])
    got = c.get(mpath(pool["id"], m["id"])).json["member"]
    assert (got["weight"], got["backup"], got["monitor_address"], got["monitor_port"]) == (10, True, "10.9.9.9", 8080)
    r = c.put(mpath(pool["id"], m["id"]), {"member": {"weight": None, "backup": None, "name": "m2",
                                                       "admin_state_up": False}})
    assert r.status == 200, r
    assert r.json["member"]["provisioning_status"] == "PENDING_UPDATE"
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, mpath(pool["id"], m["id"]))
    assert got["weight"] == 1 and got["backup"] is False and got["name"] == "m2" and got["admin_state_up"] is False
    assert got["monitor_port"] == 8080
    h.assert_fault(c.put(mpath(pool["id"], m["id"]), {"member": {"address": "10.1.0.2"}}), 400, contains="address")
    h.assert_fault(c.put(mpath(pool["id"], m["id"]), {"member": {"weight": 257}}), 400,
                   "Invalid input for field/attribute weight. Value: '257'. Value should be lower or equal to 256")


def test_delete_and_wrong_pool_404(c, lb, pool):
    m = h.create_member(c, lb["id"], pool["id"], "10.1.0.3", 80)
    other = h.create_pool(c, lb["id"], "HTTP")
    h.assert_fault(c.get(mpath(other["id"], m["id"])), 404, "Member %s not found." % m["id"])
    h.assert_fault(c.delete(mpath(other["id"], m["id"])), 404, "Member %s not found." % m["id"])
    assert c.delete(mpath(pool["id"], m["id"])).status == 204
    h.wait_gone(c, mpath(pool["id"], m["id"]))
    h.wait_lb(c, lb["id"])
    h.assert_fault(c.get(mpath(pool["id"], m["id"])), 404, "Member %s not found." % m["id"])
    nil = "00000000-0000-0000-0000-000000000000"
    h.assert_parent_404(c.get(mpath(nil)), "Pool %s not found." % nil)


def test_operating_status_with_health_monitor(c, lb):
    p = h.create_pool(c, lb["id"], "HTTP")
    before = h.create_member(c, lb["id"], p["id"], "10.2.0.1", 80)
    assert before["operating_status"] == "NO_MONITOR"
    hm = h.create_hm(c, lb["id"], p["id"], "HTTP")
    h.wait_active(c, "/v2/lbaas/healthmonitors/%s" % hm["id"])
    after = h.create_member(c, lb["id"], p["id"], "10.2.0.2", 80)
    assert after["operating_status"] == "OFFLINE"
    assert h.wait_active(c, mpath(p["id"], after["id"]))["operating_status"] == "OFFLINE"
    # reference: the existing member stays NO_MONITOR (no heartbeats)
    assert c.get(mpath(p["id"], before["id"])).json["member"]["operating_status"] == "NO_MONITOR"
    # deleting the HM sets every member of the pool to NO_MONITOR
    assert c.delete("/v2/lbaas/healthmonitors/%s" % hm["id"]).status == 204
    h.wait_gone(c, "/v2/lbaas/healthmonitors/%s" % hm["id"])
    h.wait_lb(c, lb["id"])
    h.poll_until(lambda: all(x["operating_status"] == "NO_MONITOR" for x in members_of(c, p["id"])),
                 what="members NO_MONITOR after HM delete")


@pytest.mark.parametrize("body,expect", [
    ({"address": "192.168.101.300", "protocol_port": 22},
     "Invalid input for field/attribute address. Value: '192.168.101.300'. Value should be IPv4 or IPv6 format"),
    ({"address": "10.0.0.1", "protocol_port": 0}, "protocol_port"),
    ({"address": "10.0.0.1", "protocol_port": 65536}, "protocol_port"),
    ({"address": "10.0.0.1"}, "protocol_port"),
    ({"protocol_port": 80}, "address"),
    ({"address": "10.0.0.1", "protocol_port": 80, "weight": -1}, "weight"),
    ({"address": "10.0.0.1", "protocol_port": 80, "weight": 257}, "weight"),
    ({"address": "10.0.0.1", "protocol_port": 80, "monitor_port": 70000}, "monitor_port"),
    ({"address": "10.0.0.1", "protocol_port": 80, "monitor_address": "nope"}, "monitor_address"),
    ({"address": "10.0.0.1", "protocol_port": 80, "subnet_id": "nope"}, "subnet_id"),
    ({"address": "10.0.0.1", "protocol_port": 80, "pool_id": "x"}, "pool_id"),
    ({"address": "169.254.169.254", "protocol_port": 80},
     "169.254.169.254 is not a valid option for member address"),
])
def test_create_validation(c, pool, body, expect):
    h.assert_fault(c.post(mpath(pool["id"]), {"member": body}), 400, contains=expect)


def test_ipv6_member(c, lb, pool):
    m = h.create_member(c, lb["id"], pool["id"], "2001:db8::10", 22)
    assert m["address"] == "2001:db8::10"


# ---------------------------------------------------------------------------------------------
# batch update

def _key(m):
    return (m["address"], m["protocol_port"])


def test_batch_update(c, lb):
    p = h.create_pool(c, lb["id"], "HTTP")
    a = h.create_member(c, lb["id"], p["id"], "10.3.0.1", 80, weight=1)
    b = h.create_member(c, lb["id"], p["id"], "10.3.0.2", 80)
    # a updated, b absent -> deleted, c new
    r = c.put(mpath(p["id"]), {"members": [{"address": "10.3.0.1", "protocol_port": 80, "weight": 7, "name": "a"},
                                           {"address": "10.3.0.3", "protocol_port": 80, "name": "c"}]})
    assert r.status == 202, r
    assert r.text == ""
    h.wait_lb(c, lb["id"])
    h.poll_until(lambda: {_key(m) for m in members_of(c, p["id"])} == {("10.3.0.1", 80), ("10.3.0.3", 80)}
                 and all(m["provisioning_status"] == "ACTIVE" for m in members_of(c, p["id"])),
                 what="batch result")
    ms = {_key(m): m for m in members_of(c, p["id"])}
    assert ms[("10.3.0.1", 80)]["id"] == a["id"]  # updated in place, id kept
    assert ms[("10.3.0.1", 80)]["weight"] == 7 and ms[("10.3.0.1", 80)]["name"] == "a"
    assert ms[("10.3.0.3", 80)]["name"] == "c"
    assert c.get(mpath(p["id"], b["id"])).status == 404
    # additive_only: absent members are kept
    r = c.put(mpath(p["id"]), {"members": [{"address": "10.3.0.4", "protocol_port": 80}]},
              params={"additive_only": "true"})
    assert r.status == 202, r
    h.wait_lb(c, lb["id"])
    h.poll_until(lambda: {_key(m) for m in members_of(c, p["id"]) if m["provisioning_status"] == "ACTIVE"}
                 == {("10.3.0.1", 80), ("10.3.0.3", 80), ("10.3.0.4", 80)}, what="additive result")
    # invalid item -> 400, nothing changes
    h.wait_lb(c, lb["id"])
    before = sorted((m["id"], m["weight"]) for m in members_of(c, p["id"]))
    r = c.put(mpath(p["id"]), {"members": [{"address": "10.3.0.999", "protocol_port": 80}]})
    h.assert_fault(r, 400, contains="address")
    assert sorted((m["id"], m["weight"]) for m in members_of(c, p["id"])) == before
    # empty list deletes every member
    r = c.put(mpath(p["id"]), {"members": []})
    assert r.status == 202, r
    h.wait_lb(c, lb["id"])
    h.poll_until(lambda: members_of(c, p["id"]) == [], what="all members deleted")


# Octavia 11 accepts the duplicate (202); newer Octavia (docs/octavia-api.md §2.6) rejects it
@pytest.mark.reference_differs
def test_batch_duplicate_key_is_400(c, lb):
    p = h.create_pool(c, lb["id"], "HTTP")
    h.create_member(c, lb["id"], p["id"], "10.4.0.1", 80, weight=1)
    before = sorted((m["id"], m["weight"]) for m in members_of(c, p["id"]))
    r = c.put(mpath(p["id"]), {"members": [{"address": "10.4.0.1", "protocol_port": 80},
                                           {"address": "10.4.0.1", "protocol_port": 80, "weight": 3}]})
    h.assert_fault(r, 400, contains="Member must be updated only once in the same request.")
    assert sorted((m["id"], m["weight"]) for m in members_of(c, p["id"])) == before
    assert h.wait_lb(c, lb["id"])["provisioning_status"] == "ACTIVE"


def test_batch_on_unknown_pool(c):
    nil = "00000000-0000-0000-0000-000000000000"
    r = c.put(mpath(nil), {"members": []})
    h.assert_parent_404(r, "Pool %s not found." % nil)


def test_batch_update_of_existing_member_fields(c, lb):
    """Reference (Octavia 11, probed): a batch item for an existing member keeps its id, name and tags,
    takes the given weight, and resets backup / admin_state_up to their defaults and monitor_* to null."""
    p = h.create_pool(c, lb["id"], "HTTP")
    m = h.create_member(c, lb["id"], p["id"], "10.5.0.1", 80, name="keep", weight=7, backup=True, monitor_port=81,
                        monitor_address="10.9.9.9", tags=["t"], admin_state_up=False)
    r = c.put(mpath(p["id"]), {"members": [{"address": "10.5.0.1", "protocol_port": 80, "weight": 4}]})
    assert r.status == 202, r
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, mpath(p["id"], m["id"]))
    assert {k: got[k] for k in ("id", "name", "weight", "backup", "monitor_port", "monitor_address", "tags",
                                "admin_state_up")} == \
        {"id": m["id"], "name": "keep", "weight": 4, "backup": False, "monitor_port": None, "monitor_address": None,
         "tags": ["t"], "admin_state_up": True}


def test_ipv6_addresses_kept_as_given(c, lb, pool):
    """Octavia validates address and monitor_address and stores the text it was given (tempest
    sends 2001:db8:0:0:0:0:0:1 and compares the answer with it)."""
    m = h.create_member(c, lb["id"], pool["id"], "2001:db8:0:0:0:0:0:1", 23,
                        monitor_address="2001:0db8:0:0:0:0:0:2", monitor_port=8080)
    assert m["address"] == "2001:db8:0:0:0:0:0:1" and m["monitor_address"] == "2001:0db8:0:0:0:0:0:2"
    shown = c.get("/v2/lbaas/pools/%s/members/%s" % (pool["id"], m["id"])).json["member"]
    assert shown["address"] == m["address"] and shown["monitor_address"] == m["monitor_address"]
    r = c.post("/v2/lbaas/pools/%s/members" % pool["id"],
               {"member": {"address": "2001:db8::1%eth0", "protocol_port": 24}})
    h.assert_fault(r, 400, contains="Value should be IPv4 or IPv6 format")
