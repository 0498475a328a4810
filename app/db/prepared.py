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

import copy
from collections import namedtuple
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NoReturn

from sqlalchemy import Connection, Insert, literal_column
from sqlalchemy.exc import CompileError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.elements import BindParameter, _anonymous_label
from sqlalchemy.sql.visitors import replacement_traverse

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
    # Positional drivers, no column default or IN list to fill in: the caller's values ->
    # the driver's arguments, in the statement's order (one C call when nothing is to be
    # added or converted: see _arguments).
    arguments: Any = None
    fetch: bool = False  # the statement returns rows
    after: bool = False  # rows are converted, named or noted for the chain (Prepared._after)
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
                # A plain str: the chain binds it, and the driver's adapter lookup on
                # SQLAlchemy's quoted_name (a str subclass) costs a scan ~10 µs.
                self.chained_table = str(statement.table.name)
        self._compiled: dict[tuple, _Compiled] = {}
        self._by_key: dict[Any, _Compiled] = {}

    def _compile(self, conn: Connection, keys: tuple[str, ...]) -> _Compiled:
        dialect = conn.dialect
        cache_key = (dialect.name, keys if self.insert else ())
        found = self._compiled.get(cache_key)
        if found is not None:
            return found
        compiled = _constants_written(self.statement, dialect).compile(
            dialect=_positional(dialect), column_keys=list(keys) if self.insert else None)
        processors = {name: bind_processor(compiled.binds[name].type, dialect, process) if name in compiled.binds
                      else process for name, process in compiled._bind_processors.items()}  # noqa: SLF001
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
        order = tuple(compiled.positiontup) if compiled.positional else None
        binds = tuple((name, processors[name]) for name, bind in compiled.binds.items()
                      if name in processors and not bind.expanding)
        positional = order is not None and not expanding and not prefetch
        bound = dict(binds)
        found = _Compiled(
            sql=compiled.string, order=order, defaults=defaults, prefetch=prefetch, binds=binds,
            results=results, row=row, expanding=expanding, compiled=compiled if expanding else None,
            converting=tuple((at, process) for at, process in enumerate(results or ()) if process is not None),
            arguments=_arguments(order, defaults, tuple(
                (at, bound[name]) for at, name in enumerate(order) if name in bound)) if positional else None,
            fetch=results is not None,
            after=bool(results and any(results)) or row is not None or self.chained_table is not None,
        )
        self._compiled[cache_key] = found
        return found

    def execute(self, conn: Connection, params: Mapping[str, Any] | None = None) -> list[Sequence]:
        """Run the statement; the rows it returns (converted), [] when it returns none."""
        return self._run(conn, params)[0]

    def rowcount(self, conn: Connection, params: Mapping[str, Any] | None = None) -> int:
        """Run an UPDATE or DELETE; the number of rows it matched."""
        return self._run(conn, params)[1]

    def first(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Sequence | None:
        rows = self._run(conn, params)[0]
        return rows[0] if rows else None

    def scalar(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Any:
        rows = self._run(conn, params)[0]
        return rows[0][0] if rows else None

    def _run(self, conn: Connection, params: Mapping[str, Any] | None) -> tuple[list[Sequence], int]:
        # The scan path runs a dozen of these per scan, so the usual case is short: the
        # compiled form found by one dict lookup (by dialect object; an INSERT's also by the
        # given columns, in the caller's order), the caller's values taken in the statement's
        # order by one C call, straight onto the cursor of a transaction begun at the driver.
        # Anything else (a first run, IN lists, column defaults, named parameters, statement
        # listeners, no such transaction, a reconnect) goes the long way (``_run_long``).
        if params is None:
            params = _NONE
        compiled = self._by_key.get((conn.dialect, tuple(params)) if self.insert else conn.dialect)
        cursor = conn.__dict__.get(BEGUN)  # the cursor, once the transaction's first statement ran
        if compiled is None or compiled.arguments is None or cursor is None or cursor is True:
            return self._run_long(conn, params, compiled)
        arguments = compiled.arguments(params)
        try:
            cursor.execute(compiled.sql, arguments)
            rows = cursor.fetchall() if compiled.fetch else []
        except conn.dialect.loaded_dbapi.Error as error:
            _driver_failed(conn, error, compiled.sql, arguments, cursor)
        if rows and compiled.after:
            rows = self._after(conn, compiled, rows)
        return rows, cursor.rowcount

    def _run_long(self, conn: Connection, params: Mapping[str, Any], compiled: _Compiled | None,
                  ) -> tuple[list[Sequence], int]:
        if compiled is None:
            compiled = self._by_key[(conn.dialect, tuple(params)) if self.insert else conn.dialect] = (
                self._compile(conn, tuple(sorted(params)) if self.insert else ()))
        if compiled.arguments is not None:
            rows, rowcount = driver_execute(conn, compiled.sql, compiled.arguments(params), fetch=compiled.fetch)
        else:
            rows, rowcount = driver_execute(conn, *_filled(compiled, params), fetch=compiled.fetch)
        if rows and compiled.after:
            rows = self._after(conn, compiled, rows)
        return rows, rowcount

    def _after(self, conn: Connection, compiled: _Compiled, rows: list[Sequence]) -> list[Sequence]:
        """Rows converted (SQLAlchemy's result processors), made named tuples, and the ids an
        INSERT into a chained table returned noted for the commit's chain."""
        converting = compiled.converting
        if converting:
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
            conn.info.setdefault(CHAIN_IDS, {}).setdefault(self.chained_table, []).extend(row[0] for row in rows)
        return rows


def _constants_written(statement: ClauseElement, dialect: Any) -> ClauseElement:
    """The statement with its constants (``LIMIT 1``, ``literal("open")``, a CASE's 0 and 1)
    written into the SQL instead of sent as parameters: the driver binds fewer values, and
    PostgreSQL plans the prepared statement with them known (a parameter where a constant
    stands, a location kind for one, can keep it from a cached plan: planned again at every
    execution). Values given by the caller stay parameters, and so do an INSERT's or an
    UPDATE's column values and any constant whose type has no literal form."""
    writer = dialect.statement_compiler(dialect, None)

    def written(element: Any) -> Any:
        if (not isinstance(element, BindParameter) or element.required or element.callable is not None
                or element.expanding or element.value is None or element._is_crud  # noqa: SLF001
                or not isinstance(element.key, _anonymous_label)):
            return None
        try:
            return literal_column(writer.render_literal_value(element.value, element.type), element.type)
        except (CompileError, NotImplementedError, TypeError, ValueError):
            return None

    return replacement_traverse(statement, {}, written)


def _arguments(order: tuple[str, ...], defaults: dict[str, Any],
               converts: tuple[tuple[int, Any], ...]) -> Any:
    """The driver arguments of a positional statement with nothing to fill in but its literal
    values, as a function of the caller's values: taken in the statement's order, the
    statement's own values added and those whose type says so converted. The usual case is
    one C call (``itemgetter``), or one small function for a single value."""
    if not order:
        return _no_arguments
    if len(order) == 1:  # itemgetter of one name gives the value, not a 1-tuple
        name = order[0]
        pick = lambda params: (params[name],)  # noqa: E731
    else:
        pick = itemgetter(*order)
    if not defaults and not converts:
        return pick

    def arguments(params: Mapping[str, Any]) -> list:
        values = list(pick({**defaults, **params} if defaults else params))
        for at, process in converts:
            values[at] = process(values[at])
        return values

    return arguments


def _filled(compiled: _Compiled, params: Mapping[str, Any]) -> tuple[str, Sequence | Mapping]:
    """(SQL, driver arguments) of a statement with values to fill in (literal defaults, column
    defaults, IN lists written out) or a named parameter style (PostgreSQL)."""
    values = {**compiled.defaults, **params} if compiled.defaults else dict(params)
    for name, default in compiled.prefetch:
        if name not in values:
            values[name] = default.arg(None) if default.is_callable else default.arg
    sql, order = compiled.sql, compiled.order
    if compiled.expanding:
        sql, order = _expand(compiled, values)
    bound = dict(compiled.binds)
    if order is not None:  # positional: in the statement's order (IN list items converted already)
        return sql, [values[name] if name not in bound else bound[name](values[name]) for name in order]
    for name, process in bound.items():
        values[name] = process(values[name])
    return sql, values


_NONE: Mapping[str, Any] = {}


def _no_arguments(_values: Mapping[str, Any]) -> tuple:
    return ()


_POSITIONAL: dict[int, Any] = {}  # id(dialect) -> (dialect, its positional twin)


def _positional(dialect: Any) -> Any:
    """The dialect, or for a named parameter style (psycopg's %(name)s) a copy that writes
    positional ones (%s): the driver then takes the values as a tuple, without matching
    names to placeholders at every execution (a third of psycopg's work per statement)."""
    if dialect.positional or dialect.paramstyle != "pyformat":
        return dialect
    made = _POSITIONAL.get(id(dialect))
    if made is None or made[0] is not dialect:
        twin = copy.copy(dialect)
        twin.paramstyle, twin.positional = "format", True
        made = _POSITIONAL[id(dialect)] = (dialect, twin)
    return made[1]


# SQLAlchemy's text of a datetime on SQLite (its DATETIME type's default storage format).
_SQLITE_DATETIME = "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"


def bind_processor(type_: Any, dialect: Any, process: Any) -> Any:
    """The type's conversion of a bound value (``process``, SQLAlchemy's): for a datetime on
    SQLite the same text by one C call, the scan path binds three or four per scan."""
    if process is not None and dialect.name == "sqlite" and getattr(
            type_.dialect_impl(dialect), "_storage_format", None) == _SQLITE_DATETIME:
        return partial(_sqlite_datetime, process)
    return process


def _sqlite_datetime(process: Any, value: Any) -> Any:
    # "YYYY-MM-DD HH:MM:SS.ffffff", any UTC offset left out unconverted, as SQLAlchemy does.
    return value.isoformat(" ", "microseconds")[:26] if value.__class__ is datetime else process(value)


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


# Connection info: table -> ids of the rows prebuilt INSERTs into chained tables returned (the
# commit chains exactly these, with no floor to read: app.db.chain.seal).
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


def new_unit(conn: Connection) -> None:
    """``conn`` starts another unit of work: the statement listeners are read again (a
    connection kept between units outlives a test's listener)."""
    state = conn.__dict__.get(_STATE)
    if state is not None:
        listeners = conn.dispatch.before_cursor_execute
        state[1] = tuple(listeners) if listeners else ()


# A Connection's __dict__: a transaction was begun at the driver (``begin_at_driver``) and
# SQLAlchemy has none. The first statement SQLAlchemy runs itself (the ORM's, a Core
# execute) takes it over: its "begin" (app.db.engine) then emits nothing. The value is True
# until the transaction's first prebuilt statement has checked the connection (its pool
# proxy current, no statement listener to call), then that connection's cursor: the scan
# path's statements after the first go straight to it. It goes with the transaction (its
# end, SQLAlchemy's take-over, a refused statement), so nothing outlives a reconnect.
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
