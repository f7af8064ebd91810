"""Crash recovery and daemon split (issue 2 §4):
- `kill -9` of `octane serve` while 50 changes are in flight; after a restart on the same state dir
  every object reaches ACTIVE (or is gone, for deletes) within a bounded time; nothing stays PENDING_*.
- `octane api` + two `octane worker`s on one state dir complete 30 LB creates, each exactly once.
- clean shutdown on SIGTERM / SIGINT, state survives a restart.
"""
import concurrent.futures
import os
import shutil
import signal
import threading
import time
import warnings

import pytest
import requests

import octane_server as h
from octane_server import LB, AMPS

pytestmark = pytest.mark.needs_process
LEASE_S = 2
RECOVERY_S = 60


def all_lbs(c):
    return h.list_all(c, LB, "loadbalancers", {"fields": ["id", "provisioning_status"]})


def allocated_amphorae(c, lb_id):
    r = c.get(AMPS, params={"loadbalancer_id": lb_id})
    assert r.status == 200, r
    return [a for a in r.json["amphorae"] if a["status"] == "ALLOCATED"]


def test_kill9_with_changes_in_flight_then_recover():
    state = h.make_state_dir()
    srv = h.OctaneProcess("serve", state, lease_seconds=LEASE_S).start()
    try:
        c = h.Client(srv.base_url, project="restart")
        # 10 ACTIVE LBs to cascade-delete (each with a listener), then 40 creates: 50 changes
        victims = [h.create_lb(c, name="victim-%d" % i) for i in range(10)]
        for v in victims:
            h.create_listener(c, v["id"], "TCP", 80)
        results = {"created": [], "deleted": [], "failed": 0}
        lock = threading.Lock()
        done = threading.Event()
        count = [0]

        def one(kind, arg):
            cl = h.Client(srv.base_url, project="restart", timeout=10)
            try:
                if kind == "create":
                    r = cl.post(LB, {"loadbalancer": {"name": "new-%d" % arg, "vip_subnet_id": h.SUBNET_ID}})
                    with lock:
                        if r.status == 201:
                            results["created"].append(r.json["loadbalancer"]["id"])
                        else:
                            results["failed"] += 1
                else:
                    r = cl.delete("%s/%s" % (LB, arg), params={"cascade": "true"})
                    with lock:
                        if r.status == 204:
                            results["deleted"].append(arg)
                        else:
                            results["failed"] += 1
            except requests.RequestException:
                with lock:
                    results["failed"] += 1
            finally:
                cl.close()
                with lock:
                    count[0] += 1
                    if count[0] >= 30:
                        done.set()

        jobs = [("delete", v["id"]) for v in victims] + [("create", i) for i in range(40)]
        jobs = [jobs[i] for i in sorted(range(len(jobs)), key=lambda i: (i * 7) % len(jobs))]  # interleave
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as ex:
            futs = [ex.submit(one, k, a) for k, a in jobs]
            assert done.wait(timeout=60), "30 of the 50 requests did not complete"
            try:
                pending_at_kill = sum(1 for x in all_lbs(c) if x["provisioning_status"] in h.PENDING)
            except requests.RequestException:
                pending_at_kill = -1
            srv.kill9()
            concurrent.futures.wait(futs, timeout=60)
        assert srv.proc.returncode == -signal.SIGKILL
        if pending_at_kill <= 0:
            warnings.warn("no LB was seen PENDING_* right before kill -9 (the noop worker was faster); "
                          "recovery is still checked")
        print("pending at kill: %d, created %d, deleted %d, failed/in flight %d"
              % (pending_at_kill, len(results["created"]), len(results["deleted"]), results["failed"]))

        srv = h.OctaneProcess("serve", state, lease_seconds=LEASE_S).start()
        c = h.Client(srv.base_url, project="restart")
        t0 = time.monotonic()
        h.poll_until(lambda: all(x["provisioning_status"] not in h.PENDING for x in all_lbs(c)),
                     timeout=RECOVERY_S, interval=0.05, what="no LB PENDING_* after restart")
        print("recovered in %.2f s" % (time.monotonic() - t0))
        lbs = {x["id"]: x["provisioning_status"] for x in all_lbs(c)}
        assert all(s == "ACTIVE" for s in lbs.values()), lbs
        for lb_id in results["created"]:
            assert lbs.get(lb_id) == "ACTIVE", lb_id
        for lb_id in results["deleted"]:
            assert lb_id not in lbs
            assert c.get("%s/%s" % (LB, lb_id)).status == 404
        assert len(lbs) <= 50
        # children of surviving victims are ACTIVE too; every LB has exactly one amphora
        for li in h.list_all(c, "/v2/lbaas/listeners", "listeners"):
            assert li["provisioning_status"] == "ACTIVE", li
        for lb_id in lbs:
            assert len(allocated_amphorae(c, lb_id)) == 1, lb_id
        # and the recovered server keeps working
        lb = h.create_lb(c)
        h.cascade_delete(c, lb["id"])
        srv.stop()
    finally:
        if srv.alive():
            srv.kill9()
        shutil.rmtree(state, ignore_errors=True)


def test_api_and_two_workers():
    state = h.make_state_dir()
    api = h.OctaneProcess("api", state).start()
    w1 = h.OctaneProcess("worker", state, lease_seconds=LEASE_S).start()
    w2 = h.OctaneProcess("worker", state, lease_seconds=LEASE_S).start()
    try:
        c = h.Client(api.base_url, project="split")

        def create(i):
            cl = h.Client(api.base_url, project="split")
            try:
                r = cl.post(LB, {"loadbalancer": {"name": "split-%d" % i, "vip_subnet_id": h.SUBNET_ID}})
                assert r.status == 201, r
                return r.json["loadbalancer"]["id"]
            finally:
                cl.close()

        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as ex:
            ids = list(ex.map(create, range(30)))
        assert len(set(ids)) == 30
        h.poll_until(lambda: all(x["provisioning_status"] == "ACTIVE" for x in all_lbs(c)) and len(all_lbs(c)) == 30,
                     timeout=RECOVERY_S, interval=0.05, what="30 LBs ACTIVE")
        lbs = h.list_all(c, LB, "loadbalancers")
        assert sorted(x["id"] for x in lbs) == sorted(ids)
        assert all(x["provisioning_status"] == "ACTIVE" for x in lbs)
        assert len({x["vip_port_id"] for x in lbs}) == 30
        for lb_id in ids:
            assert len(allocated_amphorae(c, lb_id)) == 1, lb_id
        # children through the split daemons too
        li = h.create_listener(c, ids[0], "HTTP", 80)
        h.wait_active(c, "/v2/lbaas/listeners/%s" % li["id"])
        assert w1.alive() and w2.alive()
        for p in (w1, w2, api):
            p.stop()
    finally:
        for p in (w1, w2, api):
            if p.alive():
                p.kill9()
        shutil.rmtree(state, ignore_errors=True)


def test_processes_with_own_state_dirs_start_together_over_one_database():
    # As on several hosts: two API and two worker processes, each with a state dir of its own,
    # one database, all started at once (migrations and first-start set-up race).
    shared = h.make_state_dir()
    dirs = [h.make_state_dir() for _ in range(4)]
    connection = ["--database-connection", h.database_choice.shared_connection(shared)]
    procs = [h.OctaneProcess(mode, d, extra_args=connection, lease_seconds=LEASE_S)
             for mode, d in zip(("api", "api", "worker", "worker"), dirs)]
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
            list(ex.map(lambda p: p.start(), procs))
        clients = [h.Client(p.base_url, project="hosts") for p in procs[:2]]
        ids = [h.create_lb(clients[i % 2], name="host-%d" % i)["id"] for i in range(6)]
        for c in clients:
            h.poll_until(lambda: sorted(x["id"] for x in all_lbs(c) if x["provisioning_status"] == "ACTIVE")
                         == sorted(ids), timeout=RECOVERY_S, interval=0.05, what="6 LBs ACTIVE on both APIs")
        for p in procs:
            assert p.alive(), p.log_tail()
            p.stop()
    finally:
        for p in procs:
            if p.proc is not None and p.alive():
                p.kill9()
        for d in dirs + [shared]:
            shutil.rmtree(d, ignore_errors=True)


def test_worker_crash_lease_takeover():
    """A worker killed with -9 while holding claims: another worker takes them over after the lease."""
    state = h.make_state_dir()
    api = h.OctaneProcess("api", state).start()
    w1 = h.OctaneProcess("worker", state, lease_seconds=LEASE_S).start()
    w2 = None
    try:
        c = h.Client(api.base_url, project="lease")
        ids = []
        for i in range(20):
            r = c.post(LB, {"loadbalancer": {"name": "l-%d" % i, "vip_subnet_id": h.SUBNET_ID}})
            assert r.status == 201, r
            ids.append(r.json["loadbalancer"]["id"])
        w1.kill9()
        w2 = h.OctaneProcess("worker", state, lease_seconds=LEASE_S).start()
        h.poll_until(lambda: all(x["provisioning_status"] == "ACTIVE" for x in all_lbs(c)),
                     timeout=RECOVERY_S, interval=0.05, what="all ACTIVE after worker crash")
        for lb_id in ids:
            assert len(allocated_amphorae(c, lb_id)) == 1, lb_id
        w2.stop()
        api.stop()
    finally:
        for p in (w1, w2, api):
            if p is not None and p.alive():
                p.kill9()
        shutil.rmtree(state, ignore_errors=True)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_clean_shutdown_and_state_survives(sig):
    state = h.make_state_dir()
    srv = h.OctaneProcess("serve", state).start()
    try:
        c = h.Client(srv.base_url, project="persist")
        lb = h.create_lb(c, name="kept", tags=["t"])
        li = h.create_listener(c, lb["id"], "TCP", 22)
        os.kill(srv.pid, sig)
        assert srv.proc.wait(timeout=h.STOP_DEADLINE_S) == 0, srv.log_tail()
        if h.database_choice.engine() == "sqlite":
            assert os.path.exists(os.path.join(state, "octane.db"))
        srv = h.OctaneProcess("serve", state).start()
        c = h.Client(srv.base_url, project="persist")
        got = c.get("%s/%s" % (LB, lb["id"])).json["loadbalancer"]
        assert got["name"] == "kept" and got["tags"] == ["t"] and got["provisioning_status"] == "ACTIVE"
        assert got["vip_port_id"] == lb["vip_port_id"] and got["created_at"] == lb["created_at"]
        assert c.get("/v2/lbaas/listeners/%s" % li["id"]).json["listener"]["protocol_port"] == 22
        srv.stop()
    finally:
        if srv.alive():
            srv.kill9()
        shutil.rmtree(state, ignore_errors=True)
