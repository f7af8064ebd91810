"""The real `openstack` client (Debian's /usr/bin/openstack) run against a test server.

Cli(env) runs it with only the given OS_* variables (those of the caller's environment are
dropped, so a developer's own cloud is never reached); each call is bounded by CLI_TIMEOUT_S.
run() asserts success unless check=False; json() adds `-f json` and parses the output.
"""
from __future__ import annotations

import json
import os
import subprocess

OPENSTACK = "/usr/bin/openstack"
CLI_TIMEOUT_S = 90


class Cli:
    def __init__(self, env: dict[str, str]):
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        self.env.update(env)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run([OPENSTACK, *args], env=self.env, capture_output=True, text=True,
                              timeout=CLI_TIMEOUT_S, stdin=subprocess.DEVNULL)
        if check:
            assert proc.returncode == 0, "openstack %s -> %s\n%s%s" % (
                " ".join(args), proc.returncode, proc.stdout, proc.stderr)
        return proc

    def json(self, *args: str):
        return json.loads(self.run(*args, "-f", "json").stdout)

    def allocated_amphorae(self, lb_id: str) -> list[dict]:
        """The load balancer's ALLOCATED amphorae in detail; one deleted between the list and
        its show (a failover under way) is left out, so callers waiting for a rebuilt set simply
        look again."""
        shown = []
        for a in self.json("loadbalancer", "amphora", "list", "--loadbalancer", lb_id):
            if a["status"] != "ALLOCATED":
                continue
            proc = self.run("loadbalancer", "amphora", "show", a["id"], "-f", "json", check=False)
            if proc.returncode == 0:
                shown.append(json.loads(proc.stdout))
        return shown
