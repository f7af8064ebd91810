"""Listeners: fields/defaults, update, port conflicts by L4 protocol, stats, validation.

Facts: docs/octavia-api.md §2.4; the reference Octavia 11 (probed).
"""
import pytest

import octane_server as h
from octane_server import LISTENERS

LISTENER_KEYS = {"id", "name", "description", "provisioning_status", "operating_status", "admin_state_up",
                 "protocol", "protocol_port", "connection_limit", "default_tls_container_ref",
                 "sni_container_refs", "project_id", "tenant_id", "default_pool_id", "l7policies",
                 "insert_headers", "created_at", "updated_at", "loadbalancers", "timeout_client_data",
                 "timeout_member_connect", "timeout_member_data", "timeout_tcp_inspect", "tags",
                 "client_ca_tls_container_ref", "client_authentication", "client_crl_container_ref",
                 "allowed_cidrs", "tls_ciphers", "tls_versions", "alpn_protocols"}


@pytest.fixture(scope="module")
def lb(c):
    return h.create_lb(c)


def lpath(i, suffix=""):
    return "%s/%s%s" % (LISTENERS, i, suffix)


def test_create_defaults(c, lb, project):
    r = c.post(LISTENERS, {"listener": {"name": "lb-ssh", "protocol": "TCP", "protocol_port": 22,
                                        "loadbalancer_id": lb["id"]}})
    assert r.status == 201, r
    li = r.json["listener"]
    assert LISTENER_KEYS <= set(li), LISTENER_KEYS - set(li)
    assert li["provisioning_status"] == "PENDING_CREATE" and li["operating_status"] == "OFFLINE"
    assert li["name"] == "lb-ssh" and li["description"] == ""
    assert li["admin_state_up"] is True
    assert li["protocol"] == "TCP" and li["protocol_port"] == 22
    assert li["connection_limit"] == -1
    assert li["default_tls_container_ref"] is None and li["sni_container_refs"] == []
    assert li["default_pool_id"] is None and li["l7policies"] == []
    assert li["insert_headers"] == {}
    assert li["loadbalancers"] == [{"id": lb["id"]}]
    assert (li["timeout_client_data"], li["timeout_member_connect"], li["timeout_member_data"],
            li["timeout_tcp_inspect"]) == (50000, 5000, 50000, 0)
    assert li["tags"] == []
    assert li["client_ca_tls_container_ref"] is None and li["client_authentication"] == "NONE"
    assert li["client_crl_container_ref"] is None and li["allowed_cidrs"] is None
    assert li["tls_ciphers"] is None and li["tls_versions"] is None and li["alpn_protocols"] is None
    assert li["project_id"] == project and li["tenant_id"] == project
    assert h.TIMESTAMP_RE.match(li["created_at"]) and li["updated_at"] is None
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, lpath(li["id"]))
    assert got["operating_status"] == "OFFLINE"  # no heartbeats (reference)
    lbg = c.get("/v2/lbaas/loadbalancers/%s" % lb["id"]).json["loadbalancer"]
    assert {"id": li["id"]} in lbg["listeners"]


def test_children_inherit_lb_project(c, lb, server):
    other = h.Client(server, project="someone-else")
    r = other.post(LISTENERS, {"listener": {"protocol": "TCP", "protocol_port": 2000,
                                            "loadbalancer_id": lb["id"], "project_id": "ignored"}})
    assert r.status == 201, r
    assert r.json["listener"]["project_id"] == lb["project_id"]
    h.wait_lb(c, lb["id"])
    assert c.delete(lpath(r.json["listener"]["id"])).status == 204
    h.wait_lb(c, lb["id"])


def test_create_with_options_and_update(c, lb):
    li = h.create_listener(c, lb["id"], "HTTP", 8080, description="desc", connection_limit=100,
                           insert_headers={"X-Forwarded-For": "true"}, timeout_client_data=1000,
                           timeout_member_connect=2000, timeout_member_data=3000, timeout_tcp_inspect=4,
                           allowed_cidrs=["10.0.0.1/8", "192.168.0.0/16"], tags=["a"], admin_state_up=False)
    got = c.get(lpath(li["id"])).json["listener"]
    assert got["connection_limit"] == 100 and got["description"] == "desc"
    assert got["insert_headers"] == {"X-Forwarded-For": "true"}
    assert (got["timeout_client_data"], got["timeout_member_connect"], got["timeout_member_data"],
            got["timeout_tcp_inspect"]) == (1000, 2000, 3000, 4)
    assert sorted(got["allowed_cidrs"]) == ["10.0.0.0/8", "192.168.0.0/16"]  # normalised (strict=False)
    assert got["admin_state_up"] is False and got["tags"] == ["a"]
    r = c.put(lpath(li["id"]), {"listener": {"name": "renamed", "connection_limit": None,
                                             "timeout_client_data": None, "admin_state_up": True}})
    assert r.status == 200, r
    assert r.json["listener"]["provisioning_status"] == "PENDING_UPDATE"
    lbs = c.get("/v2/lbaas/loadbalancers/%s" % lb["id"]).json["loadbalancer"]["provisioning_status"]
    assert lbs in ("PENDING_UPDATE", "ACTIVE")
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, lpath(li["id"]))
    assert got["name"] == "renamed" and got["connection_limit"] == -1
    assert got["timeout_client_data"] == 50000 and got["admin_state_up"] is True
    assert got["timeout_member_connect"] == 2000  # omitted = unchanged
    # protocol and port are immutable
    h.assert_fault(c.put(lpath(li["id"]), {"listener": {"protocol_port": 81}}), 400, contains="protocol_port")
    h.assert_fault(c.put(lpath(li["id"]), {"listener": {"protocol": "TCP"}}), 400, contains="protocol")


def test_duplicate_port_409_and_l4_coexistence(c, lb):
    h.create_listener(c, lb["id"], "TCP", 53)
    r = c.post(LISTENERS, {"listener": {"protocol": "TCP", "protocol_port": 53, "loadbalancer_id": lb["id"]}})
    h.assert_fault(r, 409, "Another Listener on this Load Balancer is already using protocol TCP and protocol_port 53")
    assert h.wait_lb(c, lb["id"])["provisioning_status"] == "ACTIVE"
    # HTTP rides on TCP: same L4 port -> conflict
    r = c.post(LISTENERS, {"listener": {"protocol": "HTTP", "protocol_port": 53, "loadbalancer_id": lb["id"]}})
    h.assert_fault(r, 409, regex=r"^Another Listener on this Load Balancer is already using protocol \S+ "
                                 r"and protocol_port 53$")
    # UDP:53 coexists with TCP:53
    udp = h.create_listener(c, lb["id"], "UDP", 53)
    assert h.wait_active(c, lpath(udp["id"]))["protocol"] == "UDP"
    r = c.post(LISTENERS, {"listener": {"protocol": "UDP", "protocol_port": 53, "loadbalancer_id": lb["id"]}})
    h.assert_fault(r, 409, "Another Listener on this Load Balancer is already using protocol UDP and protocol_port 53")
    # the same port on another LB is fine
    lb2 = h.create_lb(c)
    h.create_listener(c, lb2["id"], "TCP", 53)
    h.cascade_delete(c, lb2["id"], wait=False)


def test_stats(c, lb):
    li = h.create_listener(c, lb["id"], "TCP", 9000)
    r = c.get(lpath(li["id"], "/stats"))
    assert r.status == 200, r
    assert r.json == {"stats": {"bytes_in": 0, "bytes_out": 0, "active_connections": 0,
                                "total_connections": 0, "request_errors": 0}}
    nil = "00000000-0000-0000-0000-000000000000"
    h.assert_fault(c.get(lpath(nil, "/stats")), 404, "Listener %s not found." % nil)


def test_delete(c, lb):
    li = h.create_listener(c, lb["id"], "TCP", 9001)
    r = c.delete(lpath(li["id"]))
    assert r.status == 204, r
    st = c.get(lpath(li["id"]))
    if st.status == 200:
        assert st.json["listener"]["provisioning_status"] == "PENDING_DELETE"
    h.wait_gone(c, lpath(li["id"]))
    h.assert_fault(c.get(lpath(li["id"])), 404, "Listener %s not found." % li["id"])
    assert h.wait_lb(c, lb["id"])["provisioning_status"] == "ACTIVE"
    h.assert_fault(c.delete(lpath(li["id"])), 404, "Listener %s not found." % li["id"])


@pytest.mark.parametrize("body,contains", [
    ({"protocol": "FOO", "protocol_port": 23},
     "Invalid input for field/attribute protocol. Value: 'FOO'. Value should be one of:"),
    ({"protocol": "TCP", "protocol_port": 70000},
     "Invalid input for field/attribute protocol_port. Value: '70000'. Value should be lower or equal to 65535"),
    ({"protocol": "TCP", "protocol_port": 0},
     "Invalid input for field/attribute protocol_port. Value: '0'. Value should be greater or equal to 1"),
    ({"protocol": "TCP"}, "protocol_port"),
    ({"protocol_port": 25}, "protocol"),
    ({"protocol": "TCP", "protocol_port": 26, "connection_limit": -2}, "connection_limit"),
    ({"protocol": "TCP", "protocol_port": 27, "timeout_client_data": 2073600001}, "timeout_client_data"),
    ({"protocol": "TCP", "protocol_port": 28, "timeout_member_data": -1}, "timeout_member_data"),
    ({"protocol": "TCP", "protocol_port": 29, "insert_headers": {"X-Forwarded-For": "true"}}, "insert"),
    ({"protocol": "HTTP", "protocol_port": 30, "insert_headers": {"X-Bogus": "true"}}, "X-Bogus"),
    ({"protocol": "TERMINATED_HTTPS", "protocol_port": 443}, "certificate"),
    ({"protocol": "HTTP", "protocol_port": 31, "default_tls_container_ref": "http://barbican/x"}, "Certificate"),
    ({"protocol": "UDP", "protocol_port": 32, "insert_headers": {"X-Forwarded-For": "true"}}, None),
    ({"protocol": "TCP", "protocol_port": 33, "allowed_cidrs": ["not-a-cidr"]}, "allowed_cidrs"),
    ({"protocol": "TCP", "protocol_port": 34, "default_pool_id": "not-a-uuid"}, "default_pool_id"),
])
def test_create_validation(c, lb, body, contains):
    b = dict(body)
    b["loadbalancer_id"] = lb["id"]
    r = c.post(LISTENERS, {"listener": b})
    h.assert_fault(r, 400, contains=contains)


def test_missing_lb_and_unknown_lb(c):
    r = c.post(LISTENERS, {"listener": {"name": "no-lb", "protocol": "TCP", "protocol_port": 24}})
    h.assert_fault(r, 400, "Invalid input for field/attribute loadbalancer_id. Value: 'None'. Mandatory field missing.")
    nil = "00000000-0000-0000-0000-000000000000"
    r = c.post(LISTENERS, {"listener": {"protocol": "TCP", "protocol_port": 24, "loadbalancer_id": nil}})
    assert r.status in (400, 404), r
    h.assert_fault(r, r.status, contains=nil)


def test_default_pool_id_on_create_and_update(c, lb):
    pool = h.create_pool(c, lb["id"], "HTTP")
    li = h.create_listener(c, lb["id"], "HTTP", 8081, default_pool_id=pool["id"])
    assert c.get(lpath(li["id"])).json["listener"]["default_pool_id"] == pool["id"]
    p = c.get("/v2/lbaas/pools/%s" % pool["id"]).json["pool"]
    assert {"id": li["id"]} in p["listeners"]
    # detach with null
    r = c.put(lpath(li["id"]), {"listener": {"default_pool_id": None}})
    assert r.status == 200, r
    h.wait_lb(c, lb["id"])
    assert h.wait_active(c, lpath(li["id"]))["default_pool_id"] is None
    # a TCP pool cannot be the default pool of an HTTP listener
    tcp_pool = h.create_pool(c, lb["id"], "TCP")
    r = c.put(lpath(li["id"]), {"listener": {"default_pool_id": tcp_pool["id"]}})
    h.assert_fault(r, 400, "Validation failure: The pool protocol 'TCP' is invalid while the listener protocol is 'HTTP'.")
    # a pool of another LB is "not found"
    lb2 = h.create_lb(c)
    other = h.create_pool(c, lb2["id"], "HTTP")
    r = c.put(lpath(li["id"]), {"listener": {"default_pool_id": other["id"]}})
    h.assert_fault(r, 404, "Pool %s not found." % other["id"])
    h.cascade_delete(c, lb2["id"], wait=False)
    assert h.wait_lb(c, lb["id"])["provisioning_status"] == "ACTIVE"


def test_allowed_cidrs_need_a_vip_of_their_ip_version(c, lb):
    """Octavia's listener validation: every allowed CIDR must share its IP version with the VIP or
    an additional VIP; the CIDR is named normalised (strict=False), the VIPs as a Python list."""
    vip = lb["vip_address"]
    r = c.post(LISTENERS, {"listener": {"protocol": "TCP", "protocol_port": 4001, "loadbalancer_id": lb["id"],
                                        "allowed_cidrs": ["192.0.2.0/24", "2001:db8::/6"]}})
    h.assert_fault(r, 400, "Validation failure: CIDR 2000::/6 IP version incompatible with all VIPs "
                           "['%s'] IP version." % vip)
    li = h.create_listener(c, lb["id"], protocol="TCP", port=4002, allowed_cidrs=["192.0.2.0/24"])
    h.wait_lb(c, lb["id"])
    r = c.put(lpath(li["id"]), {"listener": {"allowed_cidrs": ["2001:db8::/64"]}})
    h.assert_fault(r, 400, contains="CIDR 2001:db8::/64 IP version incompatible with all VIPs")
    assert c.get(lpath(li["id"])).json["listener"]["allowed_cidrs"] == ["192.0.2.0/24"]


def test_ipv6_vip_and_cidrs(c):
    """An IPv6 VIP is returned as given (noop network driver, as Octavia's); IPv6 CIDRs come back in
    RFC 5952 form."""
    lb6 = h.create_lb(c, vip_address="2001:db8:0:0:0:0:0:10")
    assert lb6["vip_address"] == "2001:db8:0:0:0:0:0:10"
    li = h.create_listener(c, lb6["id"], protocol="TCP", port=22,
                           allowed_cidrs=["2001:0DB8:0:0:0:0:0:0/64", "2001:db8:0:1::5/64"])
    assert li["allowed_cidrs"] == ["2001:db8::/64", "2001:db8:0:1::/64"]
    r = c.post(LISTENERS, {"listener": {"protocol": "TCP", "protocol_port": 23, "loadbalancer_id": lb6["id"],
                                        "allowed_cidrs": ["10.0.0.0/8"]}})
    h.assert_fault(r, 400, contains="CIDR 10.0.0.0/8 IP version incompatible with all VIPs "
                                    "['2001:db8:0:0:0:0:0:10']")
