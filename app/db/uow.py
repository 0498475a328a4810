"""Unit of work: one transaction around one use case."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.core.errors import DatabaseUnavailable
from app.db import chain
from app.db.engine import Database, begin_at_driver
from app.db.prepared import BEGUN, BEGUN_ON, CONNECT, end_at_driver

_SPARE = threading.local()  # .session: a closed session of this thread's, for its next unit


class UnitOfWork:
    """``with UnitOfWork(db) as uow: ...; uow.commit()`` — rolls back unless committed.

    The unit holds one connection, checked out and begun at its first statement (a database
    that cannot be reached fails inside the ``with``, as ``DatabaseUnavailable``). The ORM
    session and the prebuilt statements (``app.db.prepared``) both run on it: the session joins
    the connection's transaction instead of keeping one of its own, which costs a scan a
    tenth of a millisecond less at both ends. ``session.commit()`` / ``session.rollback()``
    are the unit's.

    A read-only unit (``write=False``) that ends without an error ends with COMMIT, which for
    a transaction that wrote nothing is what ROLLBACK is, at the same cost. On PostgreSQL it
    keeps the connection's prepared statements: psycopg prepares a statement at its fifth run
    on a connection and forgets all of them at each ROLLBACK, so with the screens' reads
    rolled back between scans, scan statements were planned anew every time.
    """

    def __init__(self, database: Database, *, write: bool = True) -> None:
        self.database = database
        self.write = write
        self.session: Session
        self._conn: Connection | None = None

    def __enter__(self) -> UnitOfWork:
        spare = getattr(_SPARE, "session", None)
        if spare is None:
            self.session = _UnitSession(self, expire_on_commit=False, autoflush=True)
        else:  # this thread's last unit's session, closed: a new one costs a scan 10 µs
            _SPARE.session = None
            spare.reset_for(self)
            self.session = spare
        return self

    def connection(self) -> Connection:
        """The unit's connection, in a transaction (begun here when none is open)."""
        conn = self._conn
        if conn is None:
            conn = self._conn = self.database.unit_connection(write=self.write)
        if BEGUN not in conn.__dict__ and not conn.in_transaction():
            begin_at_driver(conn, write=self.write)
            self.session.info[BEGUN_ON] = conn  # until commit or rollback: asked a dozen times a scan
        return conn

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        clean = False
        try:
            if exc is None and not self.write:
                self.commit()
            else:
                self.rollback()
            clean = not isinstance(exc, SQLAlchemyError)  # a refused scan's connection is as good
        except SQLAlchemyError:
            if exc is None:  # a lost connection cannot roll back; the first error is the news
                raise
        finally:
            session = self.session
            if session._transaction is not None or session.identity_map or session._new or session._deleted:  # noqa: SLF001
                Session.close(session)  # a session the scan never used has nothing to let go
            session.release()
            _SPARE.session = session
            conn, self._conn = self._conn, None
            if conn is not None:
                if clean:  # the next unit on this thread starts on it
                    self.database.park(conn, write=self.write)
                else:
                    conn.close()
        if isinstance(exc, OperationalError):
            raise DatabaseUnavailable(
                where=self.database.describe(), reason=str(exc.orig).strip().splitlines()[0]
            ) from exc

    def commit(self) -> None:
        """Flush, chain what was inserted into chained tables, COMMIT."""
        self.session.info.pop(BEGUN_ON, None)
        if self.session.in_transaction():
            Session.commit(self.session)  # flushes; the chain's hook runs
        conn = self._conn
        if conn is None:
            return
        at_driver = BEGUN in conn.__dict__  # only statements beside the session ran
        if at_driver or conn.in_transaction():
            chain.seal(conn)  # what the statements beside the session inserted
            if at_driver:
                end_at_driver(conn, commit=True)
            else:
                conn.commit()

    def rollback(self) -> None:
        self.session.info.pop(BEGUN_ON, None)
        Session.rollback(self.session)
        conn = self._conn
        if conn is None:
            return
        if BEGUN in conn.__dict__:
            chain.forget(conn)
            end_at_driver(conn, commit=False)
        elif conn.in_transaction():
            conn.rollback()


class _UnitSession(Session):
    """A unit of work's session: it runs on the unit's connection, and its commit and
    rollback are the unit's."""

    def __init__(self, unit: UnitOfWork, **options: Any) -> None:
        super().__init__(**options)
        self.reset_for(unit)

    def reset_for(self, unit: UnitOfWork) -> None:
        """Serve ``unit`` (a closed session is as good as a new one)."""
        self._unit = unit
        self.info[CONNECT] = unit.connection

    def release(self) -> None:
        """The unit ended: keep nothing of it (its database, its connection) while spare."""
        self._unit = None
        self.info.clear()

    def get_bind(self, *args: Any, **kwargs: Any) -> Connection:  # noqa: ARG002 - one bind
        return self._unit.connection()

    def commit(self) -> None:
        self._unit.commit()

    def rollback(self) -> None:
        self._unit.rollback()
