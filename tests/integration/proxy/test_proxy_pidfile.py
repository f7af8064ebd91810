"""The engine's pid file (`-p`): whoever reloads or stops the engine reads it, so a start that
cannot record its pid must fail instead of leaving an engine nobody can find."""
import os
import signal
import subprocess

from proxy_harness import free_port, port_open, proxy_binary, wait_until

CONFIG = """
global
    maxconn 100
defaults
    mode tcp
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend fe
    bind 127.0.0.1:{port}
    default_backend be
backend be
    server s1 127.0.0.1:9
"""


def write_config(tmp_path, port):
    cfg = tmp_path / "proxy.cfg"
    cfg.write_text(CONFIG.format(port=port))
    return str(cfg)


def stop(pid):
    """Stops a process this test started (by the pid it recorded) and waits for it to be gone."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    wait_until(lambda: not os.path.exists(f"/proc/{pid}") or
               open(f"/proc/{pid}/stat").read().split()[2] == "Z", 10, f"pid {pid} to exit")


def test_unwritable_pidfile_fails_the_start_before_any_bind(tmp_path):
    port = free_port()
    pidfile = tmp_path / "missing-dir" / "proxy.pid"
    r = subprocess.run([proxy_binary(), "-db", "-f", write_config(tmp_path, port), "-p", str(pidfile)],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1, r
    assert f"cannot create pidfile {pidfile}" in r.stderr
    assert not pidfile.exists()
    assert not port_open(port)


def test_daemon_records_the_pid_of_the_process_that_serves(tmp_path):
    port = free_port()
    pidfile = tmp_path / "proxy.pid"
    log = tmp_path / "out.log"
    # The daemon keeps the descriptors it inherits: a file, not a pipe this test would wait on.
    with open(log, "w") as out:
        r = subprocess.run([proxy_binary(), "-D", "-f", write_config(tmp_path, port), "-p", str(pidfile)],
                           stdin=subprocess.DEVNULL, stdout=out, stderr=out, timeout=30)
    assert r.returncode == 0, log.read_text()
    text = pidfile.read_text()
    assert text.endswith("\n")
    pid = int(text)
    try:
        wait_until(lambda: port_open(port), 10, "the daemon's port")
        listening = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True,
                                   text=True, timeout=10).stdout
        assert f"pid={pid}," in listening
    finally:
        stop(pid)
    wait_until(lambda: not port_open(port), 10, "the port to close after stopping the recorded pid")
