"""The health manager inside a real `octane serve` (issue 5 item 5; docs/octavia-api.md §3.3,
docs/amphora.md §2-§4).

Heartbeats are sent over UDP exactly as an amphora agent sends them. Checked: the operating-status
roll-up (member ERROR -> pool/LB DEGRADED, back to ONLINE), statistics accumulated for /stats,
bad datagrams (forged, truncated, oversized, bad zlib, replayed, unknown amphora) change nothing
and are counted in <state dir>/health-counters.json, and a silent amphora is failed over (a new
amphora id, the LB back to ACTIVE) within a bounded time.
"""
import itertools
import os
import uuid

import pytest

import heartbeats as hb
import octane_server as h
from octane_server import AMPS, LB, LISTENERS, POOLS


KEY = "test-heartbeat-key-" + uuid.uuid4().hex[:8]
MAX_DATAGRAM = 8192
SERVE_ARGS = ["--health-bind-port", "0", "--heartbeat-key", KEY,
              "--health-check-interval", "1", "--health-max-datagram", str(MAX_DATAGRAM)]


def amphora_of(c, lb_id):
    r = c.get(AMPS, params={"loadbalancer_id": lb_id})
    assert r.status == 200, r
    allocated = [a for a in r.json["amphorae"] if a["status"] == "ALLOCATED"]
    assert len(allocated) == 1, r.json
    return allocated[0]["id"]


def operating(c, path):
    r = c.get(path)
    assert r.status == 200, r
    return h._single(r.json)["operating_status"]


class Graph:
    """LB + HTTP listener + pool + 2 members, all ACTIVE, and the LB's amphora."""

    def __init__(self, c):
        self.lb = h.create_lb(c)["id"]
        self.listener = h.create_listener(c, self.lb, "HTTP", 80)["id"]
        self.pool = h.create_pool(c, self.lb, "HTTP", listener_id=self.listener)["id"]
        self.m1 = h.create_member(c, self.lb, self.pool, "10.0.0.1", 80)["id"]
        self.m2 = h.create_member(c, self.lb, self.pool, "10.0.0.2", 80)["id"]
        self.amphora = amphora_of(c, self.lb)
        self.seq = itertools.count(1)

    def message(self, m1="UP", m2="UP", pool="UP", listener="OPEN", stats=None, seq=None):
        return hb.message(self.amphora, next(self.seq) if seq is None else seq,
                          {self.listener: (listener, stats or hb.stats())},
                          {"%s:%s" % (self.pool, self.listener): (pool, {self.m1: m1, self.m2: m2})})

    def statuses(self, c):
        return {"lb": operating(c, "%s/%s" % (LB, self.lb)),
                "listener": operating(c, "%s/%s" % (LISTENERS, self.listener)),
                "pool": operating(c, "%s/%s" % (POOLS, self.pool)),
                "m1": operating(c, "%s/%s/members/%s" % (POOLS, self.pool, self.m1)),
                "m2": operating(c, "%s/%s/members/%s" % (POOLS, self.pool, self.m2))}


@pytest.fixture(scope="module")
def server():
    with h.running_server("serve", extra_args=SERVE_ARGS) as p:
        yield p


@pytest.fixture(scope="module")
def c(server):
    cl = h.Client(server.base_url, project="health-" + uuid.uuid4().hex[:8])
    yield cl
    cl.close()


@pytest.fixture(scope="module")
def graph(c):
    return Graph(c)


@pytest.fixture(scope="module")
def sender(server):
    port = hb.read_int_file(os.path.join(server.state_dir, "health.port"))
    s = hb.Sender(port, KEY)
    yield s
    s.close()


def wait_statuses(c, graph, want, timeout=15):
    state = {}

    def check():
        state["s"] = graph.statuses(c)
        return state["s"] == want
    try:
        hb.poll(check, timeout, "statuses %r" % want)
    except AssertionError:
        raise AssertionError("statuses %r, want %r" % (state.get("s"), want))


def test_initial_statuses_are_offline(c, graph):
    s = graph.statuses(c)
    assert s["lb"] == "OFFLINE" and s["listener"] == "OFFLINE" and s["pool"] == "OFFLINE", s
    assert s["m1"] == "NO_MONITOR" and s["m2"] == "NO_MONITOR", s


def test_member_down_degrades_then_recovers(c, graph, sender):
    sender.send(graph.message(m2="DOWN"))
    wait_statuses(c, graph, {"lb": "DEGRADED", "listener": "ONLINE", "pool": "DEGRADED",
                             "m1": "ONLINE", "m2": "ERROR"})
    tree = c.get("%s/%s/status" % (LB, graph.lb)).json["statuses"]["loadbalancer"]
    assert tree["operating_status"] == "DEGRADED"
    members = {m["id"]: m["operating_status"] for m in tree["listeners"][0]["pools"][0]["members"]}
    assert members == {graph.m1: "ONLINE", graph.m2: "ERROR"}, tree
    # provisioning is the worker's business: heartbeats never touch it
    assert h._single(c.get("%s/%s" % (LB, graph.lb)).json)["provisioning_status"] == "ACTIVE"

    sender.send(graph.message())
    wait_statuses(c, graph, {"lb": "ONLINE", "listener": "ONLINE", "pool": "ONLINE",
                             "m1": "ONLINE", "m2": "ONLINE"})


def test_drain_maint_full_and_pool_down(c, graph, sender):
    sender.send(graph.message(m1="DRAIN", m2="MAINT"))
    wait_statuses(c, graph, {"lb": "ONLINE", "listener": "ONLINE", "pool": "ONLINE",
                             "m1": "DRAINING", "m2": "OFFLINE"})
    sender.send(graph.message(listener="FULL"))
    wait_statuses(c, graph, {"lb": "DEGRADED", "listener": "DEGRADED", "pool": "ONLINE",
                             "m1": "ONLINE", "m2": "ONLINE"})
    sender.send(graph.message(pool="DOWN", m1="DOWN", m2="DOWN"))
    wait_statuses(c, graph, {"lb": "ERROR", "listener": "ONLINE", "pool": "ERROR",
                             "m1": "ERROR", "m2": "ERROR"})
    sender.send(graph.message())
    wait_statuses(c, graph, {"lb": "ONLINE", "listener": "ONLINE", "pool": "ONLINE",
                             "m1": "ONLINE", "m2": "ONLINE"})


def listener_stats(c, graph):
    r = c.get("%s/%s/stats" % (LISTENERS, graph.listener))
    assert r.status == 200, r
    return r.json["stats"]


def test_statistics_accumulate(c, graph, sender):
    before = listener_stats(c, graph)
    deltas = [hb.stats(tx=1000, rx=100, conns=4, totconns=3, ereq=1),
              hb.stats(tx=500, rx=50, conns=2, totconns=2, ereq=0),
              hb.stats(tx=250, rx=25, conns=7, totconns=1, ereq=2)]
    for d in deltas:
        sender.send(graph.message(stats=d))
    want = {"bytes_out": before["bytes_out"] + 1750, "bytes_in": before["bytes_in"] + 175,
            "total_connections": before["total_connections"] + 6,
            "request_errors": before["request_errors"] + 3, "active_connections": 7}
    hb.poll(lambda: listener_stats(c, graph) == want, 15, "listener stats %r" % want)
    r = c.get("%s/%s/stats" % (LB, graph.lb))
    assert r.status == 200 and r.json["stats"] == want, r
    r = c.get("%s/%s/stats" % (AMPS, graph.amphora))
    assert r.status == 200, r
    rows = r.json["amphora_stats"]
    assert len(rows) == 1 and rows[0]["listener_id"] == graph.listener, rows
    assert rows[0]["bytes_out"] == want["bytes_out"] and rows[0]["loadbalancer_id"] == graph.lb


def test_bad_datagrams_change_nothing_and_are_counted(server, c, graph, sender):
    before = hb.wait_counters(server.state_dir, lambda k: k.get("accepted", 0) > 0)
    statuses = graph.statuses(c)
    stats = listener_stats(c, graph)
    down = graph.message(m1="DOWN", m2="DOWN", stats=hb.stats(tx=99999, rx=99999, totconns=99))
    good = hb.seal(hb.json.dumps(down).encode(), KEY)

    sender.send(down, key="not-the-key")                          # forged HMAC
    sender.raw(good[:20])                                         # truncated: shorter than a digest
    sender.raw(good[:-7])                                         # cut: digest no longer matches
    sender.raw(os.urandom(MAX_DATAGRAM + 1))                      # oversized
    sender.raw(os.urandom(65507))                                 # the largest UDP datagram, too
    garbage = b"not a zlib stream"
    sender.raw(garbage + hb.hmac.new(KEY.encode(), garbage, hb.hashlib.sha256).hexdigest().encode())
    stranger = hb.message(str(uuid.uuid4()), 1, {graph.listener: ("OPEN", hb.stats(tx=5))}, {})
    sender.send(stranger)                                         # authentic, unknown amphora
    sender.send(graph.message(m1="DOWN", m2="DOWN", seq=2))       # replayed (old seq)

    def grew(k, name, group=None):
        now = k[group][name] if group else k[name]
        was = before[group][name] if group else before[name]
        return now - was

    after = hb.wait_counters(server.state_dir, lambda k: grew(k, "received") >= 8,
                             what="8 more datagrams counted")
    assert grew(after, "received") == 8, after
    assert grew(after, "bad_hmac", "dropped") == 2, after  # forged, cut
    assert grew(after, "truncated", "dropped") == 1, after
    assert grew(after, "oversized", "dropped") == 2, after
    assert grew(after, "bad_zlib", "dropped") == 1, after
    assert grew(after, "replayed", "dropped") == 1, after
    assert grew(after, "unknown_amphora", "ignored") == 1, after
    assert grew(after, "accepted") == 0, after
    assert graph.statuses(c) == statuses
    assert listener_stats(c, graph) == stats
    # and the service still applies the next authentic heartbeat
    sender.send(graph.message(m2="DOWN"))
    wait_statuses(c, graph, {"lb": "DEGRADED", "listener": "ONLINE", "pool": "DEGRADED",
                             "m1": "ONLINE", "m2": "ERROR"})


def test_heartbeat_key_flag_wins_over_key_file(server):
    # --heartbeat-key was given: no key file is generated
    assert not os.path.exists(os.path.join(server.state_dir, "heartbeat.key"))
