"""UDP helpers: echo members, an `octane-proxy --lvs` engine, the LVS file Octavia renders.

Loopback only, ports from the kernel, waits bounded by deadlines, only our own processes stopped.
"""
import errno
import os
import signal
import socket
import subprocess
import threading

from proxy_harness import TcpBackend, proxy_binary, stats_command, wait_until


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class UdpEcho:
    """Answers each datagram with b"<name>:" + the datagram."""

    def __init__(self, name, port=None, address="127.0.0.1"):
        self.name = name.encode()
        self.address = address
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((address, port or 0))
        self.port = self.sock.getsockname()[1]
        self.received = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            try:
                data, peer = self.sock.recvfrom(65536)
            except OSError:
                return
            self.received += 1
            try:
                self.sock.sendto(self.name + b":" + data, peer)
            except OSError:
                return  # stopped meanwhile

    def stop(self):
        """Closes the port: datagrams to it now draw ICMP port unreachable."""
        self.sock.close()


def lvs_config(vip_port, members, listener="listener-1", pool="pool-1", algo="wrr",
               monitor=True, extra_vs="", checks=None, protocol="UDP"):
    """The file as Octavia's keepalivedlvs.cfg.j2 renders it (UDP-CONNECT monitor, delay 1, or
    the check blocks in `checks`, by member id)."""
    lines = [f"# Configuration for Loadbalancer lb-1", f"# Configuration for Listener {listener}",
             "", "net_namespace amphora-haproxy", "",
             "virtual_server_group ipv4-group {", f"    127.0.0.1 {vip_port}", "}", "",
             "virtual_server group ipv4-group {", f"    lb_algo {algo}", "    lb_kind NAT",
             f"    protocol {protocol}"]
    if extra_vs:
        lines.append(extra_vs)
    if monitor:
        lines += ["    delay_loop 1", "    delay_before_retry 1", "    retry 1"]
    lines += ["", "", f"    # Configuration for Pool {pool}"]
    if monitor:
        lines.append("    # Configuration for HealthMonitor hm-1")
    for member_id, port in members:
        lines += [f"    # Configuration for Member {member_id}",
                  f"    real_server 127.0.0.1 {port} {{", "        weight 1"]
        if checks:
            lines.append(checks[member_id])
        elif monitor:
            command = (f"amphora-health-checker sctp -t 1 127.0.0.1 {port}"
                       if protocol == "SCTP" else
                       f"/var/lib/octavia/lvs/check/udp_check.sh 127.0.0.1 {port}")
            lines += ["        MISC_CHECK {", f'            misc_path "{command}"',
                      "            misc_timeout 1", "        }"]
        lines += ["    }", ""]
    lines += ["}", ""]
    return "\n".join(lines) + "\n"


class LvsEngine:
    def __init__(self, tmp_path, text, extra=()):
        self.cfg = str(tmp_path / "lvs.cfg")
        self.sock = str(tmp_path / "lvs.sock")
        self.logfile = str(tmp_path / "engine.log")
        with open(self.cfg, "w") as f:
            f.write(text)
        self.extra = list(extra)
        self.procs = []

    def start(self, soft_stop=None):
        args = [proxy_binary(), "-db", "--lvs", self.cfg, "--stats-socket", self.sock]
        args += self.extra
        if soft_stop:
            args += ["-sf", str(soft_stop)]
        # A successor reads its predecessor's socket (its flows) before replacing it: ready when
        # the socket answers with the new pid.
        log = open(self.logfile, "a")
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)

        def ready():
            try:
                return f"Pid: {proc.pid}\n" in stats_command(self.sock, "show info")
            except OSError:
                return False
        wait_until(lambda: ready() or proc.poll() is not None, 10, "the engine's stats socket")
        assert proc.poll() is None, self.log()
        return proc

    def log(self):
        with open(self.logfile) as f:
            return f.read()

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                p.wait(10)


def ask(port, payload=b"hi", src=None, timeout=2.0):
    """One datagram to the VIP from a client socket (new when `src` is None); the answer."""
    s = src or socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.sendto(payload, ("127.0.0.1", port))
        data, peer = s.recvfrom(65536)
        assert peer == ("127.0.0.1", port), peer  # answers come from the VIP
        return data
    finally:
        if src is None:
            s.close()


def member_of(answer):
    return answer.split(b":", 1)[0].decode()


def sctp_supported():
    """False exactly when the kernel lacks SCTP (socket() gives EPROTONOSUPPORT)."""
    try:
        sctp_socket().close()
        return True
    except OSError as e:
        if e.errno == errno.EPROTONOSUPPORT:
            return False
        raise


def sctp_socket():
    return socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_SCTP)


class SctpEcho(TcpBackend):
    """Answers each message of each association with b"<name>:" + the message."""

    def __init__(self, name, port=None, address="127.0.0.1"):
        super().__init__(name, port=port, sock=sctp_socket(), address=address)

    def _serve(self, c):
        try:
            while True:
                data = c.recv(65536)
                if not data:
                    return
                c.sendall(self.name + b":" + data)
        except OSError:
            return
