"""A loopback TCP proxy between the app and PostgreSQL that can fail on purpose.

Modes: ``pass`` (forward), ``refuse`` (close every new connection at once), ``partition``
(forward nothing either way and keep every socket open: a cable pulled between
workstation and server). One-shot faults on the next COMMIT a client sends (psycopg sends
``COMMIT`` as a simple query): ``drop_next_commit_reply`` (the server commits, the reply
never arrives, the client's connection is cut), ``partition_at_next_commit`` (the
COMMIT never reaches the server; everything from then on is partitioned) and
``hold_next_commit`` (the COMMIT reaches the server late, after the client gave up).
"""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit, urlunsplit

COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"


class PgProxy:
    def __init__(self, upstream_host: str = "127.0.0.1", upstream_port: int = 5432) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.mode = "pass"
        self.on_commit: str | None = None  # "drop_reply" | "partition"
        self.commits_seen = 0
        self.hold_seconds = 0.0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    # --- what a test calls ----------------------------------------------------------------------------
    def url(self, database_url: str) -> str:
        """``database_url`` with its host and port replaced by the proxy's."""
        parts = urlsplit(database_url)
        user = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
        return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{self.port}"))

    def drop_next_commit_reply(self) -> None:
        self.on_commit = "drop_reply"

    def partition_at_next_commit(self) -> None:
        self.on_commit = "partition"

    def hold_next_commit(self, seconds: float) -> None:
        """Deliver the next COMMIT to the server only after ``seconds`` (a congested link)."""
        self.on_commit, self.hold_seconds = "hold", seconds

    def refuse_all(self) -> None:
        """The server is gone (restarted, unplugged with a reset): open connections are cut,
        new ones refused at once, until heal()."""
        with self._lock:
            self.mode = "refuse"
            self._close_all()

    def heal(self) -> None:
        """Back to forwarding; connections cut off by a partition are closed (their TCP
        state is lost, as after a long outage)."""
        with self._lock:
            if self.mode == "partition":
                self._close_all()
            self.mode, self.on_commit = "pass", None

    def close(self) -> None:
        self._closed = True
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() waiting in its thread
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            self._close_all()

    # --- the plumbing -----------------------------------------------------------------------------------
    def _close_all(self) -> None:
        for sock in self._sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        self._sockets.clear()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.mode == "refuse":
                client.close()
                continue
            with self._lock:
                self._sockets.append(client)
            if self.mode == "partition":
                continue  # held open, never answered
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.append(server)
            pair = {"commit_pending": False}
            threading.Thread(target=self._pump, args=(client, server, pair, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, pair, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, pair: dict, upstream: bool) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            if upstream and COMMIT in data:
                self.commits_seen += 1
                fault, self.on_commit = self.on_commit, None
                if fault == "partition":
                    self.mode = "partition"
                elif fault == "hold":
                    time.sleep(self.hold_seconds)
                pair["commit_pending"] = fault == "drop_reply"
            if self.mode == "partition":
                continue  # lost on the wire
            if not upstream and pair["commit_pending"]:
                break  # the server committed; its answer is lost with the connection
            try:
                target.sendall(data)
            except OSError:
                break
        # In a partition the far side learns nothing: its socket stays open (the server
        # finds out through its own timeouts).
        for sock in (source,) if self.mode == "partition" else (source, target):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


# Short limits for a workstation behind the proxy, so that a fault ends within seconds.
LIMITS = {"CLIENT_TIMEOUT": "3", "IDLE_IN_TRANSACTION_TIMEOUT": "2", "CONNECT_TIMEOUT": "2",
          "LOCK_TIMEOUT": "8", "STATEMENT_TIMEOUT": "8"}


def station_behind(proxy: PgProxy, database, monkeypatch, *, why: str, **environment: str):  # noqa: ANN001, ANN201
    """A workstation's database that reaches ``database``'s server only through ``proxy``,
    with the short LIMITS (and ``environment``: STOCKFLOOR_* variables); skipped with ``why``
    on SQLite. The caller disposes of it."""
    import pytest

    from app.db.engine import create_database

    if database.engine.dialect.name != "postgresql":
        pytest.skip(why)
    for name, value in LIMITS.items():
        monkeypatch.setenv(f"STOCKFLOOR_PG_{name}", value)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return create_database(proxy.url(database.url))
