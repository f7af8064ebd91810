"""Flavors and flavor profiles: CRUD, validation, uniqueness, in-use rules, LB with a flavor.

Facts: docs/octavia-api.md §1, §2.10; reference Octavia 11 (probed).
"""
import json

import pytest

import octane_server as h

FP = "/v2/lbaas/flavorprofiles"
FL = "/v2/lbaas/flavors"
NIL = "00000000-0000-0000-0000-000000000000"
SINGLE = json.dumps({"loadbalancer_topology": "SINGLE"})


def make_profile(c, data=SINGLE, name=None):
    r = c.post(FP, {"flavorprofile": {"name": name or h.uniq("fp"), "provider_name": "amphora", "flavor_data": data}})
    assert r.status == 201, r
    return r.json["flavorprofile"]


def make_flavor(c, fp_id, **kw):
    body = {"name": h.uniq("fl"), "flavor_profile_id": fp_id}
    body.update(kw)
    r = c.post(FL, {"flavor": body})
    assert r.status == 201, r
    return r.json["flavor"]


def test_profile_crud(c):
    fp = make_profile(c, name="fp-crud")
    assert set(fp) == {"id", "name", "provider_name", "flavor_data"}
    assert fp["name"] == "fp-crud" and fp["provider_name"] == "amphora"
    assert json.loads(fp["flavor_data"]) == {"loadbalancer_topology": "SINGLE"}
    assert c.get("%s/%s" % (FP, fp["id"])).json["flavorprofile"] == fp
    r = c.get(FP)
    assert r.status == 200 and "flavorprofile_links" in r.json  # sic: singular links key
    assert fp["id"] in [x["id"] for x in r.json["flavorprofiles"]]
    r = c.put("%s/%s" % (FP, fp["id"]), {"flavorprofile": {"name": "fp-renamed",
                                                            "flavor_data": json.dumps({"loadbalancer_topology": "ACTIVE_STANDBY"})}})
    assert r.status == 200, r
    assert r.json["flavorprofile"]["name"] == "fp-renamed"
    assert json.loads(r.json["flavorprofile"]["flavor_data"])["loadbalancer_topology"] == "ACTIVE_STANDBY"
    assert c.delete("%s/%s" % (FP, fp["id"])).status == 204
    h.assert_fault(c.get("%s/%s" % (FP, fp["id"])), 404, regex=r"^Flavor ?[Pp]rofile %s not found\.$" % fp["id"])


@pytest.mark.parametrize("body,code,expect", [
    ({"name": "x", "provider_name": "amphora", "flavor_data": "not json"}, 400,
     "not json is not a valid option for flavor_data"),
    ({"name": "x", "provider_name": "bogus", "flavor_data": "{}"}, 400, "Provider 'bogus' is not enabled."),
    ({"name": "x", "provider_name": "amphora", "flavor_data": json.dumps({"bogus_key": 1})}, 501, None),
    ({"name": "x", "provider_name": "amphora", "flavor_data": json.dumps({"loadbalancer_topology": "TRIPLE"})}, 501, None),
    ({"provider_name": "amphora", "flavor_data": "{}"}, 400, "name"),
    ({"name": "x", "flavor_data": "{}"}, 400, "provider_name"),
    ({"name": "x", "provider_name": "amphora"}, 400, "flavor_data"),
])
def test_profile_validation(c, body, code, expect):
    before = h.list_all(c, FP, "flavorprofiles")
    body = dict(body, **({"name": h.uniq("x")} if "name" in body else {}))  # names need not be unique; keep cases independent
    fs = h.assert_fault(c.post(FP, {"flavorprofile": body}), code)
    if expect:
        assert expect in fs, fs
    assert h.list_all(c, FP, "flavorprofiles") == before


def test_nil_uuid_is_404(c):
    for path in (FP, FL):
        assert c.get("%s/%s" % (path, NIL)).status == 404
        assert c.delete("%s/%s" % (path, NIL)).status == 404
    h.assert_fault(c.get("%s/%s" % (FL, NIL)), 404, "Flavor %s not found." % NIL)


def test_flavor_crud_and_rules(c):
    fp = make_profile(c)
    fl = make_flavor(c, fp["id"], name="gold", description="d")
    assert fl == {"id": fl["id"], "name": "gold", "description": "d", "enabled": True, "flavor_profile_id": fp["id"]}
    assert c.get("%s/%s" % (FL, fl["id"])).json["flavor"] == fl
    r = c.get(FL)
    assert r.status == 200 and "flavors_links" in r.json and fl in r.json["flavors"]
    # unique name
    r = c.post(FL, {"flavor": {"name": "gold", "flavor_profile_id": fp["id"]}})
    h.assert_fault(r, 409, "A flavor of gold already exists.")
    # profile in use: cannot change its data nor delete it
    h.assert_fault(c.put("%s/%s" % (FP, fp["id"]), {"flavorprofile": {"flavor_data": "{}"}}), 409,
                   "Flavor profile %s is in use and cannot be modified." % fp["id"])
    h.assert_fault(c.delete("%s/%s" % (FP, fp["id"])), 409,
                   "Flavor profile %s is in use and cannot be modified." % fp["id"])
    # an LB with the flavor
    lb = h.create_lb(c, flavor_id=fl["id"])
    assert lb["flavor_id"] == fl["id"]
    h.assert_fault(c.delete("%s/%s" % (FL, fl["id"])), 409, "Flavor %s is in use and cannot be modified." % fl["id"])
    # update: name/description/enabled only
    r = c.put("%s/%s" % (FL, fl["id"]), {"flavor": {"enabled": False, "name": "gold2", "description": "e"}})
    assert r.status == 200, r
    assert r.json["flavor"]["enabled"] is False and r.json["flavor"]["name"] == "gold2"
    h.assert_fault(c.put("%s/%s" % (FL, fl["id"]), {"flavor": {"flavor_profile_id": fp["id"]}}), 400,
                   contains="flavor_profile_id")
    # a disabled flavor cannot be used
    r = c.post(h.LB, {"loadbalancer": {"vip_subnet_id": h.SUBNET_ID, "flavor_id": fl["id"]}})
    h.assert_fault(r, 400, "The selected flavor is not allowed in this deployment: %s" % fl["id"])
    # an unknown flavor cannot be used
    r = c.post(h.LB, {"loadbalancer": {"vip_subnet_id": h.SUBNET_ID, "flavor_id": NIL[:-1] + "1"}})
    h.assert_fault(r, 400, "Validation failure: Invalid flavor_id.")
    h.cascade_delete(c, lb["id"])
    assert c.delete("%s/%s" % (FL, fl["id"])).status == 204
    assert c.get("%s/%s" % (FL, fl["id"])).status == 404
    assert c.delete("%s/%s" % (FP, fp["id"])).status == 204


def test_flavor_validation(c):
    fp = make_profile(c)
    h.assert_fault(c.post(FL, {"flavor": {"flavor_profile_id": fp["id"]}}), 400, contains="name")
    h.assert_fault(c.post(FL, {"flavor": {"name": h.uniq("f")}}), 400, contains="flavor_profile_id")
    h.assert_fault(c.post(FL, {"flavor": {"name": h.uniq("f"), "flavor_profile_id": "nope"}}), 400,
                   contains="flavor_profile_id")


@pytest.mark.reference_differs  # the reference answers 500 (an IntegrityError); never 500 here
def test_flavor_with_unknown_profile(c):
    r = c.post(FL, {"flavor": {"name": h.uniq("f"), "flavor_profile_id": NIL[:-1] + "1"}})
    assert r.status in (400, 404), r
    h.assert_fault(r, r.status)


def test_profile_names_need_not_be_unique(c):
    """Reference: two flavor profiles with the same name are both created (only flavor names are unique)."""
    name = h.uniq("same")
    a = make_profile(c, name=name)
    b = make_profile(c, name=name)
    assert a["id"] != b["id"]
    for p in (a, b):
        assert c.delete("%s/%s" % (FP, p["id"])).status == 204


def test_profile_list_sorts(c):
    names = ["sort-b-" + h.uniq(), "sort-c-" + h.uniq(), "sort-a-" + h.uniq()]
    for name in names:
        make_profile(c, name=name)
    for sort, reverse in (("name:desc", True), ("name:asc", False)):
        r = c.get(FP, params={"sort": sort})
        assert r.status == 200, r
        got = [x["name"] for x in r.json["flavorprofiles"] if x["name"].startswith("sort-")]
        assert got == sorted(names, reverse=reverse), (sort, got)
    h.assert_fault(c.get(FP, params={"sort": "bogus:asc"}), 400, "Supplied sort key 'bogus' is not valid.")
