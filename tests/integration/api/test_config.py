"""octavia.conf-style configuration (issue 2 §2): `--config-file FILE` with [api_settings],
[database] and [controller_worker]; flags override the file.
"""
import os
import shutil
import subprocess

import pytest

import octane_server as h

pytestmark = pytest.mark.needs_process


def write_conf(path, db_path, port="0"):
    with open(path, "w") as f:
        f.write("[DEFAULT]\n# comment\n\n[api_settings]\nbind_host = 127.0.0.1\nbind_port = %s\nauth_strategy = noauth\n\n"
                "[database]\nconnection = sqlite:///%s\n\n[controller_worker]\namphora_driver = noop\n"
                "network_driver = noop\n" % (port, db_path))


def test_config_file_drives_serve():
    state = h.make_state_dir()
    conf = os.path.join(state, "octavia.conf")
    db = os.path.join(state, "custom.db")
    write_conf(conf, db)
    srv = h.OctaneProcess("serve", state, extra_args=["--config-file", conf], plain=True)
    try:
        srv.start()
        c = h.Client(srv.base_url, project="conf")
        lb = h.create_lb(c)
        assert lb["provisioning_status"] == "ACTIVE"
        assert os.path.exists(db), os.listdir(state)
        srv.stop()
    finally:
        if srv.alive():
            srv.kill9()
        shutil.rmtree(state, ignore_errors=True)


def test_flags_override_config_file():
    state = h.make_state_dir()
    conf = os.path.join(state, "octavia.conf")
    write_conf(conf, os.path.join(state, "custom.db"), port="1")
    srv = h.OctaneProcess("serve", state, extra_args=["--config-file", conf, "--bind-port", "0"], plain=True)
    try:
        srv.start()
        assert h.Client(srv.base_url).get("/").status == 200
        assert not srv.base_url.endswith(":1"), "--bind-port 0 did not override bind_port = 1"
        srv.stop()
    finally:
        if srv.alive():
            srv.kill9()
        shutil.rmtree(state, ignore_errors=True)


def refused_at_start(extra_conf: str) -> str:
    """`octane serve` with extra_conf appended to a valid config file: asserts that it refuses
    to start and returns what it printed."""
    state = h.make_state_dir()
    conf = os.path.join(state, "octavia.conf")
    write_conf(conf, os.path.join(state, "custom.db"))
    with open(conf, "a") as f:
        f.write(extra_conf)
    try:
        done = subprocess.run([h.octane_binary(), "serve", "--state-dir", state, "--config-file", conf],
                              capture_output=True, text=True, timeout=60, cwd=state)
        assert done.returncode != 0, done.stdout + done.stderr
        return done.stdout + done.stderr
    finally:
        shutil.rmtree(state, ignore_errors=True)


def test_database_pool_size_is_checked():
    """[database] max_pool_size (oslo.db's name) is read; a size below 1 is refused at start."""
    out = refused_at_start("\n[database]\nmax_pool_size = 0\n")
    assert "max_pool_size must be 1..100" in out, out


def test_anti_affinity_policy_is_checked():
    """[nova] anti_affinity_policy takes Octavia's two values; anything else is refused at start."""
    out = refused_at_start("\n[nova]\nanti_affinity_policy = affinity\n")
    assert "anti_affinity_policy must be anti-affinity or soft-anti-affinity" in out, out
