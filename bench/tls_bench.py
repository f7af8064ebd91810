#!/usr/bin/python3
"""TLS termination: octane-proxy against HAProxy 2.6, one thread each, on loopback.

Per engine (same config shape: `bind ... ssl crt-list`, one nginx member answering "ok"):
  - full handshakes/s (TLS 1.3) and resumed handshakes/s (TLS 1.2 session tickets): `openssl
    s_time -new` / `-reuse` (no request: the member is not involved), and the proxy's CPU µs per
    handshake;
  - HTTPS keep-alive req/s: `wrk -t1 -c32` and the proxy's CPU µs per request;
  - KiB per idle TLS connection: RSS growth over N connections held open after their handshake.
The proxy runs on CPU 1 (taskset), clients and the member on CPU 0. CPU time is the proxy
process's utime+stime from /proc, the figure that stays comparable on a busy machine.

    OCTANE_BUILD_DIR=build /usr/bin/python3 bench/tls_bench.py [--seconds 10] [--idle 3000]

`--plain` measures plain-HTTP keep-alive instead (the same frontend without `ssl`), and
`--engines` takes `name=binary` entries: how a change to the HTTP session is checked for a
regression of plain HTTP (`--plain --engines before=/tmp/old/octane-proxy,after=build/octane-proxy`,
rows alternated by `--reps`).
"""
import argparse
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

HAPROXY = "/usr/sbin/haproxy"
NGINX = "/usr/sbin/nginx"
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, deadline_s=10):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        assert proc.poll() is None, "process exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"port {port} never opened")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))


def make_cert(d):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj",
                    "/CN=bench.example.com", "-keyout", f"{d}/k.pem", "-out", f"{d}/c.pem"],
                   check=True, capture_output=True)
    with open(f"{d}/cert.pem", "w") as f:
        f.write(open(f"{d}/c.pem").read() + open(f"{d}/k.pem").read())
    with open(f"{d}/crt-list", "w") as f:
        f.write(f"{d}/cert.pem\n")


def start_member(d):
    port = free_port()
    conf = f"""daemon off; worker_processes 1; pid {d}/nginx.pid; error_log {d}/nginx.err;
events {{ worker_connections 4096; }}
http {{ access_log off; keepalive_requests 1000000;
  client_body_temp_path {d}; proxy_temp_path {d}; fastcgi_temp_path {d}; uwsgi_temp_path {d};
  scgi_temp_path {d};
  server {{ listen 127.0.0.1:{port}; location / {{ return 200 "ok\\n"; }} }} }}
"""
    with open(f"{d}/nginx.conf", "w") as f:
        f.write(conf)
    p = subprocess.Popen(["taskset", "-c", "0", NGINX, "-c", f"{d}/nginx.conf", "-p", d],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, p)
    return p, port


def start_engine(kind, binary, d, member_port, plain):
    port = free_port()
    tls = "" if plain else (f"ssl crt-list {d}/crt-list   ciphers ECDHE-ECDSA-AES128-GCM-SHA256 "
                            "no-sslv3 no-tlsv10 no-tlsv11 alpn h2,http/1.1,http/1.0")
    cfg = f"""global
    maxconn 8000
    nbthread 1
defaults
    mode http
    option http-keep-alive
    timeout client 60s
    timeout server 60s
    timeout connect 5s
frontend fe
    bind 127.0.0.1:{port} {tls}
    default_backend be
backend be
    server m1 127.0.0.1:{member_port}
"""
    with open(f"{d}/{kind}.cfg", "w") as f:
        f.write(cfg)
    p = subprocess.Popen(["taskset", "-c", "1", binary, "-db", "-f", f"{d}/{kind}.cfg"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, p)
    return p, port


def s_time(port, mode, seconds):
    """Handshakes per second from `openssl s_time`: full ones in TLS 1.3; resumed ones in TLS 1.2,
    as s_time's -reuse does not resume TLS 1.3 sessions (it never reads the ticket)."""
    version = "-tls1_3" if mode == "-new" else "-tls1_2"
    out = subprocess.run(["taskset", "-c", "0", "openssl", "s_time", "-connect",
                          f"127.0.0.1:{port}", mode, version, "-time", str(seconds)],
                         capture_output=True, text=True, timeout=seconds * 3 + 30).stdout
    m = re.findall(r"(\d+) connections in ([\d.]+) real seconds", out)
    n, t = m[-1]
    return int(n), float(t)


def wrk(port, seconds, scheme):
    out = subprocess.run(["taskset", "-c", "0", "wrk", "-t1", "-c32", f"-d{seconds}s",
                          f"{scheme}://127.0.0.1:{port}/"], capture_output=True, text=True,
                         timeout=seconds * 3 + 30).stdout
    n = int(re.search(r"(\d+) requests in", out).group(1))
    return n, float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def idle_kib(pid, port, count):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    held = []
    before = rss_kib(pid)
    try:
        for _ in range(count):
            held.append(ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=5)))
        time.sleep(1)  # let the proxy finish its side of every handshake (tickets)
        return (rss_kib(pid) - before) / count
    finally:
        for s in held:
            s.close()


def measure(kind, binary, d, member_port, seconds, idle, plain):
    proc, port = start_engine(kind, binary, d, member_port, plain)
    try:
        row = {}
        if plain:
            c0 = cpu_seconds(proc.pid)
            n, row["rps"] = wrk(port, seconds, "http")
            row["rps_us"] = (cpu_seconds(proc.pid) - c0) * 1e6 / max(n, 1)
            return row
        for mode, key in (("-new", "full"), ("-reuse", "resumed")):
            c0 = cpu_seconds(proc.pid)
            n, t = s_time(port, mode, seconds)
            row[key] = n / t
            row[key + "_us"] = (cpu_seconds(proc.pid) - c0) * 1e6 / max(n, 1)
        c0 = cpu_seconds(proc.pid)
        n, rps = wrk(port, seconds, "https")
        row["rps"] = rps
        row["rps_us"] = (cpu_seconds(proc.pid) - c0) * 1e6 / max(n, 1)
        row["idle_kib"] = idle_kib(proc.pid, port, idle)
        return row
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--idle", type=int, default=3000)
    ap.add_argument("--engines", default="")
    ap.add_argument("--plain", action="store_true")
    ap.add_argument("--reps", type=int, default=1)
    args = ap.parse_args()
    octane = os.path.join(os.environ.get("OCTANE_BUILD_DIR", "build"), "octane-proxy")
    engines = [e.split("=", 1) for e in args.engines.split(",")] if args.engines else [
        ["haproxy", HAPROXY], ["octane", octane]]
    d = tempfile.mkdtemp(prefix="tls-bench-")
    member = None
    try:
        make_cert(d)
        member, member_port = start_member(d)
        rows = []
        for rep in range(args.reps):
            for name, binary in engines:
                rows.append((name, measure(name, binary, d, member_port, args.seconds, args.idle,
                                           args.plain)))
    finally:
        if member is not None:
            member.terminate()
            member.wait(timeout=10)
        shutil.rmtree(d, ignore_errors=True)
    if args.plain:
        print("| engine | HTTP ka req/s | µs/req |\n|---|---|---|")
        for k, r in rows:
            print(f"| {k} | {r['rps']:.0f} | {r['rps_us']:.1f} |")
        return 0
    print("| engine | full hs/s | µs/full hs | resumed hs/s | µs/resumed hs | HTTPS ka req/s "
          "| µs/req | KiB/idle TLS conn |")
    print("|---|---|---|---|---|---|---|---|")
    for k, r in rows:
        print(f"| {k} | {r['full']:.0f} | {r['full_us']:.0f} | {r['resumed']:.0f} | "
              f"{r['resumed_us']:.0f} | {r['rps']:.0f} | {r['rps_us']:.1f} | {r['idle_kib']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
