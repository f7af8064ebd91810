#!/usr/bin/python3
"""Differential check: the same request script against the reference Octavia and against Octane;
prints every difference in status code, fault string and response shape (keys and non-volatile
values). A tool for finding bugs, not a CTest test (the reference is not available in CI).

    /usr/bin/python3 tests/integration/harness/diff_reference.py [--ref http://127.0.0.1:9876] [--octane URL]

Without --octane it starts build/octane serve (or $OCTANE_BUILD_DIR/octane) in a temp dir.
IDs, timestamps, request ids and invented VIP ids are normalised before comparing. Keys that only
Octane has (newer API versions: vip_vnic_type, vip_sg_ids, hsts_*, ...) are reported as "extra".
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import octane_server as h  # noqa: E402

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
NEWER_KEYS = {"vip_vnic_type", "vip_sg_ids", "hsts_max_age", "hsts_include_subdomains", "hsts_preload",
              "vnic_type", "request_sriov"}


def norm(v, names):
    if isinstance(v, dict):
        return {k: norm(x, names) for k, x in v.items()}
    if isinstance(v, list):
        return [norm(x, names) for x in v]
    if isinstance(v, str):
        if TS.match(v):
            return "<ts>"
        return UUID.sub(lambda m: names.get(m.group(0), "<uuid>"), v)
    return v


def canon(v):
    """Lists compare as multisets (both servers order ties by random uuids); l7 policy order is
    position order on both and is checked by the tests, not here."""
    if isinstance(v, dict):
        return {k: canon(x) for k, x in v.items()}
    if isinstance(v, list):
        return sorted((canon(x) for x in v), key=lambda x: json.dumps(x, sort_keys=True))
    return v


def shape_diff(path, a, b, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in b:
                out.append("%s: key %r missing in Octane (ref: %r)" % (path, k, a[k]))
            elif k not in a:
                if k not in NEWER_KEYS:
                    out.append("%s: extra key %r in Octane (%r)" % (path, k, b[k]))
            else:
                shape_diff("%s.%s" % (path, k), a[k], b[k], out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append("%s: list length ref %d != octane %d" % (path, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            shape_diff("%s[%d]" % (path, i), x, y, out)
    elif a != b:
        out.append("%s: ref %r != octane %r" % (path, a, b))


class Side:
    def __init__(self, url):
        self.c = h.Client(url, project="diffproj")
        self.names = {}   # real uuid -> symbolic name, so equal structure compares equal
        self.ids = {}

    def remember(self, name, obj_id):
        self.ids[name] = obj_id
        self.names[obj_id] = "<%s>" % name


def script():
    """(label, method, path-template, body-template, remember-as, wait) tuples."""
    S = h.SUBNET_ID
    return [
        ("lb create", "POST", "/v2/lbaas/loadbalancers", {"loadbalancer": {"name": "d", "vip_subnet_id": S, "tags": ["x"]}}, "lb", True),
        ("lb show", "GET", "/v2/lbaas/loadbalancers/{lb}", None, None, False),
        ("listener create", "POST", "/v2/lbaas/listeners", {"listener": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "protocol_port": 80, "name": "l"}}, "li", True),
        ("listener tcp", "POST", "/v2/lbaas/listeners", {"listener": {"loadbalancer_id": "{lb}", "protocol": "TCP", "protocol_port": 22, "name": "t"}}, "tli", True),
        ("listener udp", "POST", "/v2/lbaas/listeners", {"listener": {"loadbalancer_id": "{lb}", "protocol": "UDP", "protocol_port": 53, "name": "u"}}, "uli", True),
        ("listener show", "GET", "/v2/lbaas/listeners/{li}", None, None, False),
        ("listener udp show", "GET", "/v2/lbaas/listeners/{uli}", None, None, False),
        ("pool create", "POST", "/v2/lbaas/pools", {"pool": {"listener_id": "{li}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "name": "p", "session_persistence": {"type": "HTTP_COOKIE"}}}, "pool", True),
        ("pool2 create", "POST", "/v2/lbaas/pools", {"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "lb_algorithm": "SOURCE_IP", "name": "p2"}}, "pool2", True),
        ("udp pool", "POST", "/v2/lbaas/pools", {"pool": {"listener_id": "{uli}", "protocol": "UDP", "lb_algorithm": "ROUND_ROBIN", "name": "up", "session_persistence": {"type": "SOURCE_IP", "persistence_timeout": 60, "persistence_granularity": "255.255.255.0"}}}, "upool", True),
        ("pool show", "GET", "/v2/lbaas/pools/{pool}", None, None, False),
        ("udp pool show", "GET", "/v2/lbaas/pools/{upool}", None, None, False),
        ("member create", "POST", "/v2/lbaas/pools/{pool}/members", {"member": {"address": "10.0.0.1", "protocol_port": 80, "name": "m"}}, "m", True),
        ("member show", "GET", "/v2/lbaas/pools/{pool}/members/{m}", None, None, False),
        ("hm create", "POST", "/v2/lbaas/healthmonitors", {"healthmonitor": {"pool_id": "{pool}", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2, "name": "hm"}}, "hm", True),
        ("hm show", "GET", "/v2/lbaas/healthmonitors/{hm}", None, None, False),
        ("udp hm", "POST", "/v2/lbaas/healthmonitors", {"healthmonitor": {"pool_id": "{upool}", "type": "UDP-CONNECT", "delay": 5, "timeout": 3, "max_retries": 2}}, "uhm", True),
        ("udp hm show", "GET", "/v2/lbaas/healthmonitors/{uhm}", None, None, False),
        ("member2 create", "POST", "/v2/lbaas/pools/{pool}/members", {"member": {"address": "10.0.0.2", "protocol_port": 80}}, "m2", True),
        ("members list", "GET", "/v2/lbaas/pools/{pool}/members", None, None, False),
        ("l7 url", "POST", "/v2/lbaas/l7policies", {"l7policy": {"listener_id": "{li}", "action": "REDIRECT_TO_URL", "redirect_url": "http://a.example", "name": "u"}}, "polu", True),
        ("l7 pool", "POST", "/v2/lbaas/l7policies", {"l7policy": {"listener_id": "{li}", "action": "REDIRECT_TO_POOL", "redirect_pool_id": "{pool2}", "position": 1}}, "polp", True),
        ("l7 prefix", "POST", "/v2/lbaas/l7policies", {"l7policy": {"listener_id": "{li}", "action": "REDIRECT_PREFIX", "redirect_prefix": "https://b.example", "redirect_http_code": 308}}, "polx", True),
        ("l7 list", "GET", "/v2/lbaas/l7policies?listener_id={li}", None, None, False),
        ("rule create", "POST", "/v2/lbaas/l7policies/{polp}/rules", {"rule": {"type": "HOST_NAME", "compare_type": "ENDS_WITH", "value": ".example.com"}}, "rule", True),
        ("rule show", "GET", "/v2/lbaas/l7policies/{polp}/rules/{rule}", None, None, False),
        ("listener after l7", "GET", "/v2/lbaas/listeners/{li}", None, None, False),
        ("pool2 after l7", "GET", "/v2/lbaas/pools/{pool2}", None, None, False),
        ("status tree", "GET", "/v2/lbaas/loadbalancers/{lb}/status", None, None, False),
        ("lb stats", "GET", "/v2/lbaas/loadbalancers/{lb}/stats", None, None, False),
        ("listener stats", "GET", "/v2/lbaas/listeners/{li}/stats", None, None, False),
        ("lb show full", "GET", "/v2/lbaas/loadbalancers/{lb}", None, None, False),
        ("lb put", "PUT", "/v2/lbaas/loadbalancers/{lb}", {"loadbalancer": {"description": "new", "tags": []}}, None, True),
        ("listener put", "PUT", "/v2/lbaas/listeners/{li}", {"listener": {"connection_limit": 10, "insert_headers": {"X-Forwarded-For": "true"}, "allowed_cidrs": ["10.0.0.0/8"]}}, None, True),
        ("listener after put", "GET", "/v2/lbaas/listeners/{li}", None, None, False),
        ("pool put", "PUT", "/v2/lbaas/pools/{pool}", {"pool": {"session_persistence": {"type": "APP_COOKIE", "cookie_name": "c"}, "lb_algorithm": "LEAST_CONNECTIONS"}}, None, True),
        ("pool after put", "GET", "/v2/lbaas/pools/{pool}", None, None, False),
        ("member put", "PUT", "/v2/lbaas/pools/{pool}/members/{m}", {"member": {"weight": 0, "backup": True, "monitor_address": "10.9.9.9", "monitor_port": 81}}, None, True),
        ("member after put", "GET", "/v2/lbaas/pools/{pool}/members/{m}", None, None, False),
        ("hm put", "PUT", "/v2/lbaas/healthmonitors/{hm}", {"healthmonitor": {"http_method": "HEAD", "expected_codes": "200-202", "http_version": 1.1, "domain_name": "a.example"}}, None, True),
        ("hm after put", "GET", "/v2/lbaas/healthmonitors/{hm}", None, None, False),
        ("l7 put switch", "PUT", "/v2/lbaas/l7policies/{polu}", {"l7policy": {"redirect_prefix": "https://c.example"}}, None, True),
        ("l7 after switch", "GET", "/v2/lbaas/l7policies/{polu}", None, None, False),
        ("rule put", "PUT", "/v2/lbaas/l7policies/{polp}/rules/{rule}", {"rule": {"type": "HEADER", "key": "X-A", "invert": True}}, None, True),
        ("rule after put", "GET", "/v2/lbaas/l7policies/{polp}/rules/{rule}", None, None, False),
        ("batch", "PUT", "/v2/lbaas/pools/{pool}/members", {"members": [{"address": "10.0.0.1", "protocol_port": 80, "weight": 4}, {"address": "10.0.0.3", "protocol_port": 80}]}, None, True),
        ("members after batch", "GET", "/v2/lbaas/pools/{pool}/members?sort=address:asc", None, None, False),
        ("quota", "GET", "/v2/lbaas/quotas/diffproj", None, None, False),
        ("quota put", "PUT", "/v2/lbaas/quotas/diffproj", {"quota": {"pool": 3, "health_monitor": 4}}, None, False),
        ("quota list", "GET", "/v2/lbaas/quotas?project_id=diffproj", None, None, False),
        ("quota delete", "DELETE", "/v2/lbaas/quotas/diffproj", None, None, False),
        ("quota after delete", "GET", "/v2/lbaas/quotas/diffproj", None, None, False),
        ("amphorae", "GET", "/v2/octavia/amphorae?loadbalancer_id={lb}", None, None, False),
        ("pool delete in use", "DELETE", "/v2/lbaas/pools/{pool2}", None, None, False),
        ("hm delete", "DELETE", "/v2/lbaas/healthmonitors/{hm}", None, None, True),
        ("members after hm delete", "GET", "/v2/lbaas/pools/{pool}/members?sort=address:asc", None, None, False),
        ("listener with default pool id", "POST", "/v2/lbaas/listeners", {"listener": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "protocol_port": 81, "default_pool_id": "{pool2}"}}, "li2", True),
        ("pool2 listeners", "GET", "/v2/lbaas/pools/{pool2}", None, None, False),
        ("lb list fields", "GET", "/v2/lbaas/loadbalancers?fields=name&fields=provisioning_status&project_id=diffproj", None, None, False),
        ("listener bad tls", "POST", "/v2/lbaas/listeners", {"listener": {"loadbalancer_id": "{lb}", "protocol": "TERMINATED_HTTPS", "protocol_port": 443}}, None, False),
        ("listener http hdr on tcp", "POST", "/v2/lbaas/listeners", {"listener": {"loadbalancer_id": "{lb}", "protocol": "TCP", "protocol_port": 444, "insert_headers": {"X-Forwarded-For": "true"}}}, None, False),
        ("udp pool http cookie", "POST", "/v2/lbaas/pools", {"pool": {"loadbalancer_id": "{lb}", "protocol": "UDP", "lb_algorithm": "ROUND_ROBIN", "session_persistence": {"type": "HTTP_COOKIE"}}}, None, False),
        ("hm ping on udp", "POST", "/v2/lbaas/healthmonitors", {"healthmonitor": {"pool_id": "{pool2}", "type": "UDP-CONNECT", "delay": 5, "timeout": 3, "max_retries": 2}}, None, False),
        ("hm http opts on tcp", "POST", "/v2/lbaas/healthmonitors", {"healthmonitor": {"pool_id": "{pool2}", "type": "TCP", "delay": 5, "timeout": 3, "max_retries": 2, "url_path": "/x"}}, None, False),
        ("hm domain no version", "POST", "/v2/lbaas/healthmonitors", {"healthmonitor": {"pool_id": "{pool2}", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2, "domain_name": "a.example"}}, None, False),
        ("l7 url and pool", "POST", "/v2/lbaas/l7policies", {"l7policy": {"listener_id": "{li}", "action": "REDIRECT_TO_URL", "redirect_url": "http://a.example", "redirect_pool_id": "{pool2}"}}, None, False),
        ("l7 no url", "POST", "/v2/lbaas/l7policies", {"l7policy": {"listener_id": "{li}", "action": "REDIRECT_TO_URL"}}, None, False),
        ("rule header no key", "POST", "/v2/lbaas/l7policies/{polp}/rules", {"rule": {"type": "HEADER", "compare_type": "EQUAL_TO", "value": "v"}}, None, False),
        ("rule file type starts", "POST", "/v2/lbaas/l7policies/{polp}/rules", {"rule": {"type": "FILE_TYPE", "compare_type": "STARTS_WITH", "value": "jpg"}}, None, False),
        ("rule ssl cert false", "POST", "/v2/lbaas/l7policies/{polp}/rules", {"rule": {"type": "SSL_CONN_HAS_CERT", "compare_type": "EQUAL_TO", "value": "false"}}, None, False),
        ("rule regex bad", "POST", "/v2/lbaas/l7policies/{polp}/rules", {"rule": {"type": "PATH", "compare_type": "REGEX", "value": "a(b"}}, None, False),
        ("member reserved", "POST", "/v2/lbaas/pools/{pool}/members", {"member": {"address": "169.254.169.254", "protocol_port": 80}}, None, False),
        ("pool no lb", "POST", "/v2/lbaas/pools", {"pool": {"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}, None, False),
        ("lb no project", "POST", "/v2/lbaas/loadbalancers?x=1", None, None, False),
        ("cascade", "DELETE", "/v2/lbaas/loadbalancers/{lb}?cascade=true", None, None, False),
        ("after cascade", "GET", "/v2/lbaas/loadbalancers/{lb}?fields=provisioning_status", None, None, False),
    ]


def fill(s, ids):
    for k, v in ids.items():
        s = s.replace("{%s}" % k, v)
    return s


def run_side(side, steps):
    out = []
    for label, method, path, body, remember, wait in steps:
        p = fill(path, side.ids)
        b = None if body is None else json.loads(fill(json.dumps(body), side.ids))
        r = side.c.request(method, p, body=b)
        if remember and r.status in (200, 201) and isinstance(r.json, dict):
            side.remember(remember, h._single(r.json)["id"])
        if wait and r.status < 300 and "lb" in side.ids:
            h.wait_lb(side.c, side.ids["lb"])
            if remember and r.status == 201:
                try:
                    h.wait_active(side.c, p.split("?")[0] + "/" + side.ids[remember] if method == "POST" else p)
                except AssertionError:
                    pass
        out.append((label, r.status, norm(r.json, side.names)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default="http://127.0.0.1:9876")
    ap.add_argument("--octane")
    args = ap.parse_args()
    steps = script()
    ref = run_side(Side(args.ref), steps)
    if args.octane:
        octa = run_side(Side(args.octane), steps)
    else:
        with h.running_server("serve") as p:
            octa = run_side(Side(p.base_url), steps)
    ndiff = 0
    for (label, s1, j1), (_, s2, j2) in zip(ref, octa):
        diffs = []
        if s1 != s2:
            diffs.append("status ref %s != octane %s" % (s1, s2))
        shape_diff("", canon(j1), canon(j2), diffs)
        if diffs:
            ndiff += 1
            print("== %s" % label)
            for d in diffs:
                print("   " + d)
    print("%d of %d steps differ" % (ndiff, len(steps)))


if __name__ == "__main__":
    main()
