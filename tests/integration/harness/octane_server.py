"""Test harness for the Octane control plane: start real server processes, talk HTTP to them.

Used by tests/integration/api/*.py (imported through sys.path from OCTANE_SOURCE_DIR) and by
bench/api_bench.py. Python 3 stdlib + Debian's python3-requests only.

Processes
    OctaneProcess(mode, state_dir, extra_args) starts `$OCTANE_BUILD_DIR/octane <mode>` (serve, api
    or worker) over a state directory, waits (bounded: 20 s deadline, 20 ms poll) for
    `STATE/api.port` and a 200 from `GET /`, and stops it by its own PID: SIGTERM, bounded wait,
    then SIGKILL of that PID only. `stop()` asserts the clean exit (code 0) after SIGTERM.
    `kill9()` kills it hard (restart tests).

    running_server(...) is a context manager around OctaneProcess that also makes the temp dir.

Database
    SQLite in the state dir, or PostgreSQL with OCTANE_TEST_DATABASE=postgresql (database_choice.py:
    one throwaway cluster per run, one database per state dir).

Targets
    If OCTANE_TEST_URL is set (e.g. http://127.0.0.1:9876, the reference Octavia), tests that only
    need *a* server use that URL instead of starting Octane; tests that need process control skip.

HTTP
    Client(base_url, project) wraps a requests.Session: get/post/put/delete return a Resp with
    .status, .json, .headers, .text. Helpers: wait_for_status(), wait_gone(), assert_fault(), ...
"""
from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import shutil
import shlex
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
import uuid

import requests

import database_choice

READY_DEADLINE_S = 20.0
POLL_S = 0.02
STOP_DEADLINE_S = 15.0

SUBNET_ID = "11111111-2222-3333-4444-555555555555"
DEFAULT_PROJECT = "c0ffee00c0ffee00c0ffee00c0ffee00"
FAULT_KEYS = {"faultcode", "faultstring", "debuginfo"}
PENDING = ("PENDING_CREATE", "PENDING_UPDATE", "PENDING_DELETE")
TIMESTAMP_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
REQUEST_ID_RE = re.compile(r"^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# The worker of the reference needs ~1-4 s per object; Octane's noop worker needs milliseconds.
DEFAULT_WAIT_S = float(os.environ.get("OCTANE_TEST_WAIT_S", "60"))


def build_dir() -> str:
    return os.environ.get("OCTANE_BUILD_DIR") or os.path.join(source_dir(), "build")


def source_dir() -> str:
    return os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
        os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def octane_binary() -> str:
    return os.path.join(build_dir(), "octane")


def external_url() -> str | None:
    """OCTANE_TEST_URL: run the HTTP-only tests against an already running server (e.g. reference)."""
    url = os.environ.get("OCTANE_TEST_URL")
    return url.rstrip("/") if url else None


# --------------------------------------------------------------------------------------------
# processes

class OctaneProcess:
    """One `octane serve|api|worker` process over a state dir; stopped by its own PID only."""

    def __init__(self, mode: str, state_dir: str, extra_args=(), lease_seconds: int | None = None,
                 binary: str | None = None, plain: bool = False):
        assert mode in ("serve", "api", "worker"), mode
        self.mode = mode
        self.state_dir = state_dir
        self.binary = binary or octane_binary()
        self.extra_args = list(extra_args)
        self.lease_seconds = lease_seconds
        self.plain = plain  # only --state-dir + extra_args (e.g. everything else from --config-file)
        self.proc: subprocess.Popen | None = None
        self.base_url: str | None = None
        self.log_path = os.path.join(state_dir, "%s-%d.log" % (mode, int(time.time() * 1000)))
        self._log = None

    def argv(self) -> list[str]:
        if self.plain:
            database = database_choice.cli_args(self.state_dir, self.extra_args)
            return [self.binary, self.mode, "--state-dir", self.state_dir] + database + self.extra_args
        args = [self.binary, self.mode, "--state-dir", self.state_dir,
                "--amphora-driver", "noop", "--network-driver", "noop"]
        if self.mode in ("serve", "api"):
            args += ["--auth-strategy", "noauth"]
        if self.mode in ("serve", "api"):
            args += ["--bind-host", "127.0.0.1", "--bind-port", "0"]
        if self.lease_seconds is not None and self.mode in ("serve", "worker"):
            args += ["--worker-lease-seconds", str(self.lease_seconds)]
        return args + database_choice.cli_args(self.state_dir, self.extra_args) + self.extra_args

    @property
    def port_file(self) -> str:
        return os.path.join(self.state_dir, "api.port")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> "OctaneProcess":
        if not os.access(self.binary, os.X_OK):
            raise RuntimeError("octane binary not found at %s (set OCTANE_BUILD_DIR)" % self.binary)
        os.makedirs(self.state_dir, exist_ok=True)
        if self.mode in ("serve", "api"):
            # a stale port file from an earlier run of this state dir must not be mistaken for ours
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.port_file)
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.argv(), stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.state_dir)
        if self.mode in ("serve", "api"):
            self._wait_ready()
        else:
            # the worker has no port; give it a bounded moment to fail fast on bad flags
            deadline = time.monotonic() + 0.3
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError("octane worker exited with %s:\n%s" % (self.proc.returncode, self.log_tail()))
                time.sleep(POLL_S)
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + READY_DEADLINE_S
        port = None
        last_err = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("octane %s exited with %s before ready:\n%s"
                                   % (self.mode, self.proc.returncode, self.log_tail()))
            if port is None:
                try:
                    with open(self.port_file) as f:
                        text = f.read().strip()
                    if text:
                        port = int(text)
                        assert 0 < port < 65536, text
                except (FileNotFoundError, ValueError) as e:
                    last_err = e
            if port is not None:
                try:
                    r = requests.get("http://127.0.0.1:%d/" % port, timeout=2)
                    if r.status_code == 200:
                        self.base_url = "http://127.0.0.1:%d" % port
                        return
                    last_err = "GET / -> %s" % r.status_code
                except requests.RequestException as e:
                    last_err = e
            time.sleep(POLL_S)
        self.kill9()
        raise RuntimeError("octane %s not ready after %.0f s (%s):\n%s"
                           % (self.mode, READY_DEADLINE_S, last_err, self.log_tail()))

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, check: bool = True) -> int | None:
        """SIGTERM, wait bounded, SIGKILL only this PID if needed. Asserts exit 0 when check."""
        if self.proc is None:
            return None
        if self.proc.poll() is not None:
            rc = self.proc.returncode
            self._close()
            if check:
                raise AssertionError("octane %s had already exited with %s:\n%s" % (self.mode, rc, self.log_tail()))
            return rc
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=STOP_DEADLINE_S)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=STOP_DEADLINE_S)
            self._close()
            if check:
                raise AssertionError("octane %s did not exit within %.0f s of SIGTERM (killed):\n%s"
                                     % (self.mode, STOP_DEADLINE_S, self.log_tail()))
            return None
        self._close()
        if check:
            assert rc == 0, "octane %s exited with %s after SIGTERM:\n%s" % (self.mode, rc, self.log_tail())
        return rc

    def kill9(self):
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=STOP_DEADLINE_S)
        self._close()

    def _close(self):
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, n: int = 4000) -> str:
        try:
            with open(self.log_path, "rb") as f:
                data = f.read()
            return data[-n:].decode("utf-8", "replace")
        except OSError:
            return "(no log)"


def local_amphora_pids(state_dir: str) -> dict[str, int]:
    """amphora id -> agent PID of the live `local` amphorae recorded in a state dir's database.

    A PID counts only while /proc says it is still `octane agent --amphora-id <that id>`, so a
    recycled PID is never mistaken for one of ours.
    """
    rows = database_choice.query(state_dir, "SELECT id, json_extract(attrs, '$.compute_id') FROM amphorae")
    found = {}
    for amphora_id, compute_id in rows:
        parts = (compute_id or "").split(":")
        if len(parts) != 3 or parts[0] != "local":
            continue
        pid = int(parts[1])
        if amphora_id in process_argv(pid):
            found[amphora_id] = pid
    return found


def agent_pid(amphora: dict) -> int:
    """The agent PID of a `local` amphora, from its compute_id local:<pid>:<port>."""
    kind, pid, _port = amphora["compute_id"].split(":")
    assert kind == "local", amphora
    return int(pid)


def process_argv(pid: int) -> list[str]:
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return [a.decode("utf-8", "replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return []


def stop_pid(pid: int, deadline_s: float = STOP_DEADLINE_S) -> None:
    """SIGTERM, a bounded wait for the PID to vanish, then SIGKILL."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process_gone(pid):
            return
        time.sleep(POLL_S)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def process_gone(pid: int) -> bool:
    """No such process, or only its zombie (exited, not yet reaped by its parent)."""
    return not os.path.exists("/proc/%d" % pid) or _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def stop_local_amphorae(state_dir: str) -> list[int]:
    """Stops the agents (their engines die with them) that `octane serve` started for a state dir:
    local amphorae outlive the controller by design, so a test that ends must end them."""
    amphorae = local_amphora_pids(state_dir)
    for amphora_id, pid in amphorae.items():
        stop_pid(pid)
        # the engines' stats sockets (/tmp: sun_path is short), as the driver's delete removes them
        for path in glob.glob("/tmp/octane-%s-*.sock" % amphora_id[:8]):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
    return list(amphorae.values())


def read_openrc(path: str) -> dict[str, str]:
    """The OS_* variables of an admin-openrc written by `octane serve`."""
    env = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("export "):
                key, _, value = line[len("export "):].partition("=")
                env[key] = shlex.split(value)[0] if value else ""
    return env


def keystone_token(base_url: str, env: dict[str, str]) -> str:
    """A project-scoped token from the built-in identity for the user of an openrc."""
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": env["OS_USERNAME"], "domain": {"name": "Default"}, "password": env["OS_PASSWORD"]}}},
        "scope": {"project": {"name": env["OS_PROJECT_NAME"], "domain": {"name": "Default"}}}}}
    r = requests.post(base_url + "/identity/v3/auth/tokens", json=body, timeout=10)
    assert r.status_code == 201, r.text
    return r.headers["X-Subject-Token"]


def make_state_dir(prefix: str = "octane-test-") -> str:
    return tempfile.mkdtemp(prefix=prefix)


@contextlib.contextmanager
def running_server(mode: str = "serve", state_dir: str | None = None, lease_seconds=None, extra_args=()):
    """Start `octane <mode>` in a fresh (or given) state dir; yield the OctaneProcess; stop it cleanly."""
    own_dir = state_dir is None
    state_dir = state_dir or make_state_dir()
    p = OctaneProcess(mode, state_dir, extra_args=extra_args, lease_seconds=lease_seconds)
    p.start()
    try:
        yield p
    finally:
        if p.alive():
            p.stop(check=True)
        if own_dir:
            shutil.rmtree(state_dir, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# HTTP

class Resp:
    def __init__(self, r: requests.Response):
        self.raw = r
        self.status = r.status_code
        self.headers = r.headers
        self.text = r.text
        try:
            self.json = r.json() if r.content else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return "<%s %s %s: %s>" % (self.raw.request.method, self.raw.request.url, self.status, self.text[:600])


class Client:
    """JSON client for one base URL; sends X-Project-Id (noauth) or, given one, a Keystone token."""

    def __init__(self, base_url: str, project: str | None = DEFAULT_PROJECT, timeout: float = 30,
                 token: str | None = None):
        self.base = base_url.rstrip("/")
        self.project = None if token else project
        self.token = token
        self.timeout = timeout
        self.s = requests.Session()

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def headers(self, extra=None):
        h = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.project:
            h["X-Project-Id"] = self.project
        if self.token:
            h["X-Auth-Token"] = self.token
        if extra:
            h.update(extra)
        return h

    def request(self, method, path, body=None, raw=None, params=None, headers=None) -> Resp:
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        r = self.s.request(method, self.url(path), data=data, params=params,
                           headers=self.headers(headers), timeout=self.timeout)
        return Resp(r)

    def get(self, path, params=None, **kw):
        return self.request("GET", path, params=params, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def delete(self, path, params=None, **kw):
        return self.request("DELETE", path, params=params, **kw)

    def close(self):
        self.s.close()


def raw_http(base_url: str, head: bytes, body: bytes = b"", timeout: float = 30.0):
    """Send a raw request (head must end with CRLFCRLF). Tolerates the server answering early and
    closing while the body is still being sent. Returns (status, headers dict lower-case, body bytes)."""
    u = urllib.parse.urlparse(base_url)
    assert u.hostname in ("127.0.0.1", "localhost"), "loopback only"
    sock = socket.create_connection((u.hostname, u.port), timeout=timeout)
    try:
        sock.sendall(head)
        sent = 0
        while sent < len(body):
            try:
                n = sock.send(body[sent:sent + 65536])
            except (BrokenPipeError, ConnectionResetError):
                break
            except socket.timeout:
                break
            sent += n
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                c = sock.recv(65536)
            except ConnectionResetError:
                break
            except socket.timeout:
                break
            if not c:
                break
            chunks.append(c)
        data = b"".join(chunks)
    finally:
        sock.close()
    if not data:
        return None, {}, b""
    head_end = data.find(b"\r\n\r\n")
    head_part = data[:head_end].decode("latin-1") if head_end >= 0 else data.decode("latin-1")
    resp_body = data[head_end + 4:] if head_end >= 0 else b""
    lines = head_part.split("\r\n")
    first = lines[0].split()
    if len(first) < 2 or not first[0].startswith("HTTP/") or not first[1].isdigit():
        return None, {}, data  # not an HTTP response (e.g. an HTTP/0.9-style error page)
    status = int(first[1])
    hdrs = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            hdrs[k.strip().lower()] = v.strip()
    if hdrs.get("transfer-encoding", "").lower() == "chunked":
        resp_body = _dechunk(resp_body)
    elif "content-length" in hdrs:
        resp_body = resp_body[:int(hdrs["content-length"])]
    return status, hdrs, resp_body


def _dechunk(b: bytes) -> bytes:
    out = []
    i = 0
    for _ in range(100000):
        j = b.find(b"\r\n", i)
        if j < 0:
            break
        size = int(b[i:j].split(b";")[0], 16)
        if size == 0:
            break
        out.append(b[j + 2:j + 2 + size])
        i = j + 2 + size + 2
    return b"".join(out)


# --------------------------------------------------------------------------------------------
# assertions

def assert_fault(r: Resp, code: int, faultstring: str | None = None, contains: str | None = None,
                 startswith: str | None = None, regex: str | None = None):
    """The Octavia fault body {"faultcode","faultstring","debuginfo"} with the given status."""
    assert r.status == code, "expected %s, got %r" % (code, r)
    assert isinstance(r.json, dict), "fault body is not a JSON object: %r" % r
    assert set(r.json.keys()) == FAULT_KEYS, "fault body keys %s: %r" % (sorted(r.json.keys()), r)
    assert r.json["faultcode"] == ("Client" if code < 500 else "Server"), r
    assert r.json["debuginfo"] is None, r
    fs = r.json["faultstring"]
    assert isinstance(fs, str) and fs, r
    if faultstring is not None:
        assert fs == faultstring, "faultstring %r != %r" % (fs, faultstring)
    if contains is not None:
        assert contains in fs, "faultstring %r does not contain %r" % (fs, contains)
    if startswith is not None:
        assert fs.startswith(startswith), "faultstring %r does not start with %r" % (fs, startswith)
    if regex is not None:
        assert re.search(regex, fs), "faultstring %r !~ %r" % (fs, regex)
    return fs


def assert_parent_404(r: Resp, message: str):
    """404 for an unknown parent in a sub-resource URL (pools/{id}/members, l7policies/{id}/rules).
    The reference answers these from a pecan hook as {"code": 404, "title": "Bad Request",
    "description": "<message>"}; the Octavia fault body with the same message is accepted too."""
    assert r.status == 404, "expected 404, got %r" % r
    assert isinstance(r.json, dict), r
    if set(r.json) == FAULT_KEYS:
        assert_fault(r, 404, message)
    else:
        assert r.json == {"code": 404, "title": "Bad Request", "description": message}, r


def assert_ok(r: Resp, code: int = 200):
    assert r.status == code, "expected %s, got %r" % (code, r)
    return r.json


# --------------------------------------------------------------------------------------------
# waiting

def poll_until(fn, timeout: float = DEFAULT_WAIT_S, interval: float = POLL_S, what: str = "condition"):
    """Call fn() until it returns a truthy value; bounded by timeout. Returns that value."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = fn()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.1f s waiting for %s (last: %r)" % (timeout, what, last))
        time.sleep(interval)


def _single(js):
    """Unwrap {"loadbalancer": {...}} style bodies."""
    if isinstance(js, dict) and len(js) == 1:
        v = next(iter(js.values()))
        if isinstance(v, dict):
            return v
    return js


def wait_for_status(client_or_url, path_or_field, field_or_value=None, value=None, timeout: float = DEFAULT_WAIT_S,
                    interval: float = POLL_S, fail_on=("ERROR",)):
    """wait_for_status(url, field, value, timeout) or wait_for_status(client, path, field, value, timeout).

    Polls GET until body[field] == value (value "DELETED" also accepts a 404). Fails early when the
    field reaches one of fail_on. Returns the last object (or None for 404)."""
    if isinstance(client_or_url, Client):
        client, path, field, want = client_or_url, path_or_field, field_or_value, value
    else:
        u = urllib.parse.urlparse(client_or_url)
        client = Client("%s://%s" % (u.scheme, u.netloc))
        path = client_or_url[len(client.base):]
        field, want = path_or_field, field_or_value
    state = {}

    def check():
        r = client.get(path)
        if r.status == 404 and want == "DELETED":
            state["obj"] = None
            return True
        assert r.status == 200, "GET %s: %r" % (path, r)
        obj = _single(r.json)
        state["obj"] = obj
        got = obj.get(field)
        if got == want:
            return True
        if got in fail_on and want not in fail_on:
            raise AssertionError("%s reached %s=%s while waiting for %s" % (path, field, got, want))
        return False

    poll_until(check, timeout=timeout, interval=interval, what="%s %s=%s" % (path, field, want))
    return state.get("obj")


def wait_active(client: Client, path: str, timeout: float = DEFAULT_WAIT_S):
    return wait_for_status(client, path, "provisioning_status", "ACTIVE", timeout=timeout)


def wait_gone(client: Client, path: str, timeout: float = DEFAULT_WAIT_S):
    def check():
        r = client.get(path)
        if r.status == 404:
            return True
        assert r.status == 200, r
        return False
    poll_until(check, timeout=timeout, what="%s to be gone" % path)


# --------------------------------------------------------------------------------------------
# object builders (each waits until the LB is ACTIVE again, so the next call may mutate)

LB = "/v2/lbaas/loadbalancers"
LISTENERS = "/v2/lbaas/listeners"
POOLS = "/v2/lbaas/pools"
HMS = "/v2/lbaas/healthmonitors"
L7P = "/v2/lbaas/l7policies"
QUOTAS = "/v2/lbaas/quotas"
AMPS = "/v2/octavia/amphorae"


def uniq(prefix: str = "t") -> str:
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


def one_member_tcp_graph(name: str, subnet_id: str, member_address: str, member_port: int,
                         listener_name: str = "l", protocol_port: int = 8080) -> dict:
    """The body of a graph POST: a TCP listener whose ROUND_ROBIN pool has one member."""
    return {"loadbalancer": {
        "name": name, "vip_subnet_id": subnet_id,
        "listeners": [{"name": listener_name, "protocol": "TCP", "protocol_port": protocol_port,
                       "default_pool": {"name": "p", "protocol": "TCP",
                                        "lb_algorithm": "ROUND_ROBIN",
                                        "members": [{"address": member_address,
                                                     "protocol_port": member_port}]}}]}}


def create_lb(c: Client, wait: bool = True, **fields) -> dict:
    body = {"name": uniq("lb"), "vip_subnet_id": SUBNET_ID}
    body.update(fields)
    r = c.post(LB, {"loadbalancer": body})
    assert r.status == 201, r
    lb = r.json["loadbalancer"]
    if wait:
        lb = wait_active(c, "%s/%s" % (LB, lb["id"]))
    return lb


def wait_lb(c: Client, lb_id: str):
    return wait_active(c, "%s/%s" % (LB, lb_id))


def create_child(c: Client, path: str, key: str, body: dict, lb_id: str, expect: int = 201) -> dict:
    wait_lb(c, lb_id)  # the LB must be ACTIVE for any child change (docs/octavia-api.md §3.1)
    r = c.post(path, {key: body})
    assert r.status == expect, r
    obj = r.json[key]
    wait_lb(c, lb_id)
    return obj


def create_listener(c, lb_id, protocol="HTTP", port=80, **kw):
    body = {"loadbalancer_id": lb_id, "protocol": protocol, "protocol_port": port, "name": uniq("li")}
    body.update(kw)
    return create_child(c, LISTENERS, "listener", body, lb_id)


def create_pool(c, lb_id, protocol="HTTP", listener_id=None, lb_algorithm="ROUND_ROBIN", **kw):
    body = {"protocol": protocol, "lb_algorithm": lb_algorithm, "name": uniq("pool")}
    if listener_id:
        body["listener_id"] = listener_id
    else:
        body["loadbalancer_id"] = lb_id
    body.update(kw)
    return create_child(c, POOLS, "pool", body, lb_id)


def create_member(c, lb_id, pool_id, address, port=80, **kw):
    body = {"address": address, "protocol_port": port}
    body.update(kw)
    return create_child(c, "%s/%s/members" % (POOLS, pool_id), "member", body, lb_id)


def create_hm(c, lb_id, pool_id, type_="HTTP", delay=5, timeout=3, max_retries=3, **kw):
    body = {"pool_id": pool_id, "type": type_, "delay": delay, "timeout": timeout, "max_retries": max_retries}
    body.update(kw)
    return create_child(c, HMS, "healthmonitor", body, lb_id)


def create_l7policy(c, lb_id, listener_id, action="REJECT", **kw):
    body = {"listener_id": listener_id, "action": action}
    body.update(kw)
    return create_child(c, L7P, "l7policy", body, lb_id)


def create_l7rule(c, lb_id, policy_id, type_="PATH", compare_type="STARTS_WITH", value="/api", **kw):
    body = {"type": type_, "compare_type": compare_type, "value": value}
    body.update(kw)
    return create_child(c, "%s/%s/rules" % (L7P, policy_id), "rule", body, lb_id)


def cascade_delete(c: Client, lb_id: str, wait: bool = True):
    r = c.delete("%s/%s" % (LB, lb_id), params={"cascade": "true"})
    assert r.status == 204, r
    if wait:
        wait_gone(c, "%s/%s" % (LB, lb_id))


def list_all(c: Client, path: str, key: str, params=None) -> list:
    r = c.get(path, params=params)
    assert r.status == 200, r
    return r.json[key]
