"""TLS in octane-proxy: termination as Octavia renders it for TERMINATED_HTTPS listeners (crt-list,
SNI, default certificate, client authentication with CRL, the X-SSL-* headers), TLS to members
(verification against the pool's CA), HTTPS health checks, and a reload that keeps an established
TLS connection. Certificates are made by the test (tls_pki.py); all traffic stays on 127.0.0.1."""
import http.server
import os
import subprocess
import socket
import ssl
import threading

import pytest
from proxy_harness import (Engine, HttpBackend, TcpBackend, defaults_section, free_port,
                           http_requests, recv_until_eof, stats_command, wait_until)
from tls_pki import Ca, write


class EchoHeaders(HttpBackend):
    """Answers '<name>' and then every request header line it got, one per line."""

    def _serve(self, c):
        try:
            for lines in http_requests(c):
                body = self.name + b"\n" + "\n".join(lines[1:]).encode("latin1")
                c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        except OSError:
            pass
        finally:
            c.close()


class HttpsMember:
    """An HTTPS member (python's http.server over TLS): '/health' answers `self.health`."""

    def __init__(self, name, pem_path):
        self.health = 200
        member = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                status = member.health if self.path == "/health" else 200
                body = f"{name} over tls reused={self.connection.session_reused}".encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(pem_path)
        self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def pki(tmp_path):
    ca = Ca("Octane test server CA")
    files = {"ca": write(tmp_path / "ca.pem", ca.cert_pem())}
    _, a = ca.issue("www.example.com", dns=["www.example.com"])
    _, b = ca.issue("api.example.com", dns=["api.example.com", "*.api.example.com"])
    files["a"] = write(tmp_path / "a.pem", a)
    files["b"] = write(tmp_path / "b.pem", b)
    files["crt_list"] = write(tmp_path / "crt-list", f"{files['a']}\n{files['b']}\n".encode())
    return ca, files


def tls_get(port, sni=None, cert=None, ca=None, path="/", alpn=None, timeout=5):
    """One HTTPS request; returns (peer certificate subject CN, status line, body, ALPN)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    if ca:
        ctx.load_verify_locations(ca)
    else:
        ctx.verify_mode = ssl.CERT_NONE
    if cert:
        ctx.load_cert_chain(cert)
    if alpn:
        ctx.set_alpn_protocols(alpn)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw:
        with ctx.wrap_socket(raw, server_hostname=sni) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while True:
                d = s.recv(65536)
                if not d:
                    break
                data += d
            peer = s.getpeercert() if ca else None
            cn = dict(x[0] for x in peer["subject"])["commonName"] if peer else None
            head, _, body = data.partition(b"\r\n\r\n")
            tls_get.last_head = head.decode()
            return cn, head.split(b"\r\n")[0].decode(), body.decode(), s.selected_alpn_protocol()


def frontend_config(port, bind_options, backend_port, backend_extra=""):
    return f"""
global
    maxconn 1000
{defaults_section('http', ['http-keep-alive'])}frontend fe
    bind 127.0.0.1:{port} {bind_options}
    redirect scheme https if !{{ ssl_fc }}
    http-response set-header Strict-Transport-Security "max-age=31536000; includeSubDomains; preload;"
    default_backend be
backend be
    http-request set-header X-Forwarded-Proto https
{backend_extra}    server s1 127.0.0.1:{backend_port} weight 1
"""


def test_sni_selects_certificate_and_default_without_sni(pki):
    ca, files = pki
    member = EchoHeaders("member")
    port = free_port()
    eng = Engine("octane", frontend_config(
        port, f"ssl crt-list {files['crt_list']}   ciphers ECDHE-ECDSA-AES128-GCM-SHA256 "
              "no-sslv3 no-tlsv10 no-tlsv11 alpn h2,http/1.1,http/1.0", member.port))
    try:
        eng.start(wait_port=port)
        cn, status, body, alpn = tls_get(port, "api.example.com", ca=files["ca"],
                                         alpn=["h2", "http/1.1"])
        assert cn == "api.example.com" and status == "HTTP/1.1 200 OK", (cn, status)
        assert body.startswith("member\n") and "X-Forwarded-Proto: https" in body, body
        assert alpn == "http/1.1"  # h2 is refused: the engine speaks HTTP/1.x
        # HSTS as Octavia renders it (listener hsts_* fields).
        assert ("\r\nStrict-Transport-Security: max-age=31536000; includeSubDomains; preload;"
                in tls_get.last_head), tls_get.last_head
        assert tls_get(port, "v2.api.example.com", ca=files["ca"])[0] == "api.example.com"
        assert tls_get(port, "www.example.com", ca=files["ca"])[0] == "www.example.com"
        assert tls_get(port, "unknown.example.org", ca=files["ca"])[0] == "www.example.com"
        assert tls_get(port, None, ca=files["ca"])[0] == "www.example.com"
        # Plain HTTP to a TLS bind is no request: the handshake fails and the connection ends.
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            try:
                reply = s.recv(1024)
            except ConnectionResetError:
                reply = b""
            assert b"HTTP/1.1 200" not in reply
    finally:
        eng.stop()
        member.stop()


def test_client_authentication_required_with_crl_and_x_ssl_headers(pki, tmp_path):
    _, files = pki
    client_ca = Ca("Octane test client CA")
    good, good_pem = client_ca.issue("good-client", client=True)
    revoked, revoked_pem = client_ca.issue("revoked-client", client=True)
    client_ca.revoke(revoked)
    stranger_pem = Ca("Someone else").issue("stranger", client=True)[1]
    ca_file = write(tmp_path / "client-ca.pem", client_ca.cert_pem())
    crl_file = write(tmp_path / "client-crl.pem", client_ca.crl_pem())
    good_file = write(tmp_path / "good.pem", good_pem)
    headers = "".join(f"    http-request set-header {h} {v}\n" for h, v in [
        ("X-SSL-Client-Verify", "%[ssl_c_verify]"), ("X-SSL-Client-Has-Cert", "%[ssl_c_used]"),
        ("X-SSL-Client-DN", "%{+Q}[ssl_c_s_dn]"), ("X-SSL-Client-CN", "%{+Q}[ssl_c_s_dn(cn)]"),
        ("X-SSL-Issuer", "%{+Q}[ssl_c_i_dn]"), ("X-SSL-Client-SHA1", "%{+Q}[ssl_c_sha1,hex]"),
        ("X-SSL-Client-Not-Before", "%{+Q}[ssl_c_notbefore]"),
        ("X-SSL-Client-Not-After", "%{+Q}[ssl_c_notafter]")])
    member = EchoHeaders("member")
    port = free_port()
    eng = Engine("octane", frontend_config(
        port, f"ssl crt-list {files['crt_list']} ca-file {ca_file} verify required "
              f"crl-file {crl_file}", member.port, headers))
    try:
        eng.start(wait_port=port)
        _, status, body, _ = tls_get(port, cert=good_file)
        assert status == "HTTP/1.1 200 OK", status
        sha1 = good.fingerprint(__import__("cryptography").hazmat.primitives.hashes.SHA1())
        for line in ["X-SSL-Client-Verify: 0", "X-SSL-Client-Has-Cert: 1",
                     'X-SSL-Client-DN: "/O=Octane tests/CN=good-client"',
                     'X-SSL-Client-CN: "good-client"',
                     'X-SSL-Issuer: "/O=Octane tests/CN=Octane test client CA"',
                     f'X-SSL-Client-SHA1: "{sha1.hex().upper()}"',
                     'X-SSL-Client-Not-Before: "' + good.not_valid_before.strftime("%y%m%d%H%M%SZ"),
                     'X-SSL-Client-Not-After: "' + good.not_valid_after.strftime("%y%m%d%H%M%SZ")]:
            assert line in body, (line, body)
        for name, pem in [("no certificate", None), ("revoked", revoked_pem),
                          ("other CA", stranger_pem)]:
            cert = write(tmp_path / "c.pem", pem) if pem else None
            with pytest.raises((ssl.SSLError, ConnectionError), match=""):
                tls_get(port, cert=cert)
                pytest.fail(f"{name}: admitted")
    finally:
        eng.stop()
        member.stop()


def right_and_wrong_ca(mode, port, port2, member_port, ca, wrong_ca, options=""):
    """Frontend `port` to the member verified against its CA, `port2` to it against another."""
    return f"""
global
    maxconn 1000
{defaults_section(mode, ['http-keep-alive'] if mode == 'http' else [])}frontend fe
    bind 127.0.0.1:{port}
    default_backend be
frontend fe2
    bind 127.0.0.1:{port2}
    default_backend wrong
backend be
    server m1 127.0.0.1:{member_port} ssl ca-file {ca} verify required {options}
backend wrong
    retries 1
    server m1 127.0.0.1:{member_port} ssl ca-file {wrong_ca} verify required {options}
"""


def test_tls_to_members_verifies_against_the_pool_ca(pki, tmp_path):
    ca, files = pki
    _, member_pem = ca.issue("member.example.com", dns=["member.example.com"], ips=["127.0.0.1"])
    member = HttpsMember("m1", write(tmp_path / "member.pem", member_pem))
    wrong_ca = write(tmp_path / "wrong-ca.pem", Ca("Not the member's CA").cert_pem())
    port, port2 = free_port(), free_port()
    cfg = right_and_wrong_ca("http", port, port2, member.port, files["ca"], wrong_ca,
                             "sni str(member.example.com) alpn h2,http/1.1")
    eng = Engine("octane", cfg)
    try:
        eng.start(wait_port=port2)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            for _ in range(2):  # keep-alive: the second request reuses the TLS connection
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                data = b""
                while b"m1 over tls" not in data:
                    d = s.recv(4096)
                    assert d, data
                    data += d
                assert data.startswith(b"HTTP/1.1 200"), data
        # Each client connection gets its own server connection; the later ones resume the
        # session of the first (as HAProxy reuses server sessions).
        reused = []
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                reply = recv_until_eof(s)
                assert reply.startswith(b"HTTP/1.1 200"), reply
                reused.append(reply.split(b"reused=")[1].decode())
        assert reused[1:] == ["True", "True"], reused
        with socket.create_connection(("127.0.0.1", port2), timeout=5) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert s.recv(4096).startswith(b"HTTP/1.1 503"), "an unverifiable member is no member"
    finally:
        eng.stop()
        member.stop()


def test_https_health_check_marks_a_member_down(pki, tmp_path):
    ca, _ = pki
    _, pem = ca.issue("m.example.com")
    up, failing = HttpsMember("up", write(tmp_path / "up.pem", pem)), \
        HttpsMember("failing", write(tmp_path / "f.pem", pem))
    plain = HttpBackend("plain")  # speaks no TLS: its handshake check fails
    port = free_port()
    sock = str(tmp_path / "stats.sock")
    cfg = f"""
global
    maxconn 1000
    stats socket {sock} mode 600 level admin
{defaults_section('tcp')}frontend fe
    bind 127.0.0.1:{port}
    default_backend be
backend be
    timeout check 2s
    option httpchk GET /health
    http-check expect rstatus 200
    server up 127.0.0.1:{up.port} weight 1 check check-ssl verify none inter 100 fall 2 rise 1
    server failing 127.0.0.1:{failing.port} weight 1 check check-ssl verify none inter 100 fall 2 rise 1
backend hello
    timeout check 2s
    server tls 127.0.0.1:{up.port} check check-ssl verify none inter 100 fall 2 rise 1
    server plain 127.0.0.1:{plain.port} check check-ssl verify none inter 100 fall 2 rise 1
"""
    eng = Engine("octane", cfg)

    def status(name, backend="be"):
        for line in stats_command(sock, "show stat").splitlines():
            f = line.split(",")
            if len(f) > 17 and f[0] == backend and f[1] == name:
                return f[17], f[36] if len(f) > 36 else ""
        return None, None

    try:
        eng.start(wait_socket=sock)
        wait_until(lambda: status("failing")[1] == "L7OK", 10, "first HTTPS check passed")
        failing.health = 500
        wait_until(lambda: status("failing")[0] == "DOWN", 10, "failing member DOWN")
        assert status("up")[0] == "UP" and status("up")[1] == "L7OK", status("up")
        # Without httpchk a TLS check is a completed handshake (TLS-HELLO members of a TLS pool).
        wait_until(lambda: status("plain", "hello")[0] == "DOWN", 10, "non-TLS member DOWN")
        # This one never answers a ClientHello: the handshake times out (a reset would be L6RSP).
        assert status("plain", "hello")[1] == "L6TOUT", status("plain", "hello")
        assert status("tls", "hello") == ("UP", "L6OK"), status("tls", "hello")
    finally:
        eng.stop()
        up.stop()
        failing.stop()
        plain.stop()


def test_reload_keeps_an_established_tls_connection(pki, tmp_path):
    _, files = pki
    member = EchoHeaders("member")
    port = free_port()
    sock = str(tmp_path / "stats.sock")
    cfg = frontend_config(port, f"ssl crt-list {files['crt_list']}", member.port).replace(
        "    maxconn 1000\n", f"    maxconn 1000\n    stats socket {sock} mode 600 level user\n")
    eng = Engine("octane", cfg)
    try:
        old = eng.start(wait_socket=sock)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        with ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=5)) as s:
            s.sendall(b"GET /1 HTTP/1.1\r\nHost: x\r\n\r\n")
            assert s.recv(65536).startswith(b"HTTP/1.1 200")
            eng.start(extra=["-sf", str(old.pid)], wait_socket=sock)
            # The old process still serves this connection: the next request gets its answer,
            # announced as the last one.
            s.sendall(b"GET /2 HTTP/1.1\r\nHost: x\r\n\r\n")
            reply = s.recv(65536)
            assert reply.startswith(b"HTTP/1.1 200") and b"onnection: close" in reply, reply
        assert tls_get(port, "www.example.com")[1] == "HTTP/1.1 200 OK"  # the new process serves
        old.wait(timeout=10)
    finally:
        eng.stop()
        member.stop()


def test_session_resumption_with_tickets(pki):
    """Tickets are on by default (as HAProxy): a client offering the session of its last
    connection resumes it, for TLS 1.3 and 1.2 alike."""
    _, files = pki
    member = EchoHeaders("member")
    port = free_port()
    eng = Engine("octane", frontend_config(port, f"ssl crt-list {files['crt_list']}", member.port))
    try:
        eng.start(wait_port=port)
        for version in (ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1_2):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            ctx.minimum_version = ctx.maximum_version = version
            session, reused = None, []
            for _ in range(3):
                with ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=5),
                                     server_hostname="www.example.com", session=session) as s:
                    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                    assert s.recv(65536).startswith(b"HTTP/1.1 200")
                    reused.append(s.session_reused)
                    session = s.session
            assert reused == [False, True, True], (version, reused)
    finally:
        eng.stop()
        member.stop()


def test_check_mode_reads_the_tls_files(pki, tmp_path):
    """`-c` loads certificates as HAProxy does: a missing crt-list or a key that does not match its
    certificate is a located error, and nothing starts."""
    ca, files = pki
    cert_a = open(files["a"]).read()
    cert_b = open(files["b"]).read()
    mixed = cert_a[:cert_a.index("-----BEGIN PRIVATE KEY")] + cert_b[cert_b.index(
        "-----BEGIN PRIVATE KEY"):]
    mixed_list = write(tmp_path / "mixed-list", (write(tmp_path / "mixed.pem", mixed.encode())
                                                 + "\n").encode())
    for crt_list, message in [(tmp_path / "missing", "'crt-list' : cannot open file"),
                              (mixed_list, "mixed.pem': error:05800074:x509 certificate "
                                           "routines::key values mismatch")]:
        eng = Engine("octane", frontend_config(free_port(), f"ssl crt-list {crt_list}", 1))
        try:
            r = subprocess.run(eng.command(["-c"]), capture_output=True, text=True, timeout=30)
            assert r.returncode == 1, r.stderr
            assert "proxy.cfg:13: 'bind 127.0.0.1:" in r.stderr and message in r.stderr, r.stderr
        finally:
            eng.stop()


def tls_echo_member(pem_path):
    """A TLS member that speaks first ('hello\\n') and then echoes: a TCP pool with tls_enabled."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(pem_path)
    return TcpBackend("hello", ssl_context=ctx)


def test_tcp_pool_with_tls_to_members(pki, tmp_path):
    ca, files = pki
    _, pem = ca.issue("member.example.com", dns=["member.example.com"])
    member = tls_echo_member(write(tmp_path / "m.pem", pem))
    wrong_ca = write(tmp_path / "wrong-ca.pem", Ca("Not the member's CA").cert_pem())
    port, port2 = free_port(), free_port()
    cfg = right_and_wrong_ca("tcp", port, port2, member.port, files["ca"], wrong_ca,
                             "sni str(member.example.com)")
    eng = Engine("octane", cfg)
    try:
        eng.start(wait_port=port2)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            # The member speaks first: the proxy starts the handshake without client bytes.
            assert s.recv(64) == b"hello\n"
            payload = os.urandom(1 << 20)  # past the point where a plain flow would splice
            threading.Thread(target=s.sendall, args=(payload,), daemon=True).start()
            got = b""
            while len(got) < len(payload):
                d = s.recv(1 << 16)
                assert d, len(got)
                got += d
            assert got == payload
        # The session ends on the failed handshake, with a reset that can reach the client
        # before its connect() returns when the machine is busy.
        try:
            with socket.create_connection(("127.0.0.1", port2), timeout=5) as s:
                got = recv_until_eof(s)
        except ConnectionResetError:
            got = b""
        assert got == b"", "an unverifiable member gets no byte through"
    finally:
        eng.stop()
        member.stop()
