"""auth_strategy = keystone against an external Keystone: a second `octane serve` configured with
[keystone_authtoken] auth_url + service credentials pointing at the first one's built-in identity
validates X-Auth-Token there (GET /v3/auth/tokens with its service token), caches the result, and
refuses unknown and revoked-before-first-use tokens with Keystone's 401."""
from __future__ import annotations

import os
import sys

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
