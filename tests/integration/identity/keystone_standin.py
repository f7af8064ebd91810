"""A stand-in external Keystone for the [keystone_authtoken] tests: just enough of /v3/auth/tokens
(POST for the service user, GET to validate a subject token), over http or https, on 127.0.0.1,
in a thread of the test process. It records every validation it is asked for, can hold
validations at a rendezvous (to see concurrent calls), and makes throw-away PKI with openssl.
Python 3 stdlib only."""
from __future__ import annotations

import datetime
import http.server
import json
import os
import ssl
import subprocess
import threading
import time

SERVICE_TOKEN = "service-token-0123456789"
RENDEZVOUS_S = 5.0  # below Octane's 10 s read timeout, so a held call is still answered


def keystone_time(epoch: float) -> str:
    t = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def wait_for(condition, timeout: float = 10.0, what: str = "condition"):
    """Polls condition() (20 ms) until true; bounded by timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("timed out after %.1f s waiting for %s" % (timeout, what))


def implied(roles) -> list:
    """The roles a Keystone token lists: the assigned ones and those they imply by Keystone's
    defaults (admin implies member, member implies reader)."""
    out = list(roles)
    for assigned, implies in (("admin", "member"), ("member", "reader")):
        if assigned in out and implies not in out:
            out.append(implies)
    return out


class Pki:
    """CAs and certificates made with the openssl command in a directory of the test."""

    def __init__(self, directory: str):
        self.dir = directory

    def _run(self, *argv: str):
        subprocess.run(["openssl", *argv], check=True, capture_output=True, timeout=30)

    def path(self, name: str) -> str:
        return os.path.join(self.dir, name)

    def ca(self, name: str) -> str:
        """Self-signed CA; returns its PEM path (key next to it)."""
        self._run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                  "-nodes", "-keyout", self.path(name + ".key"), "-out", self.path(name + ".pem"),
                  "-days", "2", "-subj", "/CN=" + name)
        return self.path(name + ".pem")

    def server(self, name: str, ca: str, san: str, usage: str = "serverAuth") -> tuple[str, str]:
        """A certificate signed by CA `ca` for subjectAltName `san`; (cert, key) paths."""
        key, csr, cert = (self.path(name + ext) for ext in (".key", ".csr", ".pem"))
        ext = self.path(name + ".ext")
        with open(ext, "w") as f:
            f.write("subjectAltName=%s\nbasicConstraints=CA:FALSE\n"
                    "extendedKeyUsage=%s\n" % (san, usage))
        self._run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                  "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=" + name)
        self._run("x509", "-req", "-in", csr, "-CA", self.path(ca + ".pem"), "-CAkey",
                  self.path(ca + ".key"), "-CAcreateserial", "-out", cert, "-days", "2",
                  "-extfile", ext)
        return cert, key


class StandinKeystone:
    """start() serves on 127.0.0.1:<any port>; stop() shuts the server thread down."""

    def __init__(self, cert: tuple[str, str] | None = None, client_ca: str | None = None):
        self.cert = cert
        self.client_ca = client_ca  # https: a client certificate signed by it is required
        self.service_token = SERVICE_TOKEN  # the one POST issues and GET accepts
        self.service_logins = 0
        self.lock = threading.Condition()
        self.tokens: dict[str, dict] = {}  # subject token -> token body ("token": {...})
        self.validations: list[str] = []  # subject tokens asked about, in order
        self.rendezvous: set[str] = set()  # subject tokens held until another one arrives
        self.in_flight = 0
        self.peak_in_flight = 0
        self.server: http.server.ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    # -- tokens

    def add_token(self, token: str, roles=("member",), project_id: str = "p" * 32,
                  expires_at: float | None = None):
        expires_at = time.time() + 3600 if expires_at is None else expires_at
        self.tokens[token] = {
            "methods": ["password"],
            "user": {"id": "u-" + token[:8], "name": "user-" + token[:8],
                     "domain": {"id": "default", "name": "Default"}},
            "project": {"id": project_id, "name": "demo",
                        "domain": {"id": "default", "name": "Default"}},
            "roles": [{"id": "r-" + r, "name": r} for r in implied(roles)],
            "expires_at": keystone_time(expires_at),
            "issued_at": keystone_time(time.time()),
            "expires_epoch": expires_at,
        }

    def calls_for(self, token: str) -> int:
        with self.lock:
            return self.validations.count(token)

    @property
    def calls(self) -> int:
        with self.lock:
            return len(self.validations)

    # -- server

    @property
    def url(self) -> str:
        scheme = "https" if self.cert else "http"
        return "%s://127.0.0.1:%d/v3" % (scheme, self.server.server_address[1])

    def start(self) -> "StandinKeystone":
        standin = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status: int, body: dict | None = None, headers=()):
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                if self.path != "/v3/auth/tokens":
                    return self.reply(404, {"error": {"code": 404}})
                with standin.lock:
                    standin.service_logins += 1
                body = {"token": {"expires_at": keystone_time(time.time() + 3600)}}
                self.reply(201, body, [("X-Subject-Token", standin.service_token)])

            def do_GET(self):
                if self.path.split("?")[0] != "/v3/auth/tokens":
                    return self.reply(404, {"error": {"code": 404}})
                if self.headers.get("X-Auth-Token") != standin.service_token:
                    return self.reply(401, {"error": {"code": 401}})
                subject = self.headers.get("X-Subject-Token", "")
                standin._enter(subject)
                try:
                    token = standin.tokens.get(subject)
                    if token is None or token["expires_epoch"] <= time.time():
                        return self.reply(404, {"error": {"code": 404, "title": "Not Found"}})
                    body = {k: v for k, v in token.items() if k != "expires_epoch"}
                    self.reply(200, {"token": body}, [("X-Subject-Token", subject)])
                finally:
                    standin._leave()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if self.cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.cert)
            if self.client_ca:
                context.verify_mode = ssl.CERT_REQUIRED
                context.load_verify_locations(self.client_ca)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=10)

    def _enter(self, subject: str):
        with self.lock:
            self.validations.append(subject)
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            self.lock.notify_all()
            if subject in self.rendezvous:
                # Held until a second validation is in flight too (bounded).
                self.lock.wait_for(lambda: self.in_flight >= 2, timeout=RENDEZVOUS_S)

    def _leave(self):
        with self.lock:
            self.in_flight -= 1
            self.lock.notify_all()
