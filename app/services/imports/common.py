"""What every importer shares: its description as data, and looking rows up by key."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import ARRAY, ColumnElement, TableClause, any_, bindparam, func, insert, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.core.csv_rules import Column, Problem, Row, Table
from app.core.errors import InvalidInput

# Bound parameters per IN (...) query: far below SQLite's and PostgreSQL's limits.
CHUNK = 500
# The largest import file and the deepest JSON nesting accepted (README: imports).
MAX_IMPORT_BYTES = 64 * 1024 * 1024
MAX_JSON_DEPTH = 16


# Rows per batch of a batched import: what memory holds at once (README: imports).
BATCH_ROWS = 5000


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise InvalidInput(field=path.name, reason=f"the file has {size / 2**20:.0f} MB, an import takes at "
                                                   f"most {MAX_IMPORT_BYTES // 2**20} MB: split it")


def read_import_file(path: Path) -> bytes:
    """The file's bytes; InvalidInput when it is larger than an import may be."""
    _check_size(path)
    return path.read_bytes()


def open_import_file(path: Path) -> BinaryIO:
    """The file opened for reading line by line; InvalidInput when it is larger than an
    import may be."""
    _check_size(path)
    return path.open("rb")


def _depth(data: object) -> int:
    """How deeply lists and objects nest in ``data`` (without recursion)."""
    deepest, pending = 0, [(data, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, level)
            if level > MAX_JSON_DEPTH:
                break
            pending.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


@dataclass(frozen=True)
class Counts:
    created: int = 0
    updated: int = 0
    detail: str = ""


@dataclass(frozen=True)
class Importer:
    kind: str  # as typed on the command line: products, locations, users, purchase-orders
    noun: str  # what one key is called in summaries
    key: str
    description: str
    columns: tuple[Column, ...]
    check: Callable[[Session, Table], list[Problem]]  # every problem, database included
    apply: Callable[[Session, Table], Counts]  # only called when check found nothing
    # True: check and then apply take the file in batches of BATCH_ROWS rows, in file order:
    # check sees every batch before apply sees the first (nothing is written while checking),
    # duplicates across batches are found through Table.seen, and apply's batches share their
    # own Table.shared. The last batch's Counts.detail is the import's. False: one Table.
    batched: bool = False


def chunks(values: Iterable, size: int = CHUNK) -> Iterable[list]:
    unique = list(dict.fromkeys(value for value in values if value is not None))
    for start in range(0, len(unique), size):
        yield unique[start:start + size]


def existing_by(session: Session, column: InstrumentedAttribute, keys: Iterable) -> dict:
    """Rows of ``column``'s table whose ``column`` is one of ``keys``, by that value."""
    model = column.class_
    found = {}
    for part in chunks(keys):
        for item in session.scalars(select(model).where(column.in_(part))):
            found[getattr(item, column.key)] = item
    return found


def set_present(target: object, row: Row, fields: Iterable[str]) -> None:
    """Copy the row's cells onto the model; a column absent from the file changes nothing."""
    for name in fields:
        if name in row.values:
            setattr(target, name, row.values[name])


def json_documents(text: str, key: str, what: str) -> tuple[list, list[Problem]]:
    """A JSON import's documents: a list, or {key: [...]}; a problem instead when neither.

    ``what`` names the documents in the message ("orders", "RMAs")."""
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [Problem(exc.lineno, "", f"not valid JSON: {exc.msg} (column {exc.colno})")]
    except RecursionError:
        return [], [Problem(1, "", f"nested deeper than {MAX_JSON_DEPTH} levels")]
    except ValueError as exc:  # a number of thousands of digits
        return [], [Problem(1, "", f"not valid JSON: {str(exc)[:80]}")]
    if _depth(data) > MAX_JSON_DEPTH:
        return [], [Problem(1, "", f"nested deeper than {MAX_JSON_DEPTH} levels")]
    if isinstance(data, dict) and isinstance(data.get(key), list):
        data = data[key]
    if not isinstance(data, list) or not data:
        return [], [Problem(1, "", f"expected a list of {what}")]
    return data, []


# --- bulk writes: a constant number of statements per batch, whatever its rows -------------------
LOOKUP = 5000  # bound parameters per IN (...) lookup: below SQLite's 32,766 and PostgreSQL's 65,535


def one_of(session: Session, column: ColumnElement, values: Iterable) -> ColumnElement[bool]:
    """``column IN values`` with the whole list as one bound parameter (PostgreSQL:
    ``= ANY(array)``; SQLite: ``IN (SELECT value FROM json_each(?))``): the statement's text is
    the same for any number of values, compiled once, nothing rendered or bound per value."""
    values = list(values)
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(select(func.json_each(json.dumps(values)).table_valued("value").c.value))


def key_lookup(session: Session, key: ColumnElement, columns: Iterable[ColumnElement], keys: Iterable,
               where: ColumnElement | None = None) -> dict:
    """{key: {column name: value}} for the rows whose ``key`` is one of ``keys``: Core
    selects of LOOKUP keys each, plain dicts (picklable, for a batched import's memo)."""
    query = select(key.label("_key"), *columns)
    if where is not None:
        query = query.where(where)
    found = {}
    for part in chunks(keys, LOOKUP):
        for item in session.execute(query.where(one_of(session, key, part))).mappings():
            found[item["_key"]] = {name: value for name, value in item.items() if name != "_key"}
    return found


def insert_rows(session: Session, table: TableClause, rows: list[dict], *, returning: tuple = ()) -> list:
    """INSERT executemany, one statement per set of keys (a file's rows share their columns).
    With ``returning`` (columns), what each row got back, in no particular order."""
    found: list = []
    for _keys, part in _by_keys(rows):
        statement = insert(table)
        if returning:
            found += session.execute(statement.returning(*returning), part).all()
        else:
            session.execute(statement, part)
    return found


def insert_tuples(session: Session, table: TableClause, names: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT executemany of plain tuples (one per row, values in the order of ``names``)
    through the driver's own statement: nothing is compiled, bound or converted per row,
    so the values must already be what the driver takes (str, int, float, bool, None)."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer.quote
    connection.exec_driver_sql(
        f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) VALUES ({', '.join([mark] * len(names))})",
        rows)


def update_rows(session: Session, table: TableClause, rows: list[dict], key: str = "id") -> None:
    """UPDATE executemany by ``key`` (each dict holds the key and the columns to set), one
    statement per set of columns."""
    for keys, part in _by_keys(rows):
        fields = [name for name in keys if name != key]
        if not fields:
            continue
        statement = update(table).where(table.c[key] == bindparam("_key")).values(
            {name: bindparam(name) for name in fields})
        session.execute(statement, [{**{name: row[name] for name in fields}, "_key": row[key]} for row in part])


def _by_keys(rows: list[dict]) -> list[tuple[tuple[str, ...], list[dict]]]:
    groups: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    return list(groups.items())


def present(row: Row, fields: Iterable[str]) -> dict[str, object]:
    """The row's cells for ``fields``; a column absent from the file is left out."""
    values = row.values
    return {name: values[name] for name in fields if name in values}
