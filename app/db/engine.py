"""Opening a database: a local SQLite file or a shared PostgreSQL server.

SQLite: WAL, synchronous FULL, foreign keys, and real transactions (the stdlib driver's
legacy mode is switched off, we emit BEGIN ourselves); writers take BEGIN IMMEDIATE so two
workstations never interleave a read-then-write (measured: plain deferred BEGIN under 16 writers locked and oversold).
PostgreSQL: psycopg 3, READ COMMITTED; stock writes are conditional UPDATEs; every wait is
bounded (app/db/pg_session.py).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, SQLAlchemyError

from app.core.errors import DatabaseUnavailable
from app.db.direct import sqlite_session
from app.db.prepared import BEGUN, begin_unit, driver_execute  # BEGIN the cheap way: every unit of work starts with it

WRITE_OPTION = "stockfloor_write"


SUPPORTED_SCHEMES = ("sqlite", "postgresql+psycopg")
_PASSWORD = re.compile(r"(://[^/:@]*:)[^@/]*@")


def normalise_url(target: str) -> str:
    """A path or URL as typed by a user -> an SQLAlchemy URL with our drivers.

    DatabaseUnavailable, in one line, for a URL that cannot name a database Stockfloor
    opens (malformed, a port that is not a number, an unsupported scheme such as mysql://)."""
    if "://" not in target:
        return f"sqlite:///{Path(target).expanduser().resolve()}"
    url = target
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if target.startswith(prefix):
            url = "postgresql+psycopg://" + target[len(prefix):]
    _check_url(url)
    return url


def _check_url(url: str) -> None:
    shown = _PASSWORD.sub(r"\1***@", url)
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018  (a port that is not a number raises here)
    except (ArgumentError, ValueError) as exc:
        reason = "the port is not a number" if "int()" in str(exc) \
            else "it is not a database URL (postgresql://user:password@host:port/name)"
        raise DatabaseUnavailable(where=shown, reason=reason) from None
    if parsed.drivername not in SUPPORTED_SCHEMES:
        raise DatabaseUnavailable(
            where=shown,
            reason=f"{parsed.drivername}:// is not supported, use a SQLite file path or a postgresql:// URL",
        )


def describe_url(url: str) -> str:
    """The URL without its password, for status bars and messages."""
    return make_url(url).render_as_string(hide_password=True)


WARM_LIMIT = 4  # threads that keep a connection between units (the app has one database thread)


@dataclass
class Database:
    url: str
    engine: Engine
    # (thread, write) -> (connection, its engine, lost connections then, parked at or None
    # when it is never pinged): see unit_connection
    _warm: dict[tuple[int, bool], tuple[Connection, Engine, int, float | None]] = field(
        default_factory=dict, repr=False, compare=False)
    # [connections found lost so far]: counted by the engine's error listener, which holds
    # this list, not the Database (a cycle would leave a dropped Database, and the
    # connections it keeps, to the cyclic collector, on whichever thread it runs).
    lost: list[int] = field(default_factory=lambda: [0], repr=False, compare=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        db = self.engine.url.database
        return Path(db) if self.is_sqlite and db and db != ":memory:" else None

    @property
    def writer(self) -> Engine:
        """The same pool, flagged so that SQLite transactions begin IMMEDIATE (made once: every
        unit of work asks)."""
        made = self.__dict__.get("_writer")
        if made is None or made[0] is not self.engine:
            made = self.__dict__["_writer"] = (self.engine, self.engine.execution_options(**{WRITE_OPTION: True}))
        return made[1]

    def describe(self) -> str:
        return describe_url(self.url)

    def unit_connection(self, *, write: bool) -> Connection:
        """A connection for one unit of work: the one this thread's last unit ended cleanly on
        (``park``), else a fresh one from the pool. A busy scanner thus pays neither the pool's
        checkout and check-in nor a new connection object per scan, and on PostgreSQL keeps
        talking to the same server process (its caches warm): about a tenth of a scan on
        either database. The pool's guarantees hold for a kept connection too: once any
        connection was found lost (a server that restarted, a network that dropped) the kept
        ones are given up, and one that sat idle for ``IDLE_PING_SECONDS`` is asked first."""
        parked = self._warm.pop((threading.get_ident(), write), None)
        if parked is not None:
            conn, engine, lost, since = parked
            # not invalidated, not closed: it holds its pool connection (SQLite: never pinged)
            if engine is self.engine and lost == self.lost[0] and conn._dbapi_connection is not None and (  # noqa: SLF001
                    since is None or time.monotonic() - since < IDLE_PING_SECONDS or _answers(conn)):
                return conn
            _close_quietly(conn)
        return (self.writer if write else self.engine).connect()

    def park(self, conn: Connection, *, write: bool) -> None:
        """A unit of work ended cleanly on ``conn`` (no transaction open): keep it for this
        thread's next unit, or give it back to the pool."""
        key = (threading.get_ident(), write)
        if len(self._warm) >= WARM_LIMIT:  # threads that ended give their connections back
            living = {thread.ident for thread in threading.enumerate()}
            for gone in [k for k in self._warm if k[0] not in living]:
                parked = self._warm.pop(gone, None)
                if parked is not None:
                    _close_quietly(parked[0])
        postgresql = conn.dialect.name == "postgresql"
        if conn.invalidated or conn.in_transaction() or BEGUN in conn.__dict__ or key in self._warm or (
                len(self._warm) >= WARM_LIMIT) or (postgresql and not _driver_idle(conn)):
            conn.close()
            return
        # parked at (PostgreSQL: a kept connection idle too long is pinged first; SQLite: None)
        self._warm[key] = (conn, self.engine, self.lost[0], time.monotonic() if postgresql else None)

    def dispose(self) -> None:
        self._let_go()
        self.engine.dispose()

    def _let_go(self) -> None:
        """Give back the connections threads keep (none of them is in use: a unit takes its
        connection out of ``_warm`` while it works)."""
        while self._warm:
            _close_quietly(self._warm.popitem()[1][0])

    def __del__(self) -> None:  # a Database dropped without dispose(): nothing stays checked out
        try:
            self._let_go()
        except Exception:  # noqa: BLE001 - at interpreter exit the pool may be gone already
            pass


def _close_quietly(conn: Connection) -> None:
    try:
        conn.close()
    except SQLAlchemyError:  # a connection that broke while parked: nothing to give back
        pass


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        sqlite_session(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        if conn.__dict__.pop(BEGUN, None) is None:  # else SQLAlchemy takes over one begun below
            _sqlite_begin(conn, write=conn.get_execution_options().get(WRITE_OPTION, False))


def _sqlite_begin(conn: Connection, *, write: bool) -> None:
    driver_execute(conn, "BEGIN IMMEDIATE" if write else "BEGIN", (), fetch=False, begin=False)


def begin_at_driver(conn: Connection, *, write: bool) -> None:
    """Begin a unit of work's transaction on the driver alone (SQLite: BEGIN, IMMEDIATE for a
    writer; psycopg begins at the first statement by itself), without SQLAlchemy's
    transaction object: its begin and commit cost a scan more than the statements they
    frame. The first statement SQLAlchemy runs on ``conn`` itself takes the transaction over
    (the "begin" listener above emits nothing then, and an engine with no listener of its
    own has nothing to emit); ``app.db.prepared.end_at_driver`` ends one it did not."""
    begin_unit(conn, ("BEGIN IMMEDIATE" if write else "BEGIN") if conn.dialect.name == "sqlite" else None)


IDLE_PING_SECONDS = 10.0  # a pooled or kept connection idle longer is pinged once before use


def _driver_idle(conn: Connection) -> bool:
    """The driver holds no transaction open either (PostgreSQL: a kept connection idle in a
    transaction would hold its locks, and the server ends such a session). PostgreSQL only."""
    from psycopg.pq import TransactionStatus

    try:
        return conn.connection.driver_connection.info.transaction_status == TransactionStatus.IDLE
    except Exception:  # noqa: BLE001 - a connection that broke on the way: not kept
        return False


def _answers(conn: Connection) -> bool:
    """A kept PostgreSQL connection that sat idle answers a ping (as the pool asks one that sat
    idle in it); a lost one is noted lost, so every kept and pooled connection is renewed."""
    try:
        conn.exec_driver_sql("SELECT 1")
        conn.rollback()
    except SQLAlchemyError:
        return False
    return True


def _postgresql_engine(url: str, *, echo: bool) -> Engine:
    """Bounded waits on every session (see pg_session); no ping per transaction: only a
    connection that sat idle in the pool is checked (a busy scanner pays no round trip)."""
    import psycopg  # only a PostgreSQL target pays for importing the driver

    from app.db.pg_session import PgLimits, bounded_connection_class

    limits = PgLimits.from_environment()
    engine = create_engine(url, echo=echo, connect_args=limits.connect_args(make_url(url).query))
    connection_class = bounded_connection_class(limits)

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect, _record, cargs, cparams):  # noqa: ANN001, ANN202
        return connection_class.connect(*cargs, **cparams)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        conn.__dict__.pop(BEGUN, None)  # SQLAlchemy takes over a transaction begun at the driver

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_connection, record):  # noqa: ANN001
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection, record, _proxy):  # noqa: ANN001
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            dbapi_connection.execute("SELECT 1")
            dbapi_connection.rollback()
        except psycopg.Error as exc:
            raise DisconnectionError(str(exc)) from exc  # the pool connects afresh

    return engine


def create_database(target: str, *, echo: bool = False) -> Database:
    """Create the engine for ``target`` and prove the database answers."""
    url = normalise_url(target)
    created: list[Path] = []  # what opening made: removed again when the database is unusable
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        created = sqlite_new_paths(Path(make_url(url).database))
        Path(make_url(url).database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo)
        _configure_sqlite(engine)
    elif url.startswith("sqlite"):
        raise DatabaseUnavailable(where=url, reason="in-memory databases are not supported")
    else:
        engine = _postgresql_engine(url, echo=echo)
    database = Database(url=url, engine=engine)

    lost = database.lost

    @event.listens_for(engine, "handle_error")
    def _on_error(context):  # noqa: ANN001, ANN202
        if context.is_disconnect:
            lost[0] += 1
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        engine.dispose()
        remove_paths(created)
        raise DatabaseUnavailable(where=describe_url(url), reason=_first_line(exc)) from exc
    return database


def _first_line(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    return (str(original).strip().splitlines() or [type(original).__name__])[0]


def sqlite_new_paths(path: Path) -> list[Path]:
    """The database file, its side files and parent folders that do not exist yet, deepest
    first: what opening ``path`` may create and what remove_paths() takes away again."""
    candidates = [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
    missing = [candidate for candidate in candidates if not candidate.exists()]
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    return missing


def remove_paths(paths: list[Path]) -> None:
    """Remove files and (empty) folders an attempt created; what cannot go stays."""
    for path in paths:
        try:
            path.rmdir() if path.is_dir() else path.unlink(missing_ok=True)
        except OSError:
            pass
