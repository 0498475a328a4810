"""The floor's hot statements, run at the driver's speed.

A floor scan issues a dozen short statements. SQLAlchemy's execution machinery costs about
50 µs on each (measured: a primary-key SELECT took 52 µs through ``Connection.execute``,
41 µs through ``exec_driver_sql`` and 4 µs on the sqlite3 cursor) — more than SQLite takes to
run most of them. ``Prepared`` compiles a Core statement once per dialect (and, for an
INSERT, per set of columns given) into the SQL SQLAlchemy itself would send, keeps its bind
and result processors, and runs it on the DBAPI cursor of the SQLAlchemy connection:

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

from collections import namedtuple
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Insert
from sqlalchemy.sql import ClauseElement

if TYPE_CHECKING:  # the CLI's Core-only commands run these without loading the ORM
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class _Compiled:
    sql: str
    order: tuple[str, ...] | None  # positional drivers: the parameter names in order
    defaults: dict[str, Any]  # literal values compiled into bind parameters (LIMIT 1, 'receiving')
    prefetch: tuple[tuple[str, Any], ...]  # (name, column default) filled when not given
    binds: tuple[tuple[str, Any], ...]  # (name, bind processor)
    results: tuple[Any, ...] | None  # one result processor (or None) per column; None: no rows
    row: type | None = None  # named=True: the named tuple of the result columns
    expanding: tuple[tuple[str, Any], ...] = ()  # the IN lists: (parameter name, item processor)
    compiled: Any = None  # SQLAlchemy's compiled statement (to write an IN list out)
    converting: tuple[tuple[int, Any], ...] = ()  # (column, processor) of the columns converted
    # list lengths -> (SQL, positional order, {list name: its items' parameter names})
    shapes: dict[tuple[int, ...], tuple[str, tuple[str, ...] | None, dict[str, list[str]]]] = field(
        default_factory=dict)


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
                self.chained_table = statement.table.name
        self._compiled: dict[tuple, _Compiled] = {}
        self._by_key: dict[Any, _Compiled] = {}

    def _compile(self, conn: Connection, keys: tuple[str, ...]) -> _Compiled:
        dialect = conn.dialect
        cache_key = (dialect.name, keys if self.insert else ())
        found = self._compiled.get(cache_key)
        if found is not None:
            return found
        compiled = self.statement.compile(dialect=dialect, column_keys=list(keys) if self.insert else None)
        processors = compiled._bind_processors  # noqa: SLF001 - what SQLAlchemy applies itself
        prefetch = tuple((column.key, column.default) for column in getattr(compiled, "insert_prefetch", ()))
        given = {*keys, *(name for name, _ in prefetch)}
        defaults = {name: bind.effective_value for name, bind in compiled.binds.items()
                    if not bind.required and bind.callable is None and name not in given}
        results = None
        if compiled._result_columns:  # noqa: SLF001
            results = tuple(_result_processor(column[3], dialect) for column in compiled._result_columns)  # noqa: SLF001
            if not any(results):
                results = ()
        # IN lists by their rendered names (compiled.binds also holds anonymous keys); their
        # items are converted one by one (_expand), not the list.
        expanding = tuple((name, processors.get(name)) for name in dict.fromkeys(
            name for bind, name in compiled.bind_names.items() if bind.expanding))
        row = None
        if self.named and compiled._result_columns:  # noqa: SLF001
            row = namedtuple("Row", [column[0] for column in compiled._result_columns], rename=True)  # noqa: PYI024, SLF001
        found = _Compiled(
            sql=compiled.string,
            order=tuple(compiled.positiontup) if dialect.positional else None,
            defaults=defaults, prefetch=prefetch,
            binds=tuple((name, processors[name]) for name, bind in compiled.binds.items()
                        if name in processors and not bind.expanding),
            results=results, row=row, expanding=expanding, compiled=compiled if expanding else None,
            converting=tuple((at, process) for at, process in enumerate(results or ()) if process is not None),
        )
        self._compiled[cache_key] = found
        return found

    def execute(self, conn: Connection, params: Mapping[str, Any] | None = None) -> list[Sequence]:
        """Run the statement; the rows it returns (converted), [] when it returns none."""
        return self._run(conn, params)[0]

    def rowcount(self, conn: Connection, params: Mapping[str, Any] | None = None) -> int:
        """Run an UPDATE or DELETE; the number of rows it matched."""
        return self._run(conn, params)[1]

    def _run(self, conn: Connection, params: Mapping[str, Any] | None) -> tuple[list[Sequence], int]:
        params = params or {}
        # By dialect object (and, for an INSERT, the given columns in the caller's order): one
        # dict lookup per statement on the scan path.
        key = (conn.dialect, tuple(params)) if self.insert else conn.dialect
        compiled = self._by_key.get(key)
        if compiled is None:
            compiled = self._by_key[key] = self._compile(conn, tuple(sorted(params)) if self.insert else ())
        values = {**compiled.defaults, **params} if compiled.defaults else dict(params)
        for name, default in compiled.prefetch:
            if name not in values:
                values[name] = default.arg(None) if default.is_callable else default.arg
        sql, order = compiled.sql, compiled.order
        if compiled.expanding:
            sql, order = _expand(compiled, values)
        for name, process in compiled.binds:
            values[name] = process(values[name])
        arguments = tuple([values[name] for name in order]) if order is not None else values
        rows, rowcount = driver_execute(conn, sql, arguments, fetch=compiled.results is not None)
        if compiled.results and rows:
            converting = compiled.converting
            converted = []
            for row in rows:
                row = list(row)
                for at, process in converting:
                    row[at] = process(row[at])
                converted.append(tuple(row))
            rows = converted
        if compiled.row is not None:
            rows = [compiled.row._make(row) for row in rows]
        if self.chained_table is not None:
            from app.db.chain import note_ids

            note_ids(conn, self.chained_table, [row[0] for row in rows])
        return rows, rowcount

    def first(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Sequence | None:
        rows = self.execute(conn, params)
        return rows[0] if rows else None

    def scalar(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Any:
        rows = self.execute(conn, params)
        return rows[0][0] if rows else None


def _result_processor(type_: Any, dialect: Any) -> Any:
    """The type's conversion of a result value. A PostgreSQL float or numeric column's depends
    on the column's type code in the result, unknown here: a float is asked for (Float, or
    Numeric without decimals), so a float it is; a Decimal, psycopg's own value."""
    try:
        return type_._cached_result_processor(dialect, None)  # noqa: SLF001
    except (TypeError, KeyError, ValueError):
        from sqlalchemy import Numeric
        from sqlalchemy.engine.processors import to_float

        return to_float if isinstance(type_, Numeric) and not type_.asdecimal else None


def _expand(compiled: _Compiled, values: dict[str, Any]) -> tuple[str, tuple[str, ...] | None]:
    """Write the IN lists out (SQLAlchemy's text for these list lengths, kept per lengths) and
    put each list's items in ``values`` under the names that text gives them, converted."""
    lists = {name: list(values.pop(name)) for name, _ in compiled.expanding}
    shape = tuple(len(items) for items in lists.values())
    found = compiled.shapes.get(shape)
    if found is None:
        state = compiled.compiled.construct_expanded_state({**values, **lists})
        found = compiled.shapes[shape] = (
            state.statement, tuple(state.positiontup) if state.positiontup is not None else None,
            {name: list(state.parameter_expansion.get(name, ())) for name in lists})
    for name, process in compiled.expanding:
        for key, item in zip(found[2][name], lists[name], strict=True):
            values[key] = item if process is None else process(item)
    return found[0], found[1]


_STATE = "_stockfloor_driver"  # a Connection's [pool connection, its statement listeners, cursor]


def driver_execute(conn: Connection, sql: str, arguments: Sequence | Mapping, *, fetch: bool,
                   begin: bool = True) -> tuple[list, int]:
    """Driver-level SQL on the DBAPI cursor of ``conn`` (in its transaction; ``begin=False``:
    the caller is beginning it): (rows, rowcount), with SQLAlchemy's listeners and error
    handling, without its per-statement machinery."""
    if begin and not conn.in_transaction() and BEGUN not in conn.__dict__:
        conn.begin()  # what SQLAlchemy's autobegin does (SQLite: our BEGIN is emitted then)
    state = conn.__dict__.get(_STATE)
    fairy = conn._dbapi_connection  # noqa: SLF001 - the pool's proxy; None once invalidated
    if state is None or state[0] is not fairy:  # once per connection (and after a reconnect: None then)
        fairy = conn.connection  # reconnects an invalidated connection, as SQLAlchemy's execute does
        # The listeners SQLAlchemy would call (tests count statements), and one cursor for all.
        state = conn.__dict__[_STATE] = [fairy, tuple(conn.dispatch.before_cursor_execute),
                                         fairy.dbapi_connection.cursor()]
    _, listeners, cursor = state
    try:
        for listener in listeners:
            listener(conn, cursor, sql, arguments, None, False)
        cursor.execute(sql, arguments)
        return (cursor.fetchall() if fetch else []), cursor.rowcount
    except conn.dialect.loaded_dbapi.Error as error:
        conn.__dict__.pop(_STATE, None)
        if BEGUN in conn.__dict__:
            # SQLAlchemy rolls back what it believes is outside a transaction: it takes over
            # the one begun at the driver first, so that a refused statement ends only itself.
            conn.begin()
        conn._handle_dbapi_exception(error, sql, arguments, cursor, None)  # noqa: SLF001 - raises
        raise  # not reached: SQLAlchemy raises its own exception from the driver's


# A Connection's __dict__: a transaction was begun at the driver (``begin_at_driver``) and
# SQLAlchemy has none. The first statement SQLAlchemy runs itself (the ORM's, a Core
# execute) takes it over: its "begin" (app.db.engine) then emits nothing.
BEGUN = "_stockfloor_begun"


def end_at_driver(conn: Connection, *, commit: bool) -> None:
    """COMMIT or ROLLBACK a transaction begun at the driver, with SQLAlchemy's error handling
    (a lost connection is invalidated, the error is SQLAlchemy's)."""
    del conn.__dict__[BEGUN]
    dbapi = conn.connection.dbapi_connection
    try:
        if commit:
            dbapi.commit()
        else:
            dbapi.rollback()
    except conn.dialect.loaded_dbapi.Error as error:
        conn.__dict__.pop(_STATE, None)
        conn._handle_dbapi_exception(error, None, None, None, None)  # noqa: SLF001 - raises
        raise


_CONNECTION = "stockfloor_connection"  # session info: (its transaction, that transaction's connection)
CONNECT = "stockfloor_connect"  # session info: a unit of work's connection, begun (app.db.uow)


def connection(session: Session) -> Connection:
    """The connection the session's statements run on, in a transaction: a unit of work's own
    (``app.db.uow``), else ``session.connection()`` remembered for the session's open
    transaction (the scan path asks a dozen times per scan)."""
    connect = session.info.get(CONNECT)
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
