"""Acceptance of issue 12's TLS part: Octavia's TLS cookbook verbatim with the real `openstack`
CLI against `octane serve` (local amphorae running octane-proxy, built-in identity, networking and
key manager).

Certificates are made by the test with the openssl CLI, as the cookbook does: a CA, two server
certificates bundled as PKCS12 and stored with `openstack secret store ... --payload "$(base64 <
server.p12)"`. Then:
  - a TERMINATED_HTTPS listener with a default certificate and SNI certificates, an HTTP pool and
    two members (HTTP servers the test runs on Neutron port addresses of `selfservice`): curl with
    each SNI name gets the matching certificate (checked by subject, verified against the CA) and
    a member's answer; no SNI gets the default certificate; LB and listener ACTIVE / ONLINE;
  - client authentication MANDATORY with a client CA and a CRL: no client certificate and a
    revoked one are refused, one signed by the client CA is admitted and its DN reaches the
    member in X-SSL-Client-DN;
  - a pool with --enable-tls (tls_enabled) and a CA container reaches HTTPS members and verifies them.
"""
from __future__ import annotations

import base64
import http.server
import json
import os
import re
import ssl
import subprocess
import sys
import threading

import pytest
import requests

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import octane_server as h  # noqa: E402
from local_cloud import member_addresses, port_free_on, traffic_cloud  # noqa: E402
from openstack_cli import Cli  # noqa: E402

DEADLINE_S = 30.0
HTTPS_PORT = 443


class Member:
    """An HTTP member: answers '<name>' plus the X-SSL-Client-DN it got; TLS when `pem` is given."""

    def __init__(self, address: str, name: str, pem: str | None = None):
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                dn = self.headers.get("X-SSL-Client-DN", "")
                body = f"{name} dn={dn}".encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer((address, 0), Handler)
        if pem:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(pem)
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.address, self.port = self.server.server_address[:2]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def openssl(*args: str, cwd: str):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_ca(d: str, name: str):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
            f"/O=Octane e2e/CN={name}", "-keyout", f"{name}.key", "-out", f"{name}.crt", cwd=d)


def make_cert(d: str, ca: str, cn: str, client: bool = False, ips: str = ""):
    """<cn>.key/.crt signed by <ca>, and the cookbook's PKCS12 bundle <cn>.p12."""
    ext = os.path.join(d, f"{cn}.ext")
    with open(ext, "w") as f:
        f.write("extendedKeyUsage=" + ("clientAuth" if client else "serverAuth") + "\n")
        if not client:
            f.write(f"subjectAltName=DNS:{cn}{ips}\n")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/O=Octane e2e/CN={cn}",
            "-keyout", f"{cn}.key", "-out", f"{cn}.csr", cwd=d)
    openssl("x509", "-req", "-in", f"{cn}.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key",
            "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", f"{cn}.crt", cwd=d)
    openssl("pkcs12", "-export", "-inkey", f"{cn}.key", "-in", f"{cn}.crt", "-certfile",
            f"{ca}.crt", "-passout", "pass:", "-out", f"{cn}.p12", cwd=d)


def listener_create(cli: Cli, *args: str) -> dict:
    """`listener create ... -- lb1` as the cookbook writes it (`--` ends --sni-container-refs),
    with `-f json` before the `--`."""
    return json.loads(cli.run("loadbalancer", "listener", "create", *args, "-f", "json", "--",
                              "lb1").stdout)


def secret_store(cli: Cli, d: str, name: str, filename: str) -> str:
    """The cookbook's `openstack secret store --name=<name> -t 'application/octet-stream'
    -e 'base64' --payload="$(base64 < <file>)"` (PKCS12 bundles, CA certificates and CRLs)."""
    with open(os.path.join(d, filename), "rb") as f:
        payload = base64.b64encode(f.read()).decode()
    return cli.json("secret", "store", "--name", name, "-t", "application/octet-stream",
                    "-e", "base64", "--payload", payload)["Secret href"]


def curl(vip: str, port: int, name: str | None, d: str, *extra: str) -> tuple[int, str, str]:
    """(exit code, body, certificate subject) of `curl --resolve` (or to the VIP without SNI)."""
    url = f"https://{name}:{port}/" if name else f"https://{vip}:{port}/"
    args = ["curl", "-sS", "-v", "--max-time", "10", "--cacert", os.path.join(d, "ca.crt")]
    if name:
        args += ["--resolve", f"{name}:{port}:{vip}"]
    else:
        args += ["--insecure"]
    p = subprocess.run(args + list(extra) + [url], capture_output=True, text=True, timeout=30)
    m = re.search(r"subject: (.*)", p.stderr)
    return p.returncode, p.stdout, m.group(1).strip() if m else ""


def wait_until(what: str, predicate):
    return h.poll_until(predicate, timeout=DEADLINE_S, interval=0.1, what=what)


class Api:
    def __init__(self, base: str, env: dict[str, str]):
        self.base = base
        self.headers = {"X-Auth-Token": h.keystone_token(base, env)}

    def get(self, path: str):
        return requests.get(self.base + path, headers=self.headers, timeout=10)

    def post(self, path: str, body: dict):
        return requests.post(self.base + path, json=body, headers=self.headers, timeout=10)

    def status(self, path: str, key: str) -> tuple[str, str]:
        r = self.get(path)
        assert r.status_code == 200, r.text
        obj = r.json()[key]
        return obj["provisioning_status"], obj["operating_status"]

    def settle(self, path: str, key: str) -> tuple[str, str]:
        return wait_until(f"{path} not PENDING",
                          lambda: (lambda s: s if not s[0].startswith("PENDING") else None)(
                              self.status(path, key)))


def pool_create(cli: Cli, api: Api, *args: str) -> dict:
    """`pool create`, then waits until the pool (and so its load balancer) left PENDING_*: a
    member create on a pending pool is refused with 409, as in Octavia."""
    pool = cli.json("loadbalancer", "pool", "create", *args)
    assert api.settle(f"/v2/lbaas/pools/{pool['id']}", "pool")[0] == "ACTIVE"
    return pool


def member_create(cli: Cli, api: Api, pool: dict, address: str, port: int):
    """`member create`, then waits for the member and its pool to leave PENDING_*."""
    member = cli.json("loadbalancer", "member", "create", "--subnet-id", "selfservice",
                      "--address", address, "--protocol-port", str(port), pool["id"])
    assert api.settle(f"/v2/lbaas/pools/{pool['id']}/members/{member['id']}",
                      "member")[0] == "ACTIVE"
    assert api.settle(f"/v2/lbaas/pools/{pool['id']}", "pool")[0] == "ACTIVE"


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    with traffic_cloud(str(tmp_path_factory.mktemp("octane-tls-e2e"))) as srv:
        env = h.read_openrc(os.path.join(srv.state_dir, "admin-openrc"))
        yield srv, Cli(env), Api(srv.base_url, env)


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    d = str(tmp_path_factory.mktemp("tls-certs"))
    make_ca(d, "ca")
    make_cert(d, "ca", "www.example.com")
    make_cert(d, "ca", "api.example.com")
    return d


@pytest.fixture(scope="module")
def terminated(cloud, certs):
    """The cookbook's SNI load balancer: lb1, listener1 (TERMINATED_HTTPS), pool1, 2 members."""
    srv, cli, api = cloud
    ref1 = secret_store(cli, certs, "tls_secret1", "www.example.com.p12")
    ref2 = secret_store(cli, certs, "tls_secret2", "api.example.com.p12")
    lb = cli.json("loadbalancer", "create", "--name", "lb1", "--vip-subnet-id", "selfservice")
    assert api.settle(f"/v2/lbaas/loadbalancers/{lb['id']}", "loadbalancer")[0] == "ACTIVE"
    vip = lb["vip_address"]
    port = HTTPS_PORT if port_free_on(vip, HTTPS_PORT) else 8443
    listener = listener_create(cli, "--protocol-port", str(port), "--protocol",
                               "TERMINATED_HTTPS", "--name", "listener1",
                               "--default-tls-container-ref", ref1, "--sni-container-refs", ref1,
                               ref2)
    assert api.settle(f"/v2/lbaas/listeners/{listener['id']}", "listener")[0] == "ACTIVE"
    pool1 = pool_create(cli, api, "--name", "pool1", "--lb-algorithm", "ROUND_ROBIN", "--listener",
                "listener1", "--protocol", "HTTP")
    members = [Member(a, f"member-{i + 1}") for i, a in enumerate(member_addresses(api, 2, "tls-member"))]
    try:
        for m in members:
            member_create(cli, api, pool1, m.address, m.port)
        yield lb, listener, vip, port, members
    finally:
        for m in members:
            m.stop()


def test_sni_listener_serves_each_certificate(cloud, certs, terminated):
    srv, cli, api = cloud
    lb, listener, vip, port, members = terminated
    names = set()
    for name in ("www.example.com", "api.example.com", "www.example.com", "api.example.com"):
        rc, body, subject = curl(vip, port, name, certs)
        assert rc == 0, (rc, body)
        assert f"CN={name}" in subject and "O=Octane e2e" in subject, subject
        names.add(body.split(" ")[0])
    assert names == {"member-1", "member-2"}, names
    rc, body, subject = curl(vip, port, None, certs)  # no SNI: the default certificate
    assert rc == 0 and "CN=www.example.com" in subject, (rc, subject)
    wait_until("listener ONLINE", lambda: api.status(
        f"/v2/lbaas/listeners/{listener['id']}", "listener") == ("ACTIVE", "ONLINE"))
    wait_until("load balancer ONLINE", lambda: api.status(
        f"/v2/lbaas/loadbalancers/{lb['id']}", "loadbalancer") == ("ACTIVE", "ONLINE"))


def test_client_authentication_mandatory_with_crl(cloud, certs, terminated):
    srv, cli, api = cloud
    lb, _, vip, _, members = terminated
    d = certs
    make_ca(d, "client-ca")
    make_cert(d, "client-ca", "good-client", client=True)
    make_cert(d, "client-ca", "revoked-client", client=True)
    # A CRL revoking revoked-client, by the client CA (openssl ca needs its little database).
    with open(os.path.join(d, "index.txt"), "w"):
        pass
    with open(os.path.join(d, "ca.cnf"), "w") as f:
        f.write("[ca]\ndefault_ca=c\n[c]\ndatabase=index.txt\ndefault_md=sha256\n"
                "default_crl_days=2\ncrlnumber=crlnumber\n")
    with open(os.path.join(d, "crlnumber"), "w") as f:
        f.write("01\n")
    openssl("ca", "-config", "ca.cnf", "-revoke", "revoked-client.crt", "-keyfile",
            "client-ca.key", "-cert", "client-ca.crt", cwd=d)
    openssl("ca", "-config", "ca.cnf", "-gencrl", "-keyfile", "client-ca.key", "-cert",
            "client-ca.crt", "-out", "client-ca.crl", cwd=d)
    ca_ref = secret_store(cli, d, "client_ca", "client-ca.crt")
    crl_ref = secret_store(cli, d, "client_crl", "client-ca.crl")
    ref = cli.json("secret", "list", "--name", "tls_secret2")[0]["Secret href"]
    port = 8444
    listener = listener_create(cli, "--protocol-port", str(port), "--protocol",
                               "TERMINATED_HTTPS", "--name", "listener2",
                               "--default-tls-container-ref", ref,
                               "--client-ca-tls-container-ref", ca_ref,
                               "--client-authentication", "MANDATORY",
                               "--client-crl-container-ref", crl_ref, "--insert-headers",
                               "X-SSL-Client-DN=true")
    assert api.settle(f"/v2/lbaas/listeners/{listener['id']}", "listener")[0] == "ACTIVE"
    pool2 = pool_create(cli, api, "--name", "pool2", "--lb-algorithm", "ROUND_ROBIN", "--listener",
                "listener2", "--protocol", "HTTP")
    member_create(cli, api, pool2, members[0].address, members[0].port)

    def with_client(cn):
        extra = ["--cert", os.path.join(d, f"{cn}.crt"), "--key", os.path.join(d, f"{cn}.key")]
        return curl(vip, port, "api.example.com", d, *(extra if cn else []))

    rc, body, _ = wait_until("the client-auth listener serves",
                             lambda: (lambda r: r if r[0] == 0 else None)(
                                 with_client("good-client")))
    # Octavia renders the header as %{+Q}[ssl_c_s_dn]: quoted.
    assert body == 'member-1 dn="/O=Octane e2e/CN=good-client"', body
    assert with_client(None)[0] != 0, "no client certificate must be refused"
    assert with_client("revoked-client")[0] != 0, "a revoked certificate must be refused"


def test_tls_enabled_pool_verifies_members(cloud, certs, terminated):
    srv, cli, api = cloud
    lb, _, vip, _, _ = terminated
    d = certs
    address = member_addresses(api, 1, "tls-https-member")[0]
    make_cert(d, "ca", "backend.example.com", ips=f",IP:{address}")
    with open(os.path.join(d, "backend.pem"), "w") as f:
        for part in ("backend.example.com.crt", "backend.example.com.key"):
            with open(os.path.join(d, part)) as p:
                f.write(p.read())
    member = Member(address, "https-member", pem=os.path.join(d, "backend.pem"))
    try:
        ca_ref = secret_store(cli, d, "member_ca", "ca.crt")
        port = 8081
        listener_create(cli, "--protocol-port", str(port), "--protocol", "HTTP", "--name",
                        "listener3")
        api.settle(f"/v2/lbaas/loadbalancers/{lb['id']}", "loadbalancer")
        pool3 = pool_create(cli, api, "--name", "pool3", "--lb-algorithm", "ROUND_ROBIN", "--listener",
                    "listener3", "--protocol", "HTTP", "--enable-tls", "--ca-tls-container-ref",
                    ca_ref)
        member_create(cli, api, pool3, member.address, member.port)

        def answer():
            try:
                r = requests.get(f"http://{vip}:{port}/", timeout=5)
                return r.text if r.status_code == 200 else None
            except requests.RequestException:
                return None

        assert wait_until("HTTPS member answers", answer).startswith("https-member")
    finally:
        member.stop()
