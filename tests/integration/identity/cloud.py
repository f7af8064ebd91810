"""Shared helpers of the identity and networking API tests: an `octane serve` with its defaults
(keystone auth with the built-in identity, local network driver), admin credentials from
<state dir>/admin-openrc, tokens, and extra projects/users made with the `octane` subcommands."""
from __future__ import annotations

import os
import shlex
import subprocess
import sys

import requests

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import octane_server as h  # noqa: E402,F401

TIMEOUT = 10


def start(state: str, *extra: str) -> "h.OctaneProcess":
    srv = h.OctaneProcess("serve", state, plain=True,
                          extra_args=["--bind-host", "127.0.0.1", "--bind-port", "0",
                                      "--amphora-driver", "noop", *extra])
    return srv.start()


def admin_password(state: str) -> str:
    with open(os.path.join(state, "admin-openrc")) as f:
        for line in f:
            if line.startswith("export OS_PASSWORD="):
                return shlex.split(line.split("=", 1)[1])[0]
    raise AssertionError("no OS_PASSWORD in admin-openrc")


def auth_body(user: str, password: str, project: str | None = None) -> dict:
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": user, "domain": {"name": "Default"}, "password": password}}}}}
    if project:
        body["auth"]["scope"] = {"project": {"name": project, "domain": {"name": "Default"}}}
    return body


def issue(base: str, user: str, password: str, project: str | None = None) -> requests.Response:
    return requests.post(base + "/identity/v3/auth/tokens", json=auth_body(user, password, project),
                         timeout=TIMEOUT)


def token(base: str, user: str, password: str, project: str | None = None) -> str:
    r = issue(base, user, password, project)
    assert r.status_code == 201, r.text
    return r.headers["X-Subject-Token"]


def system_body(user: str, password: str) -> dict:
    body = auth_body(user, password)
    body["auth"]["scope"] = {"system": {"all": True}}
    return body


def system_token(base: str, user: str, password: str) -> str:
    """A system-scoped token: the admin that acts on every project under the default policy."""
    r = requests.post(base + "/identity/v3/auth/tokens", json=system_body(user, password),
                      timeout=TIMEOUT)
    assert r.status_code == 201, r.text
    return r.headers["X-Subject-Token"]


def octane(state: str, *argv: str) -> str:
    proc = subprocess.run([h.octane_binary(), *argv, "--state-dir", state,
                           *h.database_choice.cli_args(state, argv)], capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def add_user(state: str, project: str, user: str, password: str, role: str):
    """Creates project (if new) and user, and gives the user `role` on it."""
    projects = octane(state, "project", "list")
    if not any(line.split()[1:] == [project] for line in projects.splitlines()):
        octane(state, "project", "create", project)
    octane(state, "user", "create", user, "--password", password, "--project", project)
    octane(state, "role", "add", role, "--user", user, "--project", project)


def call(method: str, url: str, tok: str | None = None, **kw) -> requests.Response:
    headers = dict(kw.pop("headers", {}))
    if tok:
        headers["X-Auth-Token"] = tok
    return requests.request(method, url, headers=headers, timeout=TIMEOUT, **kw)


def assert_keystone_error(r: requests.Response, status: int):
    assert r.status_code == status, (r.status_code, r.text)
    err = r.json()["error"]
    assert set(err) == {"code", "title", "message"}, err
    assert err["code"] == status
    if status == 401:
        assert r.headers["WWW-Authenticate"].startswith('Keystone uri="http://'), r.headers
