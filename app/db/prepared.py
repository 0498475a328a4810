"""The floor's hot statements, run at the driver's speed.

A floor scan issues a dozen short statements. SQLAlchemy's execution machinery costs about
50 µs on each (measured: a primary-key SELECT took 52 µs through ``Connection.execute``,
41 µs through ``exec_driver_sql`` and 4 µs on the sqlite3 cursor) — more than SQLite takes to
run most of them. ``Prepared`` compiles a Core statement once per dialect (and, for an
INSERT, per set of columns given) into the SQL SQLAlchemy itself would send, keeps its bind
and result processors (``app.db.compiling``), and runs it on the DBAPI cursor of the
SQLAlchemy connection:

- inside that connection's transaction, so a rollback undoes it like any other statement;
- with the column types' conversions both ways (UTC datetimes on SQLite, for instance);
- with Python-side column defaults filled in, as SQLAlchemy does;
- driver errors go through SQLAlchemy's own handling (wrapped as ``sqlalchemy.exc`` errors, a
  lost connection invalidated), so callers and the unit of work see the usual exceptions;
- ``before_cursor_execute`` listeners (statement counts in tests) still see every statement;
- an INSERT into a hash-chained table that returns its ids notes them for the commit's chain
  (``app.db.chain``), which then reads back exactly those rows.

- an IN list (an expanding bind parameter) is written out as SQLAlchemy writes it, once per
  list length (the text for each length is kept: a scan's lists have a handful of lengths);
- ``named=True``: rows come back as named tuples (``row.code``), as SQLAlchemy's rows read.

No ORM entities.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NoReturn

from sqlalchemy import Connection, Insert
from sqlalchemy.sql import ClauseElement

from app.core import clock
from app.db.compiling import Compiled, compile_statement, filled

if TYPE_CHECKING:  # the CLI's Core-only commands run these without loading the ORM
    from sqlalchemy.orm import Session


class Prepared:
    """One Core statement, compiled once per dialect, executed on the DBAPI cursor."""

    def __init__(self, statement: ClauseElement, *, named: bool = False) -> None:
        self.statement = statement
        self.named = named
        self.insert = isinstance(statement, Insert)
        self.chained_table: str | None = None
        if self.insert and not statement._returning:  # noqa: SLF001
            # No RETURNING of the new row's id nobody reads (PostgreSQL's "implicit returning").
            self.statement = statement = statement.inline()
        if self.insert and statement._returning:  # noqa: SLF001 - the statement's RETURNING list
            from app.db.chain import TABLES

            returned = [getattr(column, "key", None) for column in statement._returning]  # noqa: SLF001
            if statement.table.name in TABLES and returned and returned[0] == "id":
                # A plain str: the chain binds it, and the driver's adapter lookup on
                # SQLAlchemy's quoted_name (a str subclass) costs a scan ~10 µs.
                self.chained_table = str(statement.table.name)
        self._compiled: dict[tuple, Compiled] = {}
        self._by_key: dict[Any, Compiled] = {}
        # the same keys -> (SQL, arguments function, fetch, the compiled form when rows are
        # converted, named or noted): statements that take the short way (Prepared.execute)
        self._fast: dict[Any, tuple[str, Any, bool, Compiled | None]] = {}

    def _compile(self, conn: Connection, keys: tuple[str, ...]) -> Compiled:
        dialect = conn.dialect
        cache_key = (dialect.name, keys if self.insert else ())
        found = self._compiled.get(cache_key)
        if found is None:
            found = self._compiled[cache_key] = compile_statement(
                self.statement, dialect, keys, insert=self.insert, named=self.named,
                chained=self.chained_table is not None)
        return found

    def execute(self, conn: Connection, params: Mapping[str, Any] | None = None) -> list[Sequence]:
        """Run the statement; the rows it returns (converted), [] when it returns none."""
        # The scan path runs a dozen of these per scan, so the usual case is short: what it
        # needs (SQL, the arguments function, whether rows come back, the compiled form when
        # they are to be converted) found by one dict lookup (by dialect object; an INSERT's
        # also by the given columns, in the caller's order), the caller's values taken in the
        # statement's order by one C call, straight onto the cursor of a transaction begun at
        # the driver. Anything else (a first run, IN lists, column defaults, named parameters,
        # statement listeners, no such transaction, a reconnect) goes the long way.
        if params is None:
            params = _NONE
        fast = self._fast.get((conn.dialect, tuple(params)) if self.insert else conn.dialect)
        cursor = conn.__dict__.get(BEGUN)  # the transaction's cursor: see BEGUN
        if fast is None or cursor is None or cursor is True:
            return self._run_long(conn, params)
        sql, arguments, fetch, after = fast
        arguments = arguments(params)
        try:
            cursor.execute(sql, arguments)
            rows = cursor.fetchall() if fetch else []
        except conn.dialect.loaded_dbapi.Error as error:
            _driver_failed(conn, error, sql, arguments, cursor)
        if rows and after is not None:
            rows = self._after(conn, after, rows)
        return rows

    def rowcount(self, conn: Connection, params: Mapping[str, Any] | None = None) -> int:
        """Run an UPDATE or DELETE; the number of rows it matched (the connection's one cursor
        ran it, either way)."""
        self.execute(conn, params)
        return conn.__dict__[_STATE][2].rowcount

    def first(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Sequence | None:
        rows = self.execute(conn, params)
        return rows[0] if rows else None

    def scalar(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Any:
        rows = self.execute(conn, params)
        return rows[0][0] if rows else None

    def _run_long(self, conn: Connection, params: Mapping[str, Any]) -> list[Sequence]:
        key = (conn.dialect, tuple(params)) if self.insert else conn.dialect
        compiled = self._by_key.get(key)
        if compiled is None:
            compiled = self._by_key[key] = self._compile(conn, tuple(sorted(params)) if self.insert else ())
            if compiled.arguments is not None:
                self._fast[key] = (compiled.sql, compiled.arguments, compiled.fetch,
                                   compiled if compiled.after else None)
        if compiled.arguments is not None:
            rows, _ = driver_execute(conn, compiled.sql, compiled.arguments(params), fetch=compiled.fetch)
        else:
            rows, _ = driver_execute(conn, *filled(compiled, params), fetch=compiled.fetch)
        if rows and compiled.after:
            rows = self._after(conn, compiled, rows)
        return rows

    def _after(self, conn: Connection, compiled: Compiled, rows: list[Sequence]) -> list[Sequence]:
        """Rows converted (SQLAlchemy's result processors), made named tuples, and the ids an
        INSERT into a chained table returned noted for the commit's chain."""
        converting = compiled.converting
        if len(converting) == 1 and len(rows) == 1:  # the usual case: a flag or a time, one row
            ((at, process),) = converting
            row = rows[0]
            rows = [(*row[:at], process(row[at]), *row[at + 1:])]
        elif converting:
            converted = []
            for row in rows:
                row = list(row)
                for at, process in converting:
                    row[at] = process(row[at])
                converted.append(tuple(row))
            rows = converted
        if compiled.row is not None:  # tuple.__new__ as the named tuple's _make calls it, without the call
            rows = [tuple.__new__(compiled.row, row) for row in rows]
        if self.chained_table is not None:
            noted = conn.__dict__.setdefault(CHAIN_IDS, {}).setdefault(self.chained_table, [])
            noted.extend(map(itemgetter(0), rows))
        return rows


_NONE: Mapping[str, Any] = {}


# A Connection's __dict__: table -> ids of the rows prebuilt INSERTs into chained tables
# returned in its transaction (the commit chains exactly these, with no floor to read:
# app.db.chain.seal).
CHAIN_IDS = "stockfloor_chain_ids"

_STATE = "_stockfloor_driver"  # a Connection's [pool connection, its statement listeners, cursor]


def driver_execute(conn: Connection, sql: str, arguments: Sequence | Mapping, *, fetch: bool,
                   begin: bool = True) -> tuple[list, int]:
    """Driver-level SQL on the DBAPI cursor of ``conn`` (in its transaction; ``begin=False``:
    the caller is beginning it): (rows, rowcount), with SQLAlchemy's listeners and error
    handling, without its per-statement machinery."""
    cursor = conn.__dict__.get(BEGUN)  # the usual case: see BEGUN
    listeners = ()
    if cursor is None or cursor is True:
        _, listeners, cursor = _driver_state(conn, begin=begin)
    try:
        for listener in listeners:
            listener(conn, cursor, sql, arguments, None, False)
        cursor.execute(sql, arguments)
        return (cursor.fetchall() if fetch else []), cursor.rowcount
    except conn.dialect.loaded_dbapi.Error as error:
        _driver_failed(conn, error, sql, arguments, cursor)


def _driver_failed(conn: Connection, error: Exception, sql: str, arguments: Sequence | Mapping,
                   cursor: Any) -> NoReturn:
    """A statement the driver refused: SQLAlchemy's handling (a lost connection invalidated,
    its own exception raised from the driver's)."""
    kept = conn.__dict__
    kept.pop(_STATE, None)
    if BEGUN in kept:
        # SQLAlchemy rolls back what it believes is outside a transaction: it takes over
        # the one begun at the driver first, so that a refused statement ends only itself.
        conn.begin()
    conn._handle_dbapi_exception(error, sql, arguments, cursor, None)  # noqa: SLF001 - raises
    raise error  # not reached: SQLAlchemy raises its own exception from the driver's


def _driver_state(conn: Connection, *, begin: bool) -> list:
    """Begin a transaction where none is open (as SQLAlchemy's autobegin does; SQLite: our
    BEGIN is emitted then) and give the connection's [pool proxy, statement listeners,
    cursor], made once per connection and after a reconnect."""
    kept = conn.__dict__
    if begin and BEGUN not in kept and not conn.in_transaction():
        conn.begin()
    state = kept.get(_STATE)
    if state is None or state[0] is not conn._dbapi_connection:  # noqa: SLF001
        fairy = conn.connection  # reconnects an invalidated connection, as SQLAlchemy's execute does
        # The listeners SQLAlchemy would call (tests count statements), and one cursor for all.
        state = kept[_STATE] = [fairy, tuple(conn.dispatch.before_cursor_execute), fairy.dbapi_connection.cursor()]
    if kept.get(BEGUN) is True and not state[1]:
        kept[BEGUN] = state[2]  # the transaction's next statements go straight to the cursor
    return state


def begin_unit(conn: Connection, sql: str | None) -> None:
    """Begin a unit of work's transaction at the driver (``begin_at_driver``): ``sql`` (SQLite's
    BEGIN) on the connection's cursor, or nothing (psycopg begins at the first statement by
    itself). The statement listeners are read again (a connection kept between units outlives
    a test's listener); with none to call, the transaction's statements go straight to the
    cursor from the first (BEGUN)."""
    state = _driver_state(conn, begin=False)
    listeners = conn.dispatch.before_cursor_execute
    state[1] = listeners = tuple(listeners) if listeners else ()
    cursor = state[2]
    if sql is not None:
        try:
            for listener in listeners:
                listener(conn, cursor, sql, (), None, False)
            cursor.execute(sql)
        except conn.dialect.loaded_dbapi.Error as error:
            _driver_failed(conn, error, sql, (), cursor)
    conn.__dict__[BEGUN] = True if listeners else cursor


# A Connection's __dict__: a transaction was begun at the driver (``begin_at_driver``) and
# SQLAlchemy has none. The first statement SQLAlchemy runs itself (the ORM's, a Core
# execute) takes it over: its "begin" (app.db.engine) then emits nothing. The value is the
# connection's cursor, checked at the begin (its pool proxy current, no statement listener
# to call): the scan path's statements go straight to it. True while listeners are to be
# called (tests count statements): then every statement goes the long way. It goes with the
# transaction (its end, SQLAlchemy's take-over, a refused statement), so nothing outlives a
# reconnect.
BEGUN = "_stockfloor_begun"


def end_at_driver(conn: Connection, *, commit: bool) -> None:
    """COMMIT or ROLLBACK a transaction begun at the driver, with SQLAlchemy's error handling
    (a lost connection is invalidated, the error is SQLAlchemy's)."""
    kept = conn.__dict__
    begun = kept.pop(BEGUN)
    kept.pop(STAMP, None)
    # the driver connection the transaction runs on: its cursor's
    dbapi = conn.connection.dbapi_connection if begun is True else begun.connection
    try:
        if commit:
            dbapi.commit()
        else:
            dbapi.rollback()
    except conn.dialect.loaded_dbapi.Error as error:
        conn.__dict__.pop(_STATE, None)
        conn._handle_dbapi_exception(error, None, None, None, None)  # noqa: SLF001 - raises
        raise


# A Connection's __dict__: the instant its open transaction's rows are stamped with (``stamp``).
STAMP = "_stockfloor_stamp"


def stamp(conn: Connection) -> datetime:
    """The instant the rows this transaction writes carry (a scan's claim, journal row, moves
    and chain links): the clock's at the transaction's first ask, the same for the rest of
    it, as PostgreSQL's ``now()`` is the transaction's start. One reading of the clock, and
    one conversion to the database's form, per scan. It ends with the transaction (its
    COMMIT or ROLLBACK here or through SQLAlchemy: ``app.db.chain.forget``)."""
    at = conn.__dict__.get(STAMP)
    if at is None:
        at = conn.__dict__[STAMP] = clock.now()
    return at


_CONNECTION = "stockfloor_connection"  # session info: (its transaction, that transaction's connection)
CONNECT = "stockfloor_connect"  # session info: a unit of work's connection, begun (app.db.uow)
BEGUN_ON = "stockfloor_begun_on"  # session info: that connection while its transaction is open


def connection(session: Session) -> Connection:
    """The connection the session's statements run on, in a transaction: a unit of work's own
    (``app.db.uow``), else ``session.connection()`` remembered for the session's open
    transaction (the scan path asks a dozen times per scan)."""
    info = session.info
    conn = info.get(BEGUN_ON)
    if conn is not None:  # a unit of work's, in its transaction
        return conn
    connect = info.get(CONNECT)
    if connect is not None:
        return connect()
    transaction = session.get_transaction()
    if transaction is not None:
        cached = session.info.get(_CONNECTION)
        if cached is not None and cached[0] is transaction:
            return cached[1]
    conn = session.connection()
    session.info[_CONNECTION] = (session.get_transaction(), conn)
    return conn
