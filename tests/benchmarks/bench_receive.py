"""Benchmark: one receiving scan on a warehouse-sized database, next to the bare SQL floor.

    .venv/bin/python tests/benchmarks/bench_receive.py [--database URL] [--moves 2000000]

Builds (once, cached at /tmp/stockfloor-bench.sqlite unless --database is given) 100k
products, 50k bins and >= 2M ledger moves with consistent on-hand, then times
services.receiving.receive_scan (the whole use case: unit of work, scan interpretation,
resolution, journal, ledger move, PO line update, commit) against the same lookups and
writes issued directly through the DBAPI cursor, and prints p50/p95 and the ratio.
"""

from __future__ import annotations

import argparse
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

PRODUCTS, BINS, ORDERS, LINES_PER_ORDER = 100_000, 50_000, 2_000, 5
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


def time_use_case(database, scans) -> list[float]:
    actor = Actor(1, "BENCH", "operator", "Bench")
    timings = []
    for order_id, code in scans:
        start = time.perf_counter()
        with UnitOfWork(database) as uow:
            receiving.receive_scan(uow, order_id, code, actor=actor, idempotency_key=uuid.uuid4().hex)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def time_bare_sql(database, scans) -> list[float]:
    """The same reads and writes, hand-written, on one raw DBAPI connection."""
    pg = not database.is_sqlite
    p = "%s" if pg else "?"
    raw = database.engine.raw_connection()
    cur = raw.cursor()
    timings = []
    for order_id, code in scans:
        start = time.perf_counter()
        key = uuid.uuid4().hex
        if not pg:
            cur.execute("BEGIN IMMEDIATE")
        cur.execute(f"SELECT id FROM moves WHERE idempotency_key = {p}", (key,))
        cur.fetchone()
        cur.execute(f"SELECT product_id, quantity FROM product_barcodes WHERE code IN ({p}, {p}) LIMIT 1",
                    (code, code.zfill(14)))
        product_id, units = cur.fetchone()
        cur.execute(f"SELECT status FROM purchase_orders WHERE id = {p}" + (" FOR UPDATE" if pg else ""),
                    (order_id,))
        cur.fetchone()
        cur.execute(f"SELECT id FROM purchase_order_lines WHERE purchase_order_id = {p} AND product_id = {p}",
                    (order_id, product_id))
        line_id = cur.fetchone()[0]
        cur.execute("SELECT id FROM locations WHERE kind = 'receiving' ORDER BY id LIMIT 1")
        dock = cur.fetchone()[0]
        cur.execute("SELECT id FROM locations WHERE kind = 'supplier' ORDER BY id LIMIT 1")
        supplier = cur.fetchone()[0]
        cur.execute(f"INSERT INTO scan_journal (at, user_id, workstation, context, raw, interpretation, "
                    f"outcome, message) VALUES (CURRENT_TIMESTAMP, 1, 'BENCH', 'receiving', {p}, '', 'ok', '')"
                    + (" RETURNING id" if pg else ""), (code,))
        scan_id = cur.fetchone()[0] if pg else cur.lastrowid
        cur.execute(f"INSERT INTO on_hand (product_id, location_id, lot_id, license_plate_id, quantity) "
                    f"VALUES ({p}, {p}, NULL, NULL, 0) ON CONFLICT DO NOTHING", (product_id, dock))
        cur.execute(f"UPDATE on_hand SET quantity = quantity + {p} WHERE product_id = {p} AND location_id = {p} "
                    "AND lot_id IS NULL AND license_plate_id IS NULL", (units, product_id, dock))
        cur.execute(f"INSERT INTO moves (product_id, quantity, from_location_id, to_location_id, created_at, "
                    f"user_id, workstation, reason, document_type, document_id, scan_id, idempotency_key) "
                    f"VALUES ({p}, {p}, {p}, {p}, CURRENT_TIMESTAMP, 1, 'BENCH', 'receipt', 'purchase_order', "
                    f"{p}, {p}, {p})", (product_id, units, supplier, dock, order_id, scan_id, key))
        cur.execute(f"UPDATE purchase_order_lines SET quantity_received = quantity_received + {p} WHERE id = {p}",
                    (units, line_id))
        cur.execute(f"UPDATE purchase_orders SET status = 'partially_received' WHERE id = {p}", (order_id,))
        raw.commit()
        timings.append((time.perf_counter() - start) * 1000)
    raw.close()
    return timings


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="URL or path (default: cached SQLite file in /tmp)")
    parser.add_argument("--moves", type=int, default=2_000_000)
    parser.add_argument("--scans", type=int, default=400)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    target = args.database or "/tmp/stockfloor-bench.sqlite"
    if args.rebuild and not args.database:
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
    database = create_database(target)
    upgrade(database)
    with database.engine.connect() as conn:
        existing = conn.scalar(select(func.count()).select_from(Move))
    if existing < args.moves:
        if existing:
            sys.exit(f"{target} holds {existing} moves; use an empty database or --rebuild")
        build(database, args.moves)
    with database.engine.connect() as conn:
        counts = {t: conn.scalar(text(f"SELECT count(*) FROM {t}"))
                  for t in ("products", "locations", "moves", "on_hand")}
    print(f"database: {database.describe()}  {counts}")
    scans = pick_scans(database, args.scans * 2 + 20)
    time_use_case(database, scans[:10])  # warm caches and the ORM's compiled statements
    time_bare_sql(database, scans[10:20])
    use_case = time_use_case(database, scans[20:20 + args.scans])
    bare = time_bare_sql(database, scans[20 + args.scans:])
    for name, values in (("receive_scan use case", use_case), ("bare SQL floor", bare)):
        print(f"{name:24s} p50 {percentile(values, 50):6.2f} ms   p95 {percentile(values, 95):6.2f} ms"
              f"   max {max(values):6.2f} ms   (n={len(values)})")
    print(f"ratio use case / bare SQL: p50 {percentile(use_case, 50) / percentile(bare, 50):.2f}x   "
          f"p95 {percentile(use_case, 95) / percentile(bare, 95):.2f}x")
    database.dispose()


if __name__ == "__main__":
    main()
