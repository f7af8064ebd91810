"""`octane agent` end to end: mutual TLS, config upload (validate before swap), engine supervision
(start, graceful reload, crash restart, delete), heartbeats. Real processes on 127.0.0.1 only."""
import hashlib
import os
import shutil
import signal
import ssl
import subprocess
import sys
import uuid

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import agent_harness as h  # noqa: E402

KEY = "insecure-heartbeat-key"


def engines():
    """HAProxy 2.6 (a Debian dependency) and our engine. A missing engine fails the test at set-up
    instead of skipping it: both must run the agent's flows."""
    candidates = [os.path.join(d, "octane-proxy") for d in
                  (os.environ.get("OCTANE_BUILD_DIR", ""), os.path.join(h.SRC, "build-proxy"))]
    found = next((c for c in candidates if c and os.path.exists(c)), None)
    return [pytest.param(h.HAPROXY, id="haproxy"),
            pytest.param(found or "octane-proxy (not built)", id="octane-proxy")]


@pytest.fixture(params=engines())
def env(request):
    engine = request.param
    root = h.short_tempdir()
    state = os.path.join(root, "s")
    os.makedirs(state)
    ids = {"lb": str(uuid.uuid4()), "listener": str(uuid.uuid4()), "pool": str(uuid.uuid4()),
           "m1": str(uuid.uuid4()), "m2": str(uuid.uuid4())}
    backends = [h.TcpBackend("1"), h.TcpBackend("2")]
    frontend_port = h.free_port()
    config = h.tcp_config(state, ids["lb"], ids["listener"], ids["pool"], frontend_port,
                          [(ids["m1"], backends[0].port), (ids["m2"], backends[1].port)])
    assert os.path.exists(engine), f"engine {engine} not found: build it (octane-proxy) or install haproxy"
    probe = os.path.join(root, "probe.cfg")
    with open(probe, "w") as f:
        f.write(config)
    # The agent validates every upload with `-c`; an engine that refuses the config the
    # controller renders for a TCP listener is a failure of that engine, not a reason to skip.
    check = subprocess.run([engine, "-c", "-f", probe], text=True, capture_output=True)
    if check.returncode != 0:
        for b in backends:
            b.close()
        shutil.rmtree(root, ignore_errors=True)
    assert check.returncode == 0, f"{engine} rejects the test config: {check.stdout}{check.stderr}"
    amphora_id = str(uuid.uuid4())
    pki = h.Pki(root, amphora_id)
    sink = h.HeartbeatSink()
    agent = h.Agent(engine, amphora_id, sink.port, KEY, state, pki)
    env = dict(engine=engine, root=root, state=state, agent=agent, sink=sink, ids=ids,
               port=frontend_port, config=config, amphora_id=amphora_id)
    yield env
    env["agent"].stop()  # a test may have replaced the agent
    sink.close()
    for b in backends:
        b.close()
    shutil.rmtree(root, ignore_errors=True)


def upload(env, text):
    ids = env["ids"]
    return env["agent"].request("PUT", f"/1.0/loadbalancer/{env['amphora_id']}/{ids['lb']}/haproxy", text)


def engine_pid(env):
    path = os.path.join(env["state"], env["ids"]["lb"], "haproxy.pid")
    try:
        return int(open(path).read())
    except (FileNotFoundError, ValueError):
        return None


def test_client_without_certificate_is_refused_at_tls(env):
    agent = env["agent"]
    for cert in (None, agent.pki.foreign_pem):
        with pytest.raises((ssl.SSLError, ConnectionResetError, BrokenPipeError)):
            agent.request("GET", "/", cert=cert)


def test_server_certificate_names_the_amphora(env):
    agent = env["agent"]
    with pytest.raises(ssl.SSLCertVerificationError):
        agent.request("GET", "/", server_name="another-amphora")


def test_version_info_and_unknown_routes(env):
    agent = env["agent"]
    assert agent.json("GET", "/")[2] == {"api_version": "1.0"}
    status, _, info = agent.json("GET", "/1.0/info")
    assert status == 200 and info["api_version"] == "1.0" and info["haproxy_version"]
    status, _, details = agent.json("GET", "/1.0/details")
    assert status == 200 and details["topology"] == "SINGLE" and details["haproxy_count"] == 0
    assert agent.json("GET", "/1.0/nothing")[::2] == (404, {"error": "Not Found", "http_code": 404})
    assert agent.json("POST", "/1.0/info/")[::2] == (
        405,
        {"error": "Method Not Allowed", "http_code": 405},
    )
    assert agent.json("DELETE", "/")[0] == 405
    # Octavia's UDP listener (keepalived LVS) and VRRP calls are routed to their handlers.
    assert agent.json("GET", "/1.0/listeners/listener/udp_listener")[0] == 404
    assert agent.json("PUT", "/1.0/listeners/amp/listener/udp_listener",
                      "virtual_server nonsense {\n")[0] == 400
    assert agent.json("PUT", "/1.0/vrrp/start")[0] == 404  # nothing uploaded yet
    assert agent.json("PUT", "/1.0/vrrp/dance")[0] in (400, 404)
    assert agent.json("GET", f"/1.0/loadbalancer/{env['ids']['lb']}/haproxy")[0] == 404
    assert agent.json("PUT", f"/1.0/loadbalancer/{env['ids']['lb']}/restart")[0] == 400
    assert agent.json("PUT", f"/1.0/loadbalancer/{env['ids']['lb']}/start")[0] == 404
    assert agent.json("GET", "/1.0/interface/127.0.0.1")[2] == {"message": "OK", "interface": "lo"}
    rules = '[{"protocol": "TCP", "cidr": null, "port": 80}]'
    assert agent.json("PUT", "/1.0/interface/127.0.0.1/rules", rules)[0] == 200
    assert agent.json("PUT", "/1.0/interface/127.0.0.1/rules", '[{"protocol": "TCP"}]')[0] == 400
    bad_cidr = '[{"protocol": "TCP", "cidr": "10.0.0.0/40", "port": 80}]'
    assert agent.json("PUT", "/1.0/interface/127.0.0.1/rules", bad_cidr)[0] == 400
    plug = '{"subnet_cidr": "127.0.0.0/8", "gateway": null, "mac_address": "00:00:00:00:00:00"}'
    assert agent.json("POST", "/1.0/plug/vip/127.0.0.9", plug)[0] == 202


def test_config_lifecycle_traffic_and_heartbeats(env):
    agent, ids = env["agent"], env["ids"]
    lb = ids["lb"]
    # An invalid config on a new LB: 400 with the engine's messages, nothing installed.
    status, _, body = upload(env, "global\n    no_such_directive 1\n")
    assert status == 400, body
    body = h.json.loads(body)
    assert body["message"] == "Invalid request" and "no_such_directive" in body["details"]
    assert agent.json("GET", f"/1.0/loadbalancer/{lb}/haproxy")[0] == 404

    status, headers, _ = upload(env, env["config"])
    assert status == 202
    assert headers["etag"] == hashlib.md5(env["config"].encode()).hexdigest()
    status, headers, text = agent.request("GET", f"/1.0/loadbalancer/{lb}/haproxy")
    assert status == 200 and text.decode() == env["config"]
    assert headers["etag"] == hashlib.md5(text).hexdigest()

    assert agent.json("PUT", f"/1.0/loadbalancer/{lb}/reload")[0] == 202  # stopped -> start
    h.wait_until(lambda: engine_pid(env) and h.pid_alive(engine_pid(env)), 10, "engine")
    first_pid = engine_pid(env)
    h.wait_until(lambda: _answers(env["port"]), 10, "listener up")
    seen = [h.read_line_through(env["port"]) for _ in range(6)]
    assert sorted(set(seen)) == ["1", "2"]
    assert all(a != b for a, b in zip(seen, seen[1:])), seen  # round robin alternates

    status, _, listeners = agent.json("GET", "/1.0/listeners")
    assert listeners == [{"status": "ACTIVE", "uuid": ids["listener"], "type": "TCP"}]

    # An invalid update leaves the running config and engine untouched.
    status, _, _ = upload(env, env["config"] + "\nbackend broken\n    balance no-such-algo\n")
    assert status == 400
    assert agent.request("GET", f"/1.0/loadbalancer/{lb}/haproxy")[2].decode() == env["config"]
    assert engine_pid(env) == first_pid and h.pid_alive(first_pid)

    # Heartbeats: HMAC verifies with the shared key, statuses from the stats socket.
    pool_key = f"{ids['pool']}:{ids['listener']}"

    def healthy():
        for m in reversed(env["sink"].messages(KEY)):
            pool = m.get("pools", {}).get(pool_key)
            if pool and pool["members"] == {ids["m1"]: "UP", ids["m2"]: "UP"}:
                return m
        return None
    message = h.wait_until(healthy, 15, "heartbeat with both members UP")
    assert message["id"] == env["amphora_id"] and message["ver"] == 3
    assert message["listeners"][ids["listener"]]["status"] == "OPEN"
    assert message["pools"][pool_key]["status"] == "UP"
    h.wait_until(lambda: sum(m["listeners"].get(ids["listener"], {}).get("stats", {}).get("tx", 0)
                             for m in env["sink"].messages(KEY)) > 0, 10, "tx counted")
    assert not env["sink"].messages("wrong-key")

    # Graceful reload: a new engine process, traffic still flows.
    assert agent.json("PUT", f"/1.0/loadbalancer/{lb}/reload")[0] == 202
    h.wait_until(lambda: engine_pid(env) != first_pid, 10, "new engine pid")
    h.wait_until(lambda: not h.pid_alive(first_pid), 10, "old engine gone")
    assert _answers(env["port"])

    # A crashed engine is restarted.
    crashed = engine_pid(env)
    os.kill(crashed, signal.SIGKILL)
    h.wait_until(lambda: engine_pid(env) not in (None, crashed) and h.pid_alive(engine_pid(env)),
                 10, "engine restarted")
    h.wait_until(lambda: _answers(env["port"]), 10, "traffic after restart")

    # Stop, start, then delete: the engine's PID is gone and the files removed.
    assert agent.json("PUT", f"/1.0/loadbalancer/{lb}/stop")[0] == 202
    assert not _answers(env["port"])
    assert agent.json("PUT", f"/1.0/loadbalancer/{lb}/start")[0] == 202
    h.wait_until(lambda: _answers(env["port"]), 10, "traffic after start")
    last = engine_pid(env)
    status, _, body = agent.json("DELETE", f"/1.0/listeners/{lb}")
    assert (status, body) == (200, {"message": "OK"})
    h.wait_until(lambda: not h.pid_alive(last), 10, "engine pid gone")
    assert not os.path.exists(os.path.join(env["state"], lb))
    assert agent.json("GET", f"/1.0/loadbalancer/{lb}/haproxy")[0] == 404
    assert agent.json("DELETE", f"/1.0/listeners/{lb}")[0] == 200  # absent: still 200


def test_certificates_and_sigterm_stops_engines(env):
    agent, ids = env["agent"], env["ids"]
    lb = ids["lb"]
    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    status, headers, _ = agent.request("PUT", f"/1.0/loadbalancer/{lb}/certificates/a.pem", pem)
    assert status == 200 and headers["etag"] == hashlib.md5(pem.encode()).hexdigest()
    assert agent.json("GET", f"/1.0/loadbalancer/{lb}/certificates/a.pem")[2] == \
        {"md5sum": hashlib.md5(pem.encode()).hexdigest()}
    assert agent.json("PUT", f"/1.0/loadbalancer/{lb}/certificates/a.crt", pem)[0] == 400
    assert agent.json("DELETE", f"/1.0/loadbalancer/{lb}/certificates/a.pem")[0] == 200
    assert agent.json("GET", f"/1.0/loadbalancer/{lb}/certificates/a.pem")[0] == 404

    assert upload(env, env["config"])[0] == 202
    assert agent.json("PUT", f"/1.0/loadbalancer/{lb}/start")[0] == 202
    h.wait_until(lambda: _answers(env["port"]), 10, "listener up")
    pid = engine_pid(env)
    assert agent.stop() == 0
    h.wait_until(lambda: not h.pid_alive(pid), 10, "engine stopped with the agent")


def _answers(port):
    try:
        return h.read_line_through(port) in ("1", "2")
    except OSError:
        return False


def voluntary_switches(pid):
    """Voluntary context switches of every thread of pid: each is one wake-up from a sleep."""
    total = 0
    task_dir = f"/proc/{pid}/task"
    for tid in os.listdir(task_dir):
        try:
            with open(f"{task_dir}/{tid}/status") as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches:"):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass  # a thread that ended meanwhile
    return total


def test_idle_agent_sleeps_and_restarts_a_killed_engine_at_once(env):
    """Engine exits reach the agent as events (a pidfd per engine in one poll), not by polling:
    an idle agent (heartbeats every 30 s) does not wake, yet a kill -9 of its engine is answered
    by a new engine at once."""
    env["agent"].stop()
    os.remove(os.path.join(env["state"], "agent.port"))  # the new agent writes its own
    agent = h.Agent(env["engine"], env["amphora_id"], env["sink"].port, KEY, env["state"],
                    env["agent"].pki, heartbeat_interval="30")
    env["agent"] = agent
    lb = env["ids"]["lb"]
    assert upload(env, env["config"])[0] == 202
    assert agent.json("PUT", f"/1.0/loadbalancer/{lb}/reload")[0] == 202
    h.wait_until(lambda: _answers(env["port"]), 10, "listener up")

    # The window is the measurement itself, not a wait for a condition.
    before = voluntary_switches(agent.proc.pid)
    h.time.sleep(2.0)
    woken = voluntary_switches(agent.proc.pid) - before
    # A 50 ms monitor period alone would be 40 wake-ups; allow a few for stray signals or logs.
    print(f"idle agent: {woken} wake-ups in 2 s")
    assert woken <= 5, f"idle agent woke {woken} times in 2 s"

    crashed = engine_pid(env)
    killed_at = h.time.monotonic()
    os.kill(crashed, signal.SIGKILL)
    h.wait_until(lambda: engine_pid(env) not in (None, crashed) and h.pid_alive(engine_pid(env)),
                 0.5, "engine restarted within 500 ms")
    h.wait_until(lambda: _answers(env["port"]), 2, "traffic after restart")
    print(f"engine restarted and serving {h.time.monotonic() - killed_at:.3f} s after kill -9")


def test_vrrp_calls_check_before_they_store(env):
    """The VRRP calls of Octavia's agent: nothing to start (or restart) before an upload, unknown
    actions refused, a configuration keepalived refuses is answered 400 with its words and not stored.
    (A running pair needs interfaces in namespaces: tests/e2e/active_standby_linuxbridge.)"""
    agent, state = env["agent"], env["state"]
    status, _, body = agent.json("PUT", "/1.0/vrrp/start")
    assert status == 404, body
    # Octane's restart (the controller's VRRP takeover) also needs an uploaded configuration.
    status, _, body = agent.json("PUT", "/1.0/vrrp/restart")
    assert status == 404, body
    status, _, body = agent.json("PUT", "/1.0/vrrp/dance")
    assert status == 400 and body["details"] == "Unknown action: dance", body
    status, _, body = agent.json("PUT", "/1.0/vrrp/upload", "vrrp_instance x {\n  bogus_kw 1\n}\n")
    assert status == 400 and "bogus_kw" in body["details"], body
    assert not os.path.exists(os.path.join(state, "vrrp", "keepalived.conf"))
    assert agent.json("GET", "/1.0/details")[2]["topology"] == "SINGLE"
