"""Pools: fields/defaults, listener_id default pool, 409 second default pool, protocol compatibility,
session persistence, update/delete rules.

Facts: docs/octavia-api.md §2.4 (protocol map), §2.5; the reference Octavia 11 (probed).
"""
import pytest

import octane_server as h
from octane_server import POOLS, LISTENERS

POOL_KEYS = {"id", "name", "description", "provisioning_status", "operating_status", "admin_state_up",
             "protocol", "lb_algorithm", "session_persistence", "project_id", "tenant_id", "loadbalancers",
             "listeners", "members", "created_at", "updated_at", "tags",
             "tls_container_ref", "ca_tls_container_ref", "crl_container_ref", "tls_enabled", "tls_ciphers",
             "tls_versions", "alpn_protocols"}

VALID = {
    "TCP": {"HTTP", "HTTPS", "PROXY", "PROXYV2", "TCP"},
    "HTTP": {"HTTP", "PROXY", "PROXYV2"},
    "HTTPS": {"HTTPS", "PROXY", "PROXYV2", "TCP"},
    "UDP": {"UDP"},
    "SCTP": {"SCTP"},
}
POOL_PROTOCOLS = ["TCP", "HTTP", "HTTPS", "PROXY", "PROXYV2", "UDP", "SCTP"]


@pytest.fixture(scope="module")
def lb(c):
    return h.create_lb(c)


@pytest.fixture(scope="module")
def listeners(c, lb):
    out = {}
    for i, proto in enumerate(VALID):
        out[proto] = h.create_listener(c, lb["id"], proto, 7000 + i)
    return out


def ppath(i):
    return "%s/%s" % (POOLS, i)


def test_create_defaults_with_listener(c, lb, project):
    li = h.create_listener(c, lb["id"], "TCP", 22)
    r = c.post(POOLS, {"pool": {"name": "lb-ssh-pool", "lb_algorithm": "ROUND_ROBIN", "listener_id": li["id"],
                                "protocol": "TCP"}})
    assert r.status == 201, r
    p = r.json["pool"]
    assert POOL_KEYS <= set(p), POOL_KEYS - set(p)
    assert "pool_id" not in p
    assert p["provisioning_status"] == "PENDING_CREATE" and p["operating_status"] == "OFFLINE"
    assert p["admin_state_up"] is True and p["description"] == ""
    assert p["listeners"] == [{"id": li["id"]}] and p["loadbalancers"] == [{"id": lb["id"]}]
    # reference omits healthmonitor_id when the pool has none; null is accepted too
    assert p["members"] == [] and p.get("healthmonitor_id") is None
    assert p["session_persistence"] is None and p["tls_enabled"] is False
    assert p["tls_container_ref"] is None and p["ca_tls_container_ref"] is None and p["crl_container_ref"] is None
    assert p["tls_ciphers"] is None and p["tls_versions"] is None and p["alpn_protocols"] is None
    assert p["project_id"] == project and p["tenant_id"] == project and p["tags"] == []
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, ppath(p["id"]))
    assert got["operating_status"] == "OFFLINE"
    assert h.wait_active(c, "%s/%s" % (LISTENERS, li["id"]))["default_pool_id"] == p["id"]
    # second default pool on the same listener -> 409
    r = c.post(POOLS, {"pool": {"lb_algorithm": "ROUND_ROBIN", "listener_id": li["id"], "protocol": "TCP"}})
    h.assert_fault(r, 409, "This listener already has a default pool")
    assert h.wait_lb(c, lb["id"])["provisioning_status"] == "ACTIVE"
    # the LB lists the pool
    lbg = c.get("/v2/lbaas/loadbalancers/%s" % lb["id"]).json["loadbalancer"]
    assert {"id": p["id"]} in lbg["pools"]


def test_needs_lb_or_listener(c):
    r = c.post(POOLS, {"pool": {"lb_algorithm": "ROUND_ROBIN", "protocol": "TCP"}})
    h.assert_fault(r, 400, contains="Must provide at least one of: loadbalancer_id, listener_id")


@pytest.mark.parametrize("lproto", list(VALID))
def test_protocol_compatibility(c, lb, listeners, lproto):
    li = listeners[lproto]
    for pproto in POOL_PROTOCOLS:
        if pproto in VALID[lproto]:
            continue
        r = c.post(POOLS, {"pool": {"lb_algorithm": "ROUND_ROBIN", "listener_id": li["id"], "protocol": pproto}})
        h.assert_fault(r, 400, "Validation failure: The pool protocol '%s' is invalid while the listener "
                               "protocol is '%s'." % (pproto, lproto))
    # one valid combination per listener works (and becomes its default pool)
    pproto = sorted(VALID[lproto])[0]
    p = h.create_pool(c, lb["id"], pproto, listener_id=li["id"])
    assert h.wait_active(c, "%s/%s" % (LISTENERS, li["id"]))["default_pool_id"] == p["id"]


def test_update_and_session_persistence(c, lb):
    p = h.create_pool(c, lb["id"], "HTTP", session_persistence={"type": "APP_COOKIE", "cookie_name": "sess"})
    got = c.get(ppath(p["id"])).json["pool"]
    sp = got["session_persistence"]
    assert set(sp) == {"type", "cookie_name", "persistence_timeout", "persistence_granularity"}
    assert sp["type"] == "APP_COOKIE" and sp["cookie_name"] == "sess"
    r = c.put(ppath(p["id"]), {"pool": {"name": "upd", "lb_algorithm": "LEAST_CONNECTIONS",
                                        "session_persistence": {"type": "HTTP_COOKIE"}}})
    assert r.status == 200, r
    assert r.json["pool"]["provisioning_status"] == "PENDING_UPDATE"
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, ppath(p["id"]))
    assert got["name"] == "upd" and got["lb_algorithm"] == "LEAST_CONNECTIONS"
    assert got["session_persistence"]["type"] == "HTTP_COOKIE"
    r = c.put(ppath(p["id"]), {"pool": {"session_persistence": None}})
    assert r.status == 200, r
    h.wait_lb(c, lb["id"])
    assert h.wait_active(c, ppath(p["id"]))["session_persistence"] is None
    h.assert_fault(c.put(ppath(p["id"]), {"pool": {"protocol": "TCP"}}), 400, contains="protocol")


@pytest.mark.parametrize("body,contains", [
    ({"protocol": "HTTP", "lb_algorithm": "FOO"}, "lb_algorithm"),
    ({"protocol": "FOO", "lb_algorithm": "ROUND_ROBIN"}, "protocol"),
    ({"lb_algorithm": "ROUND_ROBIN"}, "protocol"),
    ({"protocol": "HTTP"}, "lb_algorithm"),
    ({"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "session_persistence": {"type": "APP_COOKIE"}},
     "cookie_name"),
    ({"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
      "session_persistence": {"type": "HTTP_COOKIE", "cookie_name": "x"}}, "cookie_name"),
    ({"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "session_persistence": {"type": "BOGUS"}}, "type"),
    ({"protocol": "UDP", "lb_algorithm": "ROUND_ROBIN",
      "session_persistence": {"type": "HTTP_COOKIE"}}, None),
    ({"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "name": "x" * 256}, "name"),
    ({"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "admin_state_up": "maybe"}, None),
])
def test_create_validation(c, lb, body, contains):
    b = dict(body)
    b["loadbalancer_id"] = lb["id"]
    h.assert_fault(c.post(POOLS, {"pool": b}), 400, contains=contains)


@pytest.mark.parametrize("port,proto", [(7101, "TCP"), (7102, "UDP"), (7103, "HTTP")])
def test_source_ip_port_served(c, lb, port, proto):
    """Octavia's amphora provider answers 501 here; Octane's engine balances on the client's
    address and port (docs/haproxy-dialect.md §3), so the algorithm is accepted and kept."""
    li = h.create_listener(c, lb["id"], proto, port)
    r = c.post(POOLS, {"pool": {"listener_id": li["id"], "protocol": proto,
                                "lb_algorithm": "SOURCE_IP_PORT"}})
    assert r.status == 201, r
    pool_id = r.json["pool"]["id"]
    assert r.json["pool"]["lb_algorithm"] == "SOURCE_IP_PORT"
    h.wait_lb(c, lb["id"])
    shown = h.wait_active(c, ppath(pool_id))
    assert shown["lb_algorithm"] == "SOURCE_IP_PORT"
    assert shown["listeners"] == [{"id": li["id"]}]
    # and back and forth on update
    r = c.put(ppath(pool_id), {"pool": {"lb_algorithm": "ROUND_ROBIN"}})
    assert r.status == 200, r
    h.wait_lb(c, lb["id"])
    r = c.put(ppath(pool_id), {"pool": {"lb_algorithm": "SOURCE_IP_PORT"}})
    assert r.status == 200 and r.json["pool"]["lb_algorithm"] == "SOURCE_IP_PORT", r
    h.wait_lb(c, lb["id"])
    assert c.get(ppath(pool_id)).json["pool"]["lb_algorithm"] == "SOURCE_IP_PORT"
    assert c.delete(ppath(pool_id)).status == 204
    h.wait_lb(c, lb["id"])


def test_delete_pool_and_in_use_by_l7policy(c, lb):
    li = h.create_listener(c, lb["id"], "HTTP", 8800)
    target = h.create_pool(c, lb["id"], "HTTP")
    pol = h.create_l7policy(c, lb["id"], li["id"], "REDIRECT_TO_POOL", redirect_pool_id=target["id"])
    r = c.delete(ppath(target["id"]))
    h.assert_fault(r, 409, "Pool %s is in use by L7 policy %s" % (target["id"], pol["id"]))
    assert h.wait_lb(c, lb["id"])["provisioning_status"] == "ACTIVE"
    assert c.delete("/v2/lbaas/l7policies/%s" % pol["id"]).status == 204
    h.wait_lb(c, lb["id"])
    h.wait_gone(c, "/v2/lbaas/l7policies/%s" % pol["id"])
    assert c.delete(ppath(target["id"])).status == 204
    h.wait_gone(c, ppath(target["id"]))
    h.assert_fault(c.get(ppath(target["id"])), 404, "Pool %s not found." % target["id"])
    h.wait_lb(c, lb["id"])


def test_delete_default_pool_detaches(c, lb):
    li = h.create_listener(c, lb["id"], "HTTP", 8801)
    p = h.create_pool(c, lb["id"], "HTTP", listener_id=li["id"])
    assert c.delete(ppath(p["id"])).status == 204
    h.wait_gone(c, ppath(p["id"]))
    h.wait_lb(c, lb["id"])
    assert h.wait_active(c, "%s/%s" % (LISTENERS, li["id"]))["default_pool_id"] is None


def test_pool_on_pending_lb_is_409_or_ok(c, lb):
    li = h.create_listener(c, lb["id"], "HTTP", 8802)
    r1 = c.put("%s/%s" % (LISTENERS, li["id"]), {"listener": {"name": "x"}})
    assert r1.status == 200
    r2 = c.post(POOLS, {"pool": {"loadbalancer_id": lb["id"], "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}})
    if r2.status != 201:
        h.assert_fault(r2, 409, "Load Balancer %s is immutable and cannot be updated." % lb["id"])
    h.wait_lb(c, lb["id"])
