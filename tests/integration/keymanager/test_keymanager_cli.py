"""The key manager (/key-manager/v1, Barbican's v1 subset) with the real client: Octavia's TLS
cookbook steps (`openstack secret store` of a PKCS12 bundle, base64), payload retrieval, certificate
containers, ACLs as Barbican (another project's user reads only once listed), per-project
isolation (403 as Barbican's policy answers for an existing secret), payloads sealed at rest (the
database file never holds the plaintext), and the size limit (10000 bytes, Barbican's 413).

Facts: barbican/common/policies (new defaults), barbican/api/controllers/secrets.py,
barbican/common/validators.py, barbicanclient 5.4 (Debian)."""
from __future__ import annotations

import base64
import os
import subprocess
import sys
import time

import pytest
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "identity"))
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
import cloud as c  # noqa: E402
import octane_server as h  # noqa: E402
from openstack_cli import Cli  # noqa: E402

MARKER = "octane-plaintext-marker-7f3a9c"


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    state = str(tmp_path_factory.mktemp("octane-km"))
    s = c.start(state)
    s.env = h.read_openrc(os.path.join(state, "admin-openrc"))
    s.state = state
    c.add_user(state, "demo", "alice", "alice-pw", "member")
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="module")
def admin(srv):
    return Cli(srv.env)


@pytest.fixture(scope="module")
def alice(srv):
    return Cli(dict(srv.env, OS_USERNAME="alice", OS_PASSWORD="alice-pw", OS_PROJECT_NAME="demo"))


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    d = tmp_path_factory.mktemp("pki")
    key, crt, p12 = str(d / "server.key"), str(d / "server.crt"), str(d / "server.p12")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", crt, "-subj", "/CN=www.example.com", "-days", "2"],
                   check=True, capture_output=True, timeout=60)
    subprocess.run(["openssl", "pkcs12", "-export", "-inkey", key, "-in", crt, "-passout", "pass:",
                    "-out", p12], check=True, capture_output=True, timeout=60)
    return {"key": key, "crt": crt, "p12": p12, "dir": str(d)}


def store_p12(cli: Cli, name: str, p12: str) -> str:
    with open(p12, "rb") as f:
        payload = base64.b64encode(f.read()).decode()
    out = cli.json("secret", "store", "--name", name, "--payload-content-type",
                   "application/octet-stream", "--payload-content-encoding", "base64",
                   "--payload", payload)
    return out["Secret href"]


def test_catalog_lists_the_key_manager(admin, srv):
    services = {s["Type"]: s for s in admin.json("catalog", "list")}
    assert services["key-manager"]["Name"] == "barbican"
    r = requests.get(srv.base_url + "/key-manager", timeout=10)
    assert r.status_code == 300
    assert r.json()["versions"]["values"][0]["id"] == "v1"


def test_cookbook_pkcs12_round_trip(admin, pki, srv):
    ref = store_p12(admin, "tls_secret1", pki["p12"])
    assert ref.startswith(srv.base_url + "/key-manager/v1/secrets/")
    shown = admin.json("secret", "get", ref)
    assert shown["Status"] == "ACTIVE" and shown["Name"] == "tls_secret1"
    assert shown["Secret type"] == "opaque"
    out = os.path.join(pki["dir"], "fetched.p12")
    admin.run("secret", "get", "-t", "application/octet-stream", "--file", out, ref)
    with open(out, "rb") as a, open(pki["p12"], "rb") as b:
        assert a.read() == b.read()
    names = [s["Name"] for s in admin.json("secret", "list")]
    assert "tls_secret1" in names
    assert [s["Name"] for s in admin.json("secret", "list", "--name", "tls_secret1")] == ["tls_secret1"]
    # Binary payloads are not text: Barbican answers 406 for Accept: text/plain (the CLI's default).
    refused = admin.run("secret", "get", "--payload", ref, check=False)
    assert refused.returncode != 0 and "Wrong payload content-type" in refused.stderr
    admin.run("secret", "delete", ref)
    gone = admin.run("secret", "get", ref, check=False)
    assert gone.returncode != 0 and "Secret not found" in gone.stderr


def test_payload_is_sealed_at_rest(admin, srv):
    ref = admin.json("secret", "store", "--name", "marked", "--payload-content-type", "text/plain",
                     "--payload", MARKER)["Secret href"]
    got = admin.run("secret", "get", "--payload", "-f", "value", ref).stdout.strip()
    assert got == MARKER
    stored = c.h.database_choice.stored_bytes(srv.state)
    assert stored
    found_row = False
    for path, data in stored.items():
        assert MARKER.encode() not in data, path
        assert base64.b64encode(MARKER.encode()) not in data, path
        found_row = found_row or b"marked" in data
    assert found_row  # the row itself is there, only its payload is unreadable
    key = os.path.join(srv.state, "keymanager.key")
    assert os.stat(key).st_mode & 0o777 == 0o600


def test_certificate_container(admin, pki):
    with open(pki["crt"]) as f:
        crt = f.read()
    with open(pki["key"]) as f:
        key = f.read()
    cert_ref = admin.json("secret", "store", "--name", "crt", "--secret-type", "certificate",
                          "--payload-content-type", "text/plain", "--payload", crt)["Secret href"]
    key_ref = admin.json("secret", "store", "--name", "key", "--secret-type", "private",
                         "--payload-content-type", "text/plain", "--payload", key)["Secret href"]
    made = admin.json("secret", "container", "create", "--name", "tls_container", "--type",
                      "certificate", "--secret", "certificate=" + cert_ref,
                      "--secret", "private_key=" + key_ref, "-c", "Container href")
    ref = made["Container href"]
    # -c: the client cannot print "Created" as JSON (a datetime), against Barbican as well.
    shown = admin.json("secret", "container", "get", ref, "-c", "Type", "-c", "Certificate",
                       "-c", "Private Key")
    assert shown["Type"] == "certificate"
    assert shown["Certificate"] == cert_ref and shown["Private Key"] == key_ref
    assert "tls_container" in [x["Name"] for x in admin.json("secret", "container", "list")]
    assert admin.run("secret", "get", "--payload", "-f", "value", cert_ref).stdout.strip() == crt.strip()
    bad = admin.run("secret", "container", "create", "--type", "certificate",
                    "--secret", "private_key=" + key_ref, check=False)
    assert bad.returncode != 0
    assert "The minimum required reference name is 'certificate'" in bad.stderr
    admin.run("secret", "container", "delete", ref)
    assert ref not in [x["Container href"] for x in admin.json("secret", "container", "list")]


def test_projects_are_isolated_until_an_acl_lists_the_user(admin, alice, srv):
    ref = admin.json("secret", "store", "--name", "private-one", "--payload-content-type",
                     "text/plain", "--payload", "for-admin-only")["Secret href"]
    assert "private-one" not in [s["Name"] for s in alice.json("secret", "list")]
    refused = alice.run("secret", "get", "--payload", ref, check=False)
    assert refused.returncode != 0
    assert "Forbidden: Secret payload retrieval attempt not allowed" in refused.stderr
    assert alice.run("secret", "delete", ref, check=False).returncode != 0
    alice_id = admin.json("user", "show", "alice")["id"]
    admin.run("acl", "user", "add", "--user", alice_id, "--operation-type", "read", ref)
    acl = admin.json("acl", "get", ref)
    assert acl[0]["Users"] == [alice_id] and acl[0]["Project Access"] is True
    assert alice.run("secret", "get", "--payload", "-f", "value", ref).stdout.strip() == "for-admin-only"
    # Reading is all an ACL gives: the secret is still not alice's to delete.
    assert alice.run("secret", "delete", ref, check=False).returncode != 0
    admin.run("acl", "user", "remove", "--user", alice_id, "--operation-type", "read", ref)
    assert alice.run("secret", "get", "--payload", ref, check=False).returncode != 0
    # Alice's own secrets are hers (and her project's).
    own = alice.json("secret", "store", "--name", "alice-one", "--payload-content-type",
                     "text/plain", "--payload", "mine")["Secret href"]
    assert alice.run("secret", "get", "--payload", "-f", "value", own).stdout.strip() == "mine"
    alice.run("secret", "delete", own)


def test_oversized_and_malformed_payloads_are_refused(admin, srv):
    big = admin.run("secret", "store", "--name", "big", "--payload-content-type", "text/plain",
                    "--payload", "x" * 10001, check=False)
    assert big.returncode != 0
    assert "Provided information too large to process" in big.stderr
    assert "big" not in [s["Name"] for s in admin.json("secret", "list")]
    token = h.keystone_token(srv.base_url, srv.env)
    r = requests.post(srv.base_url + "/key-manager/v1/secrets", timeout=10,
                      headers={"X-Auth-Token": token},
                      json={"payload": "!!", "payload_content_type": "application/octet-stream",
                            "payload_content_encoding": "base64"})
    assert r.status_code == 400
    assert r.json()["title"] == "Bad Request"
    assert "Invalid payload for payload_content_encoding" in r.json()["description"]
    r = requests.get(srv.base_url + "/key-manager/v1/secrets", timeout=10)
    assert r.status_code == 401


def test_routes_answer_barbicans_404_and_405(admin, srv):
    """One route table: an unknown path is 404 and a known one with another method 405, both in
    Barbican's fault body, after the 401 for no token; HEAD is GET without a body."""
    token = h.keystone_token(srv.base_url, srv.env)
    v1 = srv.base_url + "/key-manager/v1"
    ref = admin.json("secret", "store", "--name", "routes", "--payload-content-type", "text/plain",
                     "--payload", "p")["Secret href"]

    def call(method, url, **headers):
        return requests.request(method, url, headers={"X-Auth-Token": token, **headers}, timeout=10)

    for method, url, status in (("GET", v1 + "/orders", 404), ("GET", ref + "/nothing", 404),
                                ("GET", v1 + "/secrets/x/y/z", 404), ("PUT", v1 + "/secrets", 405),
                                ("POST", ref, 405), ("PUT", ref + "/payload", 405),
                                ("POST", ref + "/acl", 405), ("PATCH", v1 + "/containers", 405)):
        r = call(method, url)
        assert r.status_code == status, (method, url, r.text)
        assert r.json()["code"] == status and set(r.json()) >= {"title", "description"}, r.text
    assert requests.get(v1 + "/orders", timeout=10).status_code == 401
    assert call("GET", ref + "/").json()["name"] == "routes"
    assert call("GET", ref + "/payload", Accept="text/plain").text == "p"
    head = call("HEAD", ref)
    assert head.status_code == 200 and head.content == b""


def wait_active(cli: Cli, kind: str, name: str) -> None:
    deadline = time.monotonic() + h.DEFAULT_WAIT_S
    status = None
    while time.monotonic() < deadline:
        status = cli.run("loadbalancer", *([kind] if kind else []), "show", name, "-f", "value",
                         "-c", "provisioning_status").stdout.strip()
        if status in ("ACTIVE", "ERROR"):
            break
        time.sleep(0.2)
    assert status == "ACTIVE", status


def refused(cli: Cli, *args: str) -> str:
    proc = cli.run(*args, check=False)
    assert proc.returncode != 0, proc.stdout
    return proc.stderr


@pytest.fixture(scope="module")
def lb(admin):
    admin.run("loadbalancer", "create", "--name", "tls-lb", "--vip-subnet-id", "selfservice")
    wait_active(admin, "", "tls-lb")
    return "tls-lb"


def test_listener_refs_are_validated_as_octavia(admin, alice, pki, lb, srv):
    good = store_p12(admin, "cookbook-p12", pki["p12"])
    with open(pki["crt"]) as f:
        crt = f.read()
    not_p12 = admin.json("secret", "store", "--name", "pem-only", "--payload-content-type",
                         "text/plain", "--payload", crt)["Secret href"]
    missing = srv.base_url + "/key-manager/v1/secrets/00000000-0000-4000-8000-000000000000"
    listener = ["loadbalancer", "listener", "create", "--protocol", "TERMINATED_HTTPS"]

    err = refused(admin, *listener, "--protocol-port", "443", "--default-tls-container-ref",
                  missing, lb)
    assert "Could not retrieve certificate: ['%s']" % missing in err
    err = refused(admin, *listener, "--protocol-port", "443", "--default-tls-container-ref",
                  not_p12, lb)
    assert "The PKCS12 bundle is unreadable. Please check the PKCS12 bundle validity." in err
    # Another project's secret is not readable with the caller's rights.
    alice.run("loadbalancer", "create", "--name", "alice-lb", "--vip-subnet-id", "selfservice")
    wait_active(alice, "", "alice-lb")
    err = refused(alice, *listener, "--protocol-port", "443", "--default-tls-container-ref", good,
                  "alice-lb")
    assert "Could not retrieve certificate: ['%s']" % good in err
    # A client CA that is no certificate.
    err = refused(admin, *listener, "--protocol-port", "443", "--default-tls-container-ref", good,
                  "--client-ca-tls-container-ref", store_p12(admin, "not-a-ca", pki["p12"]), lb)
    assert "Validation failure: The client authentication CA certificate is invalid." in err

    made = admin.json("loadbalancer", "listener", "create", "--name", "tls", "--protocol",
                      "TERMINATED_HTTPS", "--protocol-port", "443", "--default-tls-container-ref",
                      good, lb, "--sni-container-refs", good)
    assert made["default_tls_container_ref"] == good
    wait_active(admin, "listener", "tls")
    # An update is checked the same way, and a refused one changes nothing.
    err = refused(admin, "loadbalancer", "listener", "set", "--default-tls-container-ref",
                  not_p12, "tls")
    assert "The PKCS12 bundle is unreadable." in err
    assert admin.json("loadbalancer", "listener", "show", "tls")["default_tls_container_ref"] == good


def test_certificate_container_key_must_match(admin, pki, lb, tmp_path):
    other_key = str(tmp_path / "other.key")
    subprocess.run(["openssl", "genrsa", "-out", other_key, "2048"], check=True,
                   capture_output=True, timeout=60)
    with open(pki["crt"]) as f:
        crt = f.read()
    with open(other_key) as f:
        wrong = f.read()
    cert_ref = admin.json("secret", "store", "--payload-content-type", "text/plain",
                          "--payload", crt)["Secret href"]
    key_ref = admin.json("secret", "store", "--payload-content-type", "text/plain",
                         "--payload", wrong)["Secret href"]
    container = admin.json("secret", "container", "create", "--type", "certificate",
                           "--secret", "certificate=" + cert_ref,
                           "--secret", "private_key=" + key_ref,
                           "-c", "Container href")["Container href"]
    err = refused(admin, "loadbalancer", "pool", "create", "--loadbalancer", lb, "--protocol",
                  "HTTP", "--lb-algorithm", "ROUND_ROBIN", "--tls-container-ref", container)
    assert "Could not retrieve certificate: ['%s']" % container in err


def test_metadata_only_secret_gets_its_payload_once(admin):
    ref = admin.json("secret", "store", "--name", "later")["Secret href"]
    empty = admin.run("secret", "get", "--payload", ref, check=False)
    assert empty.returncode != 0 and "Sorry but your secret has no payload" in empty.stderr
    admin.run("secret", "update", ref, "now-set")
    assert admin.run("secret", "get", "--payload", "-f", "value", ref).stdout.strip() == "now-set"
    again = admin.run("secret", "update", ref, "twice", check=False)
    assert again.returncode != 0 and "Secret already has data, cannot modify it." in again.stderr


def ca_and_crl(cn: str, signer=None):
    """A self-signed CA (PEM) and an empty CRL signed by signer's key (default: the CA's own)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = datetime.datetime.utcnow()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    crl = (x509.CertificateRevocationListBuilder().issuer_name(name).last_update(now)
           .next_update(now + datetime.timedelta(days=1))
           .sign(signer or key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM).decode(),
            crl.public_bytes(serialization.Encoding.PEM).decode(), key)


def test_client_ca_and_crl_are_validated(admin, pki, lb):
    good = store_p12(admin, "client-auth-p12", pki["p12"])
    ca, crl, _ = ca_and_crl("client-ca")
    _, _, stranger_key = ca_and_crl("other-ca")
    _, foreign_crl, _ = ca_and_crl("client-ca", signer=stranger_key)

    def secret(payload: str) -> str:
        return admin.json("secret", "store", "--payload-content-type", "text/plain",
                          "--payload", payload)["Secret href"]

    ca_ref, crl_ref, foreign_ref = secret(ca), secret(crl), secret(foreign_crl)
    base = ["loadbalancer", "listener", "create", "--protocol", "TERMINATED_HTTPS",
            "--default-tls-container-ref", good, "--client-ca-tls-container-ref", ca_ref,
            "--client-authentication", "MANDATORY"]
    err = refused(admin, *base, "--protocol-port", "8444", "--client-crl-container-ref",
                  foreign_ref, lb)
    assert "Validation failure: The CRL specified is not valid for client certificate " \
           "authority reference supplied." in err
    err = refused(admin, *base, "--protocol-port", "8444", "--client-crl-container-ref",
                  ca_ref, lb)
    assert "Validation failure: The client authentication certificate revocation list is " \
           "invalid." in err
    made = admin.json(*base, "--protocol-port", "8444",
                      "--client-crl-container-ref", crl_ref, "--name", "mtls", lb)
    assert made["client_ca_tls_container_ref"] == ca_ref
    assert made["client_crl_container_ref"] == crl_ref
