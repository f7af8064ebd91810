"""Health manager tests: real `octane serve` / `octane health` processes, real UDP heartbeats on
127.0.0.1 built as an amphora agent builds them (docs/amphora.md §2: zlib level 9 + hex HMAC-SHA256)."""
import os
import sys

_SRC = os.environ.get("OCTANE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(_SRC, "tests", "integration", "harness"))
