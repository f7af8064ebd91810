"""auth_strategy = keystone against an external Keystone: a second `octane serve` configured with
[keystone_authtoken] auth_url + service credentials pointing at the first one's built-in identity
validates X-Auth-Token there (GET /v3/auth/tokens with its service token), caches the result, and
refuses unknown and revoked-before-first-use tokens with Keystone's 401."""
from __future__ import annotations

import concurrent.futures
import http.server
import datetime
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
import cloud as c  # noqa: E402

LB = "/v2.0/lbaas/loadbalancers"


def test_tokens_validated_by_an_external_keystone(tmp_path):
    keystone_state = str(tmp_path / "keystone")
    octane_state = str(tmp_path / "octane")
    os.makedirs(octane_state)
    keystone = c.start(keystone_state)
    try:
        password = c.admin_password(keystone_state)
        c.add_user(keystone_state, "demo", "demo", "demo-pw", "member")
        conf = os.path.join(octane_state, "octane.conf")
        with open(conf, "w") as f:
            f.write("[api_settings]\nauth_strategy = keystone\n\n"
                    "[keystone_authtoken]\nwww_authenticate_uri = %s/identity\n"
                    "auth_url = %s/identity/v3\nusername = admin\npassword = %s\n"
                    "project_name = admin\nuser_domain_name = Default\n"
                    "project_domain_name = Default\n" % (keystone.base_url, keystone.base_url, password))
        srv = c.start(octane_state, "--config-file", conf)
        try:
            # no admin-openrc of its own: identity lives elsewhere
            assert not os.path.exists(os.path.join(octane_state, "admin-openrc"))
            demo = c.token(keystone.base_url, "demo", "demo-pw", "demo")
            r = c.call("GET", srv.base_url + LB, demo)
            assert r.status_code == 200, r.text
            assert r.json()["loadbalancers"] == []
            r = c.call("GET", srv.base_url + LB, "0" * 64)
            c.assert_keystone_error(r, 401)
            assert r.headers["WWW-Authenticate"] == 'Keystone uri="%s/identity"' % keystone.base_url
            c.assert_keystone_error(c.call("GET", srv.base_url + LB), 401)
            # a token revoked before its first use here is refused
            late = c.token(keystone.base_url, "demo", "demo-pw", "demo")
            admin = c.token(keystone.base_url, "admin", password, "admin")
            assert c.call("DELETE", keystone.base_url + "/identity/v3/auth/tokens", admin,
                          headers={"X-Subject-Token": late}).status_code == 204
            c.assert_keystone_error(c.call("GET", srv.base_url + LB, late), 401)
            # roles come from the external token: admin sees the quota API, demo may not write it
            assert c.call("GET", srv.base_url + "/v2/lbaas/quotas", admin).status_code == 200
            assert c.call("PUT", srv.base_url + "/v2/lbaas/quotas/x", demo,
                          json={"quota": {"loadbalancer": 1}}).status_code == 403
        finally:
            srv.stop()
    finally:
        keystone.stop()


class _SlowKeystone(http.server.ThreadingHTTPServer):
    """A Keystone whose token validations each wait until `parties` of them are in flight at
    once (a barrier), so it answers only when octane validates different tokens concurrently;
    token `stall` is never answered within the test's timeout."""

    daemon_threads = True

    def __init__(self, parties: int):
        super().__init__(("127.0.0.1", 0), _SlowKeystoneHandler)
        self.barrier = threading.Barrier(parties, timeout=20)
        self.release = threading.Event()


class _SlowKeystoneHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _reply(self, status: int, body: dict | None, headers: dict | None = None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # the service user's token
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._reply(201, {"token": {"expires_at": _in_an_hour()}},
                    {"X-Subject-Token": "service-token"})

    def do_GET(self):
        subject = self.headers.get("X-Subject-Token", "")
        if subject == "stall":
            self.server.release.wait(20)
            return self._reply(404, {"error": {"code": 404}})
        try:
            self.server.barrier.wait()
        except threading.BrokenBarrierError:
            return self._reply(500, {"error": {"code": 500}})
        self._reply(200, {"token": {"user": {"id": "u-" + subject, "name": subject},
                                    "project": {"id": "p-" + subject},
                                    "roles": [{"name": "admin"}, {"name": "member"},
                                              {"name": "reader"}],
                                    "expires_at": _in_an_hour()}})


def _in_an_hour() -> str:
    # Keystone always states a token's expiry; a reply without one is not trusted.
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M:%S.000000Z")


def test_validations_run_concurrently_and_time_out(tmp_path):
    parties = 3
    keystone = _SlowKeystone(parties)
    threading.Thread(target=keystone.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d" % keystone.server_address[1]
    conf = tmp_path / "octane.conf"
    conf.write_text("[api_settings]\nauth_strategy = keystone\napi_threads = 6\n\n"
                    "[keystone_authtoken]\nauth_url = %s/v3\nusername = octavia\npassword = x\n"
                    "project_name = service\nhttp_connect_timeout = 2\n" % url)
    srv = c.start(str(tmp_path / "octane"), "--config-file", str(conf))
    try:
        # Each validation answers only once all three are in flight: serialised validations
        # would break the barrier and come back 503.
        with concurrent.futures.ThreadPoolExecutor(parties) as pool:
            answers = list(pool.map(lambda n: c.call("GET", srv.base_url + LB, "token-%d" % n),
                                    range(parties)))
        assert [r.status_code for r in answers] == [200] * parties, [r.text for r in answers]
        # a Keystone that does not answer within http_connect_timeout: 503, in about that time
        started = time.monotonic()
        r = c.call("GET", srv.base_url + LB, "stall")
        assert r.status_code == 503, r.text
        assert time.monotonic() - started < 10
    finally:
        keystone.release.set()
        srv.stop()
        keystone.shutdown()
