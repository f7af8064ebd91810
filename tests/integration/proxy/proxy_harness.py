"""Helpers for octane-proxy scenarios: loopback backends, engine processes, stats socket.

Everything binds 127.0.0.1, picks free ports below the ephemeral range, waits on conditions with deadlines,
and stops only the processes it started (by PID).
"""
import contextlib
import os
import random
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"

# The L4 path octane engines are told to take (`tune.sockmap on|off`, set by conftest.py's
# `l4_path` fixture); None leaves the engine's default.
SOCKMAP = None
# `show info` of each octane engine as it was stopped (when it had a stats socket).
STOPPED_INFO = []


def proxy_binary():
    build = os.environ.get("OCTANE_BUILD_DIR")
    candidates = [os.path.join(build, "octane-proxy")] if build else []
    src = os.environ.get("OCTANE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "../../.."))
    candidates += [os.path.join(src, d, "octane-proxy") for d in ("build", "build-proxy")]
    for c in candidates:
        if os.path.exists(c):
            return os.path.abspath(c)
    raise RuntimeError("octane-proxy binary not found (set OCTANE_BUILD_DIR)")


# Below the kernel's ephemeral range (32768-60999 by default): a port the kernel hands out by
# bind(0) is also where it picks the source ports of every client connection, so a listener port
# chosen there can be taken by another test's client before the engine binds it.
PORT_RANGE = (10000, 32000)


def free_port():
    """A port free on 127.0.0.1 now, outside the ephemeral range (bounded: 200 tries)."""
    for _ in range(200):
        port = random.randrange(*PORT_RANGE)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in %d-%d after 200 tries" % PORT_RANGE)


def wait_until(cond, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def listening_sockets(port):
    """Listening sockets on 127.0.0.1:`port` (a soft-stopped process has let go of its own)."""
    out = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True,
                         check=True).stdout
    return len([l for l in out.splitlines() if l.strip()])


class TcpBackend:
    """Answers every connection with its name and a newline, then echoes."""

    def __init__(self, name, port=None, sock=None, address="127.0.0.1", ssl_context=None):
        """`sock`: another stream socket (SCTP one-to-one); `ssl_context`: a TLS member (the
        handshake runs in accept())."""
        self.name = name.encode()
        self.address = address
        self.sock = sock or socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((address, port or 0))
        self.port = self.sock.getsockname()[1]
        self.sock.listen(512)
        if ssl_context is not None:
            self.sock = ssl_context.wrap_socket(self.sock, server_side=True)
        self.stopped = False
        self.conns = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopped:
            try:
                c, _ = self.sock.accept()
            except (ssl.SSLError, ConnectionError):
                continue  # a TLS handshake the peer gave up (refused certificate, probe)
            except OSError:
                return
            self.conns.append(c)
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        try:
            c.sendall(self.name + b"\n")
            while True:
                d = c.recv(65536)
                if not d:
                    break
                c.sendall(d)
        except OSError:
            pass
        finally:
            c.close()

    def stop(self):
        self.stopped = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        for c in self.conns:
            try:
                c.close()
            except OSError:
                pass


def http_requests(c):
    """The request heads arriving on connection `c` (lists of lines), bodies (Content-Length)
    read and dropped; ends at the client's FIN."""
    buf = b""
    while True:
        while b"\r\n\r\n" not in buf:
            d = c.recv(65536)
            if not d:
                return
            buf += d
        head, buf = buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin1").split("\r\n")
        clen = sum(int(l.split(":", 1)[1]) for l in lines[1:]
                   if l.lower().startswith("content-length:"))
        while len(buf) < clen:
            d = c.recv(65536)
            if not d:
                return
            buf += d
        buf = buf[clen:]
        yield lines


class HttpBackend(TcpBackend):
    """Minimal HTTP/1.1 keep-alive server: body = '<name> <path> xff=<X-Forwarded-For values>';
    /status/N answers N, /bytes/N N bytes, /delay/MS after MS milliseconds."""

    def _serve(self, c):
        try:
            for lines in http_requests(c):
                path = lines[0].split(" ")[1]
                hdrs = [l.split(":", 1) for l in lines[1:] if ":" in l]
                xff = ",".join(v.strip() for k, v in hdrs if k.lower() == "x-forwarded-for")
                status = "200 OK"
                if path.startswith("/delay/"):  # a slow server: the reply waits this many ms
                    time.sleep(int(path[len("/delay/"):]) / 1000)
                if path.startswith("/status/"):
                    status = path[len("/status/"):] + " X"
                body = f"{self.name.decode()} {path} xff={xff}".encode()
                if path.startswith("/bytes/"):
                    body = b"x" * int(path[len("/bytes/"):])
                extra = ""
                if path.startswith("/login"):
                    extra = f"Set-Cookie: JSESSIONID=sess-{self.name.decode()}; path=/\r\n"
                c.sendall(f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n{extra}\r\n".encode()
                          + body)
        except OSError:
            pass
        finally:
            c.close()


def defaults_section(mode, options=()):
    """The `defaults` every scenario starts from: retries, redispatch, short timeouts."""
    lines = [f"mode {mode}"] + [f"option {o}" for o in options] + [
        "retries 3", "option redispatch", "timeout connect 1s", "timeout client 10s",
        "timeout server 10s"]
    return "defaults\n" + "".join(f"    {line}\n" for line in lines)


@contextlib.contextmanager
def backend_pair(cls):
    """Backends "one" and "two" of class `cls`, stopped afterwards."""
    bs = [cls("one"), cls("two")]
    try:
        yield bs
    finally:
        for b in bs:
            b.stop()


def l7_config(port, backends, sock, nbthread=1):
    """An HTTP frontend with a deny rule, a redirect rule and cookie persistence."""
    servers = "\n".join(f"    server s{i + 1} 127.0.0.1:{b.port} weight 1 cookie c{i + 1}"
                        for i, b in enumerate(backends))
    return f"""
global
    nbthread {nbthread}
    stats socket {sock} mode 600 level user
{defaults_section('http', ['http-keep-alive', 'forwardfor'])}frontend fe
    bind 127.0.0.1:{port}
        acl adm path -m beg /admin
    http-request deny if adm
        acl old req.hdr(host) -i -m str old.example.com
    redirect code 301 location https://www.example.com/new if old
    default_backend be
backend be
    balance roundrobin
    cookie SRV insert indirect nocache
{servers}
"""


class Engine:
    """An octane-proxy or haproxy process running an inline config."""

    def __init__(self, kind, config_text, extra_args=()):
        self.kind = kind
        if kind == "octane" and SOCKMAP:
            config_text = config_text.replace("global\n", f"global\n    tune.sockmap {SOCKMAP}\n", 1)
        stats = re.search(r"stats socket (\S+)", config_text)
        self.stats_path = stats.group(1) if stats else None
        self.dir = tempfile.mkdtemp(prefix=f"proxy-{kind}-")
        self.cfg = os.path.join(self.dir, "proxy.cfg")
        with open(self.cfg, "w") as f:
            f.write(config_text)
        self.extra = list(extra_args)
        self.procs = []
        self.log_path = os.path.join(self.dir, "out.log")

    def command(self, extra=()):
        binary = proxy_binary() if self.kind == "octane" else HAPROXY
        return [binary, "-db", "-f", self.cfg, *self.extra, *extra]

    def start(self, extra=(), wait_port=None, wait_socket=None):
        """Starts the engine; waits until its stats socket answers (no probe connection to the
        proxied port, so balancing state is untouched) or, without one, until the port accepts."""
        log = open(self.log_path, "a")
        p = subprocess.Popen(self.command(extra), stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(p)
        if wait_socket:
            def ready():
                if p.poll() is not None:
                    return True
                try:
                    return "Pid: " + str(p.pid) in stats_command(str(wait_socket), "show info")
                except OSError:
                    return False
            wait_until(ready, 10, "stats socket of the new process")
        elif wait_port:
            wait_until(lambda: port_open(wait_port) or p.poll() is not None, 10, "proxy port")
        assert p.poll() is None, self.log()
        return p

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        if self.kind == "octane" and self.stats_path and any(p.poll() is None for p in self.procs):
            try:
                STOPPED_INFO.append(show_info(self.stats_path))
            except OSError:
                pass
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(timeout=5)
        shutil.rmtree(self.dir, ignore_errors=True)


def recv_until_eof(s):
    """Every byte up to the peer's FIN (bounded by the socket's timeout)."""
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            return data
        data += d


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))


@contextlib.contextmanager
def running(kind, config_for, tmp_path):
    """An engine serving config_for(port, stats_socket); yields (port, process), then stops it."""
    port = free_port()
    sock = str(tmp_path / "s.sock")
    eng = Engine(kind, config_for(port, sock))
    try:
        yield port, eng.start(wait_socket=sock)
    finally:
        eng.stop()


def stats_command(path, command):
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(5)
        s.connect(path)
        s.sendall(command.encode() + b"\n")
        return recv_until_eof(s).decode()


def show_info(path):
    """`show info` as a dict of strings."""
    text = stats_command(path, "show info")
    return dict(l.split(": ", 1) for l in text.splitlines() if ": " in l)


def show_stat(path):
    """Rows of `show stat` as dicts keyed by column name, indexed by (pxname, svname)."""
    text = stats_command(path, "show stat")
    lines = [l for l in text.splitlines() if l]
    header = lines[0].lstrip("# ").split(",")
    rows = {}
    for line in lines[1:]:
        fields = line.split(",")
        row = dict(zip(header, fields))
        rows[(row["pxname"], row["svname"])] = row
    return rows


def tcp_hello(port, payload=b"ping"):
    """Connects, reads the backend's name line, checks the echo; returns the name."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        f = s.makefile("rb")
        name = f.readline().strip().decode()
        s.sendall(payload)
        got = b""
        while len(got) < len(payload):
            d = s.recv(65536)
            if not d:
                break
            got += d
        assert got == payload
        return name


def http_get(port, path="/", headers=None, sock=None):
    """One HTTP/1.1 request; returns (status, headers dict lowercased, body)."""
    own = sock is None
    s = sock or socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        headers = dict(headers or {})
        headers.setdefault("Host", "test")
        h = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        s.sendall(f"GET {path} HTTP/1.1\r\n{h}\r\n".encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            d = s.recv(65536)
            if not d:
                raise AssertionError("connection closed before response head")
            buf += d
        head, body = buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        hdrs = {}
        for l in lines[1:]:
            k, v = l.split(":", 1)
            hdrs[k.strip().lower()] = v.strip()
        n = int(hdrs.get("content-length", "0"))
        while len(body) < n:
            d = s.recv(65536)
            if not d:
                break
            body += d
        return status, hdrs, body.decode("latin1")
    finally:
        if own:
            s.close()
