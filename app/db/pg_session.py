"""Bounded waits on PostgreSQL: a workstation that vanishes never holds locks for long, and
a workstation cut off from the server fails within a known time instead of freezing.

Server side, per session (sent in the startup packet, no extra round trip):
``statement_timeout``, ``lock_timeout``, ``idle_in_transaction_session_timeout`` and the
server's TCP keepalives / user timeout towards this client. Client side (libpq):
``connect_timeout``, TCP keepalives, ``tcp_user_timeout``, and a client wait limit on every
answer from the server (the connection is closed when it passes, so a partition or a lost
reply ends as a connection error, never as a hang).

Each value has a default below; ``STOCKFLOOR_PG_<NAME>`` in the environment overrides it
(e.g. ``STOCKFLOOR_PG_LOCK_TIMEOUT=5``; seconds, except ``KEEPALIVES_COUNT``), and a value
written in the database URL wins over both (libpq parameters such as
``?connect_timeout=3``, server settings inside ``options=-c lock_timeout=5s``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

import psycopg
from psycopg import errors

# Seconds. A dead workstation mid-transaction: idle 15 s -> the server ends its session.
DEFAULTS = {
    "connect_timeout": 5,
    "statement_timeout": 30,  # batch commands (db check at millions of moves) fit
    "lock_timeout": 10,
    "idle_in_transaction_timeout": 15,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 20,
    "client_timeout": 35,  # longest wait for any answer from the server
}


@dataclass(frozen=True)
class PgLimits:
    connect_timeout: float
    statement_timeout: float
    lock_timeout: float
    idle_in_transaction_timeout: float
    keepalives_idle: float
    keepalives_interval: float
    keepalives_count: int
    tcp_user_timeout: float
    client_timeout: float

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> PgLimits:
        values = dict(DEFAULTS)
        legacy = environ.get("STOCKFLOOR_CONNECT_TIMEOUT")
        if legacy:
            values["connect_timeout"] = float(legacy)
        for name in values:
            given = environ.get(f"STOCKFLOOR_PG_{name.upper()}")
            if given:
                values[name] = float(given)
        values["keepalives_count"] = int(values["keepalives_count"])
        return cls(**values)

    def server_settings(self) -> dict[str, str]:
        ms = lambda seconds: f"{int(seconds * 1000)}"  # noqa: E731
        return {
            "statement_timeout": ms(self.statement_timeout),
            "lock_timeout": ms(self.lock_timeout),
            "idle_in_transaction_session_timeout": ms(self.idle_in_transaction_timeout),
            "tcp_keepalives_idle": str(max(int(self.keepalives_idle), 1)),
            "tcp_keepalives_interval": str(max(int(self.keepalives_interval), 1)),
            "tcp_keepalives_count": str(self.keepalives_count),
            "tcp_user_timeout": ms(self.tcp_user_timeout),
        }

    def connect_args(self, url_query: Mapping[str, object]) -> dict[str, object]:
        """libpq keyword arguments; what the URL already says is left to the URL."""
        libpq = {
            "connect_timeout": max(int(self.connect_timeout), 1),
            "keepalives": 1,
            "keepalives_idle": max(int(self.keepalives_idle), 1),
            "keepalives_interval": max(int(self.keepalives_interval), 1),
            "keepalives_count": self.keepalives_count,
            "tcp_user_timeout": int(self.tcp_user_timeout * 1000),
        }
        args: dict[str, object] = {k: v for k, v in libpq.items() if k not in url_query}
        given = str(url_query.get("options") or "")
        extra = " ".join(f"-c {name}={value}" for name, value in self.server_settings().items()
                         if f"{name}=" not in given)
        args["options"] = f"{given} {extra}".strip()
        return args


assert {f.name for f in fields(PgLimits)} == set(DEFAULTS)


class BoundedConnection(psycopg.Connection):
    """A psycopg connection that waits at most ``client_timeout`` seconds for any answer;
    then it closes itself and raises OperationalError (the pool throws it away)."""

    client_timeout: float = DEFAULTS["client_timeout"]

    def wait(self, gen, interval=None, timeout=None):  # noqa: ANN001, ANN201
        limit = self.client_timeout if timeout is None else min(timeout, self.client_timeout)
        extra = {} if interval is None else {"interval": interval}
        try:
            return super().wait(gen, timeout=limit, **extra)
        except errors._WaitTimeout:
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"no answer from the server within {limit:g} s; connection closed") from None


def bounded_connection_class(limits: PgLimits) -> type[BoundedConnection]:
    return type("BoundedConnection", (BoundedConnection,), {"client_timeout": limits.client_timeout})
