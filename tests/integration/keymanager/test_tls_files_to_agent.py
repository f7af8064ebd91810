"""The worker ships a TERMINATED_HTTPS listener's certificates to its local amphora as Octavia's
amphora driver does (PUT /1.0/loadbalancer/{lb}/certificates/{file}.pem): one PEM per certificate
(certificate + intermediates + key, from a PKCS12 secret or a certificate container), the crt-list
"<listener id>.pem" naming them, all 0600 in the agent's certificate directory. Whether the engine
then serves TLS is tests/e2e/tls_cli's question: here the files must arrive (and the listener go
ACTIVE)."""
from __future__ import annotations

import base64
import glob
import os
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
import octane_server as h  # noqa: E402
from openstack_cli import Cli  # noqa: E402


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    state = str(tmp_path_factory.mktemp("octane-km-agent"))
    srv = h.OctaneProcess("serve", state, plain=True, extra_args=[
        "--bind-host", "127.0.0.1", "--bind-port", "0", "--health-bind-port", "0"])
    srv.start()
    try:
        yield state, Cli(h.read_openrc(os.path.join(state, "admin-openrc")))
    finally:
        try:
            srv.stop()
        finally:
            h.stop_local_amphorae(state)


def make_cert(d: str, cn: str) -> dict:
    key, crt, p12 = (os.path.join(d, cn + ext) for ext in (".key", ".crt", ".p12"))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", crt, "-subj", "/CN=" + cn, "-days", "2"],
                   check=True, capture_output=True, timeout=60)
    subprocess.run(["openssl", "pkcs12", "-export", "-inkey", key, "-in", crt, "-passout", "pass:",
                    "-out", p12], check=True, capture_output=True, timeout=60)
    return {"key": key, "crt": crt, "p12": p12}


def fingerprint(pem_path: str) -> str:
    return subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", pem_path],
                          check=True, capture_output=True, text=True, timeout=30).stdout.strip()


def settled(cli: Cli, *show: str) -> str:
    deadline = time.monotonic() + h.DEFAULT_WAIT_S
    status = None
    while time.monotonic() < deadline:
        status = cli.run(*show, "-f", "value", "-c", "provisioning_status").stdout.strip()
        if status in ("ACTIVE", "ERROR"):
            return status
        time.sleep(0.2)
    raise AssertionError("still %s after %.0f s" % (status, h.DEFAULT_WAIT_S))


def test_listener_certificates_arrive_at_the_agent(cloud, tmp_path):
    state, cli = cloud
    www = make_cert(str(tmp_path), "www.example.com")
    api = make_cert(str(tmp_path), "api.example.com")
    with open(www["p12"], "rb") as f:
        p12_ref = cli.json("secret", "store", "--name", "www", "--payload-content-type",
                           "application/octet-stream", "--payload-content-encoding", "base64",
                           "--payload", base64.b64encode(f.read()).decode())["Secret href"]
    with open(api["crt"]) as f:
        crt_ref = cli.json("secret", "store", "--payload-content-type", "text/plain",
                           "--payload", f.read())["Secret href"]
    with open(api["key"]) as f:
        key_ref = cli.json("secret", "store", "--payload-content-type", "text/plain",
                           "--payload", f.read())["Secret href"]
    container = cli.json("secret", "container", "create", "--type", "certificate",
                         "--secret", "certificate=" + crt_ref, "--secret", "private_key=" + key_ref,
                         "-c", "Container href")["Container href"]
    lb_id = cli.json("loadbalancer", "create", "--name", "lb", "--vip-subnet-id",
                     "selfservice")["id"]
    assert settled(cli, "loadbalancer", "show", "lb") == "ACTIVE"
    listener_id = cli.json("loadbalancer", "listener", "create", "--name", "tls", "--protocol",
                           "TERMINATED_HTTPS", "--protocol-port", "8443",
                           "--default-tls-container-ref", p12_ref, "lb",
                           "--sni-container-refs", container)["id"]
    # The engine serves TLS: the listener goes ACTIVE on the local amphora.
    assert settled(cli, "loadbalancer", "listener", "show", "tls") == "ACTIVE"

    crt_lists = glob.glob(os.path.join(state, "amphorae", "*", "certs", lb_id, listener_id + ".pem"))
    assert len(crt_lists) == 1, crt_lists
    assert os.stat(crt_lists[0]).st_mode & 0o777 == 0o600
    with open(crt_lists[0]) as f:
        paths = f.read().splitlines()
    assert len(paths) == 2  # the default certificate first, then the SNI one
    for path, cert in zip(paths, (www, api)):
        assert os.path.dirname(path) == os.path.dirname(crt_lists[0])
        assert os.stat(path).st_mode & 0o777 == 0o600
        with open(path) as f:
            pem = f.read()
        assert "BEGIN CERTIFICATE" in pem and "PRIVATE KEY" in pem
        assert fingerprint(path) == fingerprint(cert["crt"])
        key_modulus = subprocess.run(["openssl", "pkey", "-in", path, "-pubout"], check=True,
                                     capture_output=True, text=True, timeout=30).stdout
        cert_modulus = subprocess.run(["openssl", "x509", "-in", cert["crt"], "-noout", "-pubkey"],
                                      check=True, capture_output=True, text=True,
                                      timeout=30).stdout
        assert key_modulus == cert_modulus
