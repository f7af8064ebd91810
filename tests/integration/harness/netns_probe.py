"""What the linuxbridge tests look at on the machine (as root): commands with bounded time,
namespaces, links, addresses, nft rulesets, and a bounded wait for a condition. Verification only:
the driver itself never shells out to `ip`.
"""
from __future__ import annotations

import json
import subprocess
import time

DEADLINE_S = 60.0
POLL_S = 0.05


def run(*argv: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
    proc = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    if check:
        assert proc.returncode == 0, "%s -> %s\n%s%s" % (" ".join(argv), proc.returncode,
                                                         proc.stdout, proc.stderr)
    return proc


def namespaces() -> set[str]:
    return {line.split()[0] for line in run("ip", "netns", "list").stdout.splitlines() if line}


def links(ns: str) -> dict[str, dict]:
    """ifname -> `ip -d -j link` entry, in namespace ns ("" = the root namespace)."""
    argv = ["ip", "-j", "-d", "link", "show"] if not ns else ["ip", "-n", ns, "-j", "-d", "link",
                                                              "show"]
    return {link["ifname"]: link for link in json.loads(run(*argv).stdout)}


def addresses(ns: str, dev: str) -> list[str]:
    out = json.loads(run("ip", "-n", ns, "-j", "addr", "show", "dev", dev).stdout)
    return ["%s/%s" % (a["local"], a["prefixlen"]) for a in out[0]["addr_info"]
            if a["family"] == "inet"]


def ruleset(ns: str) -> str:
    return run("ip", "netns", "exec", ns, "nft", "list", "ruleset").stdout


def wait_until(fn, what: str, timeout: float = DEADLINE_S):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(POLL_S)
    raise AssertionError("timed out waiting for %s (last: %r)" % (what, last))
