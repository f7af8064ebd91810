"""Chaos on PostgreSQL (issue 13 acceptance): the split control plane survives kill -9.

One throwaway PostgreSQL cluster and one state dir (the CA, the heartbeat key and the local
amphorae's directories are per host, as on one controller host); 2 `octane api` on their own
ports, 2 `octane worker`, 1 `octane health`, all started here and stopped by PID. Local amphorae
(real `octane agent` + `octane-proxy` processes), the `local` network driver (no root).

8 client threads make 200 graph operations (create a load balancer with listener, pool and
members in one POST; update; cascade delete) against both APIs, retrying as a real client does
(connection refused/reset while an API restarts; 409 while the load balancer is locked). A chaos
thread kills -9 one process every KILL_EVERY_S on average (seeded order: each of ROUNDS rounds
kills every daemon once, starting it again with the same arguments, and one serving amphora's
agent, which is failed over).

Afterwards, within SETTLE_S: nothing PENDING_*, an ERROR only with the worker's reason in its log;
every live amphora row has its agent process and directory and vice versa (no orphan amphora);
every VIP port belongs to a live load balancer (no orphan port); the APIs answer what the rows say.
Seed: OCTANE_CHAOS_SEED (default fixed), printed with the counts.
"""
from __future__ import annotations

import collections
import contextlib
import glob
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

os.environ.setdefault("OCTANE_TEST_DATABASE", "postgresql")
sys.path.insert(0, os.path.join(os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..")), "tests", "integration", "harness"))
import database_choice  # noqa: E402
import octane_server as h  # noqa: E402

import requests  # noqa: E402

SEED = int(os.environ.get("OCTANE_CHAOS_SEED", "20261207"))
CLIENTS = 8
OPERATIONS = 200
KILL_EVERY_S = 1.2
ROUNDS = 3  # each: the five daemons and one amphora agent, shuffled
CLIENT_DEADLINE_S = 150.0
SETTLE_S = 120.0
# An API start answers within ~2 s here; once, on a loaded machine, it took 30 s.
RESTART_DEADLINE_S = 60.0
OP_ATTEMPTS = 40
PROJECT = "chaos0000c0ffee00c0ffee00c0ffee"
# Each local amphora test file listens on a port of its own: parallel runs hand out the same
# loopback VIPs, and two engines cannot bind one VIP:port.
LISTENER_PORT = 8093
TREE_TABLES = ("load_balancers", "listeners", "pools", "members")


def free_port(kind=socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    """One octane process of a role, restartable with the same arguments; killed by its PID."""

    def __init__(self, name: str, argv: list[str], state: str, port: int | None = None):
        self.name = name
        self.role = name.rstrip("0123456789")
        self.argv = argv
        self.state = state
        self.port = port
        self.proc: subprocess.Popen | None = None
        self.logs: list[str] = []
        self.ready_s: list[float] = []  # how long each start took to answer

    def start(self):
        log_path = os.path.join(self.state, "%s-%d.log" % (self.name, len(self.logs)))
        self.logs.append(log_path)
        with open(log_path, "wb") as log:
            self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, cwd=self.state)
        if self.port is not None:
            began = time.monotonic()
            h.poll_until(self._answers, timeout=RESTART_DEADLINE_S, what="%s ready" % self.name)
            self.ready_s.append(time.monotonic() - began)

    def _answers(self) -> bool:
        assert self.proc.poll() is None, "%s exited: %s" % (self.name, self.log_text()[-3000:])
        try:
            return requests.get("http://127.0.0.1:%d/" % self.port, timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=h.STOP_DEADLINE_S)

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=h.STOP_DEADLINE_S)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=h.STOP_DEADLINE_S)

    def log_text(self) -> str:
        out = []
        for path in self.logs:
            with open(path, "rb") as f:
                out.append(f.read().decode("utf-8", "replace"))
        return "".join(out)


class Cluster:
    def __init__(self, state: str):
        self.state = state
        self.url = database_choice.connection_for(state)
        health_port = free_port(socket.SOCK_DGRAM)
        common = ["--state-dir", state, "--database-connection", self.url,
                  "--amphora-driver", "local", "--network-driver", "local",
                  "--health-bind-ip", "127.0.0.1", "--health-bind-port", str(health_port),
                  "--heartbeat-interval", "1", "--heartbeat-timeout", "10",
                  "--health-check-interval", "1"]
        binary = h.octane_binary()
        self.daemons: dict[str, Daemon] = {}
        for i in range(2):
            port = free_port()
            self.daemons["api%d" % i] = Daemon("api%d" % i, [binary, "api"] + common + [
                "--auth-strategy", "noauth", "--bind-host", "127.0.0.1", "--bind-port", str(port)],
                state, port)
        for i in range(2):
            self.daemons["worker%d" % i] = Daemon("worker%d" % i, [binary, "worker"] + common + [
                "--worker-lease-seconds", "10", "--worker-poll-ms", "100"], state)
        self.daemons["health0"] = Daemon("health0", [binary, "health"] + common, state)

    def start(self):
        # The first API alone: first-start setup (networks, CA) before anyone else uses it.
        for name in ("api0", "api1", "worker0", "worker1", "health0"):
            self.daemons[name].start()

    @property
    def api_urls(self) -> list[str]:
        return ["http://127.0.0.1:%d" % self.daemons["api%d" % i].port for i in range(2)]

    def stop(self):
        for d in self.daemons.values():
            d.stop()

    def query(self, sql: str) -> list[tuple]:
        return database_choice.query(self.state, sql)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()

    def add(self, key: str, n: int = 1):
        with self.lock:
            self.counts[key] += n


class ChaosClient:
    """A user of one project, alternating between the two APIs, retrying as a real client does."""

    def __init__(self, index: int, urls: list[str], subnet_id: str, stats: Stats, deadline: float):
        self.rng = random.Random(SEED * 100 + index)
        self.index = index
        self.clients = [h.Client(u, project=PROJECT, timeout=20) for u in urls]
        self.subnet_id = subnet_id
        self.stats = stats
        self.deadline = deadline
        self.mine: list[str] = []
        self.turn = index

    def call(self, method: str, path: str, body=None, params=None, api: int | None = None
             ) -> h.Resp | None:
        """One request; None on a transport failure (the API process died or is restarting)."""
        self.turn += 1
        c = self.clients[self.turn % len(self.clients) if api is None else api]
        try:
            return c.request(method, path, body=body, params=params)
        except requests.RequestException:
            self.stats.add("connection_errors")
            return None

    def wait_unlocked(self, lb_id: str) -> bool:
        """Until the load balancer is not PENDING_* (False: gone); bounded by the deadline."""
        def check():
            r = self.call("GET", "%s/%s" % (h.LB, lb_id))
            if r is None:
                return None
            if r.status == 404:
                return "gone"
            return "free" if r.json["loadbalancer"]["provisioning_status"] not in h.PENDING else None
        return h.poll_until(check, timeout=max(1.0, self.deadline - time.monotonic()),
                            interval=0.1, what="load balancer %s unlocked" % lb_id) == "free"

    def retrying(self, kind: str, method: str, path: str, body=None, params=None, lb_id=None,
                 ok=(200, 201, 202, 204)) -> h.Resp | None:
        for attempt in range(OP_ATTEMPTS):
            if time.monotonic() > self.deadline:
                break
            api = (self.index + attempt) % len(self.clients)
            r = self.call(method, path, body, params, api=api)
            if r is None:
                # As a client of one endpoint: again once it answers (restarted, bounded).
                h.poll_until(lambda: self.call("GET", "/", api=api) is not None,
                             timeout=RESTART_DEADLINE_S, interval=0.05, what="the API answering")
                continue
            if r.status in ok or r.status == 404:
                return r
            if r.status == 409 and lb_id is not None:
                self.stats.add("conflicts_409")
                if not self.wait_unlocked(lb_id):
                    return None
                continue
            raise AssertionError("%s: unexpected answer %r" % (kind, r))
        self.stats.add("gave_up")
        return None

    def create(self):
        name = "chaos-%d-%d" % (self.index, self.rng.randrange(1 << 30))
        members = [{"address": "127.10.%d.%d" % (self.index, self.rng.randrange(1, 250)),
                    "protocol_port": 9000 + k} for k in range(2)]
        body = {"loadbalancer": {
            "name": name, "vip_subnet_id": self.subnet_id,
            "listeners": [{"name": name + "-l", "protocol": "TCP", "protocol_port": LISTENER_PORT,
                           "default_pool": {"name": name + "-p", "protocol": "TCP",
                                            "lb_algorithm": "ROUND_ROBIN",
                                            "members": members}}]}}
        r = self.retrying("create", "POST", h.LB, body, ok=(201,))
        if r is not None and r.status == 201:
            self.mine.append(r.json["loadbalancer"]["id"])

    def update(self):
        lb_id = self.rng.choice(self.mine)
        what = self.rng.randrange(3)
        if what == 0:
            self.retrying("update", "PUT", "%s/%s" % (h.LB, lb_id),
                          {"loadbalancer": {"description": "u%d" % self.rng.randrange(1000)}},
                          lb_id=lb_id)
            return
        r = self.call("GET", "%s/%s" % (h.LB, lb_id))
        if r is None or r.status != 200 or not r.json["loadbalancer"]["listeners"]:
            return self.update_lb_name(lb_id)
        if what == 1:
            li = r.json["loadbalancer"]["listeners"][0]["id"]
            self.retrying("update", "PUT", "%s/%s" % (h.LISTENERS, li),
                          {"listener": {"connection_limit": self.rng.randrange(100, 10000)}},
                          lb_id=lb_id)
            return
        pools = r.json["loadbalancer"]["pools"]
        if not pools:
            return self.update_lb_name(lb_id)
        self.retrying("update", "PUT", "%s/%s/members" % (h.POOLS, pools[0]["id"]),
                      {"members": [{"address": "127.10.%d.%d" % (self.index, k + 1),
                                    "protocol_port": 9000 + k}
                                   for k in range(self.rng.randrange(1, 4))]},
                      lb_id=lb_id)

    def update_lb_name(self, lb_id: str):
        self.retrying("update", "PUT", "%s/%s" % (h.LB, lb_id),
                      {"loadbalancer": {"name": "renamed-%d" % self.rng.randrange(1000)}},
                      lb_id=lb_id)

    def delete(self):
        lb_id = self.mine.pop(self.rng.randrange(len(self.mine)))
        self.retrying("delete", "DELETE", "%s/%s" % (h.LB, lb_id), params={"cascade": "true"},
                      lb_id=lb_id)

    def run(self, operations: int):
        for _ in range(operations):
            if time.monotonic() > self.deadline:
                self.stats.add("not_run")
                continue
            roll = self.rng.random()
            if not self.mine or (roll < 0.45 and len(self.mine) < 4):
                op = "create"
            elif roll < 0.75:
                op = "update"
            else:
                op = "delete"
            getattr(self, op)()
            self.stats.add("ops")
            self.stats.add("op_" + op)


def serving_agent(cluster: Cluster, rng: random.Random) -> tuple[str, int] | None:
    """(amphora id, agent PID) of an ALLOCATED amphora of an ACTIVE load balancer, if any."""
    rows = sorted(cluster.query(
        "SELECT a.id FROM amphorae a JOIN load_balancers lb ON lb.id = a.load_balancer_id"
        " WHERE a.status = 'ALLOCATED' AND lb.provisioning_status = 'ACTIVE'"))
    agents = agent_processes(cluster.state)
    live = [(a, agents[a]) for (a,) in rows if a in agents]
    return rng.choice(live) if live else None


def chaos(cluster: Cluster, stop: threading.Event, errors: list, kills: collections.Counter, log: list[str]):
    """ROUNDS rounds; each kills every daemon once and one serving amphora's agent, in a seeded
    order, KILL_EVERY_S apart on average; a daemon is started again at once, the agent not (its
    load balancer is failed over: the workers watch agents, the health manager their heartbeats)."""
    rng = random.Random(SEED)
    try:
        for _ in range(ROUNDS):
            names = sorted(cluster.daemons) + ["agent"]
            rng.shuffle(names)
            for name in names:
                if stop.wait(KILL_EVERY_S * (0.5 + rng.random())):  # the pace; stop: test failed
                    return
                if name == "agent":
                    victim = h.poll_until(lambda: serving_agent(cluster, rng), timeout=30,
                                          interval=0.2, what="a serving amphora")
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(victim[1], signal.SIGKILL)
                    kills["agent"] += 1
                    log.append("%.1f kill -9 agent of amphora %s" % (time.monotonic(), victim[0]))
                    continue
                d = cluster.daemons[name]
                d.kill9()
                kills[d.role] += 1
                log.append("%.1f kill -9 %s" % (time.monotonic(), name))
                d.start()
    except BaseException as e:  # noqa: B902 - reported by the main thread
        errors.append(e)


# --------------------------------------------------------------------------------------------
# what the system looks like afterwards

def rows_pending(cluster: Cluster) -> list[tuple]:
    out = []
    for table in TREE_TABLES + ("health_monitors", "l7policies", "l7rules"):
        out += [(table,) + r for r in cluster.query(
            "SELECT id, provisioning_status FROM %s WHERE provisioning_status LIKE 'PENDING_%%'"
            % table)]
    return out


def agent_processes(state: str) -> dict[str, int]:
    """amphora id -> PID of the `octane agent` processes whose state dir is under ours."""
    prefix = os.path.join(state, "amphorae") + "/"
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        argv = h.process_argv(int(entry))
        if len(argv) < 2 or argv[1] != "agent" or h.process_gone(int(entry)):
            continue
        if "--state-dir" in argv and argv[argv.index("--state-dir") + 1].startswith(prefix):
            found[argv[argv.index("--amphora-id") + 1]] = int(entry)
    return found


def engine_processes(state: str) -> list[int]:
    prefix = os.path.join(state, "amphorae") + "/"
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            argv = h.process_argv(int(entry))
            if argv and "octane-proxy" in os.path.basename(argv[0]) and \
                    any(a.startswith(prefix) for a in argv) and not h.process_gone(int(entry)):
                pids.append(int(entry))
    return pids


def engine_amphora(state: str, pid: int) -> str:
    prefix = os.path.join(state, "amphorae") + "/"
    for a in h.process_argv(pid):
        if a.startswith(prefix):
            return a[len(prefix):].split("/")[0]
    return ""


def api_view(urls: list[str]) -> dict:
    """What each API answers for the tree and the amphorae, as comparable sets."""
    views = []
    for url in urls:
        c = h.Client(url, project=PROJECT)
        view = {}
        for path, key, table in ((h.LB, "loadbalancers", "load_balancers"),
                                 (h.LISTENERS, "listeners", "listeners"),
                                 (h.POOLS, "pools", "pools")):
            view[table] = sorted((o["id"], o["provisioning_status"], o["operating_status"],
                                  o.get("name") or "")
                                 for o in h.list_all(c, path, key, params={"limit": 1000}))
        members = []
        for pool_id, _, _, _ in view["pools"]:
            members += [(m["id"], m["provisioning_status"], m["operating_status"], m.get("name") or "")
                        for m in h.list_all(c, "%s/%s/members" % (h.POOLS, pool_id), "members")]
        view["members"] = sorted(members)
        view["amphorae"] = sorted((a["id"], a["status"], a["loadbalancer_id"] or "")
                                  for a in h.list_all(c, h.AMPS, "amphorae", params={"limit": 1000})
                                  if a["status"] != "DELETED")
        c.close()
        views.append(view)
    return views


def db_view(cluster: Cluster) -> dict:
    view = {}
    for table in TREE_TABLES:
        view[table] = sorted((i, p, o, n or "") for i, p, o, n in cluster.query(
            "SELECT id, provisioning_status, operating_status, json_extract(attrs, '$.name')"
            " FROM %s WHERE project_id = '%s' AND provisioning_status != 'DELETED'"
            % (table, PROJECT)))
    view["amphorae"] = sorted((i, s, lb or "") for i, s, lb in cluster.query(
        "SELECT id, status, load_balancer_id FROM amphorae WHERE status != 'DELETED'"))
    return view


def test_chaos_on_postgresql():
    started = time.monotonic()
    print("chaos seed %d (OCTANE_CHAOS_SEED)" % SEED)
    state = h.make_state_dir("octane-chaos-")
    cluster = Cluster(state)
    stats = Stats()
    kills: collections.Counter = collections.Counter()
    kill_log: list[str] = []
    stop = threading.Event()
    try:
        cluster.start()
        c = h.Client(cluster.api_urls[0], project=PROJECT)
        subnets = c.get("/networking/v2.0/subnets", params={"name": "selfservice"})
        assert subnets.status == 200 and subnets.json["subnets"], subnets
        subnet_id = subnets.json["subnets"][0]["id"]

        deadline = time.monotonic() + CLIENT_DEADLINE_S
        clients = [ChaosClient(i, cluster.api_urls, subnet_id, stats, deadline)
                   for i in range(CLIENTS)]
        errors: list[BaseException] = []

        def run_client(cl: ChaosClient):
            try:
                cl.run(OPERATIONS // CLIENTS)
            except BaseException as e:  # noqa: B902 - reported by the main thread
                errors.append(e)

        chaos_thread = threading.Thread(target=chaos, args=(cluster, stop, errors, kills, kill_log))
        threads = [threading.Thread(target=run_client, args=(cl,)) for cl in clients]
        chaos_thread.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=CLIENT_DEADLINE_S + 30)
        # The kills go on until all were made (bounded): the later ones hit the settling.
        chaos_thread.join(timeout=ROUNDS * 6 * (KILL_EVERY_S * 1.5 + RESTART_DEADLINE_S))
        assert not chaos_thread.is_alive()
        assert not any(t.is_alive() for t in threads)
        if errors:
            raise errors[0]
        ops_done = time.monotonic()

        # Settle (bounded): nothing PENDING_*, no lease, and an agent for each amphora row. An
        # agent killed while its load balancer was busy is not failed over by the workers'
        # watch (only an ACTIVE one is); its silence is, after heartbeat_timeout.
        def settled_now():
            live = cluster.query("SELECT id FROM amphorae WHERE status != 'DELETED'")
            return not rows_pending(cluster) and not cluster.query(
                "SELECT load_balancer_id FROM work_leases") and \
                set(agent_processes(state)) == {a for (a,) in live}
        h.poll_until(settled_now, timeout=SETTLE_S, interval=0.2,
                     what="no PENDING_* row, no lease, an agent for each amphora")
        settled = time.monotonic()

        # Final states; an ERROR only with the worker's reason.
        final = collections.Counter()
        for table in TREE_TABLES:
            for (status,) in cluster.query("SELECT provisioning_status FROM %s" % table):
                final["%s %s" % (table, status)] += 1
                assert status in ("ACTIVE", "ERROR", "DELETED"), (table, status)
        # (the load balancers whose tree holds an ERROR: a flow that failed, e.g. an update
        # pushed to an amphora whose agent had just been killed)
        errored = sorted({lb for table in TREE_TABLES for (lb,) in cluster.query(
            "SELECT load_balancer_id FROM %s WHERE provisioning_status = 'ERROR'" % table)})
        logs = {n: d.log_text() for n, d in cluster.daemons.items()}
        direct = sum(text.count("agent died, failover requested") for text in logs.values())
        silent = logs["health0"].count("failover requested")
        print("chaos: seed %d, %d ops (%s), kills %s, failovers requested %d by workers (pidfd) + "
              "%d by the health manager (silence), final %s, load balancers with an ERROR %d, "
              "connection errors %d, 409 %d, gave up %d, slowest API start %.2f s; "
              "ops %.1f s, settled %.1f s, total %.1f s"
              % (SEED, stats.counts["ops"],
                 ", ".join("%s %d" % (k[3:], v) for k, v in sorted(stats.counts.items())
                           if k.startswith("op_")),
                 dict(kills), direct, silent, dict(final), len(errored), stats.counts["connection_errors"],
                 stats.counts["conflicts_409"], stats.counts["gave_up"],
                 max(t for d in cluster.daemons.values() for t in d.ready_s),
                 ops_done - started, settled - ops_done, time.monotonic() - started))
        print("\n".join(kill_log))
        worker_logs = logs["worker0"] + logs["worker1"]
        for lb in errored:
            assert re.search(r"load balancer %s \S+ failed: " % lb, worker_logs), \
                "ERROR in load balancer %s without a reason in the worker logs" % lb

        # No orphan amphora: rows, agent processes, directories and load balancers agree.
        lbs = {lb: status for lb, status in cluster.query(
            "SELECT id, provisioning_status FROM load_balancers"
            " WHERE provisioning_status != 'DELETED'")}
        amphorae = {a: (lb, status) for a, lb, status in cluster.query(
            "SELECT id, load_balancer_id, status FROM amphorae WHERE status != 'DELETED'")}
        agents = agent_processes(state)
        dirs = {os.path.basename(p) for p in glob.glob(os.path.join(state, "amphorae", "*"))}
        assert set(agents) == set(amphorae), \
            "agents without a row %s, rows without an agent %s" % (
                sorted(set(agents) - set(amphorae)), sorted(set(amphorae) - set(agents)))
        assert dirs == set(amphorae), "amphora dirs without a row %s, rows without a dir %s" % (
            sorted(dirs - set(amphorae)), sorted(set(amphorae) - dirs))
        for amphora, (lb, status) in amphorae.items():
            assert lb in lbs and status == "ALLOCATED", (amphora, lb, status)
        per_lb = collections.Counter(lb for lb, _ in amphorae.values())
        for lb, status in lbs.items():
            if status == "ACTIVE":
                assert per_lb[lb] == 1, "ACTIVE load balancer %s has %d amphorae" % (lb, per_lb[lb])
        orphan_engines = [p for p in engine_processes(state) if engine_amphora(state, p) not in amphorae]
        assert not orphan_engines, orphan_engines

        # No orphan port: every VIP port the driver made names a live load balancer, and back.
        vip_ports = {device: port for port, device in cluster.query(
            "SELECT id, json_extract(attrs, '$.device_id') FROM net_ports"
            " WHERE json_extract(attrs, '$.device_owner') = 'Octavia'")}
        assert set(vip_ports) == {"lb-" + lb for lb in lbs}, \
            "VIP ports without a load balancer %s, load balancers without a port %s" % (
                sorted(set(vip_ports) - {"lb-" + lb for lb in lbs}),
                sorted({"lb-" + lb for lb in lbs} - set(vip_ports)))

        # The APIs answer what the rows say (operating statuses may move with heartbeats: the
        # comparison is retried, bounded, until one snapshot of the rows equals both answers).
        def same():
            before = db_view(cluster)
            views = api_view(cluster.api_urls)
            after = db_view(cluster)
            return before == after and all(v == before for v in views)
        h.poll_until(same, timeout=20, interval=0.5, what="API answers equal to the database rows")

        assert stats.counts["ops"] == OPERATIONS and stats.counts["not_run"] == 0, stats.counts
        assert stats.counts["gave_up"] == 0, stats.counts
        assert kills == {"api": 2 * ROUNDS, "worker": 2 * ROUNDS, "health": ROUNDS,
                         "agent": ROUNDS}, kills
    finally:
        stop.set()
        cluster.stop()
        for pid in agent_processes(state).values():
            h.stop_pid(pid)
        for pid in engine_processes(state):
            h.stop_pid(pid)
    if not os.environ.get("OCTANE_CHAOS_KEEP"):
        shutil.rmtree(state, ignore_errors=True)  # kept, with the processes' logs, on failure
