"""How ``app.db.prepared`` turns a Core statement into what the driver takes: the SQL as
SQLAlchemy writes it (positional parameters, constants written in), and the functions that
put the caller's values in the statement's order, convert values both ways, fill in column
defaults and write IN lists out. Made once per statement, dialect and (INSERT) set of
columns; nothing here runs a statement.
"""

from __future__ import annotations

import copy
from collections import namedtuple
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from operator import itemgetter
from typing import Any

from sqlalchemy import Select, literal_column
from sqlalchemy.exc import CompileError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.elements import BindParameter, _anonymous_label
from sqlalchemy.sql.visitors import replacement_traverse


@dataclass(frozen=True)
class Compiled:
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
    after: bool = False  # rows are converted, named or noted for the chain (app.db.prepared.Prepared._after)
    # list lengths -> (SQL, positional order, {list name: its items' parameter names})
    shapes: dict[tuple[int, ...], tuple[str, tuple[str, ...] | None, dict[str, list[str]]]] = field(
        default_factory=dict)


def compile_statement(statement: ClauseElement, dialect: Any, keys: tuple[str, ...], *, insert: bool,
                      named: bool, chained: bool) -> Compiled:
    """``statement`` as the driver of ``dialect`` takes it (an INSERT's for the columns
    ``keys``); ``named``: rows as named tuples; ``chained``: its returned ids noted for the
    hash chain (the rows then go through ``Prepared._after``)."""
    compiled = _constants_written(statement, dialect).compile(
        dialect=_positional(dialect), column_keys=list(keys) if insert else None)
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
    if named and compiled._result_columns:  # noqa: SLF001
        row = namedtuple("Row", [column[0] for column in compiled._result_columns], rename=True)  # noqa: PYI024, SLF001
    order = tuple(compiled.positiontup) if compiled.positional else None
    binds = tuple((name, processors[name]) for name, bind in compiled.binds.items()
                  if name in processors and not bind.expanding)
    positional = order is not None and not expanding and not prefetch
    bound = dict(binds)
    return Compiled(
        sql=compiled.string, order=order, defaults=defaults, prefetch=prefetch, binds=binds,
        results=results, row=row, expanding=expanding, compiled=compiled if expanding else None,
        converting=tuple((at, process) for at, process in enumerate(results or ()) if process is not None),
        arguments=_arguments(order, defaults, tuple(
            (at, bound[name]) for at, name in enumerate(order) if name in bound)) if positional else None,
        fetch=results is not None,
        after=bool(results and any(results)) or row is not None or chained,
    )


def _constants_written(statement: ClauseElement, dialect: Any) -> ClauseElement:
    """The statement with its constants (``LIMIT 1``, ``literal("open")``, a CASE's 0 and 1)
    written into the SQL instead of sent as parameters: the driver binds fewer values, and
    PostgreSQL plans the prepared statement with them known (a parameter where a constant
    stands, a location kind for one, can keep it from a cached plan: planned again at every
    execution). Values given by the caller stay parameters, and so do an INSERT's or an
    UPDATE's column values and any constant whose type has no literal form."""
    writer = dialect.statement_compiler(dialect, None)

    def written(element: Any) -> Any:
        if (dialect.name == "sqlite" and isinstance(element, Select) and element._limit_clause is not None  # noqa: SLF001
                and element._offset_clause is None):  # noqa: SLF001
            # SQLite's LIMIT takes an OFFSET, which SQLAlchemy binds as a parameter of its own.
            return _constants_written(element.offset(0), dialect)
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


def filled(compiled: Compiled, params: Mapping[str, Any]) -> tuple[str, Sequence | Mapping]:
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
    # A transaction stamps its rows with one instant (app.db.prepared.stamp): the last text
    # made is kept with the value it was made of (one tuple: threads replace it whole).
    last = _LAST_TEXT[0]
    if value is last[0]:
        return last[1]
    if value.__class__ is not datetime:
        return process(value)
    text = value.isoformat(" ", "microseconds")[:26]
    _LAST_TEXT[0] = (value, text)
    return text


_LAST_TEXT: list[tuple[Any, str | None]] = [(object(), None)]


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


def _expand(compiled: Compiled, values: dict[str, Any]) -> tuple[str, tuple[str, ...] | None]:
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
