"""Benchmark: one receiving scan on a warehouse-sized database, next to the bare SQL floor.

    .venv/bin/python tests/benchmarks/bench_receive.py [--database URL] [--scale quick|full]

Builds (once, cached at /tmp/stockfloor-bench-SCALE.sqlite unless --database is given;
a PostgreSQL URL needs an empty database or schema, e.g. ``?options=-csearch_path%3Dbench``)
100k products, 50k bins and >= 2M ledger moves with consistent on-hand (``quick``: a
tenth), then times services.receiving.receive_scan (the whole use case: unit of work, scan
interpretation, resolution, journal, ledger move, PO line update, commit) against the same
statements issued directly through the DBAPI cursor on the same engine (same durability:
SQLite synchronous FULL, PostgreSQL with the same session settings), interleaved scan by
scan, and prints p50/p95 wall, CPU per scan and the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.core.actor import Actor  # noqa: E402
from app.core.checkdigits import with_check_digit  # noqa: E402
from app.db.chain import GENESIS, PG_LOCK_KEY, link_hash  # noqa: E402
from app.db.engine import create_database  # noqa: E402
from app.db.models import (  # noqa: E402
    Location,
    Move,
    OnHand,
    Product,
    ProductBarcode,
    PurchaseOrder,
    PurchaseOrderLine,
    User,
)
from app.db.schema import upgrade  # noqa: E402
from app.db.uow import UnitOfWork  # noqa: E402
from app.services.receiving import receipts as receiving  # noqa: E402

SCALES = {"full": (100_000, 50_000, 2_000, 2_000_000), "quick": (10_000, 5_000, 200, 200_000)}
PRODUCTS, BINS, ORDERS, MOVES = SCALES["full"]
LINES_PER_ORDER = 5
BATCH = 20_000


def gtin(n: int) -> str:
    return with_check_digit(f"20{n:010d}")


def build(database, moves_wanted: int, *, products: int = PRODUCTS, bins: int = BINS,
          orders: int = ORDERS) -> None:
    """The warehouse, written with explicit ids; PostgreSQL's sequences are then moved past
    them so that the application's own inserts get fresh ids."""
    rng = random.Random(7)
    t0 = time.perf_counter()
    with database.writer.begin() as conn:
        conn.execute(insert(User), [dict(id=1, badge_code="BENCH", username="bench",
                                         display_name="Bench", role="operator", pin_hash="x",
                                         language="en", active=True)])
        specials = [("DOCK", "receiving"), ("QUAR", "quarantine"), ("SUPPLIER", "supplier"),
                    ("CUSTOMER", "customer"), ("LOSS", "inventory_loss")]
        conn.execute(insert(Location), [dict(id=i + 1, code=c, barcode=c, kind=k, blocked=False)
                                        for i, (c, k) in enumerate(specials)])
        bin_rows = [dict(id=100 + n, code=f"{chr(65 + n // 2500 % 26)}{n // 2500 // 26}-{n % 2500 // 50:02d}-{n % 50:02d}",
                         barcode=f"L{n:06d}", kind="storage", zone=f"Z{n % 8}", aisle=str(n // 2500),
                         bay=n % 2500 // 50, level=n % 50 // 10, slot=n % 10, x=float(n // 2500) * 3,
                         y=float(n % 2500 // 50) * 1.2, blocked=False) for n in range(bins)]
        for i in range(0, bins, BATCH):
            conn.execute(insert(Location), bin_rows[i:i + BATCH])
        for i in range(0, products, BATCH):
            chunk = range(i + 1, min(i + BATCH, products) + 1)
            conn.execute(insert(Product), [dict(id=n, sku=f"P{n:06d}", name=f"Product {n}",
                                                unit="each", tracking="none", expiry_tracked=False)
                                           for n in chunk])
            conn.execute(insert(ProductBarcode), [dict(product_id=n, code=gtin(n), kind="gtin",
                                                       quantity=1) for n in chunk])
        # Ledger history in triples: receipt to dock, put-away to a bin, sale to a customer.
        on_hand: dict[tuple[int, int], int] = {}
        rows, move_id = [], 0
        while move_id < moves_wanted:
            product, bin_id = rng.randint(1, products), 100 + rng.randrange(bins)
            qty, sold = rng.randint(1, 40), rng.randint(0, 10)
            legs = [(3, 1, qty), (1, bin_id, qty)] + ([(bin_id, 4, min(sold, qty))] if sold else [])
            for src, dst, q in legs:
                move_id += 1
                rows.append(dict(id=move_id, product_id=product, quantity=q, from_location_id=src,
                                 to_location_id=dst, workstation="BENCH", reason="history",
                                 user_id=1, idempotency_key=f"h{move_id}"))
            on_hand[(product, bin_id)] = on_hand.get((product, bin_id), 0) + qty - (min(sold, qty) if sold else 0)
            if len(rows) >= BATCH:
                conn.execute(insert(Move), rows)
                rows = []
        if rows:
            conn.execute(insert(Move), rows)
        stock = [dict(product_id=p, location_id=l, quantity=q) for (p, l), q in on_hand.items()]
        for i in range(0, len(stock), BATCH):
            conn.execute(insert(OnHand), stock[i:i + BATCH])
        conn.execute(insert(PurchaseOrder), [dict(id=o, number=f"PO-{o:05d}", kind="po",
                                                  supplier="Bench", status="open")
                                             for o in range(1, orders + 1)])
        conn.execute(insert(PurchaseOrderLine), [
            dict(purchase_order_id=o, line_no=k, product_id=rng.randint(1, products),
                 quantity_expected=100_000, quantity_received=0, quantity_damaged=0)
            for o in range(1, orders + 1) for k in range(1, LINES_PER_ORDER + 1)])
        if not database.is_sqlite:
            advance_sequences(conn, ("users", "locations", "products", "moves", "purchase_orders"))
    if database.is_sqlite:
        with database.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        with database.engine.begin() as conn:  # rows came with explicit ids: move the sequences on
            for table in ("users", "locations", "products", "moves", "purchase_orders"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
        with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    print(f"built: {products} products, {bins} bins, {move_id} moves, {len(stock)} on-hand rows "
          f"in {time.perf_counter() - t0:.0f} s")


def advance_sequences(conn, tables) -> None:
    """PostgreSQL: rows inserted with explicit ids leave the id sequences behind."""
    for table in tables:
        conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")


def pick_scans(database, n: int) -> list[tuple[int, str]]:
    rng = random.Random(11)
    with database.engine.connect() as conn:
        lines = conn.execute(select(PurchaseOrderLine.purchase_order_id, PurchaseOrderLine.product_id)
                             .where(PurchaseOrderLine.purchase_order_id <= ORDERS)).all()
    return [(order, gtin(product)) for order, product in rng.sample(lines, n)]


ACTOR = Actor(1, "BENCH", "operator", "Bench")
# The chained tables' columns, as app.db.chain reads them back to hash a row.
CHAINED_COLUMNS = {"moves": ("id", "product_id", "lot_id", "quantity", "from_location_id", "to_location_id",
                             "from_license_plate_id", "to_license_plate_id", "created_at", "user_id", "workstation",
                             "reason", "document_type", "document_id", "scan_id", "idempotency_key"),
                   "scan_journal": ("id", "at", "user_id", "workstation", "context", "raw", "interpretation",
                                    "outcome", "message")}
_WHEN = {"moves": "created_at", "scan_journal": "at"}  # the datetime column of each chained table


def use_case_scan(database, order_id: int, code: str) -> None:
    with UnitOfWork(database) as uow:
        receiving.receive_scan(uow, order_id, code, actor=ACTOR, idempotency_key=uuid.uuid4().hex)


class BareSql:
    """The use case's statements, hand-written, on one raw DBAPI connection of the same engine."""

    def __init__(self, database) -> None:
        self.pg = not database.is_sqlite
        self.dialect = database.engine.dialect
        self.raw = database.engine.raw_connection()
        self.cur = self.raw.cursor()

    def scan(self, order_id: int, code: str) -> None:
        cur, pg = self.cur, self.pg
        p = "%s" if pg else "?"
        key = uuid.uuid4().hex
        now = dt.datetime.now(dt.timezone.utc)
        if not pg:
            cur.execute("BEGIN IMMEDIATE")
        cur.execute(f"INSERT INTO scan_claims (idempotency_key, created_at) VALUES ({p}, {p}) "
                    "ON CONFLICT DO NOTHING RETURNING idempotency_key", (key, now))
        cur.fetchone()
        cur.execute("SELECT products.id, products.sku, products.name, products.tracking, products.expiry_tracked, "
                    "product_barcodes.quantity, products.min_shelf_life_days FROM product_barcodes JOIN products ON "
                    f"product_barcodes.product_id = products.id WHERE product_barcodes.code IN ({p}, {p}) LIMIT 1",
                    (code, code.zfill(14)))
        product_id, _, _, _, _, units, _ = cur.fetchone()
        cur.execute("SELECT o.id, o.number, o.kind, o.supplier, o.status, l.id, l.line_no, p.sku, p.name, "
                    "l.quantity_expected, l.quantity_received, l.quantity_damaged, l.product_id FROM purchase_orders o "
                    "LEFT JOIN purchase_order_lines l ON l.purchase_order_id = o.id LEFT JOIN products p ON "
                    f"l.product_id = p.id WHERE o.id = {p} ORDER BY l.line_no"
                    + (" FOR UPDATE OF o" if pg else ""), (order_id,))
        rows = cur.fetchall()
        status, line_id = rows[0][4], next(row[5] for row in rows if row[12] == product_id)
        cur.execute("SELECT key, value FROM warehouse_settings")
        cur.fetchall()
        cur.execute("SELECT * FROM (SELECT id, code, kind, blocked FROM locations WHERE kind = 'receiving' "
                    "ORDER BY id LIMIT 1) AS a UNION ALL SELECT * FROM (SELECT id, code, kind, blocked "
                    "FROM locations WHERE kind = 'supplier' ORDER BY id LIMIT 1) AS b")
        dock, supplier = (row[0] for row in cur.fetchall())
        cur.execute(f"INSERT INTO scan_journal (at, user_id, workstation, context, raw, interpretation, "
                    f"outcome, message) VALUES ({p}, 1, 'BENCH', 'receiving', {p}, '', 'ok', '') RETURNING id",
                    (now, code))
        scan_id = cur.fetchone()[0]
        cur.execute(f"INSERT INTO on_hand (product_id, location_id, lot_id, license_plate_id, quantity, reserved) "
                    f"VALUES ({p}, {p}, NULL, NULL, {p}, 0) ON CONFLICT (product_id, location_id, "
                    "coalesce(lot_id, 0), coalesce(license_plate_id, 0)) DO UPDATE SET "
                    "quantity = on_hand.quantity + excluded.quantity", (product_id, dock, units))
        cur.execute(f"INSERT INTO moves (product_id, lot_id, quantity, from_location_id, to_location_id, "
                    f"from_license_plate_id, to_license_plate_id, created_at, user_id, workstation, reason, "
                    f"document_type, document_id, scan_id, idempotency_key) VALUES ({p}, NULL, {p}, {p}, {p}, "
                    f"NULL, NULL, {p}, 1, 'BENCH', 'receipt', 'purchase_order', {p}, {p}, {p}) RETURNING id",
                    (product_id, units, supplier, dock, now, order_id, scan_id, key))
        move_id = cur.fetchone()[0]
        cur.execute(f"UPDATE purchase_order_lines SET quantity_received = quantity_received + {p} WHERE id = {p}",
                    (units, line_id))
        if status != "partially_received":
            cur.execute(f"UPDATE purchase_orders SET status = 'partially_received' WHERE id = {p}", (order_id,))
        self.chain(now, {"moves": [move_id], "scan_journal": [scan_id]})
        self.raw.commit()

    def render(self, statement) -> tuple[str, dict, list[str]]:  # noqa: ANN001 - a Core statement
        """An application statement's text as SQLAlchemy renders it for this engine, with the
        constants it binds and the positional parameters' names (qmark), its IN lists of
        constants written out by hand as SQLAlchemy does at execution (strings: a VARCHAR cast on
        PostgreSQL, as SQLAlchemy writes it)."""
        compiled = statement.compile(dialect=self.dialect)
        sql, params = str(compiled), dict(compiled.params)
        names = list(compiled.positiontup or ())
        for name, value in list(params.items()):
            mark = f"__[POSTCOMPILE_{name}]"
            if mark not in sql:
                continue
            expanded = {f"{name}_{n}": item for n, item in enumerate(value, start=1)}
            cast = "::VARCHAR" if self.pg else ""
            sql = sql.replace(mark, ", ".join("?" if not self.pg else f"%({key})s{cast}" for key in expanded))
            del params[name]
            params.update(expanded)
            if names:
                at = names.index(name)
                names[at:at + 1] = list(expanded)
        return sql, params, names

    def chain(self, now: dt.datetime, ids: dict[str, list[int]]) -> None:
        """What the application's commit hook adds (tamper evidence, ``chain.append_new``): under
        the chain lock, the last link, each table's new rows read back by the ids their INSERTs
        returned, one link each, in one INSERT, hashed as ``app.db.chain`` hashes them (so the
        floor's rows verify). Without it the use case's next commit would chain them on its time."""
        cur, p = self.cur, "%s" if self.pg else "?"
        if self.pg:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (PG_LOCK_KEY,))
        cur.execute("SELECT chain_links.hash FROM chain_links ORDER BY chain_links.id DESC LIMIT 1")
        row = cur.fetchone()
        prev, links = row[0] if row else GENESIS, []
        for table in sorted(ids):
            columns = CHAINED_COLUMNS[table]
            cur.execute(f"SELECT {', '.join(f'{table}.{c}' for c in columns)} FROM {table} "
                        f"WHERE {table}.id IN ({', '.join([p] * len(ids[table]))})", tuple(ids[table]))
            for values in sorted(cur.fetchall()):
                mapping = dict(zip(columns, values, strict=True))
                if not self.pg:  # SQLite gives the text back: the type's datetime, naive UTC
                    mapping[_WHEN[table]] = dt.datetime.fromisoformat(mapping[_WHEN[table]])
                digest = link_hash(prev, table, mapping)
                links.append((table, mapping["id"], prev, digest, now))
                prev = digest
        cur.execute("INSERT INTO chain_links (table_name, row_id, prev_hash, hash, at) VALUES "
                    + ", ".join([f"({p}, {p}, {p}, {p}, {p})"] * len(links)),
                    tuple(value for link in links for value in link))

    def close(self) -> None:
        self.raw.close()


def interleaved(database, scans) -> tuple[list[float], list[float], list[float], list[float]]:
    """(use case wall ms, bare wall ms, use case CPU ms, bare CPU ms), one scan of each in turn."""
    bare = BareSql(database)
    walls: tuple[list[float], list[float]] = ([], [])
    cpus: tuple[list[float], list[float]] = ([], [])
    runners = (lambda o, c: use_case_scan(database, o, c), bare.scan)
    for n, (order_id, code) in enumerate(scans):
        which = n % 2
        wall, cpu = time.perf_counter(), time.process_time()
        runners[which](order_id, code)
        walls[which].append((time.perf_counter() - wall) * 1000)
        cpus[which].append((time.process_time() - cpu) * 1000)
    bare.close()
    return walls[0], walls[1], cpus[0], cpus[1]


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def main() -> None:
    global PRODUCTS, BINS, ORDERS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="URL or path (default: cached SQLite file in /tmp)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="quick")
    parser.add_argument("--scans", type=int, default=400, help="scans of each kind")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    PRODUCTS, BINS, ORDERS, moves = SCALES[args.scale]
    target = args.database or f"/tmp/stockfloor-bench-{args.scale}.sqlite"
    if args.rebuild and not args.database:
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
    database = create_database(target)
    upgrade(database)
    with database.engine.connect() as conn:
        existing = conn.scalar(select(func.count()).select_from(Move))
    if existing < moves:
        if existing:
            sys.exit(f"{target} holds {existing} moves; use an empty database or --rebuild")
        build(database, moves)
    with database.engine.connect() as conn:
        counts = {t: conn.scalar(text(f"SELECT count(*) FROM {t}"))
                  for t in ("products", "locations", "moves", "on_hand")}
    print(f"database: {database.describe()}  {counts}")
    scans = pick_scans(database, args.scans * 2 + 40)
    interleaved(database, scans[:40])  # warm caches and the compiled statements
    use_case, bare, use_cpu, bare_cpu = interleaved(database, scans[40:])
    for name, values, cpu in (("receive_scan use case", use_case, use_cpu), ("bare SQL floor", bare, bare_cpu)):
        print(f"{name:24s} p50 {percentile(values, 50):6.2f} ms   p95 {percentile(values, 95):6.2f} ms"
              f"   max {max(values):6.2f} ms   CPU {statistics.mean(cpu):5.2f} ms   (n={len(values)})")
    wall_ratio = sum(use_case) / sum(bare)
    print(f"ratio use case / bare SQL: wall {wall_ratio:.2f}x   p50 "
          f"{percentile(use_case, 50) / percentile(bare, 50):.2f}x   p95 "
          f"{percentile(use_case, 95) / percentile(bare, 95):.2f}x   CPU "
          f"{statistics.mean(use_cpu) / statistics.mean(bare_cpu):.2f}x")
    print(f"targets: p95 <= 25 ms: {'PASS' if percentile(use_case, 95) <= 25 else 'FAIL'};  "
          f"wall <= 1.3x bare: {'PASS' if wall_ratio <= 1.3 else 'FAIL'}")
    database.dispose()


if __name__ == "__main__":
    main()
