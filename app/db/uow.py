"""Unit of work: one transaction around one use case."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.core.errors import DatabaseUnavailable
from app.db import chain  # noqa: F401 - registers the hash chain's commit hook
from app.db.engine import Database


class UnitOfWork:
    """``with UnitOfWork(db) as uow: ...; uow.commit()`` — rolls back unless committed.

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

    def __enter__(self) -> UnitOfWork:
        bind = self.database.writer if self.write else self.database.engine
        self.session = Session(bind=bind, expire_on_commit=False, autoflush=True)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc is None and not self.write:
                self.session.commit()
            else:
                self.session.rollback()
        except SQLAlchemyError:
            if exc is None:  # a lost connection cannot roll back; the first error is the news
                raise
        finally:
            self.session.close()
        if isinstance(exc, OperationalError):
            raise DatabaseUnavailable(
                where=self.database.describe(), reason=str(exc.orig).strip().splitlines()[0]
            ) from exc

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
