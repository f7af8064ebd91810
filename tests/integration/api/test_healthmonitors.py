"""Health monitors: defaults per type, type/pool protocol compatibility, one per pool (409),
update (null -> default), delete, validation.

Facts: docs/octavia-api.md §2.7; the reference Octavia 11 (probed).
"""
import pytest

import octane_server as h
from octane_server import HMS, POOLS

HM_KEYS = {"id", "name", "type", "delay", "timeout", "max_retries", "max_retries_down", "http_method",
           "url_path", "expected_codes", "admin_state_up", "pools", "provisioning_status", "operating_status",
           "project_id", "tenant_id", "created_at", "updated_at", "tags", "http_version", "domain_name"}


@pytest.fixture(scope="module")
def lb(c):
    return h.create_lb(c)


@pytest.fixture(scope="module")
def hm_pool(c, lb):
    return h.create_pool(c, lb["id"], "HTTP")


def hpath(i):
    return "%s/%s" % (HMS, i)


def test_tcp_defaults(c, lb, project):
    p = h.create_pool(c, lb["id"], "TCP")
    r = c.post(HMS, {"healthmonitor": {"name": "hm-ssh", "pool_id": p["id"], "type": "TCP", "delay": 5,
                                       "timeout": 3, "max_retries": 3}})
    assert r.status == 201, r
    hm = r.json["healthmonitor"]
    assert HM_KEYS <= set(hm), HM_KEYS - set(hm)
    assert hm["provisioning_status"] == "PENDING_CREATE" and hm["operating_status"] == "OFFLINE"
    assert hm["pools"] == [{"id": p["id"]}]
    assert (hm["delay"], hm["timeout"], hm["max_retries"], hm["max_retries_down"]) == (5, 3, 3, 3)
    assert hm["http_method"] is None and hm["url_path"] is None and hm["expected_codes"] is None
    assert hm["http_version"] is None and hm["domain_name"] is None
    assert hm["admin_state_up"] is True and hm["tags"] == [] and hm["name"] == "hm-ssh"
    assert hm["project_id"] == project and hm["tenant_id"] == project
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, hpath(hm["id"]))
    assert got["operating_status"] == "ONLINE"  # set when the worker marks it ACTIVE
    assert h.wait_active(c, "%s/%s" % (POOLS, p["id"]))["healthmonitor_id"] == hm["id"]
    # one HM per pool
    r = c.post(HMS, {"healthmonitor": {"pool_id": p["id"], "type": "PING", "delay": 5, "timeout": 3,
                                       "max_retries": 3}})
    h.assert_fault(r, 409, "This pool already has a health monitor")
    assert h.wait_lb(c, lb["id"])["provisioning_status"] == "ACTIVE"


def test_http_defaults_update_and_null_resets(c, lb):
    p = h.create_pool(c, lb["id"], "HTTP")
    hm = h.create_hm(c, lb["id"], p["id"], "HTTP", max_retries=2)
    assert hm["http_method"] == "GET" and hm["url_path"] == "/" and hm["expected_codes"] == "200"
    assert hm["max_retries_down"] == 3
    r = c.put(hpath(hm["id"]), {"healthmonitor": {"http_method": "HEAD", "url_path": "/health",
                                                  "expected_codes": "200-204", "max_retries_down": 5,
                                                  "delay": 10, "admin_state_up": False, "name": "n"}})
    assert r.status == 200, r
    assert r.json["healthmonitor"]["provisioning_status"] == "PENDING_UPDATE"
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, hpath(hm["id"]))
    assert (got["http_method"], got["url_path"], got["expected_codes"], got["max_retries_down"], got["delay"]) == \
        ("HEAD", "/health", "200-204", 5, 10)
    assert got["operating_status"] == "OFFLINE"  # admin down -> OFFLINE once ACTIVE
    r = c.put(hpath(hm["id"]), {"healthmonitor": {"http_method": None, "url_path": None, "expected_codes": None,
                                                  "max_retries_down": None, "admin_state_up": True}})
    assert r.status == 200, r
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, hpath(hm["id"]))
    assert (got["http_method"], got["url_path"], got["expected_codes"], got["max_retries_down"]) == \
        ("GET", "/", "200", 3)
    assert got["operating_status"] == "ONLINE"
    # type and pool are immutable
    h.assert_fault(c.put(hpath(hm["id"]), {"healthmonitor": {"type": "TCP"}}), 400, contains="type")
    # delay/timeout/max_retries cannot be nulled
    h.assert_fault(c.put(hpath(hm["id"]), {"healthmonitor": {"delay": None}}), 400)


def test_http_version_and_domain(c, lb):
    p = h.create_pool(c, lb["id"], "HTTP")
    hm = h.create_hm(c, lb["id"], p["id"], "HTTP", http_version=1.1, domain_name="example.com")
    got = c.get(hpath(hm["id"])).json["healthmonitor"]
    assert got["http_version"] == 1.1 and got["domain_name"] == "example.com"


@pytest.mark.parametrize("ptype,allowed,denied", [
    ("HTTP", ["HTTP", "HTTPS", "PING", "TCP", "TLS-HELLO"], ["UDP-CONNECT", "SCTP"]),
    ("TCP", ["TCP"], ["UDP-CONNECT"]),
    ("UDP", ["UDP-CONNECT", "TCP", "HTTP"], ["HTTPS", "PING", "TLS-HELLO"]),
])
def test_type_pool_compatibility(c, lb, ptype, allowed, denied):
    for t in denied:
        p = h.create_pool(c, lb["id"], ptype)
        r = c.post(HMS, {"healthmonitor": {"pool_id": p["id"], "type": t, "delay": 5, "timeout": 3,
                                           "max_retries": 3}})
        h.assert_fault(r, 400)
        assert h.wait_lb(c, lb["id"])["provisioning_status"] == "ACTIVE"
    for t in allowed:
        p = h.create_pool(c, lb["id"], ptype)
        hm = h.create_hm(c, lb["id"], p["id"], t)
        assert h.wait_active(c, hpath(hm["id"]))["type"] == t


def test_udp_connect_on_tcp_pool_message(c, lb):
    p = h.create_pool(c, lb["id"], "TCP")
    r = c.post(HMS, {"healthmonitor": {"pool_id": p["id"], "type": "UDP-CONNECT", "delay": 5, "timeout": 3,
                                       "max_retries": 3}})
    h.assert_fault(r, 400, contains="The UDP-CONNECT type is only supported for pools of type UDP")


@pytest.mark.parametrize("extra,contains", [
    ({"type": "FOO"}, "type"),
    ({"max_retries": 0}, "Invalid input for field/attribute max_retries. Value: '0'. Value should be greater or equal to 1"),
    ({"max_retries": 11}, "Invalid input for field/attribute max_retries. Value: '11'. Value should be lower or equal to 10"),
    ({"max_retries_down": 11}, "max_retries_down"),
    ({"delay": -1}, "delay"),
    ({"timeout": -1}, "timeout"),
    ({"delay": None}, "delay"),
    ({"http_method": "FETCH"}, "http_method"),
    ({"expected_codes": "abc"}, "expected_codes"),
    ({"expected_codes": "200-"}, "expected_codes"),
    ({"url_path": "no-slash"}, "url_path"),
    ({"http_version": 2.0}, "http_version"),
    ({"domain_name": "example.com"}, None),            # needs http_version 1.1
    ({"http_version": 1.0, "domain_name": "example.com"}, None),
    ({"pool_id": "not-a-uuid"}, "pool_id"),
    ({"bogus": 1}, "bogus"),
])
def test_create_validation(c, hm_pool, extra, contains):
    body = {"pool_id": hm_pool["id"], "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 3}
    body.update(extra)
    h.assert_fault(c.post(HMS, {"healthmonitor": body}), 400, contains=contains)


def test_http_options_on_tcp_type(c, lb):
    p = h.create_pool(c, lb["id"], "TCP")
    r = c.post(HMS, {"healthmonitor": {"pool_id": p["id"], "type": "TCP", "delay": 5, "timeout": 3,
                                       "max_retries": 3, "http_method": "GET"}})
    h.assert_fault(r, 400, contains="http_method is not a valid option for health monitors of type TCP")


def test_delete_and_not_found(c, lb):
    p = h.create_pool(c, lb["id"], "HTTP")
    hm = h.create_hm(c, lb["id"], p["id"], "HTTP")
    assert c.delete(hpath(hm["id"])).status == 204
    h.wait_gone(c, hpath(hm["id"]))
    h.wait_lb(c, lb["id"])
    assert h.wait_active(c, "%s/%s" % (POOLS, p["id"])).get("healthmonitor_id") is None
    nil = "00000000-0000-0000-0000-000000000000"
    h.assert_fault(c.get(hpath(nil)), 404, regex=r"^Health ?[Mm]onitor %s not found\.$" % nil)
    h.assert_fault(c.get(hpath("not-a-uuid")), 404, regex=r"not-a-uuid not found\.$")
    h.assert_fault(c.post(HMS, {"healthmonitor": {"pool_id": nil, "type": "TCP", "delay": 5, "timeout": 3,
                                                  "max_retries": 3}}), 404, contains=nil)
    # a new HM can be created after the old one was deleted
    hm2 = h.create_hm(c, lb["id"], p["id"], "TCP")
    assert h.wait_active(c, "%s/%s" % (POOLS, p["id"]))["healthmonitor_id"] == hm2["id"]
