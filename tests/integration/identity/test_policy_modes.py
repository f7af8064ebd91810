"""Octavia's two policy modes with real tokens from the built-in identity (docs/octavia-api.md §5.3):
the default, Keystone's default roles with system scope ([oslo_policy] enforce_new_defaults and
enforce_scope true), and Octavia's advanced RBAC (both false), each on its own `octane serve`;
plus system-scoped tokens, system role assignments and implied roles of the identity."""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import cloud as c  # noqa: E402

LB = "/v2.0/lbaas/loadbalancers"
V2 = "/v2.0/lbaas"


class Cloud:
    """A server and one token per persona; `grants` maps persona -> (project, role) or
    ("system", role). Each persona's project is its own unless two share one."""

    def __init__(self, srv, grants: dict):
        self.srv, self.base = srv, srv.base_url
        password = c.admin_password(srv.state_dir)
        self.tok = {"project_admin": c.token(self.base, "admin", password, "admin")}
        self.tok["system_admin"] = c.system_token(self.base, "admin", password)
        for name, (project, role) in grants.items():
            if project == "system":
                c.octane(srv.state_dir, "user", "create", name, "--password", name + "-pw")
                c.octane(srv.state_dir, "role", "add", role, "--user", name, "--system", "all")
                self.tok[name] = c.system_token(self.base, name, name + "-pw")
            else:
                c.add_user(srv.state_dir, project, name, name + "-pw", role)
                self.tok[name] = c.token(self.base, name, name + "-pw", project)
        self.subnet = c.call("GET", self.base + "/networking/v2.0/subnets?name=selfservice",
                             self.tok["project_admin"]).json()["subnets"][0]["id"]

    def project(self, name: str) -> str:
        r = c.call("GET", self.base + "/identity/v3/projects?name=" + name, self.tok["system_admin"])
        return r.json()["projects"][0]["id"]

    def create(self, who: str, project: str | None = None):
        body = {"vip_subnet_id": self.subnet}
        if project:
            body["project_id"] = project
        return c.call("POST", self.base + LB, self.tok[who], json={"loadbalancer": body})

    def show(self, who: str, lb: dict) -> int:
        return c.call("GET", self.base + LB + "/" + lb["id"], self.tok[who]).status_code

    def listed(self, who: str):
        r = c.call("GET", self.base + LB, self.tok[who])
        if r.status_code != 200:
            return r.status_code
        return {lb["id"] for lb in r.json()["loadbalancers"]}

    def status(self, method: str, who: str, path: str, **kw) -> int:
        return c.call(method, self.base + path, self.tok[who], **kw).status_code


def created(r) -> dict:
    assert r.status_code == 201, r.text
    return r.json()["loadbalancer"]


@pytest.fixture(scope="module")
def default_cloud(tmp_path_factory):
    srv = c.start(str(tmp_path_factory.mktemp("octane-policy-default")))
    try:
        yield Cloud(srv, {
            "alice": ("pa", "member"), "rita": ("pa", "reader"), "bob": ("pb", "member"),
            "lbadmin": ("pc", "load-balancer_admin"), "lbonly": ("pa", "load-balancer_member"),
            "sysreader": ("system", "reader"), "padmin": ("pd", "admin"),
        })
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def advanced_cloud(tmp_path_factory):
    state = str(tmp_path_factory.mktemp("octane-policy-advanced"))
    conf = os.path.join(state, "octane.conf")
    with open(conf, "w") as f:
        f.write("[oslo_policy]\nenforce_new_defaults = false\nenforce_scope = false\n")
    srv = c.start(state, "--config-file", conf)
    try:
        yield Cloud(srv, {
            "alice": ("pa", "member"), "lbm": ("pa", "load-balancer_member"),
            "lbo": ("pa", "load-balancer_observer"), "lbm2": ("pb", "load-balancer_member"),
            "lbgo": ("pc", "load-balancer_global_observer"),
            "lbqa": ("pc", "load-balancer_quota_admin"), "lbadmin": ("pc", "load-balancer_admin"),
            "sysreader": ("system", "reader"),
        })
    finally:
        srv.stop()


def test_system_scoped_token_and_implied_roles(default_cloud):
    cl = default_cloud
    r = c.call("GET", cl.base + "/identity/v3/auth/tokens", cl.tok["system_admin"],
               headers={"X-Subject-Token": cl.tok["system_admin"]})
    assert r.status_code == 200, r.text
    token = r.json()["token"]
    assert token["system"] == {"all": True} and "project" not in token
    assert {role["name"] for role in token["roles"]} == {"admin", "member", "reader"}
    r = c.call("GET", cl.base + "/identity/v3/auth/tokens", cl.tok["project_admin"],
               headers={"X-Subject-Token": cl.tok["project_admin"]})
    token = r.json()["token"]
    assert "system" not in token and token["project"]["name"] == "admin"
    assert {"admin", "member", "reader"} <= {role["name"] for role in token["roles"]}
    # A user without a system role gets no system-scoped token; a bad system scope is 400.
    r = c.call("POST", cl.base + "/identity/v3/auth/tokens", json=c.system_body("alice", "alice-pw"))
    c.assert_keystone_error(r, 401)
    body = c.system_body("alice", "alice-pw")
    body["auth"]["scope"]["system"] = {"all": False}
    c.assert_keystone_error(c.call("POST", cl.base + "/identity/v3/auth/tokens", json=body), 400)


def test_system_role_assignment_api(default_cloud):
    cl, admin = default_cloud, default_cloud.tok["system_admin"]
    v3 = cl.base + "/identity/v3"
    users = {u["name"]: u["id"] for u in c.call("GET", v3 + "/users", admin).json()["users"]}
    roles = {r["name"]: r["id"] for r in c.call("GET", v3 + "/roles", admin).json()["roles"]}
    grant = v3 + "/system/users/%s/roles/%s" % (users["bob"], roles["reader"])
    assert c.call("HEAD", grant, admin).status_code == 404
    assert c.call("PUT", grant, cl.tok["bob"]).status_code == 403  # only an admin grants
    assert c.call("PUT", grant, admin).status_code == 204
    assert c.call("GET", grant, admin).status_code == 204
    listed = c.call("GET", v3 + "/system/users/%s/roles" % users["bob"], admin).json()["roles"]
    assert [r["name"] for r in listed] == ["reader"]
    r = c.call("GET", v3 + "/role_assignments?scope.system=all", admin)
    assert r.status_code == 200, r.text
    on_system = {(a["user"]["id"], a["role"]["id"]) for a in r.json()["role_assignments"]}
    assert {(users["admin"], roles["admin"]), (users["bob"], roles["reader"]),
            (users["sysreader"], roles["reader"])} == on_system
    assert all(a["scope"] == {"system": {"all": True}} for a in r.json()["role_assignments"])
    named = c.call("GET", v3 + "/role_assignments?scope.system=all&include_names=True", admin).json()
    assert {(a["user"]["name"], a["role"]["name"]) for a in named["role_assignments"]} == {
        ("admin", "admin"), ("bob", "reader"), ("sysreader", "reader")}
    mine = c.call("GET", v3 + "/role_assignments?user.id=" + users["bob"], cl.tok["bob"]).json()
    assert {("project" in a["scope"]) for a in mine["role_assignments"]} == {True, False}
    bob_system = c.system_token(cl.base, "bob", "bob-pw")
    assert c.call("GET", cl.base + LB, bob_system).status_code == 200
    assert c.call("DELETE", grant, admin).status_code == 204
    assert c.call("DELETE", grant, admin).status_code == 404
    # The grant is gone: the token issued with it no longer validates, no new one is issued.
    assert c.call("GET", cl.base + LB, bob_system).status_code == 401
    r = c.call("POST", v3 + "/auth/tokens", json=c.system_body("bob", "bob-pw"))
    c.assert_keystone_error(r, 401)


def test_default_roles_project_personas(default_cloud):
    cl = default_cloud
    pa, pb = cl.project("pa"), cl.project("pb")
    alices = created(cl.create("alice"))
    admins = created(cl.create("project_admin"))  # admin-openrc's flow: its own project
    assert alices["project_id"] == pa and admins["project_id"] == cl.project("admin")
    # member writes and reader reads its own project only.
    assert cl.listed("alice") == {alices["id"]} == cl.listed("rita")
    assert [cl.show(who, alices) for who in ("alice", "rita", "bob")] == [200, 200, 403]
    assert cl.create("rita").status_code == 403
    assert cl.create("bob", pa).status_code == 403
    assert cl.status("PUT", "rita", LB + "/" + alices["id"],
                     json={"loadbalancer": {"name": "x"}}) == 403
    assert cl.status("DELETE", "bob", LB + "/" + alices["id"]) == 403
    assert cl.listed("bob") == set()
    # A project admin is admin of its own project only.
    padmins = created(cl.create("padmin"))
    assert cl.listed("padmin") == {padmins["id"]}
    assert cl.show("padmin", alices) == 403
    assert cl.create("padmin", pb).status_code == 403
    assert cl.status("GET", "padmin", "/v2/octavia/amphorae") == 403
    assert cl.status("GET", "padmin", V2 + "/flavorprofiles") == 403
    # admin-openrc's user also holds load-balancer_admin on project admin: the operator calls,
    # but still no other project's objects.
    assert cl.listed("project_admin") == {admins["id"]}
    assert cl.show("project_admin", alices) == 403
    assert cl.create("project_admin", pb).status_code == 403
    assert cl.status("GET", "project_admin", "/v2/octavia/amphorae") == 200
    assert cl.status("GET", "project_admin", V2 + "/flavorprofiles") == 200
    # load-balancer_* roles count for nothing here, but load-balancer_admin on admin-only calls.
    assert cl.listed("lbonly") == 403 and cl.create("lbonly").status_code == 403
    assert cl.listed("lbadmin") == 403 and cl.create("lbadmin").status_code == 403
    assert cl.status("GET", "lbadmin", V2 + "/flavorprofiles") == 200
    assert cl.status("GET", "lbadmin", V2 + "/flavors") == 403
    assert cl.status("GET", "rita", V2 + "/flavors") == 200
    assert cl.status("GET", "rita", V2 + "/flavorprofiles") == 403


def test_default_roles_system_personas(default_cloud):
    cl = default_cloud
    pb = cl.project("pb")
    alices = created(cl.create("alice"))
    in_b = created(cl.create("system_admin", pb))
    assert in_b["project_id"] == pb
    assert cl.create("system_admin").status_code == 400  # a system token has no project
    for who in ("system_admin", "sysreader"):
        assert {alices["id"], in_b["id"]} <= cl.listed(who)
        assert cl.show(who, alices) == 200
        assert cl.status("GET", who, LB + "?project_id=" + pb) == 200
    assert cl.create("sysreader", pb).status_code == 403
    assert cl.status("DELETE", "sysreader", LB + "/" + in_b["id"]) == 403
    assert cl.status("GET", "system_admin", "/v2/octavia/amphorae") == 200
    assert cl.status("GET", "sysreader", "/v2/octavia/amphorae") == 403
    # Quotas: the system admin writes them, the system reader reads all, a project its own.
    quota = V2 + "/quotas/" + pb
    assert cl.status("PUT", "system_admin", quota, json={"quota": {"pool": 7}}) == 202
    for who in ("project_admin", "padmin", "bob", "lbadmin", "sysreader"):
        assert cl.status("PUT", who, quota, json={"quota": {"pool": 1}}) == 403, who
    assert c.call("GET", cl.base + quota, cl.tok["sysreader"]).json()["quota"]["pool"] == 7
    assert c.call("GET", cl.base + quota, cl.tok["bob"]).json()["quota"]["pool"] == 7
    assert cl.status("GET", "alice", quota) == 403


def test_advanced_rbac_personas(advanced_cloud):
    """Octavia's advanced RBAC: load-balancer_member writes its project, load-balancer_observer
    only reads it, load-balancer_global_observer reads every project, load-balancer_quota_admin
    manages quotas only, load-balancer_admin and admin do everything; member alone nothing."""
    cl = advanced_cloud
    pb = cl.project("pb")
    mine = created(cl.create("lbm"))
    foreign = created(cl.create("project_admin", pb))
    assert foreign["project_id"] == pb
    assert cl.create("alice").status_code == 403
    assert cl.listed("alice") == 403 and cl.show("alice", mine) == 403
    pa = cl.project("pa")
    for who in ("lbo", "lbgo", "lbqa", "sysreader"):
        assert cl.create(who, pa).status_code == 403, who
    assert created(cl.create("lbadmin", pb))["project_id"] == pb
    assert [cl.show("lbo", lb) for lb in (mine, foreign)] == [200, 403]
    assert [cl.show("lbm2", lb) for lb in (mine, foreign)] == [403, 200]
    for who in ("lbgo", "lbadmin", "project_admin", "system_admin", "sysreader"):
        assert [cl.show(who, lb) for lb in (mine, foreign)] == [200, 200], who
        assert {mine["id"], foreign["id"]} <= cl.listed(who), who
    assert [cl.show("lbqa", lb) for lb in (mine, foreign)] == [403, 403]
    assert cl.listed("lbo") == {mine["id"]}
    quota = V2 + "/quotas/" + pb
    assert cl.status("PUT", "lbqa", quota, json={"quota": {"pool": 9}}) == 202
    for who in ("lbm", "lbo", "lbgo"):
        assert cl.status("PUT", who, quota, json={"quota": {"pool": 1}}) == 403, who
    assert c.call("GET", cl.base + quota, cl.tok["lbgo"]).json()["quota"]["pool"] == 9
    assert cl.status("DELETE", "lbadmin", quota) == 202
    assert cl.status("GET", "lbadmin", "/v2/octavia/amphorae") == 200
    assert cl.status("GET", "lbgo", "/v2/octavia/amphorae") == 403
