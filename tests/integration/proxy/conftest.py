"""The `l4_path` fixture: an L4 scenario runs on both of octane's paths, joined in the kernel
(`tune.sockmap on`, BPF sockmap) and copied in user space (`tune.sockmap off`), and checks that
the path it asked for is the one the engine took."""
import os

import pytest

import proxy_harness


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "join_optional: the session may end before it can be joined (a FIN that "
        "comes with the connection leaves it to user space), so the kernel path is not asserted")
    config.addinivalue_line("markers", "http: the peers pair serves HTTP (APP_COOKIE persistence)")


@pytest.fixture(params=["kernel", "user"])
def l4_path(request, monkeypatch):
    kernel = request.param == "kernel"
    if kernel and os.geteuid() != 0:
        pytest.skip("the sockmap fast path needs root (loading BPF programs)")
    monkeypatch.setattr(proxy_harness, "SOCKMAP", "on" if kernel else "off")
    stopped = []
    monkeypatch.setattr(proxy_harness, "STOPPED_INFO", stopped)
    yield request.param
    for info in stopped:
        served = int(info.get("CumConns", "0")) > 0
        if kernel:
            assert info.get("Sockmap") == "1", info
            if served and not request.node.get_closest_marker("join_optional"):
                # Tried at least: the kernel refuses a socket whose FIN came meanwhile.
                assert int(info["SockmapCumSessions"]) + int(info["SockmapRefused"]) > 0, info
            # Every joined socket left the kernel's map when its session ended.
            if info.get("CurrConns") == "0":
                assert info["SockmapSources"] == "0" and info["SockmapSessions"] == "0", info
        else:
            assert info.get("Sockmap") == "0" and info.get("SockmapCumSessions") == "0", info


def pytest_collection_modifyitems(config, items):
    """HAProxy has one path: its reference runs are not repeated for octane's kernel path."""
    keep, drop = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        params = params.params if params else {}
        if params.get("l4_path") == "kernel" and params.get("kind") == "haproxy":
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
