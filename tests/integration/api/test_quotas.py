"""Quotas: defaults, PUT 202, DELETE 202 (reset to defaults), list, validation. Not enforced under noauth.

Facts: docs/octavia-api.md §1 (quota rows), §2.10, §6; reference Octavia 11 (probed): GET one shows the
deprecated spellings load_balancer/health_monitor, the list shows both spellings.
"""
import pytest

import octane_server as h
from octane_server import QUOTAS, LB

RESOURCES = ["loadbalancer", "listener", "member", "pool", "healthmonitor", "l7policy", "l7rule"]
ALIASES = {"loadbalancer": "load_balancer", "healthmonitor": "health_monitor"}


def value(q, res):
    """A quota value under either spelling (both must agree when both are present)."""
    names = [res] + ([ALIASES[res]] if res in ALIASES else [])
    present = [q[n] for n in names if n in q]
    assert present, "quota %s missing in %r" % (res, q)
    assert all(v == present[0] for v in present), q
    return present[0]


def test_defaults(c):
    p = h.uniq("qp")
    for path in ("%s/%s" % (QUOTAS, p), "%s/%s/default" % (QUOTAS, p), "%s/defaults" % QUOTAS):
        r = c.get(path)
        assert r.status == 200, r
        q = r.json["quota"]
        for res in RESOURCES:
            assert value(q, res) == -1, (path, res, q)


def test_put_get_list_delete(c):
    p = h.uniq("qp")
    r = c.put("%s/%s" % (QUOTAS, p), {"quota": {"loadbalancer": 5, "member": 100, "l7rule": 0}})
    assert r.status == 202, r
    q = r.json["quota"]
    assert value(q, "loadbalancer") == 5 and value(q, "member") == 100 and value(q, "l7rule") == 0
    assert value(q, "listener") == -1  # unset -> configured default
    q = c.get("%s/%s" % (QUOTAS, p)).json["quota"]
    assert value(q, "loadbalancer") == 5 and value(q, "member") == 100 and value(q, "pool") == -1
    # the deprecated spelling is accepted on PUT
    r = c.put("%s/%s" % (QUOTAS, p), {"quota": {"health_monitor": 7}})
    assert r.status == 202, r
    q = c.get("%s/%s" % (QUOTAS, p)).json["quota"]
    assert value(q, "healthmonitor") == 7 and value(q, "loadbalancer") == 5
    # the defaults endpoint is unaffected
    assert value(c.get("%s/%s/default" % (QUOTAS, p)).json["quota"], "loadbalancer") == -1
    # the list has the project, with project_id and tenant_id
    rows = [x for x in h.list_all(c, QUOTAS, "quotas") if x["project_id"] == p]
    assert len(rows) == 1, rows
    assert rows[0]["tenant_id"] == p and value(rows[0], "loadbalancer") == 5
    # the list shows stored values: never-set ones are null (reference), not the default
    assert rows[0]["listener"] is None and rows[0]["pool"] is None, rows[0]
    assert "quotas_links" in c.get(QUOTAS).json
    # project filter
    r = c.get(QUOTAS, params={"project_id": p})
    assert r.status == 200 and [x["project_id"] for x in r.json["quotas"]] == [p]
    # DELETE -> 202, back to defaults
    r = c.delete("%s/%s" % (QUOTAS, p))
    assert r.status == 202, r
    q = c.get("%s/%s" % (QUOTAS, p)).json["quota"]
    for res in RESOURCES:
        assert value(q, res) == -1, res


def test_null_resets_to_default(c):
    p = h.uniq("qp")
    assert c.put("%s/%s" % (QUOTAS, p), {"quota": {"pool": 3}}).status == 202
    assert c.put("%s/%s" % (QUOTAS, p), {"quota": {"pool": None}}).status == 202
    assert value(c.get("%s/%s" % (QUOTAS, p)).json["quota"], "pool") == -1


@pytest.mark.parametrize("body,contains", [
    ({"loadbalancer": -2}, "loadbalancer"),
    ({"loadbalancer": 2000000001}, "loadbalancer"),
    ({"member": "many"}, "member"),
    ({"bogus": 1}, "bogus"),
])
def test_put_validation(c, body, contains):
    p = h.uniq("qp")
    h.assert_fault(c.put("%s/%s" % (QUOTAS, p), {"quota": body}), 400, contains=contains)
    q = c.get("%s/%s" % (QUOTAS, p)).json["quota"]
    assert all(value(q, res) == -1 for res in RESOURCES)


def test_not_enforced_under_noauth(c):
    """docs/octavia-api.md §6: quota checks are skipped under noauth, so a 0 quota does not block creates."""
    assert c.put("%s/%s" % (QUOTAS, c.project), {"quota": {"loadbalancer": 0}}).status == 202
    try:
        lb = h.create_lb(c)
        assert lb["provisioning_status"] == "ACTIVE"
        h.cascade_delete(c, lb["id"], wait=False)
    finally:
        assert c.delete("%s/%s" % (QUOTAS, c.project)).status == 202
