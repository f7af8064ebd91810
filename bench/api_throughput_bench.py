#!/usr/bin/python3
"""API throughput and control-plane scale (issue 13), SQLite vs PostgreSQL, noop drivers, loopback.

Figures, for each --engines (sqlite, postgresql) and --apis (1, 2) `octane api` processes over one
database, with one `octane worker` beside them:
  list:  GET /v2/lbaas/loadbalancers of a project holding --list-lbs (100) ACTIVE load balancers,
         --clients (8) client threads for --seconds (10): req/s, p50 / p99
  graph: POST /v2/lbaas/loadbalancers with the whole graph (LB + HTTP listener + default pool + 2
         members) from --clients threads for --seconds: req/s, p50 / p99
Client thread i talks to API process i % apis on one persistent connection (as a load balancer in
front of the API processes would spread clients).
And for each engine, scale: --scale-lbs (1,000) load balancers POSTed by --clients threads to one
`octane api` with 2 `octane worker` processes: seconds from the first POST until none is
PENDING_CREATE (polled every 100 ms), all must be ACTIVE.

PostgreSQL: a throwaway cluster (scripts/test-postgres.sh: fsync=off, synchronous_commit=off;
--durable turns both back on, as a production cluster would run).

Usage:
  bench/api_throughput_bench.py                       # everything, ~3 min
  bench/api_throughput_bench.py --engines postgresql --apis 2 --scale-lbs 0 --out pg.json
Every loop is bounded in count and time (--max-seconds global deadline). Processes are stopped by
their own PIDs; the cluster by its postmaster's PID.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("OCTANE_SOURCE_DIR", SRC)
sys.path.insert(0, os.path.join(SRC, "tests", "integration", "harness"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import api_bench  # noqa: E402  (percentiles, Http, create_lb)
import database_choice  # noqa: E402
import octane_server as h  # noqa: E402

SUBNET = api_bench.SUBNET
DEADLINE = None


def check_deadline():
    if time.monotonic() > DEADLINE:
        sys.exit("api_throughput_bench: global time limit reached, stopping")


def graph_body(name):
    return {"loadbalancer": {"name": name, "vip_subnet_id": SUBNET, "listeners": [{
        "protocol": "HTTP", "protocol_port": 80, "default_pool": {
            "name": name + "-pool", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "members": [
                {"address": "10.0.0.1", "protocol_port": 80},
                {"address": "10.0.0.2", "protocol_port": 80}]}}]}}


def client(base, project):
    return api_bench.Http(base, project)


def request(c, method, path, body=None):
    """(status, raw body, seconds): the body is read but not decoded (the server is measured)."""
    status, raw, dt, _ = c.req(method, path, body, decode=False)
    return status, raw or b"", dt


def load(bases, project, clients, make_request, seconds=None, share=None):
    """clients threads, thread i on bases[i % len(bases)] calling make_request(client, i, n) for
    seconds, or share[i] times; returns req/s, p50 / p99."""
    lat, errors, lock = [], [], threading.Lock()
    stop_at = time.monotonic() + (seconds if seconds is not None else 900)

    def run(i):
        c = client(bases[i % len(bases)], project)
        mine = []
        limit = share[i] if share is not None else 1_000_000
        for n in range(limit):
            if time.monotonic() > stop_at:
                break
            status, raw, dt = make_request(c, i, n)
            if status >= 300:
                with lock:
                    errors.append((status, raw[:200]))
                break
            mine.append(dt)
        with lock:
            lat.extend(mine)

    t0 = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, stop_at - time.monotonic()) + 120)
    elapsed = time.monotonic() - t0
    if errors:
        sys.exit("api_throughput_bench: %s" % (errors[:3],))
    return {"requests": len(lat), "req_per_s": round(len(lat) / elapsed, 1),
            "p50_ms": round(api_bench.pct(lat, 50) * 1000, 2),
            "p99_ms": round(api_bench.pct(lat, 99) * 1000, 2)}


def count(base, project, query):
    status, raw, _ = request(client(base, project), "GET",
                             "/v2/lbaas/loadbalancers?fields=id&" + query)
    assert status == 200, (status, raw[:200])
    return len(json.loads(raw)["loadbalancers"])


def wait_none_pending(base, project, bound_s):
    for _ in range(int(bound_s / 0.1) + 1):
        check_deadline()
        if count(base, project, "provisioning_status=PENDING_CREATE") == 0:
            return True
        time.sleep(0.1)  # poll interval of a bounded wait on the API's answer
    return False


class Deployment:
    """apis `octane api` + workers `octane worker` processes over one fresh state dir/database."""

    def __init__(self, apis, workers, api_threads, pool_size=None):
        self.state = tempfile.mkdtemp(prefix="octane-tput-")
        extra = ["--api-threads", str(api_threads)]
        if pool_size:
            # the file names [database], so the harness adds no connection: name it here
            conf = os.path.join(self.state, "pool.conf")
            with open(conf, "w") as f:
                f.write("[database]\nmax_pool_size = %d\n" % pool_size)
            extra += ["--config-file", conf, "--database-connection",
                      database_choice.shared_connection(self.state)]
        self.procs = []
        try:
            for _ in range(apis):
                self.procs.append(h.OctaneProcess("api", self.state, extra_args=extra).start())
            for _ in range(workers):
                self.procs.append(h.OctaneProcess("worker", self.state, extra_args=extra[2:]).start())
        except BaseException:
            self.stop()
            raise
        self.bases = [p.base_url for p in self.procs if p.mode == "api"]

    def stop(self):
        for p in self.procs:
            p.stop(check=False)


def measure_throughput(engine, apis, args):
    d = Deployment(apis, args.workers, args.api_threads, args.pool_size)
    try:
        project = "tput-" + uuid.uuid4().hex[:8]
        c = api_bench.Http(d.bases[0], project)
        for i in range(args.list_lbs):
            check_deadline()
            api_bench.create_lb(c, "list-%d" % i)
        if args.workers and not wait_none_pending(d.bases[0], project, 120):
            sys.exit("api_throughput_bench: the listed load balancers did not go ACTIVE")
        assert count(d.bases[0], project, "") == args.list_lbs
        listed = load(d.bases, project, args.clients,
                      lambda cl, i, n: request(cl, "GET", "/v2/lbaas/loadbalancers"), args.seconds)
        graph_project = "graph-" + uuid.uuid4().hex[:8]
        graphs = load(d.bases, graph_project, args.clients,
                      lambda cl, i, n: request(cl, "POST", "/v2/lbaas/loadbalancers",
                                               graph_body("g-%d-%d" % (i, n))), args.seconds)
    finally:
        d.stop()
    return {"engine": engine, "apis": apis, "list": listed, "graph": graphs}


def measure_scale(engine, args):
    d = Deployment(1, 2, args.api_threads, args.pool_size)
    try:
        project = "scale-" + uuid.uuid4().hex[:8]
        share = [args.scale_lbs // args.clients + (1 if i < args.scale_lbs % args.clients else 0)
                 for i in range(args.clients)]
        t0 = time.monotonic()
        posts = load(d.bases, project, args.clients,
                     lambda cl, i, n: request(cl, "POST", "/v2/lbaas/loadbalancers", {
                         "loadbalancer": {"name": "s-%d-%d" % (i, n), "vip_subnet_id": SUBNET}}),
                     share=share)
        posted_s = time.monotonic() - t0
        if not wait_none_pending(d.bases[0], project, 600):
            sys.exit("api_throughput_bench: still PENDING_CREATE after 600 s")
        total_s = time.monotonic() - t0
        active = count(d.bases[0], project, "provisioning_status=ACTIVE")
    finally:
        d.stop()
    return {"engine": engine, "load_balancers": args.scale_lbs, "workers": 2,
            "all_posted_s": round(posted_s, 2), "all_active_s": round(total_s, 2),
            "active": active, "post": posts}


def main():
    global DEADLINE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engines", default="sqlite,postgresql")
    ap.add_argument("--apis", default="1,2", help="numbers of octane api processes to compare")
    ap.add_argument("--api-threads", type=int, default=2, help="threads per octane api (default 2)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=1,
                    help="octane worker processes beside the API in the throughput figures (0: the "
                         "POSTed load balancers stay PENDING_CREATE)")
    ap.add_argument("--pool-size", type=int, help="[database] max_pool_size (default: octane's, 1)")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--list-lbs", type=int, default=100)
    ap.add_argument("--scale-lbs", type=int, default=1000, help="0: skip the scale figure")
    ap.add_argument("--durable", action="store_true",
                    help="PostgreSQL with fsync and synchronous_commit on")
    ap.add_argument("--max-seconds", type=float, default=1800)
    ap.add_argument("--out")
    args = ap.parse_args()
    DEADLINE = time.monotonic() + args.max_seconds
    api_bench.DEADLINE = DEADLINE
    results = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "loadavg": os.getloadavg(), "clients": args.clients, "seconds": args.seconds,
               "durable": args.durable, "throughput": [], "scale": []}
    for engine in args.engines.split(","):
        os.environ["OCTANE_TEST_DATABASE"] = engine
        if engine == "postgresql" and args.durable:
            make_durable()
        for apis in [int(a) for a in args.apis.split(",")]:
            r = measure_throughput(engine, apis, args)
            results["throughput"].append(r)
            print("%-10s %d api: list %7.1f req/s p50 %6.2f p99 %6.2f ms | graph %7.1f req/s "
                  "p50 %6.2f p99 %6.2f ms" % (engine, apis, r["list"]["req_per_s"],
                                               r["list"]["p50_ms"], r["list"]["p99_ms"],
                                               r["graph"]["req_per_s"], r["graph"]["p50_ms"],
                                               r["graph"]["p99_ms"]), flush=True)
        if args.scale_lbs > 0:
            s = measure_scale(engine, args)
            results["scale"].append(s)
            print("%-10s %d LBs, 1 api + 2 workers: all posted %.1f s, all ACTIVE %.1f s (%d ACTIVE; "
                  "POST p50 %.2f p99 %.2f ms)" % (engine, s["load_balancers"], s["all_posted_s"],
                                                  s["all_active_s"], s["active"],
                                                  s["post"]["p50_ms"], s["post"]["p99_ms"]),
                  flush=True)
    results["loadavg_end"] = os.getloadavg()
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=2)
    print(json.dumps(results, indent=2))


def make_durable():
    """fsync and synchronous_commit on in the harness's cluster (started on first use)."""
    directory = database_choice._cluster_dir()
    psql = ["psql", "-h", directory, "-U", "postgres", "-d", "postgres", "-tAq", "-v", "ON_ERROR_STOP=1"]
    for setting in ("fsync = on", "synchronous_commit = on", "full_page_writes = on"):
        subprocess.run(psql + ["-c", "ALTER SYSTEM SET " + setting], check=True, timeout=60)
    subprocess.run(psql + ["-c", "SELECT pg_reload_conf()"], check=True, timeout=60,
                   stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
