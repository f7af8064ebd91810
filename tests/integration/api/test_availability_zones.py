"""Availability zones (keyed by name) and availability zone profiles.

Facts: docs/octavia-api.md §1, §2.10; reference Octavia 11 (probed).
"""
import json

import pytest

import octane_server as h

AZP = "/v2/lbaas/availabilityzoneprofiles"
AZ = "/v2/lbaas/availabilityzones"
NIL = "00000000-0000-0000-0000-000000000000"


def make_profile(c, data=json.dumps({"compute_zone": "nova"})):
    r = c.post(AZP, {"availability_zone_profile": {"name": h.uniq("azp"), "provider_name": "amphora",
                                                   "availability_zone_data": data}})
    assert r.status == 201, r
    return r.json["availability_zone_profile"]


def test_profile_crud(c):
    p = make_profile(c)
    assert set(p) == {"id", "name", "provider_name", "availability_zone_data"}
    assert json.loads(p["availability_zone_data"]) == {"compute_zone": "nova"}
    assert c.get("%s/%s" % (AZP, p["id"])).json["availability_zone_profile"] == p
    r = c.get(AZP)
    assert r.status == 200 and "availability_zone_profile_links" in r.json  # sic
    assert p in r.json["availability_zone_profiles"]
    r = c.put("%s/%s" % (AZP, p["id"]), {"availability_zone_profile": {"name": "renamed"}})
    assert r.status == 200 and r.json["availability_zone_profile"]["name"] == "renamed", r
    assert c.delete("%s/%s" % (AZP, p["id"])).status == 204
    assert c.get("%s/%s" % (AZP, p["id"])).status == 404
    assert c.get("%s/%s" % (AZP, NIL)).status == 404


@pytest.mark.parametrize("body,code,expect", [
    ({"name": "x", "provider_name": "amphora", "availability_zone_data": "nope"}, 400,
     "nope is not a valid option for availability_zone_data"),
    ({"name": "x", "provider_name": "bogus", "availability_zone_data": "{}"}, 400, "Provider 'bogus' is not enabled."),
    ({"name": "x", "provider_name": "amphora", "availability_zone_data": json.dumps({"bogus": 1})}, 501, None),
    ({"name": "x", "provider_name": "amphora"}, 400, "availability_zone_data"),
])
def test_profile_validation(c, body, code, expect):
    before = h.list_all(c, AZP, "availability_zone_profiles")
    body = dict(body, **({"name": h.uniq("x")} if "name" in body else {}))  # names need not be unique; keep cases independent
    fs = h.assert_fault(c.post(AZP, {"availability_zone_profile": body}), code)
    if expect:
        assert expect in fs, fs
    assert h.list_all(c, AZP, "availability_zone_profiles") == before


def test_az_crud_and_rules(c):
    p = make_profile(c)
    name = h.uniq("az")
    r = c.post(AZ, {"availability_zone": {"name": name, "availability_zone_profile_id": p["id"], "description": "d"}})
    assert r.status == 201, r
    az = r.json["availability_zone"]
    assert az == {"name": name, "description": "d", "enabled": True, "availability_zone_profile_id": p["id"]}
    assert c.get("%s/%s" % (AZ, name)).json["availability_zone"] == az
    r = c.get(AZ)
    assert r.status == 200 and "availability_zones_links" in r.json and az in r.json["availability_zones"]
    h.assert_fault(c.post(AZ, {"availability_zone": {"name": name, "availability_zone_profile_id": p["id"]}}), 409,
                   "A availability zone of %s already exists." % name)
    h.assert_fault(c.get("%s/nope-%s" % (AZ, name)), 404, "Availability Zone nope-%s not found." % name)
    # an LB in the AZ
    lb = h.create_lb(c, availability_zone=name)
    assert lb["availability_zone"] == name
    h.assert_fault(c.delete("%s/%s" % (AZP, p["id"])), 409,
                   "Availability Zone Profile %s is in use and cannot be modified." % p["id"])
    # PUT: description and enabled only
    r = c.put("%s/%s" % (AZ, name), {"availability_zone": {"description": "e", "enabled": False}})
    assert r.status == 200, r
    assert r.json["availability_zone"]["description"] == "e" and r.json["availability_zone"]["enabled"] is False
    h.assert_fault(c.put("%s/%s" % (AZ, name), {"availability_zone": {"name": "other"}}), 400, contains="name")
    r = c.post(h.LB, {"loadbalancer": {"vip_subnet_id": h.SUBNET_ID, "availability_zone": name}})
    h.assert_fault(r, 400, "The selected availability_zone is not allowed in this deployment: %s" % name)
    r = c.post(h.LB, {"loadbalancer": {"vip_subnet_id": h.SUBNET_ID, "availability_zone": "nope-" + name}})
    h.assert_fault(r, 400, "Validation failure: Invalid availability zone.")
    h.cascade_delete(c, lb["id"])
    assert c.delete("%s/%s" % (AZ, name)).status == 204
    assert c.get("%s/%s" % (AZ, name)).status == 404
    assert c.delete("%s/%s" % (AZP, p["id"])).status == 204


def test_az_validation(c):
    p = make_profile(c)
    h.assert_fault(c.post(AZ, {"availability_zone": {"availability_zone_profile_id": p["id"]}}), 400, contains="name")
    h.assert_fault(c.post(AZ, {"availability_zone": {"name": h.uniq("az")}}), 400,
                   contains="availability_zone_profile_id")
    h.assert_fault(c.post(AZ, {"availability_zone": {"name": h.uniq("az"), "availability_zone_profile_id": "x"}}),
                   400, contains="availability_zone_profile_id")


def test_profile_names_need_not_be_unique(c):
    """Reference: two AZ profiles with the same name are both created (only AZ names are unique)."""
    name = h.uniq("same")
    ids = []
    for _ in range(2):
        r = c.post(AZP, {"availability_zone_profile": {"name": name, "provider_name": "amphora",
                                                       "availability_zone_data": "{}"}})
        assert r.status == 201, r
        ids.append(r.json["availability_zone_profile"]["id"])
    assert ids[0] != ids[1]
    for i in ids:
        assert c.delete("%s/%s" % (AZP, i)).status == 204


def test_profile_list_sorts(c):
    names = ["sort-b-" + h.uniq(), "sort-c-" + h.uniq(), "sort-a-" + h.uniq()]
    for name in names:
        r = c.post(AZP, {"availability_zone_profile": {"name": name, "provider_name": "amphora",
                                                       "availability_zone_data": json.dumps({"compute_zone": "nova"})}})
        assert r.status == 201, r
    for sort, reverse in (("name:desc", True), ("name:asc", False)):
        r = c.get(AZP, params={"sort": sort})
        assert r.status == 200, r
        got = [x["name"] for x in r.json["availability_zone_profiles"] if x["name"].startswith("sort-")]
        assert got == sorted(names, reverse=reverse), (sort, got)
