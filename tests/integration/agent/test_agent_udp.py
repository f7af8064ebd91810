"""`octane agent` serving a UDP listener through Octavia's keepalivedlvs calls (docs/amphora.md
§5): PUT .../udp_listener (checked by `octane-proxy -c --lvs`, 200 with the ETag), GET it back,
PUT /loadbalancer/{listener}/reload starts `octane-proxy --lvs`, traffic, the heartbeat carrying
the listener and its pool, GET /listeners with type UDP, DELETE stopping the engine. With either
engine for haproxy.cfg: UDP always runs on octane-proxy."""
import hashlib
import os
import shutil
import socket
import sys
import uuid

import pytest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "proxy"))
import agent_harness as h  # noqa: E402
from test_agent import KEY, engines  # noqa: E402
from udp_harness import UdpEcho, free_udp_port, lvs_config  # noqa: E402


@pytest.fixture(params=engines())
def env(request):
    root = h.short_tempdir()
    state = os.path.join(root, "s")
    os.makedirs(state)
    amphora_id = str(uuid.uuid4())
    pki = h.Pki(root, amphora_id)
    sink = h.HeartbeatSink()
    agent = h.Agent(request.param, amphora_id, sink.port, KEY, state, pki)
    members = [UdpEcho("m1"), UdpEcho("m2")]
    yield dict(agent=agent, sink=sink, state=state, amphora_id=amphora_id, members=members)
    agent.stop()
    sink.close()
    for m in members:
        m.stop()
    shutil.rmtree(root, ignore_errors=True)


def ask(port):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
        c.settimeout(0.5)
        try:
            c.sendto(b"q", ("127.0.0.1", port))
            return c.recvfrom(100)[0].split(b":")[0].decode()
        except OSError:
            return None


def test_udp_listener_lifecycle(env):
    agent, amp = env["agent"], env["amphora_id"]
    listener, pool = str(uuid.uuid4()), str(uuid.uuid4())
    m1, m2 = str(uuid.uuid4()), str(uuid.uuid4())
    port = free_udp_port()
    text = lvs_config(port, [(m1, env["members"][0].port), (m2, env["members"][1].port)],
                      listener=listener, pool=pool)
    path = f"/1.0/listeners/{amp}/{listener}/udp_listener"

    status, _, body = agent.json("PUT", path, "virtual_server 127.0.0.1 53 {\n lb_algo mh\n}\n")
    assert status == 400 and "lb_algo 'mh' is not supported" in body["details"], body
    assert agent.json("GET", f"/1.0/listeners/{listener}/udp_listener")[0] == 404

    status, headers, body = agent.json("PUT", path, text)
    assert status == 200 and body == {"message": "OK"}, body
    assert headers["etag"] == hashlib.md5(text.encode()).hexdigest()
    status, _, got = agent.request("GET", f"/1.0/listeners/{listener}/udp_listener")
    assert status == 200 and got.decode() == text

    status, _, body = agent.json("PUT", f"/1.0/loadbalancer/{listener}/reload")
    assert status == 202, body
    assert body == {"message": "OK", "details": f"keepalivedlvs listener {listener} restarted"}
    h.wait_until(lambda: ask(port) in ("m1", "m2"), 10, "the UDP listener answering")
    assert {ask(port) for _ in range(6)} == {"m1", "m2"}
    status, _, listed = agent.json("GET", "/1.0/listeners")
    assert listed == [{"status": "ACTIVE", "uuid": listener, "type": "UDP"}], listed
    status, _, details = agent.json("GET", "/1.0/details")
    assert details["listeners"] == [listener] and details["haproxy_count"] == 0, details

    def reported():
        for msg in env["sink"].messages(KEY):
            if listener in msg["listeners"] and f"{pool}:{listener}" in msg["pools"]:
                return msg
        return None
    h.wait_until(reported, 10, "a heartbeat with the UDP listener")
    msg = reported()
    assert msg["listeners"][listener]["status"] == "OPEN"
    assert msg["pools"][f"{pool}:{listener}"] == {"status": "UP",
                                                 "members": {m1: "UP", m2: "UP"}}

    # A reload with a new file keeps serving (the VIP socket is handed over).
    assert agent.json("PUT", path, text.replace("lb_algo wrr", "lb_algo lc"))[0] == 200
    assert agent.json("PUT", f"/1.0/loadbalancer/{listener}/reload")[0] == 202
    assert ask(port) in ("m1", "m2")

    assert agent.json("DELETE", f"/1.0/listeners/{listener}")[0] == 200
    h.wait_until(lambda: ask(port) is None, 10, "the UDP listener gone")
    assert agent.json("GET", "/1.0/listeners")[2] == []
