"""List semantics (docs/octavia-api.md §5): filters (incl. translated names, booleans), unknown
filter 400, tags filters, sort / sort_key / sort_dir, limit / marker / page_reverse with links, bad
marker 400, fields=, project scoping.

Facts: docs/octavia-api.md §5; reference Octavia 11 (probed: link hrefs, marker errors, sort errors).
"""
import urllib.parse

import pytest

import octane_server as h
from octane_server import LB, LISTENERS, POOLS, HMS

NOT_VALID = "One or more arguments are either duplicate or invalid"


@pytest.fixture(scope="module")
def lbs(c):
    """Four LBs in the module's project, created in this order."""
    out = {}
    out["alpha"] = h.create_lb(c, name="alpha", tags=["a", "b"], wait=False)
    out["beta"] = h.create_lb(c, name="beta", tags=["a"], admin_state_up=False, wait=False)
    out["gamma"] = h.create_lb(c, name="gamma", tags=["b"], vip_address="10.0.0.7", wait=False)
    out["delta"] = h.create_lb(c, name="delta", wait=False)
    for lb in out.values():
        h.wait_lb(c, lb["id"])
    return out


def names(c, params, path=LB, key="loadbalancers"):
    p = {"project_id": c.project}
    p.update(params)
    r = c.get(path, params=p)
    assert r.status == 200, r
    return sorted(x["name"] for x in r.json[key])


def test_filters(c, lbs):
    assert names(c, {}) == ["alpha", "beta", "delta", "gamma"]
    assert names(c, {"name": "alpha"}) == ["alpha"]
    assert names(c, {"name": "nope"}) == []
    assert names(c, {"admin_state_up": "false"}) == ["beta"]
    assert names(c, {"admin_state_up": "False"}) == ["beta"]
    assert names(c, {"admin_state_up": "true"}) == ["alpha", "delta", "gamma"]
    assert names(c, {"admin_state_up": "1"}) == ["alpha", "delta", "gamma"]
    assert names(c, {"vip_address": "10.0.0.7"}) == ["gamma"]
    assert names(c, {"provisioning_status": "ACTIVE"}) == ["alpha", "beta", "delta", "gamma"]
    assert names(c, {"operating_status": "ONLINE"}) == []
    assert names(c, {"name": "alpha", "admin_state_up": "false"}) == []
    assert names(c, {"id": lbs["delta"]["id"]}) == ["delta"]


def test_unknown_filter_is_400(c, lbs):
    for params in ({"bogus": "1"}, {"show_deleted": "1"}, {"nme": "alpha"}):
        h.assert_fault(c.get(LB, params=params), 400, NOT_VALID)
    h.assert_fault(c.get(LISTENERS, params={"bogus": "1"}), 400, NOT_VALID)
    h.assert_fault(c.get(POOLS, params={"bogus": "1"}), 400, NOT_VALID)


def test_tags_filters(c, lbs):
    assert names(c, {"tags": "a,b"}) == ["alpha"]
    assert names(c, {"tags": ["a", "b"]}) == ["alpha"]          # repeated parameter
    assert names(c, {"tags": "a"}) == ["alpha", "beta"]
    assert names(c, {"tags-any": "a,b"}) == ["alpha", "beta", "gamma"]
    assert names(c, {"not-tags": "a,b"}) == ["beta", "delta", "gamma"]
    assert names(c, {"not-tags-any": "a,b"}) == ["delta"]
    assert names(c, {"tags": "zzz"}) == []


def ordered(c, params, path=LB, key="loadbalancers"):
    p = {"project_id": c.project}
    p.update(params)
    r = c.get(path, params=p)
    assert r.status == 200, r
    return [x["name"] for x in r.json[key]]


def test_sorting(c, lbs):
    assert ordered(c, {"sort": "name:asc"}) == ["alpha", "beta", "delta", "gamma"]
    assert ordered(c, {"sort": "name:desc"}) == ["gamma", "delta", "beta", "alpha"]
    assert ordered(c, {"sort": "name"}) == ["alpha", "beta", "delta", "gamma"]
    assert ordered(c, {"sort_key": "name", "sort_dir": "desc"}) == ["gamma", "delta", "beta", "alpha"]
    assert ordered(c, {"sort_key": "name"}) == ["alpha", "beta", "delta", "gamma"]
    # admin_state_up false sorts first, then name descending
    assert ordered(c, {"sort": "admin_state_up:asc,name:desc"}) == ["beta", "gamma", "delta", "alpha"]
    assert ordered(c, {"sort_key": "admin_state_up,name", "sort_dir": "desc,asc"}) == ["alpha", "delta", "gamma", "beta"]


def test_bad_sort(c, lbs):
    h.assert_fault(c.get(LB, params={"sort": "bogus"}), 400, "Supplied sort key 'bogus' is not valid.")
    h.assert_fault(c.get(LB, params={"sort_key": "bogus"}), 400, "Supplied sort key 'bogus' is not valid.")
    # the reference answers bad directions with an HTML 400; the code is what counts here
    assert c.get(LB, params={"sort": "name:sideways"}).status == 400
    assert c.get(LB, params={"sort_key": "name", "sort_dir": "up"}).status == 400


@pytest.mark.reference_differs  # reference: HTML bodies for these 400s
def test_bad_sort_dir_and_limit_fault_bodies(c, lbs):
    h.assert_fault(c.get(LB, params={"sort": "name:sideways"}), 400, contains="sideways")
    h.assert_fault(c.get(LB, params={"sort_key": "name", "sort_dir": "up"}), 400, contains="up")
    h.assert_fault(c.get(LB, params={"limit": "abc"}), 400, contains="abc")


def _links(js, key="loadbalancers_links"):
    return {x["rel"]: x["href"] for x in js[key]}


def _query(href):
    u = urllib.parse.urlparse(href)
    return u.path, urllib.parse.parse_qs(u.query)


def test_pagination_links(c, lbs, server):
    # the whole list in one order (links do not carry filters, so page over everything)
    full = [x["id"] for x in h.list_all(c, LB, "loadbalancers", {"sort": "name:asc", "fields": "id"})]
    assert len(full) >= 4
    r = c.get(LB, params={"limit": 2, "sort": "name:asc"})
    assert r.status == 200, r
    page1 = [x["id"] for x in r.json["loadbalancers"]]
    assert page1 == full[:2]
    links = _links(r.json)
    assert set(links) == {"next"}, links          # no marker given -> no previous
    path, q = _query(links["next"])
    assert links["next"].startswith(server + "/v2/lbaas/loadbalancers?")
    assert path == "/v2/lbaas/loadbalancers"
    assert q["limit"] == ["2"] and q["marker"] == [page1[-1]] and q["sort"] == ["name:asc"]
    r2 = c.get(links["next"])
    assert r2.status == 200, r2
    page2 = [x["id"] for x in r2.json["loadbalancers"]]
    assert page2 == full[2:4]
    links2 = _links(r2.json)
    assert "previous" in links2
    path, q = _query(links2["previous"])
    assert q["marker"] == [page2[0]] and q["limit"] == ["2"]
    assert [v.lower() for v in q["page_reverse"]] == ["true"]
    back = c.get(links2["previous"])
    assert back.status == 200, back
    assert [x["id"] for x in back.json["loadbalancers"]] == page1
    # walk all pages with a bounded loop; every id exactly once
    seen, url = [], "%s?limit=3&sort=name:asc" % LB
    for _ in range(len(full)):
        r = c.get(url)
        assert r.status == 200, r
        seen += [x["id"] for x in r.json["loadbalancers"]]
        nxt = _links(r.json).get("next")
        if not nxt:
            break
        url = nxt
    assert seen == full


def test_marker_without_limit_and_empty_page(c, lbs):
    full = [x["id"] for x in h.list_all(c, LB, "loadbalancers", {"sort": "name:asc"})]
    r = c.get(LB, params={"marker": full[-1], "sort": "name:asc"})
    assert r.status == 200, r
    assert r.json["loadbalancers"] == [] and r.json["loadbalancers_links"] == []
    r = c.get(LB, params={"project_id": "nobody-" + c.project})
    assert r.status == 200 and r.json == {"loadbalancers": [], "loadbalancers_links": []}


def test_bad_marker(c, lbs):
    for m in ("00000000-1111-2222-3333-444444444444", "abc"):
        h.assert_fault(c.get(LB, params={"marker": m}), 400, "Supplied pagination marker '%s' is not valid." % m)


# the reference crashes (500) on limit < 1; docs/octavia-api.md §5.1: no limit
@pytest.mark.reference_differs
def test_limit_below_one_means_no_limit(c, lbs):
    for lim in ("0", "-1"):
        assert names(c, {"limit": lim}) == ["alpha", "beta", "delta", "gamma"]


def test_fields(c, lbs):
    r = c.get(LB, params={"project_id": c.project, "fields": ["id", "name"]})
    assert r.status == 200, r
    assert all(set(x) == {"id", "name"} for x in r.json["loadbalancers"])
    assert sorted(x["name"] for x in r.json["loadbalancers"]) == ["alpha", "beta", "delta", "gamma"]
    r = c.get("%s/%s" % (LB, lbs["alpha"]["id"]), params={"fields": ["provisioning_status", "operating_status"]})
    assert r.status == 200, r
    assert r.json == {"loadbalancer": {"provisioning_status": "ACTIVE", "operating_status": "OFFLINE"}}


def test_project_scoping(c, lbs, server):
    other = h.Client(server, project="other-" + c.project)
    olb = h.create_lb(other, name="other-lb")
    mine = names(c, {})
    assert "other-lb" not in mine
    assert names(other, {}) == ["other-lb"]
    # noauth = admin: without a project filter every project is listed
    r = c.get(LB, params={"fields": ["id", "project_id"]})
    projects = {x["project_id"] for x in r.json["loadbalancers"]}
    assert {c.project, other.project} <= projects
    # and another project's LB can be read
    assert c.get("%s/%s" % (LB, olb["id"])).status == 200
    h.cascade_delete(other, olb["id"], wait=False)


def test_child_filters_translated_names(c, lbs):
    lb = lbs["alpha"]
    li = h.create_listener(c, lb["id"], "HTTP", 80, name="l80")
    h.create_listener(c, lb["id"], "TCP", 81, name="l81")
    assert names(c, {"loadbalancer_id": lb["id"]}, LISTENERS, "listeners") == ["l80", "l81"]
    assert names(c, {"loadbalancer_id": lb["id"], "protocol_port": "81"}, LISTENERS, "listeners") == ["l81"]
    assert names(c, {"loadbalancer_id": lb["id"], "protocol": "HTTP"}, LISTENERS, "listeners") == ["l80"]
    pool = h.create_pool(c, lb["id"], "HTTP", listener_id=li["id"], name="p80")
    assert names(c, {"loadbalancer_id": lb["id"]}, POOLS, "pools") == ["p80"]
    assert names(c, {"lb_algorithm": "ROUND_ROBIN", "loadbalancer_id": lb["id"]}, POOLS, "pools") == ["p80"]
    h.create_member(c, lb["id"], pool["id"], "10.0.0.1", 80, name="m1")
    h.create_member(c, lb["id"], pool["id"], "10.0.0.2", 80, name="m2", admin_state_up=False)
    mp = "%s/%s/members" % (POOLS, pool["id"])
    r = c.get(mp, params={"address": "10.0.0.2"})
    assert r.status == 200 and [x["name"] for x in r.json["members"]] == ["m2"], r
    r = c.get(mp, params={"admin_state_up": "false"})
    assert [x["name"] for x in r.json["members"]] == ["m2"]
    h.assert_fault(c.get(mp, params={"bogus": "x"}), 400, NOT_VALID)
    h.create_hm(c, lb["id"], pool["id"], "HTTP", max_retries=4, name="hm4")
    assert names(c, {"max_retries": "4"}, HMS, "healthmonitors") == ["hm4"]
    assert names(c, {"max_retries": "5"}, HMS, "healthmonitors") == []
    # members paginate too
    r = c.get(mp, params={"limit": 1})
    assert len(r.json["members"]) == 1 and "next" in _links(r.json, "members_links")
