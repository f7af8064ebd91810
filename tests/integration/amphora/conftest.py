"""Shared fixture of the amphora tests: `octane serve` with its default drivers (local amphorae
running octane-proxy, keystone auth with the built-in identity) and an admin client."""
import os
import socket
import sys

import pytest

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import octane_server as h  # noqa: E402


@pytest.fixture
def member_server():
    """A TCP member on loopback: accepts what the VIP forwards."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.10.255.250", 0))
    s.listen(64)
    s.settimeout(10)
    yield s
    s.close()


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    state = str(tmp_path_factory.mktemp("octane-amphorae"))
    srv = h.OctaneProcess("serve", state, plain=True, extra_args=[
        "--bind-host", "127.0.0.1", "--bind-port", "0", "--health-bind-port", "0"])
    srv.start()
    try:
        env = h.read_openrc(os.path.join(state, "admin-openrc"))
        client = h.Client(srv.base_url, token=h.keystone_token(srv.base_url, env))
        yield srv, client
        client.close()
    finally:
        try:
            srv.stop()
        finally:
            h.stop_local_amphorae(state)
