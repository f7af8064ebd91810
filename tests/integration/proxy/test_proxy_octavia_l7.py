"""Octavia's L7 as Octavia's renderer writes it (Octane's renderer through octane-render-case, the
bytes the amphora driver uploads), served by octane-proxy and by HAProxy 2.6 on loopback: every
L7 rule type and compare type with and without invert, every policy action with every redirect
code, SOURCE_IP / HTTP_COOKIE / APP_COOKIE persistence, PROXY and PROXYV2 pools. Each request
gets the answer HAProxy gives to the same file, and the answer Octavia means.

What these files cannot show (SSL_* rules need TLS; allowed_cidrs are not in haproxy.cfg at all)
is listed in src/proxy/README.md."""
import json
import os
import re
import socket
import subprocess
import uuid

import pytest

from proxy_harness import (HAPROXY, Engine, HttpBackend, TcpBackend, backend_pair, free_port,
                           http_get, wait_until)

SOURCE_DIR = os.environ.get("OCTANE_SOURCE_DIR",
                            os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CORPUS_CASE = os.path.join(SOURCE_DIR, "tests", "testdata", "haproxy-corpus",
                           "l7_reject_and_redirects.json")
COMPARES = ["EQUAL_TO", "STARTS_WITH", "ENDS_WITH", "CONTAINS", "REGEX"]
CODES = [301, 302, 303, 307, 308]
PROXY_V2_SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"
# Each scenario compares the engine with HAProxy 2.6 on the same file.
pytestmark = pytest.mark.skipif(not os.access(HAPROXY, os.X_OK), reason="haproxy 2.6 not installed")


def uid(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(map(str, parts))))


def render(lb):
    build = os.environ.get("OCTANE_BUILD_DIR", os.path.join(SOURCE_DIR, "build"))
    with open(CORPUS_CASE) as f:
        context = json.load(f)["render_context"]
    doc = json.dumps({"loadbalancer": lb, "render_context": context})
    out = subprocess.run([os.path.join(build, "tests", "octane-render-case")], input=doc,
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return out.stdout, context["local_peer_name"]


def member(name, port):
    return {"id": uid("member", name, port), "name": name, "address": "127.0.0.1",
            "protocol_port": port, "subnet_id": uid("subnet")}


def pool(name, backends, protocol="HTTP", **extra):
    return {"id": uid("pool", name), "name": name, "protocol": protocol,
            "lb_algorithm": "ROUND_ROBIN",
            "members": [member(b.name.decode(), b.port) for b in backends], **extra}


def listener(name, port, default_pool, protocol="HTTP", policies=()):
    return {"id": uid("listener", name), "name": name, "protocol": protocol,
            "protocol_port": port, "default_pool": default_pool, "l7policies": list(policies)}


def load_balancer(listeners):
    return {"id": uid("lb"), "name": "l7-audit", "project_id": "bccf406c045d401b91ba5c7552a124ae",
            "provider": "amphora", "vip_address": "127.0.0.1", "vip_subnet_id": uid("subnet"),
            "vip_network_id": uid("network"), "vip_port_id": uid("port"),
            "listeners": listeners}


def policy(name, action, rules, **extra):
    return {"id": uid("policy", name), "name": name, "action": action, "rules": rules, **extra}


def rule(name, type_, compare, value, key=None, invert=False):
    r = {"id": uid("rule", name), "type": type_, "compare_type": compare, "value": value,
         "invert": invert}
    if key:
        r["key"] = key
    return r


class Served:
    """One rendered file run by one engine: the paths of `global` moved into a temporary
    directory and its maxconn capped (as the golden-file checks do), nothing else changed."""

    def __init__(self, kind, cfg, peer, tmp_path):
        tmp = tmp_path / kind
        tmp.mkdir()
        self.sock = str(tmp / "lb.sock")
        cfg = re.sub(r"(\n    stats socket )\S+", rf"\g<1>{self.sock}", cfg)
        cfg = re.sub(r"(\n    server-state-file )\S+", rf"\g<1>{tmp}/servers-state", cfg)
        cfg = cfg.replace("/run/rsyslog/octavia/log", f"{tmp}/log")
        # The global maxconn capped, as in the corpus' CHECK.md (HAProxy sizes its fds from it).
        cfg = re.sub(r"(global\n(?:    .*\n)*?    maxconn )(\d+)", r"\g<1>5000", cfg, count=1)
        user_group = tmp / "user-group.conf"
        user_group.write_text("global\n    group nogroup\n")
        self.engine = Engine(kind, cfg, ["-L", peer, "-f", str(user_group)])

    def __enter__(self):
        self.engine.start(wait_socket=self.sock)
        return self

    def __exit__(self, *exc):
        self.engine.stop()


def answer(port, path="/", headers=None):
    status, hdrs, body = http_get(port, path, headers)
    return status, hdrs.get("location"), body.split(" ")[0] if status == 200 else None


def both_engines(cfg, peer, tmp_path, ask):
    """ask(kind) under HAProxy, then under octane-proxy, on the same file and ports."""
    got = {}
    for kind in ("haproxy", "octane"):
        with Served(kind, cfg, peer, tmp_path):
            got[kind] = ask(kind)
    return got


# rule type -> (key, {compare: value}, request that matches, request that does not), a request
# being (path, headers).
RULE_CASES = {
    "HOST_NAME": (None, {"EQUAL_TO": "www.example.com", "STARTS_WITH": "www.",
                         "ENDS_WITH": ".example.com", "CONTAINS": "example",
                         "REGEX": r"^w+\.example\.com$"},
                  ("/", {"Host": "WWW.Example.com"}), ("/", {"Host": "api.other.org"})),
    "PATH": (None, {"EQUAL_TO": "/api/v1", "STARTS_WITH": "/api", "ENDS_WITH": "/v1",
                    "CONTAINS": "pi/v", "REGEX": "^/api/v[0-9]+$"},
             ("/api/v1?q=/web", {}), ("/web/v2?q=/api/v1", {})),
    # Octavia accepts FILE_TYPE with EQUAL_TO and REGEX only; it renders path_end -m str|reg.
    "FILE_TYPE": (None, {"EQUAL_TO": "jpg", "REGEX": "^.*\\.jp(e)?g$"},
                  ("/img/cat.jpg", {}), ("/img/cat.png", {})),
    "HEADER": ("X-Version", {"EQUAL_TO": "beta-2", "STARTS_WITH": "beta", "ENDS_WITH": "-2",
                             "CONTAINS": "ta-", "REGEX": "^beta-[0-9]+$"},
               ("/", {"X-Version": "beta-2"}), ("/", {"X-Version": "stable"})),
    "COOKIE": ("session", {"EQUAL_TO": "beta-2", "STARTS_WITH": "beta", "ENDS_WITH": "-2",
                           "CONTAINS": "ta-", "REGEX": "^beta-[0-9]+$"},
               ("/", {"Cookie": "a=1; session=beta-2"}), ("/", {"Cookie": "session=stable"})),
}


def test_every_rule_type_compare_type_and_invert(tmp_path):
    """One listener per (type, compare, invert) with one REJECT policy of one rule: the request
    meant to match is refused (403) and the other reaches the pool, the other way round when
    inverted; a request without the header or cookie counts as not matching."""
    with backend_pair(HttpBackend) as backends:
        cases, listeners = [], []
        for type_, (key, values, hit, miss) in RULE_CASES.items():
            for compare, value in values.items():
                for invert in (False, True):
                    name = f"{type_}-{compare}-{invert}"
                    port = free_port()
                    r = rule(name, type_, compare, value, key, invert)
                    listeners.append(listener(name, port, pool(name, backends[:1]),
                                              policies=[policy(name, "REJECT", [r])]))
                    requests = [hit, miss] + ([("/", {})] if key else [])
                    cases.append((name, port, invert, requests))
        cfg, peer = render(load_balancer(listeners))

        def ask(kind):
            return {(name, i): answer(port, *req)[0]
                    for name, port, _, requests in cases for i, req in enumerate(requests)}

        got = both_engines(cfg, peer, tmp_path, ask)
    assert got["octane"] == got["haproxy"]
    for name, _, invert, requests in cases:
        meant = [403, 200, 200][:len(requests)]
        if invert:
            meant = [200 if s == 403 else 403 for s in meant]
        if name.startswith("FILE_TYPE-EQUAL_TO"):
            # Octavia's `path_end -m str jpg`: -m str replaces path_end's suffix match, so the
            # whole path is compared with "jpg" and no real path matches, in HAProxy as here.
            meant = [403, 403] if invert else [200, 200]
        assert [got["octane"][(name, i)] for i in range(len(requests))] == meant, name


def test_every_policy_action_and_redirect_code(tmp_path):
    """REJECT, REDIRECT_TO_URL and REDIRECT_PREFIX with each redirect_http_code (and Octavia's
    default 302), REDIRECT_TO_POOL; policies in position order, the first match wins."""
    with backend_pair(HttpBackend) as (one, two):
        policies = [policy("reject", "REJECT", [rule("reject", "PATH", "EQUAL_TO", "/reject")])]
        for code in CODES + [None]:
            extra = {"redirect_http_code": code} if code else {}
            policies.append(policy(f"url{code}", "REDIRECT_TO_URL",
                                   [rule(f"url{code}", "PATH", "STARTS_WITH", f"/url{code}")],
                                   redirect_url=f"https://www.example.com/moved{code}", **extra))
            policies.append(policy(f"prefix{code}", "REDIRECT_PREFIX",
                                   [rule(f"prefix{code}", "PATH", "STARTS_WITH", f"/pre{code}")],
                                   redirect_prefix=f"https://legacy{code}.example.com", **extra))
        policies.append(policy("to-pool", "REDIRECT_TO_POOL",
                               [rule("to-pool", "HEADER", "EQUAL_TO", "two", key="X-Pool")],
                               redirect_pool=pool("second", [two])))
        # Shadowed by "reject" above: never reached.
        policies.append(policy("late", "REDIRECT_TO_POOL",
                               [rule("late", "PATH", "EQUAL_TO", "/reject")],
                               redirect_pool={"name": "second"}))
        port = free_port()
        cfg, peer = render(load_balancer([listener("actions", port, pool("first", [one]),
                                                   policies=policies)]))
        requests = [("/reject", {}), ("/plain", {}), ("/x", {"X-Pool": "two"})]
        for code in CODES + [None]:
            requests += [(f"/url{code}/a?b=c", {}), (f"/pre{code}/a?b=c", {})]
        got = both_engines(cfg, peer, tmp_path,
                           lambda kind: [answer(port, *req) for req in requests])
    assert got["octane"] == got["haproxy"]
    answers = dict(zip([r[0] for r in requests], got["octane"]))
    assert answers["/reject"] == (403, None, None)
    assert answers["/plain"] == (200, None, "one")
    assert answers["/x"] == (200, None, "two")
    for code in CODES + [None]:
        assert answers[f"/url{code}/a?b=c"] == (
            code or 302, f"https://www.example.com/moved{code}", None)
        assert answers[f"/pre{code}/a?b=c"] == (
            code or 302, f"https://legacy{code}.example.com/pre{code}/a?b=c", None)


def pinned(port, n, headers=None):
    """Names of the members answering n requests, each on a new connection."""
    return [answer(port, f"/r{i}", headers)[2] for i in range(n)]


def test_session_persistence_of_every_type(tmp_path):
    """SOURCE_IP pins every connection from 127.0.0.1 to one member; HTTP_COOKIE inserts the
    member's id as cookie SRV and honours it; APP_COOKIE learns JSESSIONID from the member's
    Set-Cookie and sends that session back to it."""
    with backend_pair(HttpBackend) as backends:
        ports = {t: free_port() for t in ("SOURCE_IP", "HTTP_COOKIE", "APP_COOKIE", "NONE")}
        listeners = []
        for t, port in ports.items():
            extra = {}
            if t == "APP_COOKIE":
                extra["session_persistence"] = {"type": t, "cookie_name": "JSESSIONID"}
            elif t != "NONE":
                extra["session_persistence"] = {"type": t}
            listeners.append(listener(t, port, pool(t, backends, **extra)))
        cfg, peer = render(load_balancer(listeners))
        ids = {m["name"]: m["id"] for m in pool("x", backends)["members"]}

        def ask(kind):
            out = {"none": sorted(pinned(ports["NONE"], 4)),
                   "source_ip": len(set(pinned(ports["SOURCE_IP"], 6)))}
            status, hdrs, body = http_get(ports["HTTP_COOKIE"], "/")
            first = body.split(" ")[0]
            out["cookie"] = (hdrs.get("set-cookie", "").split(";")[0], first)
            out["cookie_pinned"] = set(pinned(ports["HTTP_COOKIE"], 4,
                                              {"Cookie": f"SRV={ids['two']}"}))
            status, hdrs, body = http_get(ports["APP_COOKIE"], "/login")
            session = hdrs.get("set-cookie", "").split(";")[0]
            out["app"] = (session, body.split(" ")[0])
            out["app_pinned"] = set(pinned(ports["APP_COOKIE"], 4, {"Cookie": session}))
            return out

        got = both_engines(cfg, peer, tmp_path, ask)
    assert got["octane"] == got["haproxy"]
    o = got["octane"]
    assert o["none"] == ["one", "one", "two", "two"]  # without persistence requests spread
    assert o["source_ip"] == 1
    assert o["cookie"] == (f"SRV={ids[o['cookie'][1]]}", o["cookie"][1])
    assert o["cookie_pinned"] == {"two"}
    assert o["app"] == (f"JSESSIONID=sess-{o['app'][1]}", o["app"][1])
    assert o["app_pinned"] == {o["app"][1]}


class FirstBytes(TcpBackend):
    """A member that records what arrives first on each connection and answers HTTP 200."""

    def __init__(self):
        self.seen = []
        super().__init__("first-bytes")

    def _serve(self, c):
        data = b""
        try:
            c.settimeout(5)
            # A v2 header starts with CRLF CRLF itself: wait for the request's end too.
            while data.count(b"\r\n\r\n") < (2 if data.startswith(PROXY_V2_SIGNATURE) else 1):
                d = c.recv(4096)
                if not d:
                    break
                data += d
            self.seen.append(data)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        except OSError:
            pass
        finally:
            c.close()


def proxy_header(data):
    """The PROXY header in front of the request: ("v1", fields) or ("v2", (src, sport))."""
    if data.startswith(b"PROXY "):
        line = data.split(b"\r\n", 1)[0].decode()
        return "v1", line.split(" ")[1:4]
    if data.startswith(PROXY_V2_SIGNATURE):
        length = int.from_bytes(data[14:16], "big")
        addr = data[16:16 + length]
        return "v2", (socket.inet_ntoa(addr[0:4]), socket.inet_ntoa(addr[4:8]))
    return "none", None


def test_proxy_and_proxyv2_pools(tmp_path):
    """PROXY and PROXYV2 pools behind TCP and HTTP listeners: the member gets the header naming
    the client before the client's bytes, v1 text or v2 binary."""
    member_ = FirstBytes()
    try:
        cases = [(listener_protocol, pool_protocol, free_port())
                 for listener_protocol in ("TCP", "HTTP") for pool_protocol in ("PROXY", "PROXYV2")]
        cfg, peer = render(load_balancer([
            listener(f"{lp}-{pp}", port,
                     {"id": uid("pool", lp, pp), "name": f"{lp}-{pp}", "protocol": pp,
                      "lb_algorithm": "ROUND_ROBIN", "members": [member("m", member_.port)]},
                     protocol=lp)
            for lp, pp, port in cases]))

        def ask(kind):
            headers = []
            for _, _, port in cases:
                member_.seen.clear()
                assert http_get(port, "/p")[0] == 200
                wait_until(lambda: len(member_.seen) == 1, 5, "the connection at the member")
                headers.append(proxy_header(member_.seen[0]))
            return headers

        got = both_engines(cfg, peer, tmp_path, ask)
    finally:
        member_.stop()
    assert got["octane"] == got["haproxy"]
    for (lp, pp, _), (version, fields) in zip(cases, got["octane"]):
        if pp == "PROXY":
            assert (version, fields[0:2]) == ("v1", ["TCP4", "127.0.0.1"]), (lp, pp)
        else:
            assert (version, fields) == ("v2", ("127.0.0.1", "127.0.0.1")), (lp, pp)


def test_allowed_cidrs_are_not_in_the_render():
    """Octavia enforces allowed_cidrs outside haproxy.cfg (the VIP port's security group, the
    amphora's interface rules): the file carries none, so the engine cannot (README)."""
    cfg, _ = render(load_balancer([dict(
        listener("cidrs", 8080, {"id": uid("pool", "c"), "name": "c", "protocol": "TCP",
                                 "lb_algorithm": "ROUND_ROBIN", "members": []},
                 protocol="TCP"), allowed_cidrs=["10.0.0.0/8"])]))
    assert "10.0.0.0" not in cfg
