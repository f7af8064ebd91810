"""Fixtures for the API tests: one real `octane serve` per test module (fresh SQLite state dir).

Set OCTANE_TEST_URL=http://127.0.0.1:9876 to run the HTTP-only tests against an already running
server instead (the reference Octavia, to check the tests themselves); tests marked
`needs_process` (they start/stop/kill daemons) are skipped then.
"""
import os
import sys

import pytest

_SRC = os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(_SRC, "tests", "integration", "harness"))

import octane_server as h  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_process: starts/stops octane daemons itself")
    config.addinivalue_line("markers", "reference_differs: the reference Octavia 11 is known to differ "
                            "(a reference bug, or a requirement of the issue beyond it); xfail against OCTANE_TEST_URL")


def pytest_collection_modifyitems(config, items):
    if h.external_url():
        skip = pytest.mark.skip(reason="OCTANE_TEST_URL set: process-control test skipped")
        for item in items:
            if "needs_process" in item.keywords:
                item.add_marker(skip)
            if "reference_differs" in item.keywords:
                item.add_marker(pytest.mark.xfail(reason="known reference difference", strict=False))


@pytest.fixture(scope="module")
def server():
    """Base URL of a running server; an own `octane serve` unless OCTANE_TEST_URL is set."""
    url = h.external_url()
    if url:
        yield url
        return
    with h.running_server("serve") as p:
        yield p.base_url


@pytest.fixture(scope="module")
def project():
    return "proj-" + h.uuid.uuid4().hex[:12]


@pytest.fixture(scope="module")
def c(server, project):
    """Client in a project of its own (so lists can be scoped with ?project_id=)."""
    cl = h.Client(server, project=project)
    yield cl
    cl.close()
