"""Wire basics: version document, /v2, /v2.0 alias, routes without lbaas, .json suffix, request ids,
tenant_id mirror, noauth project rules.

Facts: docs/octavia-api.md §0, §0.1, §6; probes of the reference Octavia 11 (raw HTTP).
"""
import octane_server as h
from octane_server import LB

VERSION_DATES = {
    "v2.0": "2016-12-11T00:00:00Z", "v2.1": "2018-04-20T00:00:00Z", "v2.2": "2018-07-31T00:00:00Z",
    "v2.3": "2018-12-18T00:00:00Z", "v2.4": "2018-12-19T00:00:00Z", "v2.5": "2019-01-21T00:00:00Z",
    "v2.6": "2019-01-25T00:00:00Z", "v2.7": "2018-01-25T12:00:00Z", "v2.8": "2019-02-12T00:00:00Z",
    "v2.9": "2019-03-04T00:00:00Z", "v2.10": "2019-03-05T00:00:00Z", "v2.11": "2019-06-24T00:00:00Z",
    "v2.12": "2019-09-11T00:00:00Z", "v2.13": "2019-09-13T00:00:00Z", "v2.14": "2019-11-10T00:00:00Z",
    "v2.15": "2020-03-10T00:00:00Z", "v2.16": "2020-03-15T00:00:00Z", "v2.17": "2020-04-29T00:00:00Z",
    "v2.18": "2020-04-29T01:00:00Z", "v2.19": "2020-05-12T00:00:00Z", "v2.20": "2020-08-02T00:00:00Z",
    "v2.21": "2020-09-03T00:00:00Z", "v2.22": "2020-09-04T00:00:00Z", "v2.23": "2020-09-07T00:00:00Z",
    "v2.24": "2020-10-15T00:00:00Z", "v2.25": "2021-10-02T00:00:00Z", "v2.26": "2022-08-29T00:00:00Z",
    "v2.27": "2023-05-05T00:00:00Z", "v2.28": "2023-11-08T00:00:00Z", "v2.29": "2024-10-15T00:00:00Z",
    "v2.30": "2025-02-26T00:00:00Z",
}


def test_version_document(server):
    c = h.Client(server, project=None)
    r = c.get("/")
    assert r.status == 200, r
    assert r.headers["Content-Type"].startswith("application/json")
    vs = r.json["versions"]
    ids = [v["id"] for v in vs]
    # in order v2.0, v2.1, ... without gaps, at least up to the reference's v2.26
    assert ids == ["v2.%d" % i for i in range(len(ids))], ids
    assert len(ids) >= 27
    for v in vs:
        assert set(v) == {"id", "status", "updated", "links"}, v
        assert v["updated"] == VERSION_DATES[v["id"]], v
        assert v["links"] == [{"href": server + "/v2", "rel": "self"}], v
    assert [v["status"] for v in vs] == ["SUPPORTED"] * (len(vs) - 1) + ["CURRENT"]


def test_v2_root(server):
    c = h.Client(server)
    for path in ("/v2", "/v2/lbaas", "/v2.0"):
        r = c.get(path)
        assert r.status == 200, r
        assert r.json == "v2", r


def test_aliases(c):
    lb = h.create_lb(c)
    a = c.get("%s/%s" % (LB, lb["id"]))
    for path in ("/v2.0/lbaas/loadbalancers/%s", "/v2/loadbalancers/%s", "/v2.0/loadbalancers/%s"):
        r = c.get(path % lb["id"])
        assert r.status == 200, r
        assert r.json == a.json
    for path in ("/v2/loadbalancers", "/v2.0/lbaas/loadbalancers", "/v2/lbaas/loadbalancers.json"):
        r = c.get(path, params={"project_id": c.project})
        assert r.status == 200, r
        assert lb["id"] in [x["id"] for x in r.json["loadbalancers"]], path
    # create through the alias
    r = c.post("/v2/listeners", {"listener": {"loadbalancer_id": lb["id"], "protocol": "TCP", "protocol_port": 1}})
    assert r.status == 201, r
    h.wait_lb(c, lb["id"])
    assert c.get("/v2.0/lbaas/listeners/%s" % r.json["listener"]["id"]).status == 200


def test_request_id_header(c):
    seen = set()
    for r in (c.get("/"), c.get(LB), c.get("%s/%s" % (LB, "00000000-0000-0000-0000-000000000000")),
              c.post(LB, {"loadbalancer": {"name": "no-vip"}}), c.get(LB, params={"bogus": "1"})):
        rid = r.headers.get("x-openstack-request-id")
        assert rid and h.REQUEST_ID_RE.match(rid), (rid, r)
        seen.add(rid)
    assert len(seen) == 5


def test_json_content_type(c):
    for r in (c.get(LB), c.get("%s/%s" % (LB, "00000000-0000-0000-0000-000000000000"))):
        assert r.headers["Content-Type"].startswith("application/json"), r.headers


def test_tenant_id_mirrors_project_id(c):
    lb = h.create_lb(c)
    li = h.create_listener(c, lb["id"], "HTTP", 80)
    pool = h.create_pool(c, lb["id"], "HTTP", listener_id=li["id"])
    m = h.create_member(c, lb["id"], pool["id"], "10.0.0.1", 80)
    hm = h.create_hm(c, lb["id"], pool["id"])
    pol = h.create_l7policy(c, lb["id"], li["id"])
    rule = h.create_l7rule(c, lb["id"], pol["id"])
    for obj in (lb, li, pool, m, hm, pol, rule):
        assert obj["project_id"] == c.project and obj["tenant_id"] == c.project, obj
    for path, key in ((LB, "loadbalancers"), ("/v2/lbaas/listeners", "listeners"), ("/v2/lbaas/pools", "pools"),
                      ("/v2/lbaas/healthmonitors", "healthmonitors"), ("/v2/lbaas/l7policies", "l7policies")):
        for obj in h.list_all(c, path, key, {"project_id": c.project}):
            assert obj["tenant_id"] == obj["project_id"] == c.project


def test_unknown_routes_and_methods(c):
    # the reference answers these from the framework (HTML bodies); only the codes are checked
    assert c.get("/v2/lbaas/bogus").status == 404
    assert c.get("/no-such-root-path").status == 404
    assert c.request("PATCH", LB).status == 405
    # the reference: 400 "Missing argument: \"id\"" (never a 500)
    assert c.request("DELETE", LB).status in (400, 404, 405)


def test_accept_header_not_json_is_406(c):
    r = c.get(LB, headers={"Accept": "text/html"})
    assert r.status == 406, r
    r = c.get(LB, headers={"Accept": "*/*"})
    assert r.status == 200, r
