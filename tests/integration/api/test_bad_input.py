"""Bad-input sweep: every malformed request gets the Octavia fault body with the reference's status
code (never a 500, crash, hang or partial write). After the sweep every list is identical to before
and the server still answers.

Codes and messages: probes of the reference Octavia 11. Where the reference itself answers 500
(non-object JSON bodies, limit<1) the case expects 400 and is marked reference_differs: the issue
requires "never a 500".
"""
import json

import pytest

import octane_server as h
from octane_server import LB, LISTENERS, POOLS, HMS, L7P, AMPS, QUOTAS

NIL = "00000000-0000-0000-0000-000000000000"
NOT_VALID = "One or more arguments are either duplicate or invalid"
VIP = h.SUBNET_ID
ref_differs = pytest.mark.reference_differs


@pytest.fixture(scope="module")
def world(c):
    """A complete, ACTIVE object graph to aim bad requests at."""
    w = {}
    fp = c.post("/v2/lbaas/flavorprofiles", {"flavorprofile": {"name": h.uniq("fp"), "provider_name": "amphora",
                                                               "flavor_data": json.dumps({"loadbalancer_topology": "SINGLE"})}})
    assert fp.status == 201, fp
    w["fp"] = fp.json["flavorprofile"]["id"]
    fl = c.post("/v2/lbaas/flavors", {"flavor": {"name": h.uniq("fl"), "flavor_profile_id": w["fp"]}})
    assert fl.status == 201, fl
    w["fl"] = fl.json["flavor"]["id"]
    w["fl_name"] = fl.json["flavor"]["name"]
    azp = c.post("/v2/lbaas/availabilityzoneprofiles", {"availability_zone_profile": {
        "name": h.uniq("azp"), "provider_name": "amphora", "availability_zone_data": json.dumps({"compute_zone": "z"})}})
    assert azp.status == 201, azp
    w["azp"] = azp.json["availability_zone_profile"]["id"]
    w["az"] = h.uniq("az")
    assert c.post("/v2/lbaas/availabilityzones", {"availability_zone": {
        "name": w["az"], "availability_zone_profile_id": w["azp"]}}).status == 201
    lb = h.create_lb(c, flavor_id=w["fl"], availability_zone=w["az"])
    w["lb"] = lb["id"]
    w["li"] = h.create_listener(c, lb["id"], "HTTP", 80)["id"]
    w["tcp_li"] = h.create_listener(c, lb["id"], "TCP", 22)["id"]
    w["pool"] = h.create_pool(c, lb["id"], "HTTP", listener_id=w["li"])["id"]
    w["pool2"] = h.create_pool(c, lb["id"], "HTTP")["id"]
    w["tcp_pool"] = h.create_pool(c, lb["id"], "TCP")["id"]
    w["member"] = h.create_member(c, lb["id"], w["pool"], "10.0.0.1", 80)["id"]
    w["hm"] = h.create_hm(c, lb["id"], w["pool"], "HTTP")["id"]
    w["pol"] = h.create_l7policy(c, lb["id"], w["li"], "REDIRECT_TO_POOL", redirect_pool_id=w["pool2"])["id"]
    w["rule"] = h.create_l7rule(c, lb["id"], w["pol"])["id"]
    assert c.put("%s/%s" % (QUOTAS, c.project), {"quota": {"loadbalancer": 50}}).status == 202
    amps = c.get(AMPS, params={"loadbalancer_id": lb["id"]}).json["amphorae"]
    w["amp"] = amps[0]["id"] if amps else NIL
    h.wait_lb(c, lb["id"])
    w["before"] = snapshot(c, w)
    return w


def snapshot(c, w):
    """Everything the sweep could touch, as plain JSON."""
    def get(path, params=None):
        r = c.get(path, params=params)
        assert r.status == 200, r
        return r.json
    p = {"project_id": c.project}
    return {
        "lbs": get(LB, p), "listeners": get(LISTENERS, p), "pools": get(POOLS, p), "hms": get(HMS, p),
        "l7policies": get(L7P, p), "members": get("%s/%s/members" % (POOLS, w["pool"])),
        "rules": get("%s/%s/rules" % (L7P, w["pol"])), "quota": get("%s/%s" % (QUOTAS, c.project)),
        "flavors": get("/v2/lbaas/flavors"), "flavorprofiles": get("/v2/lbaas/flavorprofiles"),
        "azs": get("/v2/lbaas/availabilityzones"), "azps": get("/v2/lbaas/availabilityzoneprofiles"),
        "amphorae": get(AMPS, {"loadbalancer_id": w["lb"]}),
    }


def lb_body(**kw):
    b = {"name": "bad", "vip_subnet_id": VIP}
    b.update(kw)
    return {"loadbalancer": b}


def li_body(**kw):
    b = {"protocol": "TCP", "protocol_port": 1000, "loadbalancer_id": "{lb}"}
    b.update(kw)
    return {"listener": b}


def m_body(**kw):
    b = {"address": "10.9.9.9", "protocol_port": 80}
    b.update(kw)
    return {"member": b}


def hm_body(**kw):
    b = {"pool_id": "{pool2}", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 3}
    b.update(kw)
    return {"healthmonitor": b}


def C(name, method, path, body, code, expect=None, marks=()):
    """One case. body: dict (JSON-encoded after {placeholder} substitution) or str (sent raw).
    expect: exact faultstring, or ("contains", s), ("startswith", s), or None (code + fault body only)."""
    return pytest.param(method, path, body, code, expect, id=name, marks=marks)


CASES = [
    # --- malformed JSON
    C("json-truncated", "POST", LB, '{"not json', 400, "Request is not in valid JSON format"),
    C("json-garbage-listener", "POST", LISTENERS, '{"listener": ', 400),
    C("json-garbage-put", "PUT", LB + "/{lb}", "nope", 400),
    C("json-trailing-comma", "POST", POOLS, '{"pool": {"protocol": "HTTP",}}', 400),
    C("json-bad-utf8", "POST", LB, b'{"loadbalancer": {"name": "\xff\xfe", "vip_subnet_id": "%s"}}' % VIP.encode(), 400,
      marks=ref_differs),  # reference: 400 with a {"code","title","description"} body
    C("json-empty-body", "POST", LB, "", 400),
    # --- non-object bodies (the reference crashes with 500 on these)
    C("body-list", "POST", LB, "[]", 400, marks=ref_differs),
    C("body-string", "POST", LB, '"str"', 400, marks=ref_differs),
    C("body-null", "POST", LB, "null", 400, marks=ref_differs),
    C("body-number", "POST", LISTENERS, "42", 400, marks=ref_differs),
    C("wrapper-list", "POST", LB, '{"loadbalancer": []}', 400, marks=ref_differs),
    C("wrapper-null", "POST", LB, '{"loadbalancer": null}', 400, marks=ref_differs),
    C("wrapper-string", "POST", LISTENERS, '{"listener": "x"}', 400, marks=ref_differs),
    C("wrapper-number-put", "PUT", POOLS + "/{pool}", '{"pool": 5}', 400, marks=ref_differs),
    # --- missing / wrong wrapper key
    C("no-wrapper-lb", "POST", LB, {"name": "x"}, 400, "Unknown attribute for argument load_balancer: name"),
    C("no-wrapper-lb2", "POST", LB, {"name": "x", "vip_subnet_id": VIP}, 400,
      ("startswith", "Unknown attribute")),  # reference: "Unknown attributes for argument load_balancer: name, vip_subnet_id"
    C("no-wrapper-listener", "POST", LISTENERS, {"protocol": "TCP", "protocol_port": 1, "loadbalancer_id": "{lb}"}, 400),
    C("wrong-wrapper", "POST", POOLS, {"listener": {"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
                                                    "loadbalancer_id": "{lb}"}}, 400),
    # --- unknown attributes
    C("unknown-attr-lb", "POST", LB, lb_body(bogus_attr=1), 400,
      "Unknown attribute for argument load_balancer.loadbalancer: bogus_attr"),
    C("unknown-attr-lb-put", "PUT", LB + "/{lb}", {"loadbalancer": {"bogus": 1}}, 400, ("contains", "bogus")),
    C("unknown-attr-pool", "POST", POOLS, {"pool": {"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
                                                    "loadbalancer_id": "{lb}", "bogus": 1}}, 400, ("contains", "bogus")),
    C("unknown-attr-member-put", "PUT", POOLS + "/{pool}/members/{member}", {"member": {"bogus": 1}}, 400,
      ("contains", "bogus")),
    C("unknown-attr-rule-name", "POST", L7P + "/{pol}/rules",
      {"rule": {"type": "PATH", "compare_type": "EQUAL_TO", "value": "/x", "name": "n"}}, 400, ("contains", "name")),
    C("immutable-lb-vip", "PUT", LB + "/{lb}", {"loadbalancer": {"vip_subnet_id": VIP}}, 400, ("contains", "vip_subnet_id")),
    C("immutable-listener-port", "PUT", LISTENERS + "/{li}", {"listener": {"protocol_port": 81}}, 400,
      ("contains", "protocol_port")),
    C("immutable-hm-type", "PUT", HMS + "/{hm}", {"healthmonitor": {"type": "TCP"}}, 400, ("contains", "type")),
    C("readonly-status", "PUT", LB + "/{lb}", {"loadbalancer": {"provisioning_status": "ACTIVE"}}, 400,
      ("contains", "provisioning_status")),
    # Octavia 11 does not accept "id" on POST (master does, with 409 on a duplicate); the reference wins
    C("id-on-post", "POST", LB, lb_body(id="{lb}"), 400, "Unknown attribute for argument load_balancer.loadbalancer: id"),
    # --- wrong types
    C("type-name-int", "POST", LB, lb_body(name=123), 400,
      "Invalid input for field/attribute name. Value: '123'. Value should be string"),
    C("type-name-object", "POST", LB, lb_body(name={}), 400, ("contains", "name")),
    C("type-bool", "POST", LB, lb_body(admin_state_up="maybe"), 400, ("contains", "maybe")),
    C("type-tags-string", "POST", LB, lb_body(tags="abc"), 400, ("contains", "abc")),
    C("type-tags-int", "POST", LB, lb_body(tags=[1]), 400,
      "Invalid input for field/attribute tags. Value: '[1]'. Value should be string"),
    C("type-port-string", "POST", LISTENERS, li_body(protocol_port="abc"), 400, ("contains", "protocol_port")),
    C("type-port-list", "POST", LISTENERS, li_body(protocol_port=[80]), 400, ("contains", "protocol_port"),
      marks=ref_differs),  # reference: 500
    C("type-connlimit", "POST", LISTENERS, li_body(connection_limit="x"), 400, ("contains", "connection_limit")),
    C("type-weight", "POST", POOLS + "/{pool}/members", m_body(weight="heavy"), 400, ("contains", "weight")),
    C("type-delay", "POST", HMS, hm_body(delay="soon"), 400, ("contains", "delay")),
    C("type-quota", "PUT", QUOTAS + "/{project}", {"quota": {"loadbalancer": "x"}}, 400, ("contains", "loadbalancer")),
    C("type-sp", "POST", POOLS, {"pool": {"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "loadbalancer_id": "{lb}",
                                          "session_persistence": "SOURCE_IP"}}, 400, marks=ref_differs),  # ref: 500
    # --- out-of-range / enum values
    C("range-port-high", "POST", LISTENERS, li_body(protocol_port=70000), 400,
      "Invalid input for field/attribute protocol_port. Value: '70000'. Value should be lower or equal to 65535"),
    C("range-port-zero", "POST", LISTENERS, li_body(protocol_port=0), 400,
      "Invalid input for field/attribute protocol_port. Value: '0'. Value should be greater or equal to 1"),
    C("enum-protocol", "POST", LISTENERS, li_body(protocol="FOO"), 400,
      ("startswith", "Invalid input for field/attribute protocol. Value: 'FOO'. Value should be one of: ")),
    C("range-connlimit", "POST", LISTENERS, li_body(connection_limit=-2), 400, ("contains", "connection_limit")),
    C("range-timeout", "POST", LISTENERS, li_body(timeout_client_data=2073600001), 400, ("contains", "timeout_client_data")),
    C("range-weight", "POST", POOLS + "/{pool}/members", m_body(weight=257), 400,
      "Invalid input for field/attribute weight. Value: '257'. Value should be lower or equal to 256"),
    C("range-max-retries", "POST", HMS, hm_body(max_retries=11), 400,
      "Invalid input for field/attribute max_retries. Value: '11'. Value should be lower or equal to 10"),
    C("range-position", "POST", L7P, {"l7policy": {"listener_id": "{li}", "action": "REJECT", "position": 0}}, 400,
      ("contains", "position")),
    C("range-quota-low", "PUT", QUOTAS + "/{project}", {"quota": {"listener": -2}}, 400, ("contains", "listener")),
    C("range-quota-high", "PUT", QUOTAS + "/{project}", {"quota": {"listener": 2000000001}}, 400, ("contains", "listener")),
    C("range-name-len", "POST", LB, lb_body(name="x" * 256), 400, ("contains", "maximum character requirement of 255")),
    C("range-desc-len", "PUT", LB + "/{lb}", {"loadbalancer": {"description": "d" * 256}}, 400, ("contains", "description")),
    C("enum-algorithm", "POST", POOLS, {"pool": {"protocol": "HTTP", "lb_algorithm": "FASTEST", "loadbalancer_id": "{lb}"}},
      400, ("contains", "lb_algorithm")),
    C("enum-hm-type", "POST", HMS, hm_body(type="FOO"), 400, ("contains", "type")),
    C("enum-action", "POST", L7P, {"l7policy": {"listener_id": "{li}", "action": "DROP"}}, 400, ("contains", "action")),
    C("enum-rule-type", "POST", L7P + "/{pol}/rules", {"rule": {"type": "X", "compare_type": "EQUAL_TO", "value": "v"}},
      400, ("contains", "type")),
    C("bad-ip-vip", "POST", LB, lb_body(vip_address="1.2.3.999"), 400,
      "Invalid input for field/attribute vip_address. Value: '1.2.3.999'. Value should be IPv4 or IPv6 format"),
    C("bad-ip-member", "POST", POOLS + "/{pool}/members", m_body(address="192.168.101.300"), 400,
      "Invalid input for field/attribute address. Value: '192.168.101.300'. Value should be IPv4 or IPv6 format"),
    C("bad-url-path", "POST", HMS, hm_body(url_path="no-slash"), 400, ("contains", "url_path")),
    C("bad-expected-codes", "POST", HMS, hm_body(expected_codes="20x"), 400, ("contains", "expected_codes")),
    C("bad-rule-regex", "POST", L7P + "/{pol}/rules", {"rule": {"type": "PATH", "compare_type": "REGEX", "value": "a(b"}},
      400, ("startswith", "Error parsing L7Rule")),
    C("bad-redirect-url", "POST", L7P, {"l7policy": {"listener_id": "{li}", "action": "REDIRECT_TO_URL",
                                                     "redirect_url": "not a url"}}, 400, ("contains", "redirect_url")),
    C("bad-flavor-data", "POST", "/v2/lbaas/flavorprofiles", {"flavorprofile": {"name": "x", "provider_name": "amphora",
                                                                                 "flavor_data": "{"}}, 400,
      "{ is not a valid option for flavor_data"),
    C("missing-vip", "POST", LB, {"loadbalancer": {"name": "no-vip"}}, 400,
      "Validation failure: VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id."),
    C("missing-mandatory", "POST", LISTENERS, {"listener": {"protocol": "TCP", "protocol_port": 24}}, 400,
      "Invalid input for field/attribute loadbalancer_id. Value: 'None'. Mandatory field missing."),
    # --- bad UUIDs in bodies
    C("uuid-vip-subnet", "POST", LB, lb_body(vip_subnet_id="selfservice"), 400,
      "Invalid input for field/attribute vip_subnet_id. Value: 'selfservice'. Value should be UUID format"),
    C("uuid-vip-network", "POST", LB, {"loadbalancer": {"vip_network_id": "net"}}, 400, ("contains", "vip_network_id")),
    C("uuid-vip-port", "POST", LB, {"loadbalancer": {"vip_port_id": "port"}}, 400, ("contains", "vip_port_id")),
    C("uuid-flavor", "POST", LB, lb_body(flavor_id="gold"), 400, ("contains", "flavor_id")),
    C("uuid-listener-lb", "POST", LISTENERS, li_body(loadbalancer_id="abc"), 400, ("contains", "loadbalancer_id")),
    C("uuid-pool-listener", "POST", POOLS, {"pool": {"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
                                                     "listener_id": "abc"}}, 400, ("contains", "listener_id")),
    C("uuid-hm-pool", "POST", HMS, hm_body(pool_id="abc"), 400, ("contains", "pool_id")),
    C("uuid-member-subnet", "POST", POOLS + "/{pool}/members", m_body(subnet_id="abc"), 400, ("contains", "subnet_id")),
    C("uuid-redirect-pool", "POST", L7P, {"l7policy": {"listener_id": "{li}", "action": "REDIRECT_TO_POOL",
                                                       "redirect_pool_id": "abc"}}, 400, ("contains", "redirect_pool_id")),
    C("uuid-default-pool", "PUT", LISTENERS + "/{li}", {"listener": {"default_pool_id": "abc"}}, 400,
      ("contains", "default_pool_id")),
    # --- bad / unknown ids in URLs (non-uuid ids are 404, like the reference)
    C("url-lb-get", "GET", LB + "/not-a-uuid", None, 404, "Load Balancer not-a-uuid not found."),
    C("url-lb-put", "PUT", LB + "/not-a-uuid", {"loadbalancer": {"name": "x"}}, 404, "Load Balancer not-a-uuid not found."),
    C("url-lb-delete", "DELETE", LB + "/not-a-uuid", None, 404, "Load Balancer not-a-uuid not found."),
    C("url-lb-status", "GET", LB + "/not-a-uuid/status", None, 404, "Load Balancer not-a-uuid not found."),
    C("url-lb-stats", "GET", LB + "/not-a-uuid/stats", None, 404, "Load Balancer not-a-uuid not found."),
    C("url-lb-failover", "PUT", LB + "/not-a-uuid/failover", None, 404, "Load Balancer not-a-uuid not found."),
    C("url-lb-nil", "GET", LB + "/" + NIL, None, 404, "Load Balancer %s not found." % NIL),
    C("url-listener", "GET", LISTENERS + "/not-a-uuid", None, 404, "Listener not-a-uuid not found."),
    C("url-listener-put", "PUT", LISTENERS + "/" + NIL, {"listener": {"name": "x"}}, 404, "Listener %s not found." % NIL),
    C("url-pool", "GET", POOLS + "/not-a-uuid", None, 404, "Pool not-a-uuid not found."),
    C("url-pool-delete", "DELETE", POOLS + "/" + NIL, None, 404, "Pool %s not found." % NIL),
    C("url-member", "GET", POOLS + "/{pool}/members/not-a-uuid", None, 404, "Member not-a-uuid not found."),
    C("url-member-wrong-pool", "GET", POOLS + "/{pool2}/members/{member}", None, 404, "Member {member} not found."),
    C("url-hm", "GET", HMS + "/not-a-uuid", None, 404, ("contains", "not-a-uuid not found.")),
    C("url-l7p", "GET", L7P + "/not-a-uuid", None, 404, ("contains", "not-a-uuid not found.")),
    C("url-rule", "GET", L7P + "/{pol}/rules/not-a-uuid", None, 404, ("contains", "not-a-uuid not found.")),
    C("url-flavor", "GET", "/v2/lbaas/flavors/not-a-uuid", None, 404, "Flavor not-a-uuid not found."),
    C("url-amphora", "GET", AMPS + "/not-a-uuid", None, 404, "Amphora not-a-uuid not found."),
    C("url-az", "GET", "/v2/lbaas/availabilityzones/no-such-az", None, 404, "Availability Zone no-such-az not found."),
    # --- unknown filters, bad markers, bad sorts
    C("filter-lb", "GET", LB + "?bogus=1", None, 400, NOT_VALID),
    C("filter-show-deleted", "GET", LB + "?show_deleted=1", None, 400, NOT_VALID),
    C("filter-listeners", "GET", LISTENERS + "?bogus=1", None, 400, NOT_VALID),
    C("filter-pools", "GET", POOLS + "?bogus=1", None, 400, NOT_VALID),
    C("filter-members", "GET", POOLS + "/{pool}/members?bogus=1", None, 400, NOT_VALID),
    C("filter-hms", "GET", HMS + "?bogus=1", None, 400, NOT_VALID),
    C("filter-l7p", "GET", L7P + "?bogus=1", None, 400, NOT_VALID),
    C("filter-rules", "GET", L7P + "/{pol}/rules?bogus=1", None, 400, NOT_VALID),
    C("filter-amphorae", "GET", AMPS + "?bogus=1", None, 400, NOT_VALID),
    C("filter-flavors", "GET", "/v2/lbaas/flavors?bogus=1", None, 400, NOT_VALID),
    C("marker-unknown", "GET", LB + "?marker=" + NIL, None, 400,
      "Supplied pagination marker '%s' is not valid." % NIL),
    C("marker-garbage", "GET", LISTENERS + "?marker=abc", None, 400, "Supplied pagination marker 'abc' is not valid."),
    C("sort-key", "GET", LB + "?sort=bogus:asc", None, 400, "Supplied sort key 'bogus' is not valid."),
    C("sort-key2", "GET", POOLS + "?sort_key=bogus", None, 400, "Supplied sort key 'bogus' is not valid."),
    C("sort-dir", "GET", LB + "?sort=name:sideways", None, 400, ("contains", "sideways"), marks=ref_differs),
    C("sort-dir2", "GET", LB + "?sort_key=name&sort_dir=up", None, 400, ("contains", "up"), marks=ref_differs),
    C("limit-garbage", "GET", LB + "?limit=abc", None, 400, ("contains", "abc"), marks=ref_differs),
    # --- illegal state transitions and conflicts
    C("delete-lb-children", "DELETE", LB + "/{lb}", None, 400,
      "Validation failure: Cannot delete Load Balancer {lb} - it has children"),
    C("dup-listener-port", "POST", LISTENERS, li_body(protocol_port=22), 409,
      "Another Listener on this Load Balancer is already using protocol TCP and protocol_port 22"),
    C("dup-default-pool", "POST", POOLS, {"pool": {"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
                                                   "listener_id": "{li}"}}, 409, "This listener already has a default pool"),
    C("dup-member", "POST", POOLS + "/{pool}/members", m_body(address="10.0.0.1"), 409,
      "Another member on this pool is already using ip 10.0.0.1 on protocol_port 80"),
    C("dup-hm", "POST", HMS, hm_body(pool_id="{pool}"), 409, "This pool already has a health monitor"),
    C("dup-flavor-name", "POST", "/v2/lbaas/flavors", {"flavor": {"name": "{fl_name}", "flavor_profile_id": "{fp}"}},
      409, "A flavor of {fl_name} already exists."),
    C("pool-in-use", "DELETE", POOLS + "/{pool2}", None, 409, "Pool {pool2} is in use by L7 policy {pol}"),
    C("flavor-in-use", "DELETE", "/v2/lbaas/flavors/{fl}", None, 409, "Flavor {fl} is in use and cannot be modified."),
    C("flavorprofile-in-use", "DELETE", "/v2/lbaas/flavorprofiles/{fp}", None, 409,
      "Flavor profile {fp} is in use and cannot be modified."),
    C("azprofile-in-use", "DELETE", "/v2/lbaas/availabilityzoneprofiles/{azp}", None, 409,
      "Availability Zone Profile {azp} is in use and cannot be modified."),
    C("amphora-delete-allocated", "DELETE", AMPS + "/{amp}", None, 409,
      ("contains", "{amp} is immutable and cannot be updated.")),
    C("l7-on-tcp", "POST", L7P, {"l7policy": {"listener_id": "{tcp_li}", "action": "REJECT"}}, 501,
      "Provider 'amphora' does not support a requested option: TCP protocol listeners do not support L7 policies"),
    C("pool-protocol-mismatch", "PUT", LISTENERS + "/{li}", {"listener": {"default_pool_id": "{tcp_pool}"}}, 400,
      "Validation failure: The pool protocol 'TCP' is invalid while the listener protocol is 'HTTP'."),
    C("unknown-provider", "POST", LB, lb_body(provider="bogus"), 400, "Provider 'bogus' is not enabled."),
    C("missing-project", "POST", LB, lb_body(), 400,
      "Validation failure: Missing project ID in request where one is required. An administrator should check "
      "the keystone settings in the Octavia configuration."),
]


def fill(obj, w, project):
    s = json.dumps(obj) if not isinstance(obj, str) else obj
    for k, v in list(w.items()) + [("project", project)]:
        if isinstance(v, str):
            s = s.replace("{%s}" % k, v)
    return s


@pytest.mark.parametrize("method,path,body,code,expect", CASES)
def test_bad_request(c, server, world, method, path, body, code, expect, request):
    w = world
    url = fill(path, w, c.project)
    client = c
    if request.node.callspec.id == "missing-project":
        client = h.Client(server, project=None)
    if body is None:
        r = client.request(method, url)
    elif isinstance(body, bytes):
        r = client.request(method, url, raw=body)
    else:
        r = client.request(method, url, raw=fill(body, w, c.project).encode())
    assert r.status != 500, r
    if isinstance(expect, tuple):
        kind, text = expect
        h.assert_fault(r, code, **{kind: fill(text, w, c.project)})
    elif expect is not None:
        h.assert_fault(r, code, fill(expect, w, c.project))
    else:
        h.assert_fault(r, code)
    assert r.headers.get("x-openstack-request-id", "").startswith("req-"), r.headers


@pytest.mark.reference_differs  # the reference deployment has no body limit: it creates the LB (201)
def test_oversized_body_is_413(server, c, world):
    """Issue 2: the body size is limited. 2 MiB of otherwise valid JSON -> 413 with the fault body,
    nothing is created, and the server keeps answering."""
    pad = " " * (2 * 1024 * 1024)
    body = ('{"loadbalancer": {"name": "big", "vip_subnet_id": "%s"}%s}' % (VIP, pad)).encode()
    head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Project-Id: %s\r\n"
            "Content-Length: %d\r\nConnection: close\r\n\r\n" % (LB, c.project, len(body))).encode()
    try:
        status, hdrs, data = h.raw_http(server, head, body, timeout=30)
        assert status == 413, (status, data[:300])
        js = json.loads(data)
        assert set(js) == h.FAULT_KEYS and js["faultcode"] == "Client", js
        assert c.get("/").status == 200
        assert "big" not in [x["name"] for x in h.list_all(c, LB, "loadbalancers", {"project_id": c.project})]
    finally:
        for x in h.list_all(c, LB, "loadbalancers", {"project_id": c.project, "name": "big"}):
            h.wait_lb(c, x["id"])
            h.cascade_delete(c, x["id"])


@pytest.mark.reference_differs  # reference: 500 on a body cut short by the client
def test_garbage_http_keeps_server_alive(server, c):
    for raw in (b"GARBAGE\r\n\r\n", b"GET /v2/lbaas/loadbalancers HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                b"POST /v2/lbaas/loadbalancers HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{\"a"):
        status, _, _ = h.raw_http(server, raw, timeout=5)
        # None: closed without a proper HTTP response (acceptable); never a 5xx
        assert status is None or status < 500, (raw, status)
    assert c.get("/").status == 200


def test_nothing_changed(c, world):
    """Runs after the sweep (file order): no partial writes, every object still as before."""
    h.wait_lb(c, world["lb"])
    after = snapshot(c, world)
    for k in world["before"]:
        assert after[k] == world["before"][k], "%s changed by the bad-input sweep" % k
    assert c.get("/").status == 200


NASTY = [None, "", "x" * 300, -1, 0, 2 ** 31, 2 ** 63, -2 ** 63, 1.5, 1e308, True, False, [], {}, [None], {"a": [1]},
         "\u0000", "\U0001F600", "../../etc/passwd", "%s%n", "' OR 1=1 --", "0" * 40, "10.0.0.1/33",
         "00000000-0000-0000-0000-000000000000", "ROUND_ROBIN", "HTTP"]


def test_mutation_fuzz_never_500(c, server):
    """Seeded mutations of valid bodies (one field replaced by a nasty value, removed, or an unknown one
    added): every answer is a 2xx or a 4xx with the fault body, never a 5xx; the server stays up."""
    import random
    rnd = random.Random(20261126)
    lb = h.create_lb(c)
    li = h.create_listener(c, lb["id"], "HTTP", 80)
    pool = h.create_pool(c, lb["id"], "HTTP", listener_id=li["id"])
    pol = h.create_l7policy(c, lb["id"], li["id"], "REJECT")
    templates = [
        ("POST", LB, "loadbalancer", {"name": "f", "vip_subnet_id": VIP, "admin_state_up": True, "tags": ["a"],
                                      "vip_address": "10.0.0.9", "description": "d"}),
        ("PUT", "%s/%s" % (LB, lb["id"]), "loadbalancer", {"name": "f", "admin_state_up": True, "tags": ["a"]}),
        ("POST", LISTENERS, "listener", {"loadbalancer_id": lb["id"], "protocol": "TCP", "protocol_port": 81,
                                         "connection_limit": 5, "timeout_client_data": 10, "allowed_cidrs": ["10.0.0.0/8"],
                                         "insert_headers": {}}),
        ("PUT", "%s/%s" % (LISTENERS, li["id"]), "listener", {"name": "f", "connection_limit": 5,
                                                              "insert_headers": {"X-Forwarded-For": "true"}}),
        ("POST", POOLS, "pool", {"loadbalancer_id": lb["id"], "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
                                 "session_persistence": {"type": "APP_COOKIE", "cookie_name": "c"}}),
        ("POST", "%s/%s/members" % (POOLS, pool["id"]), "member", {"address": "10.1.1.1", "protocol_port": 80,
                                                                  "weight": 3, "monitor_port": 81, "backup": False}),
        ("PUT", "%s/%s/members" % (POOLS, pool["id"]), "members", [{"address": "10.1.1.2", "protocol_port": 80}]),
        ("POST", HMS, "healthmonitor", {"pool_id": pool["id"], "type": "HTTP", "delay": 5, "timeout": 3,
                                        "max_retries": 3, "url_path": "/", "expected_codes": "200"}),
        ("POST", L7P, "l7policy", {"listener_id": li["id"], "action": "REDIRECT_TO_URL",
                                   "redirect_url": "http://a.example", "position": 1}),
        ("POST", "%s/%s/rules" % (L7P, pol["id"]), "rule", {"type": "HEADER", "compare_type": "EQUAL_TO",
                                                            "key": "X-A", "value": "v", "invert": False}),
        ("PUT", "%s/%s" % (QUOTAS, c.project), "quota", {"loadbalancer": 5, "member": 10}),
    ]
    codes = {}
    for i in range(500):
        method, path, key, tmpl = rnd.choice(templates)
        body = json.loads(json.dumps(tmpl))
        target = body[0] if isinstance(body, list) else body
        op = rnd.random()
        field = rnd.choice(sorted(target))
        if op < 0.7:
            target[field] = rnd.choice(NASTY)
        elif op < 0.85:
            del target[field]
        else:
            target[rnd.choice(["bogus", "id", "provisioning_status", "pool_id", "project_id"])] = rnd.choice(NASTY)
        r = c.request(method, path, body={key: body})
        codes[r.status] = codes.get(r.status, 0) + 1
        assert r.status < 500, (i, method, path, body, r)
        if r.status >= 400:
            h.assert_fault(r, r.status)
        else:
            h.wait_lb(c, lb["id"])
    assert c.get("/").status == 200
    print("fuzz status codes:", codes)
