"""`octane host` and `octane network` (the linuxbridge driver's instances and teardown) against a
test's state directory, for the linuxbridge end-to-end tests.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile

import octane_server as h
from netns_probe import run


class Octane:
    """`octane host` and `octane network` against the test's state directory."""

    def __init__(self, state_dir: str):
        self.state_dir = state_dir

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return run(h.octane_binary(), *args[:2], "--state-dir", self.state_dir, *args[2:],
                   check=check)

    def host_create(self, name: str, network: str, host: int, *command: str) -> dict:
        """The instance's fields as `octane host create` prints them (address, namespace, ...)."""
        argv = ["host", "create", name, "--network", network, "--host", str(host)]
        if command:
            argv += ["--", *command]
        out = self(*argv).stdout
        return dict(line.split(None, 1) for line in out.splitlines() if line.strip())

    def web_member(self, name: str, network: str, host: int, site: str, page: str) -> dict:
        """An instance serving `page` as /index.html on port 80 (python3 -m http.server), its
        files in the directory `site` (made here)."""
        os.makedirs(site)
        with open(os.path.join(site, "index.html"), "w") as f:
            f.write(page)
        return self.host_create(name, network, host, "/usr/bin/python3", "-m", "http.server",
                                "80", "--bind", "0.0.0.0", "--directory", site)


@contextlib.contextmanager
def linuxbridge_world(prefix: str, extra_args=()):
    """(work dir, state dir, `octane serve --network-driver linuxbridge`, Octane) for one test;
    afterwards the server stops, everything the driver made is torn down and the work dir goes
    (kept with OCTANE_KEEP_WORK set, for a post-mortem)."""
    work = tempfile.mkdtemp(prefix=prefix)
    state = os.path.join(work, "state")
    server = h.OctaneProcess("serve", state, plain=True, extra_args=[
        "--network-driver", "linuxbridge", "--health-bind-port", "0",
        "--bind-host", "127.0.0.1", "--bind-port", "0", *extra_args])
    octane = Octane(state)
    try:
        server.start()
        yield work, state, server, octane
    finally:
        server.stop(check=False)
        octane("network", "teardown", check=False)
        if not os.environ.get("OCTANE_KEEP_WORK"):
            shutil.rmtree(work, ignore_errors=True)
