"""`octane health` alone (split daemons: api + worker + health over one state dir), configured from
an octavia.conf [health_manager] section, with the heartbeat key generated on first start."""
import contextlib
import os
import signal
import stat
import subprocess
import time


import heartbeats as hb
import octane_server as h
from octane_server import POOLS



class HealthDaemon:
    """`octane health` over a state dir; stopped by its own PID only."""

    def __init__(self, state_dir, args):
        self.state_dir = state_dir
        # a port file from an earlier run of this state dir must not be mistaken for ours
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(state_dir, "health.port"))
        self.log_path = os.path.join(state_dir, "health-%d.log" % int(time.time() * 1000))
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([h.octane_binary(), "health", "--state-dir", state_dir] + args,
                                     stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def port(self):
        def check():
            assert self.proc.poll() is None, "octane health exited: %s" % self.log()
            try:
                with open(os.path.join(self.state_dir, "health.port")) as f:
                    text = f.read().strip()
                return int(text) if text else None
            except (FileNotFoundError, ValueError):
                return None
        return h.poll_until(check, timeout=h.READY_DEADLINE_S, what="health.port")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=h.STOP_DEADLINE_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=h.STOP_DEADLINE_S)
                return None
            finally:
                self._log.close()
        self._log.close()
        return self.proc.returncode

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")[-3000:]


def test_split_health_daemon_with_config_file_and_generated_key():
    state = h.make_state_dir()
    conf = os.path.join(state, "octavia.conf")
    with open(conf, "w") as f:
        f.write("[health_manager]\nbind_ip = 127.0.0.1\nbind_port = 0\n"
                "heartbeat_timeout = 60\nhealth_check_interval = 1\n")
    api = h.OctaneProcess("api", state, extra_args=[]).start()
    worker = h.OctaneProcess("worker", state, extra_args=[]).start()
    health = HealthDaemon(state, ["--config-file", conf])
    try:
        port = health.port()
        key_path = os.path.join(state, "heartbeat.key")
        assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
        with open(key_path) as f:
            key = f.read().strip()
        assert len(key) == 64, key

        c = h.Client(api.base_url, project="split-health")
        lb = h.create_lb(c)["id"]
        li = h.create_listener(c, lb, "HTTP", 80)["id"]
        pool = h.create_pool(c, lb, "HTTP", listener_id=li)["id"]
        m = h.create_member(c, lb, pool, "10.0.0.7", 80)["id"]
        r = c.get(h.AMPS, params={"loadbalancer_id": lb})
        [amphora] = [a["id"] for a in r.json["amphorae"] if a["status"] == "ALLOCATED"]

        sender = hb.Sender(port, key)
        try:
            msg = hb.message(amphora, 1, {li: ("OPEN", hb.stats(tx=10, rx=20, totconns=1))},
                             {"%s:%s" % (pool, li): ("UP", {m: "DOWN"})})
            sender.send(msg, key="the-wrong-key")
            sender.send(msg)
            member = "%s/%s/members/%s" % (POOLS, pool, m)
            h.wait_for_status(c, member, "operating_status", "ERROR", timeout=15, fail_on=())
            h.wait_for_status(c, "%s/%s" % (POOLS, pool), "operating_status", "DEGRADED", timeout=15,
                              fail_on=())
            k = hb.wait_counters(state, lambda k: k["received"] == 2)
            assert k["accepted"] == 1 and k["dropped"]["bad_hmac"] == 1, k
        finally:
            sender.close()
        c.close()
        assert health.stop() == 0, health.log()

        # A restart keeps the key.
        again = HealthDaemon(state, ["--config-file", conf])
        try:
            again.port()
            with open(key_path) as f:
                assert f.read().strip() == key
        finally:
            assert again.stop() == 0, again.log()
    finally:
        health.stop()
        worker.stop(check=False)
        api.stop(check=False)


def test_bad_health_options_are_refused():
    state = h.make_state_dir()
    for args in (["--health-bind-port", "70000"], ["--heartbeat-timeout", "0"],
                 ["--health-check-interval", "-1"], ["--health-bind-ip", "not-an-ip",
                                                     "--health-bind-port", "0"]):
        d = HealthDaemon(state, args)
        try:
            rc = d.proc.wait(timeout=h.READY_DEADLINE_S)
        finally:
            d.stop()
        assert rc != 0, (args, d.log())
