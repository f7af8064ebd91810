"""Helpers for `octane agent` scenarios: certificates from octane's CA, the agent process, a mutual-TLS
client, loopback TCP backends and a UDP heartbeat sink.

Everything binds 127.0.0.1, ports come from the kernel, waits poll conditions with deadlines, and only
PIDs started here are signalled.
"""
import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import zlib

SRC = os.environ.get("OCTANE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "../../.."))
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def build_dir():
    build = os.environ.get("OCTANE_BUILD_DIR")
    for d in ([build] if build else []) + [os.path.join(SRC, "build-agent"), os.path.join(SRC, "build")]:
        if d and os.path.exists(os.path.join(d, "tests", "octane_pki_issue")):
            return os.path.abspath(d)
    raise RuntimeError("tests/octane_pki_issue not found (set OCTANE_BUILD_DIR)")


def agent_command():
    """`octane agent` when build/octane has it, else the same code as tests/octane-agent-test."""
    octane = os.path.join(build_dir(), "octane")
    if os.path.exists(octane):
        probe = subprocess.run([octane, "agent", "--help"], capture_output=True)
        if probe.returncode == 0:
            return [octane, "agent"]
    return [os.path.join(build_dir(), "tests", "octane-agent-test"), "agent"]


def wait_until(cond, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); the agent reaps its children, so look at the state too.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Pki:
    """A CA made by octane's pki/ (through tests/octane_pki_issue) and the certificates of one test."""

    def __init__(self, root, amphora_id):
        issue = os.path.join(build_dir(), "tests", "octane_pki_issue")
        ca = os.path.join(root, "ca")
        run = lambda *a: subprocess.run([issue, *a], check=True, capture_output=True, text=True).stdout.strip()
        self.server_pem = run(ca, "server", amphora_id, "127.0.0.1", os.path.join(root, "server"))
        self.client_pem = run(ca, "client", "controller", os.path.join(root, "client"))
        self.foreign_pem = run(os.path.join(root, "foreign-ca"), "client", "intruder", os.path.join(root, "foreign"))
        self.ca_pem = os.path.join(ca, "ca.pem")


class HeartbeatSink:
    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.datagrams = []
        self.stopped = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopped:
            try:
                data, _ = self.sock.recvfrom(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            self.datagrams.append(data)

    def messages(self, key):
        """Datagrams whose hex HMAC-SHA256 verifies with `key`, decoded."""
        out = []
        for data in list(self.datagrams):
            body, digest = data[:-64], data[-64:]
            if hmac.compare_digest(hmac.new(key.encode(), body, hashlib.sha256).hexdigest().encode(), digest):
                out.append(json.loads(zlib.decompress(body)))
        return out

    def close(self):
        self.stopped = True
        self.sock.close()


class TcpBackend:
    """Answers each connection with its name and a newline, then closes."""

    def __init__(self, name):
        self.name = name.encode()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.sock.listen(128)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            try:
                c.sendall(self.name + b"\n")
            finally:
                c.close()

    def close(self):
        self.sock.close()


class Agent:
    def __init__(self, engine, amphora_id, heartbeat_port, key, state_dir, pki,
                 heartbeat_interval="0.3"):
        self.amphora_id = amphora_id
        self.state_dir = state_dir
        self.pki = pki
        self.log = open(os.path.join(state_dir, "..", "agent.log"), "a")
        self.proc = subprocess.Popen(
            agent_command() + ["--amphora-id", amphora_id,
             "--state-dir", state_dir, "--bind-host", "127.0.0.1", "--bind-port", "0",
             "--server-cert", pki.server_pem, "--client-ca", pki.ca_pem, "--engine", engine,
             "--heartbeat-key", key, "--controller", f"127.0.0.1:{heartbeat_port}",
             "--heartbeat-interval", heartbeat_interval, "--debug"],
            stdout=self.log, stderr=subprocess.STDOUT)
        port_file = os.path.join(state_dir, "agent.port")
        wait_until(lambda: os.path.exists(port_file) or self.proc.poll() is not None, 10, "agent.port")
        assert self.proc.poll() is None, open(self.log.name).read()
        self.port = int(open(port_file).read())

    def context(self, cert=None):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(self.pki.ca_pem)
        if cert:
            ctx.load_cert_chain(cert)
        return ctx

    def request(self, method, path, body=b"", cert="default", server_name=None):
        """One HTTP/1.1 request over mutual TLS; returns (status, headers, body bytes)."""
        cert = self.pki.client_pem if cert == "default" else cert
        ctx = self.context(cert)
        if isinstance(body, str):
            body = body.encode()
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as raw:
            with ctx.wrap_socket(raw, server_hostname=server_name or self.amphora_id) as tls:
                head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n").encode()
                tls.sendall(head + body)
                data = b""
                while True:
                    chunk = tls.recv(65536)
                    if not chunk:
                        break
                    data += chunk
        head, _, payload = data.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
        return status, headers, payload

    def json(self, method, path, body=b""):
        status, headers, payload = self.request(method, path, body)
        return status, headers, (json.loads(payload) if payload else None)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return None
        return self.proc.returncode


def tcp_config(state_dir, lb_id, listener_id, pool_id, frontend_port, members):
    servers = "\n".join(f"    server {mid} 127.0.0.1:{port} weight 1 check inter 1s fall 3 rise 1"
                        for mid, port in members)
    return f"""# Configuration for loadbalancer {lb_id}
global
    stats socket {state_dir}/{lb_id}.sock mode 0666 level user
    maxconn 1000

defaults
    retries 3
    timeout connect 5000
    timeout client 50000
    timeout server 50000

frontend {listener_id}
    maxconn 1000
    bind 127.0.0.1:{frontend_port}
    mode tcp
    default_backend {pool_id}:{listener_id}

backend {pool_id}:{listener_id}
    mode tcp
    balance roundrobin
{servers}
"""


def read_line_through(port):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.settimeout(5)
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(100)
            if not chunk:
                break
            data += chunk
        return data.decode().strip()


def short_tempdir():
    # Unix socket paths must fit 107 bytes: stay near /tmp.
    return tempfile.mkdtemp(prefix="oa", dir="/tmp")
