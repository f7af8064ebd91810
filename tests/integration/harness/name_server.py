"""A member for traffic tests: accepts TCP connections and answers each with its name and a
newline, then closes. Shared by the tests that tell members apart by what they answer."""
from __future__ import annotations

import socket
import threading


class NameServer:
    """A member: accepts TCP connections and answers each with its name and a newline."""

    def __init__(self, address: str, port: int, name: str):
        self.name = name
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((address, port))
        self.sock.listen(64)
        self.address, self.port = self.sock.getsockname()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed by stop()
            with conn:
                try:
                    conn.sendall(self.name.encode() + b"\n")
                except OSError:
                    pass  # a health check closes at once

    def stop(self):
        # shutdown() wakes the accept() of the serving thread; close() alone would not.
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()
