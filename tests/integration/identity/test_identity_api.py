"""The built-in Keystone v3 subset and the keystone auth strategy of the load-balancer API, over
real HTTP against `octane serve` defaults: discovery, tokens (issue, validate, revoke, expire),
bad auth bodies, unknown users, wrong passwords, token-in-wrong-project and project isolation
(the policy personas: test_policy_modes.py)."""
from __future__ import annotations

import os
import re
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import cloud as c  # noqa: E402

LB = "/v2.0/lbaas/loadbalancers"


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    state = str(tmp_path_factory.mktemp("octane-identity"))
    s = c.start(state)
    s.admin_password = c.admin_password(state)
    c.add_user(state, "demo", "demo", "demo-pw", "member")
    c.add_user(state, "demo", "viewer", "viewer-pw", "reader")
    c.add_user(state, "other", "other", "other-pw", "member")
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="module")
def admin(srv):
    return c.token(srv.base_url, "admin", srv.admin_password, "admin")


def test_version_discovery(srv):
    r = c.call("GET", srv.base_url + "/identity")
    assert r.status_code == 300
    (v3,) = r.json()["versions"]["values"]
    assert v3["id"] == "v3.14" and v3["status"] == "stable"
    assert v3["links"][0]["href"] == srv.base_url + "/identity/v3/"
    for path in ("/identity/v3", "/identity/v3/", "/v3"):
        r = c.call("GET", srv.base_url + path)
        assert r.status_code == 200, path
        assert r.json()["version"]["id"] == "v3.14"


def test_admin_openrc(srv):
    path = os.path.join(srv.state_dir, "admin-openrc")
    assert os.stat(path).st_mode & 0o777 == 0o600
    text = open(path).read()
    assert "export OS_AUTH_URL=%s/identity/v3\n" % srv.base_url in text
    for line in ("OS_USERNAME=admin", "OS_PROJECT_NAME=admin", "OS_USER_DOMAIN_NAME=Default",
                 "OS_PROJECT_DOMAIN_NAME=Default", "OS_IDENTITY_API_VERSION=3",
                 "OS_AUTH_TYPE=password", "OS_REGION_NAME=RegionOne"):
        assert "export %s\n" % line in text
    # The password is stored hashed, never in clear, in the database.
    db = b"".join(c.h.database_choice.stored_bytes(srv.state_dir).values())
    assert db and srv.admin_password.encode() not in db


def test_issue_token_body_and_catalog(srv):
    r = c.issue(srv.base_url, "admin", srv.admin_password, "admin")
    assert r.status_code == 201, r.text
    tok = r.headers["X-Subject-Token"]
    assert re.fullmatch(r"[0-9a-f]{64}", tok)
    t = r.json()["token"]
    assert t["methods"] == ["password"]
    assert t["user"]["name"] == "admin" and t["user"]["domain"] == {"id": "default", "name": "Default"}
    assert t["project"]["name"] == "admin" and re.fullmatch(r"[0-9a-f]{32}", t["project"]["id"])
    assert "admin" in [role["name"] for role in t["roles"]]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", t["expires_at"])
    assert t["expires_at"] > t["issued_at"]
    urls = {}
    for svc in t["catalog"]:
        assert {e["interface"] for e in svc["endpoints"]} == {"public", "internal", "admin"}
        assert {e["region_id"] for e in svc["endpoints"]} == {"RegionOne"}
        urls[svc["type"]] = svc["endpoints"][0]["url"]
    assert urls == {"identity": srv.base_url + "/identity/v3", "load-balancer": srv.base_url,
                    "network": srv.base_url + "/networking",
                    "key-manager": srv.base_url + "/key-manager"}
    # Tokens are only stored as digests.
    stored = b"".join(c.h.database_choice.stored_bytes(srv.state_dir).values())
    assert stored and tok.encode() not in stored


def test_unscoped_token_has_no_catalog(srv):
    r = c.issue(srv.base_url, "demo", "demo-pw")
    assert r.status_code == 201
    assert "project" not in r.json()["token"] and "catalog" not in r.json()["token"]
    # ... and is refused by the load-balancer API only by policy (no project): empty list
    tok = r.headers["X-Subject-Token"]
    assert c.call("GET", srv.base_url + LB, tok).status_code in (200, 403)


@pytest.mark.parametrize("body", [
    "not json", "[]", {}, {"auth": {}}, {"auth": {"identity": {}}},
    {"auth": {"identity": {"methods": []}}},
    {"auth": {"identity": {"methods": ["password"]}}},
    {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin"}}}}},
    {"auth": {"identity": {"methods": ["password"], "password": {"user": {"password": "x"}}}}},
    {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": 1, "password": "x"}}}}},
    {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "password": "x"}}},
              "scope": {"project": {}}}},
])
def test_malformed_auth_bodies_are_400(srv, body):
    kw = {"data": body} if isinstance(body, str) else {"json": body}
    r = c.call("POST", srv.base_url + "/identity/v3/auth/tokens", **kw)
    c.assert_keystone_error(r, 400)


@pytest.mark.parametrize("user,password,project", [
    ("nobody", "x", "admin"),            # unknown user
    ("admin", "wrong", "admin"),         # wrong password
    ("admin", "", "admin"),              # empty password
    ("demo", "demo-pw", "admin"),        # token in a project the user has no role on
    ("demo", "demo-pw", "no-such-project"),
])
def test_bad_credentials_are_401(srv, user, password, project):
    c.assert_keystone_error(c.issue(srv.base_url, user, password, project), 401)


def test_unknown_user_domain_is_401(srv):
    body = c.auth_body("admin", srv.admin_password, "admin")
    body["auth"]["identity"]["password"]["user"]["domain"] = {"name": "Elsewhere"}
    c.assert_keystone_error(c.call("POST", srv.base_url + "/identity/v3/auth/tokens", json=body), 401)


def test_validate_and_revoke(srv, admin):
    user_token = c.token(srv.base_url, "demo", "demo-pw", "demo")
    url = srv.base_url + "/identity/v3/auth/tokens"
    r = c.call("GET", url, admin, headers={"X-Subject-Token": user_token})
    assert r.status_code == 200 and r.headers["X-Subject-Token"] == user_token
    assert r.json()["token"]["project"]["name"] == "demo"
    assert c.call("HEAD", url, admin, headers={"X-Subject-Token": user_token}).status_code == 200
    # a user validates its own token; others' need admin
    other = c.token(srv.base_url, "other", "other-pw", "other")
    c.assert_keystone_error(c.call("GET", url, other, headers={"X-Subject-Token": user_token}), 403)
    c.assert_keystone_error(c.call("GET", url, headers={"X-Subject-Token": user_token}), 401)
    c.assert_keystone_error(c.call("GET", url, admin, headers={"X-Subject-Token": "f" * 64}), 404)
    c.assert_keystone_error(c.call("GET", url, admin), 400)
    assert c.call("GET", srv.base_url + LB, user_token).status_code == 200
    r = c.call("DELETE", url, user_token, headers={"X-Subject-Token": user_token})
    assert r.status_code == 204
    c.assert_keystone_error(c.call("GET", url, admin, headers={"X-Subject-Token": user_token}), 404)
    c.assert_keystone_error(c.call("GET", srv.base_url + LB, user_token), 401)
    c.assert_keystone_error(c.call("DELETE", url, admin, headers={"X-Subject-Token": user_token}), 404)


def test_load_balancer_api_needs_a_token(srv):
    for tok in (None, "garbage", "0" * 64):
        r = c.call("GET", srv.base_url + LB, tok)
        c.assert_keystone_error(r, 401)
        assert r.json()["error"]["message"] == "The request you have made requires authentication."
    # the version document stays public
    assert c.call("GET", srv.base_url + "/").status_code == 200


def test_rbac_and_project_isolation(srv, admin):
    demo = c.token(srv.base_url, "demo", "demo-pw", "demo")
    viewer = c.token(srv.base_url, "viewer", "viewer-pw", "demo")
    other = c.token(srv.base_url, "other", "other-pw", "other")
    subnet = c.call("GET", srv.base_url + "/networking/v2.0/subnets?name=selfservice",
                    demo).json()["subnets"][0]["id"]
    r = c.call("POST", srv.base_url + LB, demo, json={"loadbalancer": {"name": "mine", "vip_subnet_id": subnet}})
    assert r.status_code == 201, r.text
    lb = r.json()["loadbalancer"]
    demo_project = c.call("GET", srv.base_url + "/identity/v3/auth/tokens", demo,
                          headers={"X-Subject-Token": demo}).json()["token"]["project"]["id"]
    assert lb["project_id"] == demo_project
    # reader: sees, cannot write
    assert c.call("GET", srv.base_url + LB + "/" + lb["id"], viewer).status_code == 200
    r = c.call("POST", srv.base_url + LB, viewer, json={"loadbalancer": {"vip_subnet_id": subnet}})
    assert r.status_code == 403, r.text
    assert r.json()["faultstring"] == "Policy does not allow this request to be performed."
    # another project: not in its list, 403 on the object, cannot create in demo's project
    assert c.call("GET", srv.base_url + LB, other).json()["loadbalancers"] == []
    assert c.call("GET", srv.base_url + LB + "/" + lb["id"], other).status_code == 403
    assert c.call("PUT", srv.base_url + LB + "/" + lb["id"], other,
                  json={"loadbalancer": {"name": "x"}}).status_code == 403
    assert c.call("DELETE", srv.base_url + LB + "/" + lb["id"], other).status_code == 403
    r = c.call("POST", srv.base_url + LB, other,
               json={"loadbalancer": {"vip_subnet_id": subnet, "project_id": demo_project}})
    assert r.status_code == 403, r.text
    # the system admin sees every project's objects, a project admin only its project's
    system_admin = c.system_token(srv.base_url, "admin", srv.admin_password)
    ids = [x["id"] for x in c.call("GET", srv.base_url + LB, system_admin).json()["loadbalancers"]]
    assert lb["id"] in ids
    ids = [x["id"] for x in c.call("GET", srv.base_url + LB, admin).json()["loadbalancers"]]
    assert lb["id"] not in ids


def test_project_and_user_lookups(srv, admin):
    r = c.call("GET", srv.base_url + "/identity/v3/projects?name=demo", admin)
    (project,) = r.json()["projects"]
    assert project["name"] == "demo" and project["domain_id"] == "default"
    assert c.call("GET", srv.base_url + "/identity/v3/projects/" + project["id"], admin).json()[
        "project"]["id"] == project["id"]
    c.assert_keystone_error(c.call("GET", srv.base_url + "/identity/v3/projects/" + "0" * 32, admin), 404)
    users = c.call("GET", srv.base_url + "/identity/v3/users?name=demo", admin).json()["users"]
    assert [u["name"] for u in users] == ["demo"]
    assert "password" not in users[0]
    # a member sees only its own projects and cannot list users
    demo = c.token(srv.base_url, "demo", "demo-pw", "demo")
    names = [p["name"] for p in c.call("GET", srv.base_url + "/identity/v3/projects", demo).json()["projects"]]
    assert names == ["demo"]
    c.assert_keystone_error(c.call("GET", srv.base_url + "/identity/v3/users", demo), 403)
    c.assert_keystone_error(c.call("GET", srv.base_url + "/identity/v3/projects"), 401)


def test_unknown_paths_and_methods(srv, admin):
    """Discovery and tokens answer 405 without a token; anything else wants one (401) before
    routing says 404 (unknown path) or 405 (known path, other method), in Keystone's body."""
    ks = srv.base_url + "/identity"
    for method, path in (("POST", ""), ("DELETE", "/v3"), ("PUT", "/v3/auth/tokens")):
        c.assert_keystone_error(c.call(method, ks + path), 405)
    c.assert_keystone_error(c.call("GET", ks + "/v3/nothing"), 401)
    c.assert_keystone_error(c.call("GET", ks + "/v3/nothing", admin), 404)
    c.assert_keystone_error(c.call("GET", ks + "/v3/projects/x/users", admin), 404)
    for method, path in (("PUT", "/v3/projects"), ("POST", "/v3/roles/x"),
                         ("PATCH", "/v3/users/x/projects"), ("POST", "/v3/role_assignments/")):
        c.assert_keystone_error(c.call(method, ks + path, admin), 405)
    r = c.call("HEAD", ks + "/v3/roles", admin)
    assert r.status_code == 200 and r.content == b""


def test_dynamic_credentials_lifecycle(srv, admin):
    """What tempest's dynamic credentials do per test class: project, user, role grant, a token
    in the project, then deleting user and project; the user's token dies with them."""
    ks = srv.base_url + "/identity/v3"
    r = c.call("POST", ks + "/projects", admin,
               json={"project": {"name": "tempest-p", "description": "d", "domain_id": "default"}})
    assert r.status_code == 201, r.text
    project = r.json()["project"]
    r = c.call("POST", ks + "/users", admin, json={"user": {
        "name": "tempest-u", "password": "tempest-pw", "project_id": project["id"],
        "domain_id": "default"}})
    assert r.status_code == 201, r.text
    user = r.json()["user"]
    role = next(x for x in c.call("GET", ks + "/roles", admin).json()["roles"]
                if x["name"] == "member")
    r = c.call("PUT", "%s/projects/%s/users/%s/roles/%s" % (ks, project["id"], user["id"], role["id"]),
               admin)
    assert r.status_code == 204, r.text
    tok = c.token(srv.base_url, "tempest-u", "tempest-pw", "tempest-p")
    assert c.call("GET", srv.base_url + LB, tok).status_code == 200
    # the plugin logs each credential's roles; Keystone filters on scope.project.id and ignores
    # the plugin's project.id
    r = c.call("GET", ks + "/role_assignments?user.id=%s&project.id=x" % user["id"], admin)
    assert r.status_code == 200, r.text
    (grant,) = r.json()["role_assignments"]
    assert grant["role"] == {"id": role["id"]} and grant["user"] == {"id": user["id"]}
    assert grant["scope"] == {"project": {"id": project["id"]}}
    r = c.call("GET", ks + "/role_assignments?scope.project.id=" + project["id"], admin)
    assert [a["user"]["id"] for a in r.json()["role_assignments"]] == [user["id"]]
    r = c.call("GET", ks + "/role_assignments?scope.project.id=%s&role.id=x" % project["id"], admin)
    assert r.json()["role_assignments"] == []
    assert c.call("GET", ks + "/roles/" + role["id"], admin).json()["role"]["name"] == "member"
    c.assert_keystone_error(c.call("GET", ks + "/roles/" + "0" * 32, admin), 404)
    demo = c.token(srv.base_url, "demo", "demo-pw", "demo")
    c.assert_keystone_error(c.call("GET", ks + "/role_assignments", demo), 403)
    c.assert_keystone_error(c.call("DELETE", ks + "/users/" + user["id"], demo), 403)
    c.assert_keystone_error(c.call("DELETE", ks + "/projects/" + project["id"], demo), 403)
    assert c.call("DELETE", ks + "/users/" + user["id"], admin).status_code == 204
    r = c.call("GET", ks + "/role_assignments?user.id=" + user["id"], admin)
    assert r.json()["role_assignments"] == []
    assert c.call("GET", srv.base_url + LB, tok).status_code == 401
    c.assert_keystone_error(c.call("DELETE", ks + "/users/" + user["id"], admin), 404)
    assert c.call("DELETE", ks + "/projects/" + project["id"], admin).status_code == 204
    c.assert_keystone_error(c.call("GET", ks + "/projects/" + project["id"], admin), 404)
    c.assert_keystone_error(c.call("DELETE", ks + "/projects/" + project["id"], admin), 404)
    # the name is free again, as in Keystone
    r = c.call("POST", ks + "/projects", admin, json={"project": {"name": "tempest-p"}})
    assert r.status_code == 201, r.text


def test_tokens_expire(tmp_path):
    state = str(tmp_path)
    s = c.start(state, "--token-expiration", "2")
    try:
        tok = c.token(s.base_url, "admin", c.admin_password(state), "admin")
        assert c.call("GET", s.base_url + LB, tok).status_code == 200
        deadline = time.monotonic() + 15
        status = 200
        while time.monotonic() < deadline and status == 200:
            status = c.call("GET", s.base_url + LB, tok).status_code
            time.sleep(0.1)
        assert status == 401
        c.assert_keystone_error(c.call("GET", s.base_url + LB, tok), 401)
        fresh = c.token(s.base_url, "admin", c.admin_password(state), "admin")
        assert c.call("GET", s.base_url + LB, fresh).status_code == 200
    finally:
        s.stop()


def test_admin_password_survives_restart(tmp_path):
    state = str(tmp_path)
    s = c.start(state)
    password = c.admin_password(state)
    s.stop()
    s = c.start(state)
    try:
        assert c.admin_password(state) == password
        c.token(s.base_url, "admin", password, "admin")
        # the first-start networks are not duplicated
        tok = c.token(s.base_url, "admin", password, "admin")
        names = [n["name"] for n in c.call("GET", s.base_url + "/networking/v2.0/networks", tok).json()["networks"]]
        assert sorted(names) == ["provider", "selfservice"]
    finally:
        s.stop()


def test_noauth_stays_selectable(tmp_path):
    s = c.start(str(tmp_path), "--auth-strategy", "noauth", "--network-driver", "noop")
    try:
        r = c.call("GET", s.base_url + LB, headers={"X-Project-Id": "p"})
        assert r.status_code == 200
    finally:
        s.stop()


def test_quota_enforced(srv):
    admin = c.system_token(srv.base_url, "admin", srv.admin_password)
    c.add_user(srv.state_dir, "quota", "quota", "quota-pw", "member")
    tok = c.token(srv.base_url, "quota", "quota-pw", "quota")
    project = c.call("GET", srv.base_url + "/identity/v3/projects?name=quota", admin).json()["projects"][0]["id"]
    r = c.call("PUT", srv.base_url + "/v2/lbaas/quotas/" + project, admin, json={"quota": {"loadbalancer": 1}})
    assert r.status_code == 202, r.text
    # a member cannot raise its own quota
    assert c.call("PUT", srv.base_url + "/v2/lbaas/quotas/" + project, tok,
                  json={"quota": {"loadbalancer": 5}}).status_code == 403
    subnet = c.call("GET", srv.base_url + "/networking/v2.0/subnets?name=selfservice", tok).json()["subnets"][0]["id"]
    first = c.call("POST", srv.base_url + LB, tok, json={"loadbalancer": {"vip_subnet_id": subnet}})
    assert first.status_code == 201, first.text
    second = c.call("POST", srv.base_url + LB, tok, json={"loadbalancer": {"vip_subnet_id": subnet}})
    assert second.status_code == 403, second.text
    assert second.json()["faultstring"] == "Quota has been met for resources: Load Balancer"
    # the refused create left no VIP port behind
    ports = c.call("GET", srv.base_url + "/networking/v2.0/ports?device_owner=Octavia", admin).json()["ports"]
    assert len([p for p in ports if p["project_id"] == project]) == 1


def wait_lb_active(srv, tok, lb_id):
    def active():
        lb = c.call("GET", srv.base_url + LB + "/" + lb_id, tok).json()["loadbalancer"]
        assert lb["provisioning_status"] != "ERROR", lb
        return lb["provisioning_status"] == "ACTIVE"
    c.h.poll_until(active, what="load balancer %s ACTIVE" % lb_id)


def test_isolation_on_every_route(srv, admin):
    """A token scoped to another project reaches none of a project's objects: lists leave them out,
    each object, sub-collection and write is refused with Octavia's 403 policy fault, and the
    networking surface hides the project's VIP port (404 as Neutron)."""
    demo = c.token(srv.base_url, "demo", "demo-pw", "demo")
    other = c.token(srv.base_url, "other", "other-pw", "other")
    subnet = c.call("GET", srv.base_url + "/networking/v2.0/subnets?name=selfservice",
                    demo).json()["subnets"][0]["id"]
    graph = {"name": "iso", "vip_subnet_id": subnet,
             "listeners": [{"name": "l", "protocol": "HTTP", "protocol_port": 80, "default_pool": {"name": "p"},
                            "l7policies": [{"action": "REJECT", "rules": [
                                {"type": "PATH", "compare_type": "STARTS_WITH", "value": "/x"}]}]}],
             "pools": [{"name": "p", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
                        "healthmonitor": {"type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 3},
                        "members": [{"address": "127.10.6.1", "protocol_port": 80}]}]}
    r = c.call("POST", srv.base_url + LB, demo, json={"loadbalancer": graph})
    assert r.status_code == 201, r.text
    lb = r.json()["loadbalancer"]
    wait_lb_active(srv, demo, lb["id"])
    listener, pool = lb["listeners"][0], lb["pools"][0]
    policy = listener["l7policies"][0]
    member, hm, rule = pool["members"][0], pool["healthmonitor"], policy["rules"][0]
    v2 = srv.base_url + "/v2/lbaas"
    for plural, obj in (("loadbalancers", lb), ("listeners", listener), ("pools", pool),
                        ("healthmonitors", hm), ("l7policies", policy)):
        listed = c.call("GET", "%s/%s" % (v2, plural), other)
        assert listed.status_code == 200 and obj["id"] not in [x["id"] for x in listed.json()[plural]]
        assert obj["id"] in [x["id"] for x in c.call("GET", "%s/%s" % (v2, plural), demo).json()[plural]]
    refused = [("GET", "/listeners/" + listener["id"]), ("GET", "/pools/" + pool["id"]),
               ("GET", "/healthmonitors/" + hm["id"]), ("GET", "/l7policies/" + policy["id"]),
               ("GET", "/pools/%s/members" % pool["id"]), ("GET", "/pools/%s/members/%s" % (pool["id"], member["id"])),
               ("GET", "/l7policies/%s/rules" % policy["id"]),
               ("GET", "/l7policies/%s/rules/%s" % (policy["id"], rule["id"])),
               ("GET", "/loadbalancers/%s/status" % lb["id"]), ("GET", "/loadbalancers/%s/stats" % lb["id"]),
               ("GET", "/listeners/%s/stats" % listener["id"]), ("GET", "/quotas/" + lb["project_id"]),
               ("PUT", "/listeners/" + listener["id"], {"listener": {"name": "x"}}),
               ("DELETE", "/pools/" + pool["id"]), ("DELETE", "/healthmonitors/" + hm["id"]),
               ("PUT", "/pools/%s/members" % pool["id"], {"members": []}),
               ("POST", "/listeners", {"listener": {"loadbalancer_id": lb["id"], "protocol": "TCP",
                                                    "protocol_port": 22}}),
               ("POST", "/pools/%s/members" % pool["id"], {"member": {"address": "127.10.6.2", "protocol_port": 80}}),
               ("POST", "/l7policies/%s/rules" % policy["id"], {"rule": {
                   "type": "PATH", "compare_type": "STARTS_WITH", "value": "/y"}})]
    for method, path, *body in refused:
        r = c.call(method, v2 + path, other, **({"json": body[0]} if body else {}))
        assert r.status_code == 403, (method, path, r.status_code, r.text)
        assert r.json()["faultstring"] == "Policy does not allow this request to be performed.", path
    # nothing changed by the refusals
    assert c.call("GET", v2 + "/listeners/" + listener["id"], demo).json()["listener"]["name"] == "l"
    assert len(c.call("GET", v2 + "/pools/%s/members" % pool["id"], demo).json()["members"]) == 1
    assert c.call("GET", srv.base_url + LB + "/" + lb["id"], demo).json()["loadbalancer"][
        "provisioning_status"] == "ACTIVE"
    # the VIP port is the project's: hidden from the other one, visible to its owner
    port = srv.base_url + "/networking/v2.0/ports/" + lb["vip_port_id"]
    assert c.call("GET", port, demo).status_code == 200
    r = c.call("GET", port, other)
    assert r.status_code == 404 and r.json()["NeutronError"]["type"] == "PortNotFound", r.text


def token_method(tok, project=None):
    body = {"auth": {"identity": {"methods": ["token"], "token": {"id": tok}}}}
    if project:
        body["auth"]["scope"] = {"project": {"name": project, "domain": {"name": "Default"}}}
    return body


def test_token_method_rescoping(srv, admin):
    """keystoneauth's token plugin: an unscoped token is exchanged for a project-scoped one only
    while it is valid and only for a project the user has a role on."""
    url = srv.base_url + "/identity/v3/auth/tokens"
    unscoped = c.issue(srv.base_url, "demo", "demo-pw").headers["X-Subject-Token"]
    r = c.call("POST", url, json=token_method(unscoped, "demo"))
    assert r.status_code == 201, r.text
    assert r.json()["token"]["project"]["name"] == "demo" and r.json()["token"]["methods"] == ["token"]
    assert c.call("GET", srv.base_url + LB, r.headers["X-Subject-Token"]).status_code == 200
    c.assert_keystone_error(c.call("POST", url, json=token_method(unscoped, "other")), 401)  # no role
    c.assert_keystone_error(c.call("POST", url, json=token_method("f" * 64, "demo")), 401)
    c.assert_keystone_error(c.call("POST", url, json={"auth": {"identity": {
        "methods": ["token"], "token": {}}}}), 400)
    assert c.call("DELETE", url, admin, headers={"X-Subject-Token": unscoped}).status_code == 204
    c.assert_keystone_error(c.call("POST", url, json=token_method(unscoped, "demo")), 401)  # revoked


@pytest.mark.parametrize("argv,message", [
    (["project", "create", "p1"], "Conflict occurred attempting to store project"),
    (["user", "create", "u1", "--password", "y"], "Duplicate entry found with name u1"),
    (["user", "create", "u2", "--password", "y", "--project", "nope"], "no such project: nope"),
    (["user", "create", "u3", "--password", ""], "A password is required."),
    (["role", "add", "member", "--user", "nobody", "--project", "p1"], "Could not find user: nobody."),
    (["role", "add", "member", "--user", "u1", "--project", "nope"], "Could not find project: nope."),
])
def test_identity_subcommands_refuse_bad_input(tmp_path, argv, message):
    state = str(tmp_path)
    c.octane(state, "project", "create", "p1")
    c.octane(state, "user", "create", "u1", "--password", "x", "--project", "p1")
    before = (c.octane(state, "project", "list"), c.octane(state, "user", "list"))
    proc = c.subprocess.run([c.h.octane_binary(), *argv, "--state-dir", state,
                             *c.h.database_choice.cli_args(state, argv)], capture_output=True,
                            text=True, timeout=30)
    assert proc.returncode != 0 and message in proc.stderr, proc.stderr
    assert (c.octane(state, "project", "list"), c.octane(state, "user", "list")) == before
