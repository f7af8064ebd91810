#!/usr/bin/python3
"""UDP datagrams/s and CPU per datagram through `octane-proxy --lvs` against direct (issue 12).

Loopback only. Builds bench/udp_load.cc (g++ -O2), starts two echo members and one engine on the
LVS file Octavia renders for a UDP ROUND_ROBIN pool without monitor, then runs the same pipelined
load (`--flows` client sockets, `--window` datagrams in flight each) against one member directly
and against the VIP. Reports answers/s (an answer = one request in and one reply out, so two
datagrams through the engine), their ratio, and the engine's CPU (utime+stime from /proc) per
answer and per datagram. The kernel here has no IPVS, so there is no IPVS row to compare with.

    /usr/bin/python3 bench/udp_bench.py [--seconds 5] [--flows 16] [--window 8] [--size 64]
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration", "proxy"))
from proxy_harness import proxy_binary, wait_until  # noqa: E402
from udp_harness import free_udp_port, lvs_config  # noqa: E402


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_load(tool, port, args):
    out = subprocess.run([tool, "load", str(port), str(args.seconds), str(args.flows),
                          str(args.window), str(args.size)], capture_output=True, text=True,
                         timeout=args.seconds + 30, check=True).stdout.split()
    return int(out[0]) / float(out[1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--flows", type=int, default=16)
    ap.add_argument("--window", type=int, default=8)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--json", help="write the result here too")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="udp-bench-")
    tool = os.path.join(work, "udp_load")
    subprocess.run(["g++", "-O2", "-std=c++20", "-o", tool, os.path.join(HERE, "udp_load.cc")],
                   check=True)
    procs = []
    try:
        ports = [free_udp_port(), free_udp_port()]
        for p in ports:
            procs.append(subprocess.Popen([tool, "echo", str(p)]))
        vip = free_udp_port()
        cfg = os.path.join(work, "lvs.cfg")
        with open(cfg, "w") as f:
            f.write(lvs_config(vip, [("m1", ports[0]), ("m2", ports[1])], monitor=False))
        sock = os.path.join(work, "lvs.sock")
        engine = subprocess.Popen([proxy_binary(), "-db", "--lvs", cfg, "--stats-socket", sock])
        procs.append(engine)
        wait_until(lambda: os.path.exists(sock), 10, "the engine")
        run_load(tool, ports[0], argparse.Namespace(**{**vars(args), "seconds": 1}))  # warm-up
        direct = run_load(tool, ports[0], args)
        before = cpu_seconds(engine.pid)
        through = run_load(tool, vip, args)
        cpu = cpu_seconds(engine.pid) - before
        answers = through * args.seconds
        result = {
            "flows": args.flows, "window": args.window, "size": args.size,
            "direct_answers_per_s": round(direct), "engine_answers_per_s": round(through),
            "ratio": round(through / direct, 3),
            "engine_datagrams_per_s": round(2 * through),
            "engine_cpu_fraction": round(cpu / args.seconds, 3),
            "engine_cpu_us_per_answer": round(cpu / answers * 1e6, 3),
            "engine_cpu_us_per_datagram": round(cpu / (2 * answers) * 1e6, 3),
        }
        print(json.dumps(result, indent=2))
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=2)
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                p.wait(10)
        subprocess.run(["rm", "-rf", work], check=False)


if __name__ == "__main__":
    main()
