"""Which database the Octane processes a test starts use: SQLite in their state dir (default), or
PostgreSQL when OCTANE_TEST_DATABASE=postgresql.

With PostgreSQL, the first process started brings up one throwaway cluster for the whole pytest
run (scripts/test-postgres.sh: temp dir, unix socket only, no system service), stopped by its PID
when Python exits. Each state dir gets its own database, so tests stay as isolated as with a fresh
SQLite file, and processes sharing a state dir (api + worker, restarts) share the database.
"""
from __future__ import annotations

import atexit
import glob
import hashlib
import os
import sqlite3
import subprocess
import tempfile

_cluster: dict[str, str] = {}


def engine() -> str:
    value = os.environ.get("OCTANE_TEST_DATABASE", "sqlite")
    if value not in ("sqlite", "postgresql"):
        raise RuntimeError("OCTANE_TEST_DATABASE must be sqlite or postgresql, not %r" % value)
    return value


def _script() -> str:
    src = os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
        os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    return os.path.join(src, "scripts", "test-postgres.sh")


def _stop_cluster() -> None:
    directory = _cluster.pop("dir", None)
    if directory:
        subprocess.run([_script(), "stop", directory], check=False, timeout=60)


def _cluster_dir() -> str:
    if "dir" not in _cluster:
        directory = tempfile.mkdtemp(prefix="octane-pg-")
        _cluster["dir"] = directory
        atexit.register(_stop_cluster)
        subprocess.run([_script(), "start", directory], check=True, timeout=180,
                       stdout=subprocess.DEVNULL)
    return _cluster["dir"]


def connection_for(state_dir: str) -> str | None:
    """The --database-connection for processes over state_dir; None means the SQLite default."""
    if engine() != "postgresql":
        return None
    directory = _cluster_dir()
    name = "octane_" + hashlib.sha256(os.path.realpath(state_dir).encode()).hexdigest()[:20]
    psql = ["psql", "-h", directory, "-U", "postgres", "-d", "postgres", "-tAq", "-v", "ON_ERROR_STOP=1"]
    exists = subprocess.run(psql + ["-c", "SELECT 1 FROM pg_database WHERE datname = '%s'" % name],
                            check=True, timeout=60, capture_output=True, text=True).stdout.strip()
    if exists != "1":
        subprocess.run(psql + ["-c", "CREATE DATABASE %s" % name], check=True, timeout=60,
                       capture_output=True)
    return "postgresql:///%s?host=%s&user=postgres" % (name, directory)


def cli_args(state_dir: str, given=()) -> list[str]:
    """`--database-connection URL` for an octane command over state_dir (processes and CLI
    commands alike), unless the SQLite default applies or the command (or its config file) names
    one itself."""
    given = list(given)
    if "--database-connection" in given:
        return []
    if "--config-file" in given and given.index("--config-file") + 1 < len(given):
        with open(given[given.index("--config-file") + 1], encoding="utf-8") as f:
            if "[database]" in f.read():
                return []  # the test's own configuration names its database
    connection = connection_for(state_dir)
    return [] if connection is None else ["--database-connection", connection]


def shared_connection(state_dir: str) -> str:
    """An explicit --database-connection for processes that each have a state dir of their own but
    share one database (the one of state_dir), as on several hosts."""
    return connection_for(state_dir) or "sqlite:///" + os.path.join(state_dir, "octane.db")


def stored_bytes(state_dir: str) -> dict[str, bytes]:
    """What the database of state_dir holds at rest, by source: SQLite's files (octane.db and its
    WAL), or a pg_dump of the PostgreSQL database; for tests that nothing secret is in clear."""
    if engine() == "sqlite":
        out = {}
        for path in sorted(glob.glob(os.path.join(state_dir, "octane.db*"))):
            with open(path, "rb") as f:
                out[path] = f.read()
        return out
    dump = subprocess.run(["pg_dump", connection_for(state_dir)], check=True, timeout=60,
                          capture_output=True).stdout
    return {"pg_dump": dump}


def query(state_dir: str, sql: str) -> list[tuple]:
    """Rows of a parameterless query on the database of processes over state_dir (PostgreSQL: each
    value text or None; SQLite: its own types); no rows when the SQLite file does not exist yet."""
    if engine() == "sqlite":
        path = os.path.join(state_dir, "octane.db")
        if not os.path.exists(path):
            return []
        db = sqlite3.connect(path, timeout=10)
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()
    out = subprocess.run(["psql", connection_for(state_dir), "-tAq", "-v", "ON_ERROR_STOP=1",
                          "-F", "\x1f", "-c", sql], check=True, timeout=60, capture_output=True,
                         text=True)
    return [tuple(v if v != "" else None for v in line.split("\x1f"))
            for line in out.stdout.splitlines() if line]
