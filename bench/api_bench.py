#!/usr/bin/python3
"""Control-plane benchmark for issue 2: Octane vs the reference Octavia, on loopback, noop drivers.

Figures (each loop bounded in count and time, one global deadline):
  1. status: GET /v2/lbaas/loadbalancers/{id}/status for an LB with a listener, a pool and 2 members,
     --status-requests sequential requests: p50 / p99
  2. create->ACTIVE: --active-lbs LBs one at a time (POST, then GET ?fields=provisioning_status every
     --poll-ms until ACTIVE): total seconds, per-LB p50 / p99
  3. list: GET /v2/lbaas/loadbalancers (all LBs in one page) with --lbs LBs present (the LBs of 1. and 2.
     count; the rest are POSTed back to back), --list-requests sequential requests: p50 / p99.
     Also measured at 100 LBs on the way (comparable to the reference README's anchor numbers).

Usage:
  bench/api_bench.py --octane                 # starts $OCTANE_BUILD_DIR/octane serve (default build/) in a temp dir
  bench/api_bench.py --url http://127.0.0.1:9876 --lbs 1000   # any running server, e.g. the reference
Options: --out FILE.json, --new-connection (a TCP connection per request, like the reference's bench.py;
default: one persistent HTTP connection, as a requests.Session client would use).
"""
import argparse
import http.client
import json
import os
import statistics
import sys
import time
import urllib.parse
import uuid

SUBNET = "11111111-2222-3333-4444-555555555555"
DEADLINE = None


class Http:
    def __init__(self, base, project, new_connection=False):
        u = urllib.parse.urlparse(base)
        assert u.hostname in ("127.0.0.1", "localhost"), "loopback only"
        self.host, self.port = u.hostname, u.port
        self.new_connection = new_connection
        self.hdrs = {"Content-Type": "application/json", "Accept": "application/json", "X-Project-Id": project}
        self.conn = None

    def req(self, method, path, body=None, decode=True):
        check_deadline()
        if self.conn is None or self.new_connection:
            if self.conn is not None:
                self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        data = json.dumps(body) if body is not None else None
        t0 = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=self.hdrs)
            r = self.conn.getresponse()
            raw = r.read()
        except (http.client.HTTPException, ConnectionError):
            # server closed an idle keep-alive connection: retry once on a fresh one
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            t0 = time.perf_counter()
            self.conn.request(method, path, body=data, headers=self.hdrs)
            r = self.conn.getresponse()
            raw = r.read()
        dt = time.perf_counter() - t0
        if r.getheader("connection", "").lower() == "close" or r.version == 10:
            self.conn.close()
            self.conn = None
        js = json.loads(raw) if raw and decode else (raw if raw else None)
        return r.status, js, dt, len(raw)


def check_deadline():
    if time.monotonic() > DEADLINE:
        sys.exit("api_bench: global time limit reached, stopping")


def pct(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100.0
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


def summary(xs):
    return {"n": len(xs), "p50_ms": round(pct(xs, 50) * 1000, 3), "p99_ms": round(pct(xs, 99) * 1000, 3),
            "min_ms": round(min(xs) * 1000, 3), "max_ms": round(max(xs) * 1000, 3),
            "mean_ms": round(statistics.mean(xs) * 1000, 3)}


def must(status, js, want, what):
    if status != want:
        sys.exit("api_bench: %s -> %s %s" % (what, status, json.dumps(js)[:300]))
    return js


def wait_active(c, path, poll_s, limit_s=600):
    t_end = time.monotonic() + limit_s
    for _ in range(int(limit_s / max(poll_s, 0.001)) + 10):
        st, js, _, _ = c.req("GET", path + "?fields=provisioning_status")
        if st == 200:
            ps = next(iter(js.values()))["provisioning_status"]
            if ps == "ACTIVE":
                return
            if ps == "ERROR":
                sys.exit("api_bench: %s went ERROR" % path)
        if time.monotonic() > t_end:
            break
        time.sleep(poll_s)
    sys.exit("api_bench: %s not ACTIVE within %d s" % (path, limit_s))


def create_lb(c, name):
    st, js, dt, _ = c.req("POST", "/v2/lbaas/loadbalancers",
                          {"loadbalancer": {"name": name, "vip_subnet_id": SUBNET}})
    return must(st, js, 201, "create LB")["loadbalancer"]["id"], dt


def count_lbs(c):
    st, js, _, _ = c.req("GET", "/v2/lbaas/loadbalancers?fields=id")
    must(st, js, 200, "list")
    return len(js["loadbalancers"])


def measure_list(c, n_req):
    lat, size, count = [], 0, 0
    for _ in range(n_req):
        st, js, dt, size = c.req("GET", "/v2/lbaas/loadbalancers")
        must(st, js, 200, "list")
        count = len(js["loadbalancers"])
        lat.append(dt)
    s = summary(lat)
    s.update({"lbs_in_page": count, "bytes": size})
    return s


def run(base, args):
    c = Http(base, args.project, args.new_connection)
    poll = args.poll_ms / 1000.0
    res = {"url": base, "persistent_connection": not args.new_connection, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    st, js, _, _ = c.req("GET", "/")
    must(st, js, 200, "GET /")
    res["version"] = js["versions"][-1]["id"]
    tag = uuid.uuid4().hex[:6]

    # 1. status tree of an LB with a listener, a pool and 2 members
    lb_id, _ = create_lb(c, "bench-status-%s" % tag)
    lbp = "/v2/lbaas/loadbalancers/" + lb_id
    wait_active(c, lbp, poll)
    st, js, _, _ = c.req("POST", "/v2/lbaas/listeners", {"listener": {"loadbalancer_id": lb_id, "protocol": "HTTP",
                                                                      "protocol_port": 80}})
    li = must(st, js, 201, "listener")["listener"]["id"]
    wait_active(c, lbp, poll)
    st, js, _, _ = c.req("POST", "/v2/lbaas/pools", {"pool": {"listener_id": li, "protocol": "HTTP",
                                                              "lb_algorithm": "ROUND_ROBIN"}})
    pool = must(st, js, 201, "pool")["pool"]["id"]
    wait_active(c, lbp, poll)
    for addr in ("10.0.0.1", "10.0.0.2"):
        st, js, _, _ = c.req("POST", "/v2/lbaas/pools/%s/members" % pool, {"member": {"address": addr, "protocol_port": 80}})
        must(st, js, 201, "member")
        wait_active(c, lbp, poll)
    lat = []
    for _ in range(args.status_requests):
        st, js, dt, _ = c.req("GET", lbp + "/status")
        must(st, js, 200, "status")
        lat.append(dt)
    tree = js["statuses"]["loadbalancer"]
    assert len(tree["listeners"][0]["pools"][0]["members"]) == 2
    res["status"] = summary(lat)
    print("status tree:      p50 %.3f ms  p99 %.3f ms  (n=%d)" % (res["status"]["p50_ms"], res["status"]["p99_ms"], len(lat)))

    # 2. sequential create -> ACTIVE
    per = []
    t_all = time.perf_counter()
    for i in range(args.active_lbs):
        t0 = time.perf_counter()
        lid, _ = create_lb(c, "bench-active-%s-%d" % (tag, i))
        wait_active(c, "/v2/lbaas/loadbalancers/" + lid, poll)
        per.append(time.perf_counter() - t0)
    total = time.perf_counter() - t_all
    res["create_to_active"] = summary(per)
    res["create_to_active"]["total_s"] = round(total, 3)
    print("create->ACTIVE:   %d LBs in %.3f s  per LB p50 %.3f ms  p99 %.3f ms"
          % (len(per), total, res["create_to_active"]["p50_ms"], res["create_to_active"]["p99_ms"]))

    # 3. list with 100 LBs, then with --lbs LBs
    res["list"] = {}
    post_lat = []
    for target in sorted({min(100, args.lbs), args.lbs}):
        have = count_lbs(c)
        for i in range(max(0, target - have)):
            _, dt = create_lb(c, "bench-list-%s-%d-%d" % (tag, target, i))
            post_lat.append(dt)
        s = measure_list(c, args.list_requests)
        res["list"][str(s["lbs_in_page"])] = s
        print("list %4d LBs:    p50 %.3f ms  p99 %.3f ms  (n=%d, %d bytes)"
              % (s["lbs_in_page"], s["p50_ms"], s["p99_ms"], s["n"], s["bytes"]))
    if post_lat:
        res["bulk_post"] = summary(post_lat)
    st, js, _, _ = c.req("GET", "/v2/lbaas/loadbalancers?fields=provisioning_status")
    res["pending_at_end"] = sum(1 for x in js["loadbalancers"] if x["provisioning_status"] != "ACTIVE")
    return res


def main():
    global DEADLINE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="base URL of a running server (loopback)")
    ap.add_argument("--octane", action="store_true", help="start octane serve from $OCTANE_BUILD_DIR (default build/)")
    ap.add_argument("--lbs", type=int, default=1000)
    ap.add_argument("--list-requests", type=int, default=300)
    ap.add_argument("--status-requests", type=int, default=300)
    ap.add_argument("--active-lbs", type=int, default=100)
    ap.add_argument("--poll-ms", type=float, default=5.0)
    ap.add_argument("--project", default="bench-project")
    ap.add_argument("--new-connection", action="store_true")
    ap.add_argument("--max-seconds", type=int, default=3000)
    ap.add_argument("--out")
    args = ap.parse_args()
    DEADLINE = time.monotonic() + args.max_seconds
    if args.list_requests < 300 or args.status_requests < 300:
        sys.exit("api_bench: at least 300 list and status requests")
    if args.octane:
        src = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
        os.environ.setdefault("OCTANE_SOURCE_DIR", src)
        sys.path.insert(0, os.path.join(src, "tests", "integration", "harness"))
        import octane_server
        with octane_server.running_server("serve") as p:
            res = run(p.base_url, args)
            res["server"] = "octane serve (%s)" % octane_server.octane_binary()
    elif args.url:
        res = run(args.url.rstrip("/"), args)
        res["server"] = args.url
    else:
        sys.exit("api_bench: give --url or --octane")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(res, f, indent=2)
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
