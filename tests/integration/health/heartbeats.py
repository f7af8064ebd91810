"""Heartbeat datagrams and the health manager's files, for the tests in this folder."""
import hashlib
import hmac
import json
import os
import socket
import time
import zlib

import octane_server as h


def seal(payload: bytes, key: str) -> bytes:
    """zlib.compress(json, 9) + lowercase hex HMAC-SHA256 over the compressed bytes (docs/amphora.md §2)."""
    body = zlib.compress(payload, 9)
    return body + hmac.new(key.encode(), body, hashlib.sha256).hexdigest().encode()


def message(amphora_id, seq, listeners, pools, ver=3) -> dict:
    """listeners: {id: (status, {tx, rx, conns, totconns, ereq})}; pools: {"pool:listener": (status, {member: status})}."""
    return {"id": amphora_id, "seq": seq, "ver": ver,
            "listeners": {lid: {"status": st, "stats": stats} for lid, (st, stats) in listeners.items()},
            "pools": {key: {"status": st, "members": members} for key, (st, members) in pools.items()}}


def stats(tx=0, rx=0, conns=0, totconns=0, ereq=0) -> dict:
    return {"tx": tx, "rx": rx, "conns": conns, "totconns": totconns, "ereq": ereq}


class Sender:
    """One UDP socket towards the health manager on 127.0.0.1:port."""

    def __init__(self, port: int, key: str):
        self.addr = ("127.0.0.1", port)
        self.key = key
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def raw(self, data: bytes):
        self.sock.sendto(data, self.addr)

    def send(self, msg: dict, key: str | None = None) -> bytes:
        data = seal(json.dumps(msg).encode(), key or self.key)
        self.raw(data)
        return data

    def close(self):
        self.sock.close()


def read_int_file(path: str, timeout: float = 20.0) -> int:
    def check():
        try:
            with open(path) as f:
                text = f.read().strip()
            return int(text) if text else None
        except (FileNotFoundError, ValueError):
            return None
    return h.poll_until(check, timeout=timeout, what=path)


def counters(state_dir: str) -> dict:
    try:
        with open(os.path.join(state_dir, "health-counters.json")) as f:
            return json.load(f)
    except (FileNotFoundError, ValueError):
        return {}


def wait_counters(state_dir: str, pred, timeout: float = 15.0, what: str = "health counters") -> dict:
    """Polls health-counters.json (refreshed every health_check_interval) until pred(counters)."""
    state = {}

    def check():
        state["c"] = counters(state_dir)
        return bool(state["c"]) and pred(state["c"])
    try:
        h.poll_until(check, timeout=timeout, interval=0.05, what=what)
    except AssertionError:
        raise AssertionError("%s; last counters: %r" % (what, state.get("c")))
    return state["c"]


def poll(fn, timeout: float, what: str):
    return h.poll_until(fn, timeout=timeout, interval=0.05, what=what)


def monotonic() -> float:
    return time.monotonic()
