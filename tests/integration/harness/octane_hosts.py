"""`octane host` and `octane network` (the linuxbridge driver's instances and teardown) against a
test's state directory, for the linuxbridge end-to-end tests.
"""
from __future__ import annotations

import subprocess

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
