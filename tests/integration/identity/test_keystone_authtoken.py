"""[keystone_authtoken] against a stand-in external Keystone (keystone_standin.py) on 127.0.0.1
(issue 11, security item 6), over real HTTP against `octane serve`:

  - https: validation works with `cafile` (and `certfile`/`keyfile` where Keystone wants a client
    certificate); a CA that did not sign Keystone's certificate, or a
    certificate for another host name, is a 503 that tells the caller nothing about why;
    `insecure = true` works without `cafile`; plain http still works; an unreachable Keystone is
    a 503 too. A service token Keystone stopped accepting is replaced.
  - Validations run concurrently: two are in flight at the stand-in at once.
  - The cache honours expires_at: a token that expired is asked about again (and refused), not
    accepted from cache.
  - A token Keystone refused is refused from cache; a flood of unknown tokens makes at most
    failed_validations_per_second calls (plus the refill while it lasts).
"""
from __future__ import annotations

import concurrent.futures
import os
import socket
import sys
import time
import uuid

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import cloud as c  # noqa: E402
import keystone_standin as ks  # noqa: E402

LB = "/v2/lbaas/loadbalancers"
UNAVAILABLE = "The server is currently unavailable. Please try again at a later time."
UNAUTHENTICATED = "The request you have made requires authentication."
PUBLIC_KEYSTONE = "http://keystone.example:5000/v3"  # www_authenticate_uri: where users go


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    p = ks.Pki(str(tmp_path_factory.mktemp("keystone-pki")))
    p.ca("ca")
    p.ca("other-ca")
    p.good = p.server("keystone", "ca", "IP:127.0.0.1")
    p.misnamed = p.server("keystone-elsewhere", "ca", "DNS:keystone.invalid")
    p.client = p.server("octavia", "ca", "DNS:octavia", "clientAuth")
    return p


@pytest.fixture
def octane(tmp_path):
    """octane(auth_url, **[keystone_authtoken] options) -> a started `octane serve`."""
    started = []

    def start(auth_url: str, **options):
        state = str(tmp_path / ("octane-" + uuid.uuid4().hex[:8]))
        os.makedirs(state)
        conf = os.path.join(state, "octane.conf")
        lines = ["[api_settings]", "auth_strategy = keystone", "api_threads = 4", "",
                 "[keystone_authtoken]", "auth_url = " + auth_url,
                 "www_authenticate_uri = " + PUBLIC_KEYSTONE, "username = octavia",
                 "password = secret", "project_name = service"]
        lines += ["%s = %s" % kv for kv in options.items()]
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        srv = c.start(state, "--config-file", conf, "--network-driver", "noop")
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()


@pytest.fixture
def standins():
    made = []

    def make(cert=None, client_ca=None):
        s = ks.StandinKeystone(cert, client_ca).start()
        made.append(s)
        return s

    yield make
    for s in made:
        s.stop()


def new_token() -> str:
    return "tok-" + uuid.uuid4().hex


def assert_refused(r, status: int, message: str, *secrets: str):
    c.assert_keystone_error(r, status)
    assert r.json()["error"]["message"] == message, r.text
    for secret in secrets:
        assert secret not in r.text, (secret, r.text)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_https_with_cafile(pki, standins, octane):
    keystone = standins(pki.good)
    srv = octane(keystone.url, cafile=pki.path("ca.pem"))
    tok = new_token()
    keystone.add_token(tok)
    r = c.call("GET", srv.base_url + LB, tok)
    assert r.status_code == 200, r.text
    assert keystone.calls_for(tok) == 1
    r = c.call("GET", srv.base_url + LB, "garbage-" + tok)
    assert_refused(r, 401, UNAUTHENTICATED)
    assert r.headers["WWW-Authenticate"] == 'Keystone uri="%s"' % PUBLIC_KEYSTONE


def test_https_with_the_wrong_ca_or_name_is_503_and_says_nothing(pki, standins, octane):
    keystone = standins(pki.good)
    srv = octane(keystone.url, cafile=pki.path("other-ca.pem"))
    tok = new_token()
    keystone.add_token(tok)
    port = keystone.url.split(":")[2].split("/")[0]
    r = c.call("GET", srv.base_url + LB, tok)
    assert_refused(r, 503, UNAVAILABLE, "127.0.0.1", port, "certificate", "verify", "TLS")
    assert keystone.calls == 0
    misnamed = standins(pki.misnamed)  # signed by the right CA, for keystone.invalid
    misnamed.add_token(tok)
    srv = octane(misnamed.url, cafile=pki.path("ca.pem"))
    assert_refused(c.call("GET", srv.base_url + LB, tok), 503, UNAVAILABLE, "keystone.invalid")
    assert misnamed.calls == 0


def test_https_insecure_needs_no_cafile(pki, standins, octane):
    keystone = standins(pki.misnamed)
    srv = octane(keystone.url, insecure="true")
    tok = new_token()
    keystone.add_token(tok)
    r = c.call("GET", srv.base_url + LB, tok)
    assert r.status_code == 200, r.text


def test_unreadable_cafile_stops_the_start(tmp_path, octane):
    with pytest.raises(RuntimeError, match="cannot load CA .*missing.pem"):
        octane("https://127.0.0.1:%d/v3" % free_port(), cafile=str(tmp_path / "missing.pem"))
    with pytest.raises(RuntimeError, match="auth_url"):
        octane("keystone:5000/v3")


def test_https_client_certificate(pki, standins, octane):
    keystone = standins(pki.good, client_ca=pki.path("ca.pem"))
    tok = new_token()
    keystone.add_token(tok)
    anonymous = octane(keystone.url, cafile=pki.path("ca.pem"))
    assert_refused(c.call("GET", anonymous.base_url + LB, tok), 503, UNAVAILABLE)
    cert, key = pki.client
    srv = octane(keystone.url, cafile=pki.path("ca.pem"), certfile=cert, keyfile=key)
    assert c.call("GET", srv.base_url + LB, tok).status_code == 200


def test_a_service_token_keystone_stopped_accepting_is_replaced(standins, octane):
    keystone = standins()
    srv = octane(keystone.url)
    first, second = new_token(), new_token()
    keystone.add_token(first)
    keystone.add_token(second)
    assert c.call("GET", srv.base_url + LB, first).status_code == 200
    assert keystone.service_logins == 1
    keystone.service_token = "rotated-service-token"
    assert c.call("GET", srv.base_url + LB, second).status_code == 200
    assert keystone.service_logins == 2


def test_plain_http_still_works(standins, octane):
    keystone = standins()
    assert keystone.url.startswith("http://")
    srv = octane(keystone.url)
    tok = new_token()
    keystone.add_token(tok)
    assert c.call("GET", srv.base_url + LB, tok).status_code == 200
    assert_refused(c.call("GET", srv.base_url + LB, new_token()), 401, UNAUTHENTICATED)


def test_unreachable_keystone_is_503_even_over_the_budget(octane):
    port = free_port()
    srv = octane("http://127.0.0.1:%d/v3" % port, failed_validations_per_second=1)
    for _ in range(3):
        r = c.call("GET", srv.base_url + LB, new_token())
        assert_refused(r, 503, UNAVAILABLE, str(port), "connect", "refused")


def test_validations_run_concurrently(pki, standins, octane):
    keystone = standins(pki.good)
    srv = octane(keystone.url, cafile=pki.path("ca.pem"))
    first, second = new_token(), new_token()
    keystone.add_token(first)
    keystone.add_token(second)
    keystone.rendezvous = {first, second}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        a = pool.submit(c.call, "GET", srv.base_url + LB, first)
        ks.wait_for(lambda: keystone.calls_for(first) == 1, what="the first validation")
        b = pool.submit(c.call, "GET", srv.base_url + LB, second)
        assert a.result().status_code == 200 and b.result().status_code == 200
    # One lock around validation would have kept the second out until the first gave up waiting.
    assert keystone.peak_in_flight == 2


def test_cached_token_is_not_accepted_past_its_expiry(pki, standins, octane):
    keystone = standins(pki.good)
    srv = octane(keystone.url, cafile=pki.path("ca.pem"), token_cache_time=300)
    tok = new_token()
    expires_at = time.time() + 3  # long enough for two requests on a loaded machine
    keystone.add_token(tok, expires_at=expires_at)
    assert c.call("GET", srv.base_url + LB, tok).status_code == 200
    assert c.call("GET", srv.base_url + LB, tok).status_code == 200
    assert keystone.calls_for(tok) == 1  # the second came from the cache
    ks.wait_for(lambda: time.time() > expires_at + 0.05, timeout=5, what="the token's expiry")
    assert_refused(c.call("GET", srv.base_url + LB, tok), 401, UNAUTHENTICATED)
    assert keystone.calls_for(tok) == 2  # asked again, not answered from the cache
    # Keystone's 200 for a token whose expires_at is past is not believed either.
    stale = new_token()
    keystone.add_token(stale, expires_at=time.time() + 3600)
    keystone.tokens[stale]["expires_at"] = ks.keystone_time(time.time() - 1)
    assert_refused(c.call("GET", srv.base_url + LB, stale), 401, UNAUTHENTICATED)


def test_refused_tokens_are_cached_and_failures_are_budgeted(pki, standins, octane):
    keystone = standins(pki.good)
    budget = 3
    srv = octane(keystone.url, cafile=pki.path("ca.pem"), failed_validations_per_second=budget)
    good = new_token()
    keystone.add_token(good)
    assert c.call("GET", srv.base_url + LB, good).status_code == 200
    bad = new_token()
    assert_refused(c.call("GET", srv.base_url + LB, bad), 401, UNAUTHENTICATED)
    for _ in range(5):
        assert_refused(c.call("GET", srv.base_url + LB, bad), 401, UNAUTHENTICATED)
    assert keystone.calls_for(bad) == 1  # refused from the negative cache
    before = keystone.calls
    started = time.monotonic()
    flood = 30
    for _ in range(flood):
        assert_refused(c.call("GET", srv.base_url + LB, new_token()), 401, UNAUTHENTICATED)
    elapsed = time.monotonic() - started
    made = keystone.calls - before
    # a full bucket holds `budget`; one was spent on `bad`, and it refills at `budget` a second
    assert made <= budget + int(elapsed * budget) + 1, (made, elapsed)
    assert made < flood
    # tokens already validated keep working during the flood
    assert c.call("GET", srv.base_url + LB, good).status_code == 200
    assert keystone.calls_for(good) == 1
