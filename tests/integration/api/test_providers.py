"""Providers and their flavor / availability-zone capabilities.

Facts: docs/octavia-api.md §1, §2.10; reference Octavia 11 (probed).
"""
import octane_server as h


def test_list(c):
    r = c.get("/v2/lbaas/providers")
    assert r.status == 200, r
    provs = {p["name"]: p for p in r.json["providers"]}
    assert "amphora" in provs
    for p in r.json["providers"]:
        assert set(p) == {"name", "description"} and isinstance(p["description"], str)


def test_flavor_capabilities(c):
    r = c.get("/v2/lbaas/providers/amphora/flavor_capabilities")
    assert r.status == 200, r
    caps = r.json["flavor_capabilities"]
    names = {x["name"] for x in caps}
    assert {"loadbalancer_topology", "compute_flavor", "amp_image_tag"} <= names, names
    assert all(set(x) == {"name", "description"} for x in caps)
    # filterable by name
    r = c.get("/v2/lbaas/providers/amphora/flavor_capabilities", params={"name": "compute_flavor"})
    assert r.status == 200 and [x["name"] for x in r.json["flavor_capabilities"]] == ["compute_flavor"]


def test_availability_zone_capabilities(c):
    r = c.get("/v2/lbaas/providers/amphora/availability_zone_capabilities")
    assert r.status == 200, r
    names = {x["name"] for x in r.json["availability_zone_capabilities"]}
    assert {"compute_zone", "management_network", "valid_vip_networks"} <= names, names


def test_unknown_provider(c):
    for kind in ("flavor_capabilities", "availability_zone_capabilities"):
        h.assert_fault(c.get("/v2/lbaas/providers/bogus/%s" % kind), 400, "Provider 'bogus' is not enabled.")


def test_lb_with_unknown_provider(c):
    r = c.post(h.LB, {"loadbalancer": {"vip_subnet_id": h.SUBNET_ID, "provider": "bogus"}})
    h.assert_fault(r, 400, "Provider 'bogus' is not enabled.")


def test_capabilities_honour_fields(c):
    for kind in ("flavor_capabilities", "availability_zone_capabilities"):
        r = c.get("/v2/lbaas/providers/amphora/" + kind, params={"fields": "name"})
        assert r.status == 200, r
        assert r.json[kind] and all(set(x) == {"name"} for x in r.json[kind]), r.json
        r = c.get("/v2/lbaas/providers/amphora/" + kind, params={"fields": "description"})
        assert all(set(x) == {"description"} for x in r.json[kind]), r.json
