"""Append-only tables and their hash chain: tamper evidence enforced by the database.

``moves``, ``audit_log``, ``scan_journal`` and ``chain_links`` refuse UPDATE and DELETE with
triggers (SQLite and PostgreSQL). On PostgreSQL a superuser can still switch triggers off, so
every committed row is also chained: at commit, under one lock, each new row (ORM or Core
insert) gets a link ``sha256(previous link's hash | table | row)`` in commit order. ``verify`` recomputes the chain
and names each edited, deleted or unchained row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Insert, bindparam, event, exists, func, select
from sqlalchemy.orm import Session

from app.db.compiling import bind_processor
from app.db.models import AuditEntry, Move, ScanJournal
from app.db.models_audit import ChainLink
from app.db.prepared import CHAIN_IDS, STAMP, Prepared, connection, driver_execute, stamp

CHAINED = {Move: "moves", AuditEntry: "audit_log", ScanJournal: "scan_journal"}
TABLES = {name: model.__table__ for model, name in CHAINED.items()}
APPEND_ONLY = (*TABLES, "chain_links")
GENESIS = "0" * 64
DIRTY = "stockfloor_chain_dirty"  # a Connection's __dict__: chained tables its transaction inserted into
PG_LOCK_KEY = 0x5F5F_C4A1  # pg_advisory_xact_lock: one chain, one writer at a time at commit


# --- triggers -------------------------------------------------------------------------------------
# Sent through the driver with (empty) parameters: a literal percent sign is written %%.
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION stockfloor_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'stockfloor: %% is append-only (%% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$ LANGUAGE plpgsql
"""


def install_triggers(conn: Connection) -> None:
    """Create the refusing triggers (idempotent: run after every schema upgrade, since a batch
    migration on SQLite re-creates a table without them)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(PG_FUNCTION)
        for table in APPEND_ONLY:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION stockfloor_append_only()")
        return
    for table in APPEND_ONLY:
        for operation in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{operation.lower()} BEFORE {operation} "
                f"ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")


def drop_triggers(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        for table in APPEND_ONLY:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS stockfloor_append_only()")
        return
    for table in APPEND_ONLY:
        for operation in ("update", "delete"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")


# --- hashing --------------------------------------------------------------------------------------
def _plain(value: object) -> str:
    """What JSON cannot hold as it is: datetimes as UTC ISO text, anything else as str()."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # SQLite hands back naive UTC
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    return str(value)


def row_text(mapping: dict) -> str:
    """A row as canonical JSON; NULL columns are left out so that a column added later (NULL
    in old rows) does not change old rows' hashes. Strings, numbers and booleans go as they
    are; the encoder asks ``_plain`` for the rest (dates, datetimes, bytes, decimals)."""
    return json.dumps({k: v for k, v in mapping.items() if v is not None},
                      sort_keys=True, default=_plain, separators=(",", ":"))


def link_hash(prev_hash: str, table: str, mapping: dict) -> str:
    return hashlib.sha256(f"{prev_hash}|{table}|{row_text(mapping)}".encode()).hexdigest()


def append_links(session: Session | Connection, pending: dict[str, list[int]], tables: dict | None = None) -> int:
    """Chain the rows ``pending`` names (table -> ids) after the current head (``tables``: the
    Table objects to read, reflected ones in a migration)."""
    if not any(pending.values()):
        return 0
    prev = _locked_head(session.connection() if isinstance(session, Session) else session)
    links = []
    for table_name, ids in pending.items():
        table = (tables or TABLES)[table_name]
        ids = sorted(set(ids))
        for start in range(0, len(ids), 5000):  # SQLite caps the parameters of one statement
            chunk = ids[start:start + 5000]
            for row in session.execute(select(table).where(table.c.id.in_(chunk)).order_by(table.c.id)):
                digest = link_hash(prev, table_name, dict(row._mapping))
                links.append((table_name, row.id, prev, digest))
                prev = digest
    _insert_links(session, links)
    return len(links)


_unset = object()
_AT_TO_DB: dict[str, object] = {}  # dialect name -> the ``at`` column's bind processor


def _insert_links(session: Session | Connection, links: list[tuple[str, int, str, str]]) -> None:
    """Insert the links (table, row id, previous hash, hash), all stamped now: one multi-row
    INSERT per 1000 links, not an executemany: psycopg pipelines an executemany and may send
    its Sync with the COMMIT, so a connection cut at that moment would leave the server
    mid-statement, holding its locks past the idle-transaction limit. Written in the driver's
    own parameter style: SQLAlchemy would compile and bind 5,000 parameters per statement
    (~0.1 s per 1,000 links), the driver takes them as they are."""
    if not links:
        return
    conn = session.connection() if isinstance(session, Session) else session
    to_db = _AT_TO_DB.get(conn.dialect.name, _unset)
    if to_db is _unset:
        at_type = ChainLink.__table__.c.at.type
        to_db = _AT_TO_DB[conn.dialect.name] = bind_processor(at_type, conn.dialect, at_type.bind_processor(conn.dialect))
    at = to_db(stamp(conn)) if to_db else stamp(conn)
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    for start in range(0, len(links), 1000):
        chunk = links[start:start + 1000]
        driver_execute(conn, _links_sql(mark, len(chunk)),
                       [value for link in chunk for value in (*link, at)], fetch=False)


_LINKS_SQL: dict[tuple[str, int], str] = {}  # (parameter mark, links): a scan's commit has one or two


def _links_sql(mark: str, count: int) -> str:
    sql = _LINKS_SQL.get((mark, count))
    if sql is None:
        rows = ", ".join([f"({mark}, {mark}, {mark}, {mark}, {mark})"] * count)
        sql = f"INSERT INTO chain_links (table_name, row_id, prev_hash, hash, at) VALUES {rows}"
        if count <= 8:
            _LINKS_SQL[(mark, count)] = sql
    return sql


_LINKS = ChainLink.__table__
_HEAD = Prepared(select(_LINKS.c.hash).order_by(_LINKS.c.id.desc()).limit(1))
_PG_LOCK = Prepared(select(func.pg_advisory_xact_lock(bindparam("key"))))


def _locked_head(conn: Connection) -> str:
    """The chain's last hash, read under its lock: one chain, one writer at a time at commit
    (SQLite: the write lock is already held)."""
    if conn.dialect.name == "postgresql":
        _PG_LOCK.execute(conn, {"key": PG_LOCK_KEY})
    return _HEAD.scalar(conn) or GENESIS


# --- the hooks: note inserts into chained tables, chain the new rows at commit ---------------------
# Rows arrive through the ORM (session.add), ORM bulk inserts and Core inserts on
# ``session.connection()``: every one is an INSERT statement on the connection, so the connection
# notes which chained tables got rows (table -> floor), and the commit chains the rows of those
# tables above the floor that are not chained yet (one statement per such table, whatever the
# number of rows). SQLite has one writer at a time: the floor is the table's last chained row,
# read at commit. On PostgreSQL another transaction may commit (and chain) rows with higher ids
# while this one is open, so the floor is read at this transaction's first insert into the table
# (every id it gets later is above it) and the rows already chained are skipped.
_LAST_CHAINED = "SELECT coalesce(max(row_id), 0) FROM chain_links WHERE table_name = %(table)s"


@event.listens_for(Engine, "before_execute")
def _note_insert(conn: Connection, clause: object, *_args: object) -> None:
    if not isinstance(clause, Insert) or clause.table.name not in TABLES:
        return
    noted = conn.__dict__.setdefault(DIRTY, {})
    name = clause.table.name
    if name not in noted:
        noted[name] = (conn.exec_driver_sql(_LAST_CHAINED, {"table": name}).scalar_one()
                       if conn.dialect.name == "postgresql" else None)


@event.listens_for(Session, "before_commit")
def _chain(session: Session) -> None:
    session.flush()
    if not session.in_transaction():
        return
    seal(connection(session))


def seal(conn: Connection) -> None:
    """Chain what this transaction inserted into chained tables (nothing when nothing, or when
    it was chained already): the last thing before COMMIT."""
    kept = conn.__dict__
    dirty, ids = kept.pop(DIRTY, None), kept.pop(CHAIN_IDS, None)
    if dirty or ids:
        append_new(conn, dirty or {}, ids)


@event.listens_for(Engine, "rollback")
@event.listens_for(Engine, "commit")
def forget(conn: Connection) -> None:
    """The transaction ended: nothing of it is left to chain, nor its stamp. (What is noted
    lives on the Connection object, which the pool does not hand out again once closed.)"""
    kept = conn.__dict__
    kept.pop(DIRTY, None)
    kept.pop(CHAIN_IDS, None)
    kept.pop(STAMP, None)


# Built once: the commit of every scan runs them.
_ABOVE_LAST = {name: select(table).where(table.c.id > (
    select(func.coalesce(func.max(_LINKS.c.row_id), 0)).where(_LINKS.c.table_name == name).scalar_subquery()))
    .order_by(table.c.id) for name, table in TABLES.items()}
_ABOVE_FLOOR = {name: select(table).where(table.c.id > bindparam("floor"), ~exists().where(
    _LINKS.c.table_name == name, _LINKS.c.row_id == table.c.id)).order_by(table.c.id)
    for name, table in TABLES.items()}
_KEYS = {name: tuple(table.c.keys()) for name, table in TABLES.items()}
# (table, how many ids) -> the statement and its parameters' names: a few shapes on the scan path
_BY_IDS: dict[tuple[str, int], tuple[Prepared, tuple[str, ...]]] = {}


def _rows_by_ids(conn: Connection, name: str, ids: list[int]) -> list[tuple]:
    """The rows of table ``name`` with these ids (sorted, distinct), in id order, as tuples of
    the table's columns (``_KEYS``)."""
    rows: list[tuple] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found = _BY_IDS.get((name, len(chunk)))
        if found is None:
            names = tuple(f"id{n}" for n in range(len(chunk)))
            table = TABLES[name]
            found = (Prepared(select(table).where(table.c.id.in_([bindparam(key) for key in names]))
                              .order_by(table.c.id)), names)
            if len(chunk) <= 8:
                _BY_IDS[(name, len(chunk))] = found
        statement, names = found
        rows += statement.execute(conn, dict(zip(names, chunk)))
    return rows


def append_new(session: Session | Connection, tables: dict[str, int | None],
               ids: dict[str, list[int]] | None = None) -> int:
    """Chain, under the chain lock, the new rows of ``tables`` (name -> floor, None: the last
    chained row of the table) and the rows ``ids`` names (table -> ids), in id order per table:
    1 + one per table + 1 statements (one more for the lock on PostgreSQL)."""
    conn = session.connection() if isinstance(session, Session) else session
    prev = _locked_head(conn)
    ids = ids or {}
    links = []
    for name in sorted(tables.keys() | ids.keys()):
        keys = _KEYS[name]
        given = ids.get(name)
        rows = [dict(zip(keys, row)) for row in _rows_by_ids(conn, name, sorted(set(given)))] if given else []
        if name in tables:  # and the rows above the table's floor (ORM inserts), merged in id order
            floor = tables[name]
            query = _ABOVE_LAST[name] if floor is None else _ABOVE_FLOOR[name]
            merged = {row["id"]: row for row in rows}
            for row in conn.execute(query, {} if floor is None else {"floor": floor}):
                merged.setdefault(row.id, dict(row._mapping))
            rows = [merged[row_id] for row_id in sorted(merged)]
        for row in rows:
            digest = link_hash(prev, name, row)
            links.append((name, row["id"], prev, digest))
            prev = digest
    _insert_links(conn, links)
    return len(links)


# --- verification ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChainProblem:
    table: str
    row_id: int
    what: str  # edited | deleted | unchained | link removed

    def __str__(self) -> str:
        return {
            "edited": f"{self.table} row {self.row_id} was edited after it was written",
            "deleted": f"{self.table} row {self.row_id} was deleted",
            "unchained": f"{self.table} row {self.row_id} is not in the chain (written outside Stockfloor)",
            "link removed": f"the chain link before {self.table} row {self.row_id} was removed",
        }[self.what]


def verify(session: Session) -> tuple[int, list[ChainProblem]]:
    """(links checked, problems): recompute every link in commit order."""
    problems: list[ChainProblem] = []
    chained: dict[str, set[int]] = {name: set() for name in TABLES}
    rows = {name: {row.id: dict(row._mapping) for row in session.execute(select(table))}
            for name, table in TABLES.items()}
    prev, count = GENESIS, 0
    for link in session.scalars(select(ChainLink).order_by(ChainLink.id)):
        count += 1
        if link.prev_hash != prev:
            problems.append(ChainProblem(link.table_name, link.row_id, "link removed"))
        chained.setdefault(link.table_name, set()).add(link.row_id)
        row = rows.get(link.table_name, {}).get(link.row_id)
        if row is None:
            problems.append(ChainProblem(link.table_name, link.row_id, "deleted"))
        elif link_hash(link.prev_hash, link.table_name, row) != link.hash:
            problems.append(ChainProblem(link.table_name, link.row_id, "edited"))
        prev = link.hash
    for name, by_id in rows.items():
        problems.extend(ChainProblem(name, row_id, "unchained") for row_id in sorted(by_id.keys() - chained[name]))
    return count, problems
