"""Tokens and pagination seen by a tenant (issue 11, security items 2 and 7), over real HTTP against
`octane serve` with the built-in identity.

  - A token re-issued with the `token` method keeps its parent's expires_at (a chain of re-issues
    never extends a login) and names the chain in audit_ids as Keystone does; revoking a token
    revokes every token derived from it, and only those.
  - A list's `marker` is looked up only among what the caller may list: another project's object
    is as unknown as a made-up id (400), the caller's own object pages normally.
"""
from __future__ import annotations

import os
import sys
import time
import uuid

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import cloud as c  # noqa: E402

TOKENS = "/identity/v3/auth/tokens"
LB = "/v2/lbaas/loadbalancers"
NET = "/networking/v2.0"


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    state = str(tmp_path_factory.mktemp("octane-token-chain"))
    s = c.start(state)
    s.admin = c.system_token(s.base_url, "admin", c.admin_password(state))
    try:
        yield s
    finally:
        s.stop()


def new_tenant(srv):
    name = "t-" + uuid.uuid4().hex[:8]
    c.add_user(srv.state_dir, name, name, name + "-pw", "member")
    return name, c.token(srv.base_url, name, name + "-pw", name)


def reissue(srv, parent: str, project: str | None = None):
    body = {"auth": {"identity": {"methods": ["token"], "token": {"id": parent}}}}
    if project:
        body["auth"]["scope"] = {"project": {"name": project, "domain": {"name": "Default"}}}
    r = c.call("POST", srv.base_url + TOKENS, json=body)
    assert r.status_code == 201, r.text
    return r.headers["X-Subject-Token"], r.json()["token"]


def valid(srv, token: str) -> bool:
    r = c.call("GET", srv.base_url + TOKENS, srv.admin, headers={"X-Subject-Token": token})
    assert r.status_code in (200, 404), r.text
    return r.status_code == 200


def test_reissued_tokens_keep_the_first_expiry_and_name_the_chain(srv):
    name, _ = new_tenant(srv)
    r = c.issue(srv.base_url, name, name + "-pw")
    assert r.status_code == 201, r.text
    root, root_body = r.headers["X-Subject-Token"], r.json()["token"]
    time.sleep(0.05)  # issued_at has millisecond resolution: let the clock move past one
    child, child_body = reissue(srv, root, name)
    grandchild, grand_body = reissue(srv, child)
    assert child_body["issued_at"] > root_body["issued_at"]
    assert child_body["expires_at"] == root_body["expires_at"]
    assert grand_body["expires_at"] == root_body["expires_at"]
    [root_audit] = root_body["audit_ids"]
    assert child_body["audit_ids"][1:] == [root_audit] and child_body["audit_ids"][0] != root_audit
    assert grand_body["audit_ids"][1:] == [root_audit]


def test_revocation_follows_derived_tokens_only(srv):
    name, _ = new_tenant(srv)
    root = c.token(srv.base_url, name, name + "-pw")
    child, _ = reissue(srv, root, name)
    grandchild, _ = reissue(srv, child)
    sibling, _ = reissue(srv, root)
    other = c.token(srv.base_url, name, name + "-pw", name)  # a login of its own

    r = c.call("DELETE", srv.base_url + TOKENS, srv.admin, headers={"X-Subject-Token": child})
    assert r.status_code == 204, r.text
    assert not valid(srv, child) and not valid(srv, grandchild)
    assert valid(srv, root) and valid(srv, sibling) and valid(srv, other)
    # a revoked token can no longer be re-issued, nor its descendants used
    r = c.call("POST", srv.base_url + TOKENS,
               json={"auth": {"identity": {"methods": ["token"], "token": {"id": grandchild}}}})
    c.assert_keystone_error(r, 401)
    assert c.call("GET", srv.base_url + LB, grandchild).status_code == 401

    r = c.call("DELETE", srv.base_url + TOKENS, srv.admin, headers={"X-Subject-Token": root})
    assert r.status_code == 204, r.text
    assert not valid(srv, root) and not valid(srv, sibling)
    assert valid(srv, other)


def subnet_id(srv, tok):
    r = c.call("GET", srv.base_url + NET + "/subnets", tok, params={"name": "selfservice"})
    assert r.status_code == 200, r.text
    return r.json()["subnets"][0]["id"]


def create_lb(srv, tok, name):
    r = c.call("POST", srv.base_url + LB, tok,
               json={"loadbalancer": {"name": name, "vip_subnet_id": subnet_id(srv, tok)}})
    assert r.status_code == 201, r.text
    return r.json()["loadbalancer"]["id"]


def test_marker_is_looked_up_among_what_the_caller_sees(srv):
    _, mine = new_tenant(srv)
    _, theirs = new_tenant(srv)
    own = [create_lb(srv, mine, "own-%d" % i) for i in range(2)]
    foreign = create_lb(srv, theirs, "foreign")

    r = c.call("GET", srv.base_url + LB, mine, params={"marker": foreign})
    assert r.status_code == 400, (r.status_code, r.text)
    fault = r.json()
    assert fault["faultstring"] == "Supplied pagination marker '%s' is not valid." % foreign, fault
    assert set(fault) == {"faultcode", "faultstring", "debuginfo"}
    # indistinguishable from an id that exists nowhere
    made_up = str(uuid.uuid4())
    r2 = c.call("GET", srv.base_url + LB, mine, params={"marker": made_up})
    assert r2.status_code == 400
    assert r2.json()["faultstring"].replace(made_up, "X") == fault["faultstring"].replace(foreign, "X")

    # the caller's own marker pages through its own objects
    r = c.call("GET", srv.base_url + LB, mine, params={"marker": own[0], "sort": "name:asc"})
    assert r.status_code == 200, r.text
    assert [lb["id"] for lb in r.json()["loadbalancers"]] == [own[1]]
    # a system admin sees every project, so the other project's id is a valid marker for it
    r = c.call("GET", srv.base_url + LB, srv.admin, params={"marker": foreign})
    assert r.status_code == 200, r.text
