"""L7 policies (positions, action argument rules, 501 on TCP listeners) and L7 rules (validation table).

Facts: docs/octavia-api.md §2.8, §2.9; the reference Octavia 11 (probed).
"""
import pytest

import octane_server as h
from octane_server import L7P

POLICY_KEYS = {"id", "name", "description", "listener_id", "action", "redirect_pool_id", "redirect_url",
               "redirect_prefix", "redirect_http_code", "position", "rules", "admin_state_up",
               "provisioning_status", "operating_status", "project_id", "tenant_id", "created_at",
               "updated_at", "tags"}
RULE_KEYS = {"id", "type", "compare_type", "key", "value", "invert", "admin_state_up", "provisioning_status",
             "operating_status", "project_id", "tenant_id", "created_at", "updated_at", "tags"}


@pytest.fixture(scope="module")
def lb(c):
    return h.create_lb(c)


@pytest.fixture(scope="module")
def http_listener(c, lb):
    return h.create_listener(c, lb["id"], "HTTP", 80)


def ppath(i, suffix=""):
    return "%s/%s%s" % (L7P, i, suffix)


def positions(c, listener_id):
    pols = h.list_all(c, L7P, "l7policies", {"listener_id": listener_id})
    return [p["id"] for p in sorted(pols, key=lambda p: p["position"])], sorted(p["position"] for p in pols)


def test_create_defaults(c, lb, project):
    li = h.create_listener(c, lb["id"], "HTTP", 81)
    r = c.post(L7P, {"l7policy": {"name": "pol-reject", "action": "REJECT", "listener_id": li["id"]}})
    assert r.status == 201, r
    p = r.json["l7policy"]
    assert POLICY_KEYS <= set(p), POLICY_KEYS - set(p)
    assert p["provisioning_status"] == "PENDING_CREATE" and p["operating_status"] == "OFFLINE"
    assert p["position"] == 1 and p["rules"] == [] and p["description"] == ""
    assert p["redirect_pool_id"] is None and p["redirect_url"] is None and p["redirect_prefix"] is None
    assert p["redirect_http_code"] is None
    assert p["listener_id"] == li["id"] and p["admin_state_up"] is True
    assert p["project_id"] == project and p["tenant_id"] == project
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, ppath(p["id"]))
    assert got["operating_status"] == "ONLINE"
    lig = c.get("/v2/lbaas/listeners/%s" % li["id"]).json["listener"]
    assert lig["l7policies"] == [{"id": p["id"]}]
    # rule
    r = c.post(ppath(p["id"], "/rules"), {"rule": {"compare_type": "STARTS_WITH", "type": "PATH", "value": "/admin"}})
    assert r.status == 201, r
    rule = r.json["rule"]
    assert RULE_KEYS <= set(rule), RULE_KEYS - set(rule)
    assert "l7policy_id" not in rule and "name" not in rule
    assert rule["provisioning_status"] == "PENDING_CREATE" and rule["operating_status"] == "OFFLINE"
    assert rule["key"] is None and rule["invert"] is False and rule["admin_state_up"] is True
    assert rule["value"] == "/admin" and rule["tags"] == []
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, ppath(p["id"], "/rules/" + rule["id"]))
    assert got["operating_status"] == "ONLINE"
    assert h.wait_active(c, ppath(p["id"]))["rules"] == [{"id": rule["id"]}]
    assert [x["id"] for x in h.list_all(c, ppath(p["id"], "/rules"), "rules")] == [rule["id"]]


def test_tcp_listener_is_501(c, lb):
    li = h.create_listener(c, lb["id"], "TCP", 22)
    r = c.post(L7P, {"l7policy": {"name": "pol-tcp", "action": "REJECT", "listener_id": li["id"]}})
    h.assert_fault(r, 501, "Provider 'amphora' does not support a requested option: "
                           "TCP protocol listeners do not support L7 policies")
    assert h.wait_lb(c, lb["id"])["provisioning_status"] == "ACTIVE"


def test_positions_insert_and_compaction(c, lb):
    li = h.create_listener(c, lb["id"], "HTTP", 82)
    a = h.create_l7policy(c, lb["id"], li["id"], name="a")
    b = h.create_l7policy(c, lb["id"], li["id"], name="b")
    cc = h.create_l7policy(c, lb["id"], li["id"], name="c")
    assert (a["position"], b["position"], cc["position"]) == (1, 2, 3)
    # insert at the front shifts the others
    d = h.create_l7policy(c, lb["id"], li["id"], name="d", position=1)
    ids, pos = positions(c, li["id"])
    assert ids == [d["id"], a["id"], b["id"], cc["id"]] and pos == [1, 2, 3, 4]
    # a position beyond the end appends
    e = h.create_l7policy(c, lb["id"], li["id"], name="e", position=99)
    ids, pos = positions(c, li["id"])
    assert ids[-1] == e["id"] and pos == [1, 2, 3, 4, 5]
    assert c.get(ppath(e["id"])).json["l7policy"]["position"] == 5
    # move via PUT
    assert c.put(ppath(cc["id"]), {"l7policy": {"position": 1}}).status == 200
    h.wait_lb(c, lb["id"])
    ids, pos = positions(c, li["id"])
    assert ids == [cc["id"], d["id"], a["id"], b["id"], e["id"]] and pos == [1, 2, 3, 4, 5]
    # delete compacts
    assert c.delete(ppath(a["id"])).status == 204
    h.wait_gone(c, ppath(a["id"]))
    h.wait_lb(c, lb["id"])
    ids, pos = positions(c, li["id"])
    assert ids == [cc["id"], d["id"], b["id"], e["id"]] and pos == [1, 2, 3, 4]
    # the listener lists its policies in position order
    lig = c.get("/v2/lbaas/listeners/%s" % li["id"]).json["listener"]
    assert [x["id"] for x in lig["l7policies"]] == ids


def test_action_arguments(c, lb, http_listener):
    lid = http_listener["id"]
    pool = h.create_pool(c, lb["id"], "HTTP")
    u = h.create_l7policy(c, lb["id"], lid, "REDIRECT_TO_URL", redirect_url="http://www.example.com")
    assert u["redirect_url"] == "http://www.example.com" and u["redirect_http_code"] == 302
    pr = h.create_l7policy(c, lb["id"], lid, "REDIRECT_PREFIX", redirect_prefix="https://example.com",
                           redirect_http_code=301)
    assert pr["redirect_prefix"] == "https://example.com" and pr["redirect_http_code"] == 301
    tp = h.create_l7policy(c, lb["id"], lid, "REDIRECT_TO_POOL", redirect_pool_id=pool["id"])
    assert tp["redirect_pool_id"] == pool["id"] and tp["redirect_http_code"] is None
    # PUT with a redirect_pool_id switches the action and clears the url
    r = c.put(ppath(u["id"]), {"l7policy": {"action": "REDIRECT_TO_POOL", "redirect_pool_id": pool["id"]}})
    assert r.status == 200, r
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, ppath(u["id"]))
    assert got["action"] == "REDIRECT_TO_POOL" and got["redirect_url"] is None
    assert got["redirect_pool_id"] == pool["id"]
    # back to REJECT clears the pool
    r = c.put(ppath(u["id"]), {"l7policy": {"action": "REJECT"}})
    assert r.status == 200, r
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, ppath(u["id"]))
    assert got["action"] == "REJECT" and got["redirect_pool_id"] is None and got["redirect_url"] is None


@pytest.mark.parametrize("body,code,contains", [
    ({"action": "REDIRECT_TO_URL"}, 400, "redirect_url"),
    ({"action": "REDIRECT_PREFIX"}, 400, "redirect_prefix"),
    ({"action": "REDIRECT_TO_POOL"}, 400, "redirect_pool"),
    ({"action": "REDIRECT_TO_URL", "redirect_url": "not a url"}, 400, "redirect_url"),
    ({"action": "REDIRECT_TO_URL", "redirect_url": "http://x.example", "redirect_http_code": 305}, 400,
     "redirect_http_code"),
    ({"action": "BOGUS"}, 400, "action"),
    ({"action": "REJECT", "position": 0}, 400, "position"),
    ({"action": "REJECT", "position": 2147483648}, 400, "position"),
    ({"action": "REDIRECT_TO_POOL", "redirect_pool_id": "00000000-0000-0000-0000-000000000000"}, 404, None),
    ({"action": "REJECT", "name": "x" * 256}, 400, "name"),
])
def test_policy_validation(c, http_listener, body, code, contains):
    b = dict(body)
    b["listener_id"] = http_listener["id"]
    h.assert_fault(c.post(L7P, {"l7policy": b}), code, contains=contains)


def test_policy_missing_or_bad_listener(c):
    h.assert_fault(c.post(L7P, {"l7policy": {"action": "REJECT"}}), 400, contains="listener_id")
    h.assert_fault(c.post(L7P, {"l7policy": {"action": "REJECT", "listener_id": "nope"}}), 400, contains="listener_id")
    nil = "00000000-0000-0000-0000-000000000000"
    r = c.post(L7P, {"l7policy": {"action": "REJECT", "listener_id": nil}})
    assert r.status in (400, 404), r
    h.assert_fault(r, r.status, contains=nil)


def test_redirect_pool_protocol_must_match(c, lb, http_listener):
    tcp_pool = h.create_pool(c, lb["id"], "TCP")
    r = c.post(L7P, {"l7policy": {"listener_id": http_listener["id"], "action": "REDIRECT_TO_POOL",
                                  "redirect_pool_id": tcp_pool["id"]}})
    h.assert_fault(r, 400, "Validation failure: The pool protocol 'TCP' is invalid while the listener "
                           "protocol is 'HTTP'.")


# ---------------------------------------------------------------------------------------------
# rules

@pytest.fixture(scope="module")
def policy(c, lb, http_listener):
    return h.create_l7policy(c, lb["id"], http_listener["id"], "REJECT")


VALID_RULES = [
    {"type": "HOST_NAME", "compare_type": "EQUAL_TO", "value": "www.example.com"},
    {"type": "HOST_NAME", "compare_type": "ENDS_WITH", "value": ".example.com"},
    {"type": "PATH", "compare_type": "REGEX", "value": "^/api/v[0-9]+"},
    {"type": "PATH", "compare_type": "CONTAINS", "value": "/img", "invert": True},
    {"type": "FILE_TYPE", "compare_type": "EQUAL_TO", "value": "jpg"},
    {"type": "FILE_TYPE", "compare_type": "REGEX", "value": "jpe?g"},
    {"type": "HEADER", "compare_type": "STARTS_WITH", "key": "X-Env", "value": "prod"},
    {"type": "COOKIE", "compare_type": "EQUAL_TO", "key": "session", "value": "abc"},
    {"type": "SSL_CONN_HAS_CERT", "compare_type": "EQUAL_TO", "value": "tRuE"},
    {"type": "SSL_VERIFY_RESULT", "compare_type": "EQUAL_TO", "value": "0"},
    {"type": "SSL_DN_FIELD", "compare_type": "EQUAL_TO", "key": "CN", "value": "client"},
    # Octavia's value patterns let these through; the renderer writes them escaped (issue 11)
    {"type": "PATH", "compare_type": "REGEX", "value": "^/a\tb"},
    {"type": "HEADER", "compare_type": "CONTAINS", "key": "X-Q#'", "value": "\"Mozilla 5\t#x\""},
    {"type": "HEADER", "compare_type": "EQUAL_TO", "key": "X-A", "value": "a\"b,c;d\\e#f"},
    {"type": "COOKIE", "compare_type": "EQUAL_TO", "key": "s", "value": "a,b#c'"},
]

INVALID_RULES = [
    {"type": "BOGUS", "compare_type": "EQUAL_TO", "value": "x"},
    {"type": "PATH", "compare_type": "BOGUS", "value": "x"},
    {"type": "PATH", "compare_type": "EQUAL_TO"},                       # value mandatory
    {"type": "PATH", "compare_type": "REGEX", "value": "a(b"},           # must compile
    {"type": "PATH", "compare_type": "EQUAL_TO", "value": "a b"},        # header-value charset
    {"type": "FILE_TYPE", "compare_type": "STARTS_WITH", "value": "jpg"},
    {"type": "HEADER", "compare_type": "EQUAL_TO", "value": "x"},         # key required
    {"type": "HEADER", "compare_type": "EQUAL_TO", "key": "bad key", "value": "x"},
    {"type": "COOKIE", "compare_type": "EQUAL_TO", "value": "x"},         # key required
    {"type": "SSL_CONN_HAS_CERT", "compare_type": "EQUAL_TO", "value": "false"},
    {"type": "SSL_CONN_HAS_CERT", "compare_type": "STARTS_WITH", "value": "true"},
    {"type": "SSL_CONN_HAS_CERT", "compare_type": "EQUAL_TO", "key": "k", "value": "true"},
    {"type": "SSL_VERIFY_RESULT", "compare_type": "EQUAL_TO", "value": "-1"},
    {"type": "SSL_VERIFY_RESULT", "compare_type": "EQUAL_TO", "value": "abc"},
    {"type": "SSL_DN_FIELD", "compare_type": "EQUAL_TO", "value": "x"},   # key required
    {"type": "SSL_DN_FIELD", "compare_type": "EQUAL_TO", "key": "1CN", "value": "x"},
    {"type": "PATH", "compare_type": "EQUAL_TO", "value": "x" * 256},
    {"type": "PATH", "compare_type": "EQUAL_TO", "value": "/x", "invert": "maybe"},
    {"type": "HEADER", "compare_type": "EQUAL_TO", "key": "X-A", "value": "a\tb"},  # unquoted blank
    {"type": "COOKIE", "compare_type": "EQUAL_TO", "key": "s", "value": "a;b"},
    {"type": "FILE_TYPE", "compare_type": "EQUAL_TO", "value": "j pg"},
]


@pytest.mark.parametrize("rule", VALID_RULES, ids=lambda r: "%s-%s" % (r["type"], r["compare_type"]))
def test_valid_rules(c, lb, policy, rule):
    r = h.create_l7rule(c, lb["id"], policy["id"], rule["type"], rule["compare_type"], rule["value"],
                        **{k: v for k, v in rule.items() if k not in ("type", "compare_type", "value")})
    got = h.wait_active(c, ppath(policy["id"], "/rules/" + r["id"]))
    assert got["type"] == rule["type"] and got["value"] == rule["value"]
    assert got["invert"] is rule.get("invert", False)
    if rule["type"] in ("HEADER", "COOKIE", "SSL_DN_FIELD"):
        assert got["key"] == rule["key"]


@pytest.mark.parametrize("rule", INVALID_RULES, ids=lambda r: "%s-%s" % (r["type"], r["compare_type"]))
def test_invalid_rules(c, lb, policy, rule):
    h.wait_lb(c, lb["id"])
    before = h.list_all(c, ppath(policy["id"], "/rules"), "rules")
    h.assert_fault(c.post(ppath(policy["id"], "/rules"), {"rule": rule}), 400)
    assert h.list_all(c, ppath(policy["id"], "/rules"), "rules") == before


def test_rule_update_revalidates_merged_rule(c, lb, http_listener):
    pol = h.create_l7policy(c, lb["id"], http_listener["id"], "REJECT")
    rule = h.create_l7rule(c, lb["id"], pol["id"], "HEADER", "EQUAL_TO", "v", key="X-A")
    # switching to COOKIE keeps the stored key: valid
    r = c.put(ppath(pol["id"], "/rules/" + rule["id"]), {"rule": {"type": "COOKIE"}})
    assert r.status == 200, r
    assert r.json["rule"]["provisioning_status"] == "PENDING_UPDATE"
    h.wait_lb(c, lb["id"])
    got = h.wait_active(c, ppath(pol["id"], "/rules/" + rule["id"]))
    assert got["type"] == "COOKIE" and got["key"] == "X-A"
    # switching to SSL_VERIFY_RESULT with a non-numeric value is rejected
    r = c.put(ppath(pol["id"], "/rules/" + rule["id"]), {"rule": {"type": "SSL_VERIFY_RESULT", "key": None}})
    h.assert_fault(r, 400)
    assert h.wait_lb(c, lb["id"])["provisioning_status"] == "ACTIVE"
    # delete
    assert c.delete(ppath(pol["id"], "/rules/" + rule["id"])).status == 204
    h.wait_gone(c, ppath(pol["id"], "/rules/" + rule["id"]))
    h.wait_lb(c, lb["id"])
    assert h.wait_active(c, ppath(pol["id"]))["rules"] == []


def test_rule_not_found(c, policy):
    nil = "00000000-0000-0000-0000-000000000000"
    h.assert_fault(c.get(ppath(policy["id"], "/rules/" + nil)), 404, regex=r"^L7 ?Rule %s not found\.$" % nil)
    r = c.get(ppath(nil, "/rules"))
    assert r.status == 404, r
    assert nil in r.text


def test_rule_limit_50(c, lb, http_listener):
    """At most 50 rules per policy (docs/octavia-api.md §2.2): the 51st is a 409 and is not stored."""
    pol = h.create_l7policy(c, lb["id"], http_listener["id"], "REJECT")
    for i in range(50):
        h.create_l7rule(c, lb["id"], pol["id"], "PATH", "EQUAL_TO", "/p%d" % i)
    h.wait_lb(c, lb["id"])
    r = c.post(ppath(pol["id"], "/rules"), {"rule": {"type": "PATH", "compare_type": "EQUAL_TO", "value": "/x"}})
    h.assert_fault(r, 409, "Too many rules on L7 policy %s" % pol["id"])
    rules = c.get(ppath(pol["id"], "/rules"))
    assert rules.status == 200, rules
    assert sorted(x["value"] for x in rules.json["rules"]) == sorted("/p%d" % i for i in range(50))


def test_url_policy_with_pool_id_drops_the_pool(c, lb, http_listener):
    """Reference (Octavia 11, probed): REDIRECT_TO_URL with a redirect_pool_id as well is accepted (201)
    and the pool is forced to null (docs/octavia-api.md §2.8: the 400 of newer Octavia releases for
    this combination is not followed, the reference wins)."""
    pool = h.create_pool(c, lb["id"], "HTTP")
    r = c.post(L7P, {"l7policy": {"listener_id": http_listener["id"], "action": "REDIRECT_TO_URL",
                                  "redirect_url": "http://a.example", "redirect_pool_id": pool["id"]}})
    assert r.status == 201, r
    p = r.json["l7policy"]
    assert p["redirect_pool_id"] is None and p["redirect_url"] == "http://a.example"
    assert p["redirect_http_code"] == 302
    h.wait_lb(c, lb["id"])


@pytest.mark.parametrize("url,ok", [
    ("http://a.example/path?q=1&r=2", True),
    # query and fragment are not checked further by Octavia; the renderer escapes '\' and '#'
    ("http://a.example/x?y=\\r\\nSet-Cookie:\\x20a=b#frag", True),
    ("http://a.example/x\r\nSet-Cookie: a=b", False),   # control characters
    ("http://a.example/x y", False),                      # space
    ("http://a.example/\u0085", False),                  # C1 control
    ("http://a.example/a\\b", False),                   # not an RFC 3986 path character
    ("ftp://a.example/", False),
    ("http:///nohost", False),
])
def test_redirect_url_validation(c, lb, http_listener, url, ok):
    h.wait_lb(c, lb["id"])
    for field, action in (("redirect_url", "REDIRECT_TO_URL"), ("redirect_prefix", "REDIRECT_PREFIX")):
        r = c.post(L7P, {"l7policy": {"listener_id": http_listener["id"], "action": action, field: url}})
        if ok:
            assert r.status == 201, r
            assert r.json["l7policy"][field] == url
            h.wait_lb(c, lb["id"])
            assert c.delete(ppath(r.json["l7policy"]["id"])).status == 204
            h.wait_lb(c, lb["id"])
        else:
            h.assert_fault(r, 400, contains="Value must be a valid URL string")
