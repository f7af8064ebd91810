"""Failover that does not wait for a heartbeat timeout (issue 13, deliver item 2).

`octane serve` with local amphorae and heartbeat_timeout 60 s: the controller watches each agent
it started through a pidfd, so a kill -9 of an amphora's agent starts failover at once through the
health manager's request (load balancer PENDING_UPDATE + failover_requests): a new amphora serves
the VIP long before 60 s, the only way being the direct path. After a controller restart, the
agents of known amphorae are watched again by PID (and one that died meanwhile is failed over).
"""
from __future__ import annotations

import os
import signal
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import octane_server as h  # noqa: E402

HEARTBEAT_TIMEOUT_S = 60
BOUND_S = 15.0  # well under the heartbeat timeout, slack for a loaded 2-core machine


# Each local amphora test file listens on a port of its own: parallel serves hand out the same
# first loopback VIPs, and two engines cannot bind one VIP:port.
LISTENER_PORT = 8082


def start_serve(state: str) -> tuple[h.OctaneProcess, h.Client]:
    srv = h.OctaneProcess("serve", state, plain=True, extra_args=[
        "--bind-host", "127.0.0.1", "--bind-port", "0", "--health-bind-port", "0",
        "--heartbeat-timeout", str(HEARTBEAT_TIMEOUT_S)])
    srv.start()
    env = h.read_openrc(os.path.join(state, "admin-openrc"))
    return srv, h.Client(srv.base_url, token=h.keystone_token(srv.base_url, env))


def allocated(client: h.Client, lb_id: str) -> list[dict]:
    r = client.get(h.AMPS, params={"loadbalancer_id": lb_id})
    assert r.status == 200, r
    return [a for a in r.json["amphorae"] if a["status"] == "ALLOCATED"]


def kill_hard(amphora: dict) -> None:
    pid = h.agent_pid(amphora)
    assert amphora["id"] in h.process_argv(pid)  # ours, not a recycled PID
    os.kill(pid, signal.SIGKILL)


def replaced(client: h.Client, lb_id: str, old_id: str) -> dict | None:
    amps = allocated(client, lb_id)
    lb = client.get("%s/%s" % (h.LB, lb_id)).json["loadbalancer"]
    if len(amps) == 1 and amps[0]["id"] != old_id and lb["provisioning_status"] == "ACTIVE":
        return amps[0]
    return None


def serves(vip: str, member_server) -> bool:
    try:
        with socket.create_connection((vip, LISTENER_PORT), timeout=2):
            member_server.accept()[0].close()
        return True
    except OSError:
        return False


def test_killed_agent_is_replaced_before_any_heartbeat_timeout(tmp_path, member_server):
    state = str(tmp_path / "state")
    srv, client = start_serve(state)
    try:
        member_address, member_port = member_server.getsockname()
        subnet = client.get("/networking/v2.0/subnets?name=selfservice").json["subnets"][0]
        r = client.post(h.LB, h.one_member_tcp_graph("failfast", subnet["id"], member_address,
                                                     member_port, protocol_port=LISTENER_PORT))
        assert r.status == 201, r
        lb = r.json["loadbalancer"]
        h.wait_for_status(client, "%s/%s" % (h.LB, lb["id"]), "provisioning_status", "ACTIVE",
                          timeout=30, fail_on=())
        [first] = allocated(client, lb["id"])
        assert serves(lb["vip_address"], member_server)

        killed_at = time.monotonic()
        kill_hard(first)
        second = h.poll_until(lambda: replaced(client, lb["id"], first["id"]), timeout=BOUND_S,
                              what="a new amphora after kill -9 of the agent")
        took = time.monotonic() - killed_at
        assert took < BOUND_S < HEARTBEAT_TIMEOUT_S
        h.poll_until(lambda: serves(lb["vip_address"], member_server), timeout=5,
                     what="traffic through the VIP on the new amphora")
        with open(srv.log_path) as f:
            assert "agent died, failover requested" in f.read()

        # A controller restart: the agent is watched again by its recorded PID; killed while
        # the controller is down, it is failed over as soon as the controller is back.
        srv.stop()
        kill_hard(second)
        srv, client = start_serve(state)
        h.poll_until(lambda: replaced(client, lb["id"], second["id"]), timeout=BOUND_S,
                     what="a new amphora for the agent that died while the controller was down")
        [third] = allocated(client, lb["id"])
        h.poll_until(lambda: serves(lb["vip_address"], member_server), timeout=5,
                     what="traffic through the VIP after the restart")
        # And a live one is watched again: killed now, it is replaced too.
        kill_hard(third)
        h.poll_until(lambda: replaced(client, lb["id"], third["id"]), timeout=BOUND_S,
                     what="a new amphora after kill -9 of a re-watched agent")
        print("first failover %.2f s after kill -9" % took)

        r = client.delete("%s/%s" % (h.LB, lb["id"]), params={"cascade": "true"})
        assert r.status == 204, r
        h.wait_gone(client, "%s/%s" % (h.LB, lb["id"]), timeout=30)
    finally:
        try:
            srv.stop()
        finally:
            h.stop_local_amphorae(state)
