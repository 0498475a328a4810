"""Benchmark: CSV imports next to bare SQL for the same rows, their peak memory, and the
refusal of a big file whose last row is bad.

    python tests/benchmarks/bench_imports.py [--rows 100000] [--big-mb 50] [--database URL]
                                             [--kinds products,locations,purchase-orders,orders]
                                             [--repeat 3]

For each import kind a CSV of ``--rows`` rows is written (purchase orders: 5 lines an order,
orders: 2 lines an order, both on 1,000 products that are stored before the clock starts),
then each measurement runs in its own process on an emptied database (SQLite files in a
temporary folder, or the PostgreSQL database given by URL, in its schema ``bench_imports``,
dropped and created again before every run). Import and bare SQL take turns ``--repeat``
times and the fastest run of each counts (on a shared machine one slow run says more about
the neighbours than about the code); the peak memory is the largest of the runs:

- ``import``: services.imports.import_csv, the whole use case (decode, check every row, look
  up existing keys, write, audit, commit);
- ``bare SQL``: the same file read with csv.reader and the same rows inserted with the DBAPI
  cursor (executemany, one transaction, no checks);
- ``refuse``: a products file of ``--big-mb`` MB whose last row has a bad GTIN: it must be
  refused naming that row and column, and the database must stay empty.

The clock starts once the modules are loaded (for the import: every import kind's). Beside
the wall-clock seconds that the targets use, each side's CPU seconds of its own process are
printed: on a busy machine they vary less (for SQLite they are nearly all the work; a
PostgreSQL server works in its own process, which they leave out).
Peak memory is each process's ru_maxrss (it includes the interpreter and the libraries,
about 70-90 MB before any row is read). Each line prints the figure beside its target, PASS or
FAIL; the exit status is 1 when any line fails. Not collected by pytest (bench_*.py).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.core.checkdigits import with_check_digit  # noqa: E402

# Targets (README "Imports"): within 3x of bare SQL; bounded memory.
RATIO_TARGET = 3.0
PEAK_MB_TARGET = 200  # an import of 100k rows, the whole process
BIG_PEAK_MB_TARGET = 350  # refusing the 50 MB file (~500k rows): its keys, ~0.5 KB a row, stay in memory
PG_SCHEMA = "bench_imports"  # with --database: dropped and created again before every run


# --- the files -------------------------------------------------------------------------------
def product_rows(count: int, start: int = 0):
    for i in range(start, start + count):
        gtin = with_check_digit(f"400{i:09d}")
        case = with_check_digit(f"1400{i:09d}")
        yield [f"SKU-{i:07d}", f"Product number {i}, blue", "each", "none", gtin, case, "12",
               f"{0.25 + i % 7}", f"{1.5 + i % 11}", f"INT-{i:07d}:1"]


PRODUCT_HEADER = ["sku", "name", "unit", "tracking", "gtin", "case_gtin", "case_qty", "weight_kg",
                  "unit_cost", "barcodes"]


def location_rows(count: int):
    for i in range(count):
        aisle, bay, level = i // 1000, i // 10 % 100, i % 10
        yield [f"L-{aisle:03d}-{bay:02d}-{level}", "storage", f"Z{aisle % 5}", f"A{aisle}", str(bay), str(level),
               f"{aisle * 3.0}", f"{bay * 1.2}"]


LOCATION_HEADER = ["code", "kind", "zone", "aisle", "bay", "level", "x", "y"]
ORDERED_PRODUCTS = 1000  # purchase orders and orders refer to these, stored before the clock starts


def purchase_order_rows(count: int):
    for i in range(count):
        n = i // 5
        yield [f"PO-{n:07d}", "po", f"Supplier {n % 40}", f"2027-0{1 + n % 9}-1{n % 10}",
               str(i % 5 + 1), f"SKU-{i % ORDERED_PRODUCTS:07d}", str(1 + i % 48)]


PURCHASE_ORDER_HEADER = ["number", "kind", "supplier", "expected_date", "line_no", "sku", "quantity"]


def order_rows(count: int):
    for i in range(count):
        n = i // 2
        yield ["Shop", f"{100000 + n}", f"Customer {n}", f"Street {n % 300}", f"Town {n % 50}", f"{10000 + n % 89999}",
               "DE", "DHL", "Standard", str(n % 3), f"SKU-{i % ORDERED_PRODUCTS:07d}", str(1 + i % 4)]


ORDER_HEADER = ["channel", "order_number", "ship_to_name", "ship_to_address1", "ship_to_city", "ship_to_postcode",
                "ship_to_country", "carrier", "service", "priority", "sku", "quantity"]


def write(path: Path, header: list[str], rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_big_bad(path: Path, megabytes: int) -> tuple[Path, int]:
    """Products rows up to ``megabytes``, the last one with a wrong GTIN check digit."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(PRODUCT_HEADER)
        count = 0
        while out.tell() < megabytes * 2**20:
            writer.writerows(product_rows(10_000, count))
            count += 10_000
        bad = next(product_rows(1, count))
        bad[4] = bad[4][:-1] + str((int(bad[4][-1]) + 1) % 10)
        writer.writerow(bad)
    return path, count + 2  # the spreadsheet row of the bad line (header = row 1)


# --- one measurement per process -----------------------------------------------------------------
def fresh(url: str | None, folder: Path, name: str):
    from sqlalchemy import text

    from app.db.engine import create_database
    from app.db.schema import upgrade

    if url:  # a schema of its own, emptied: the database's other schemas are left alone
        admin = create_database(url)
        with admin.engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
        admin.dispose()
        database = create_database(f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{PG_SCHEMA}")
    else:
        database = create_database(str(folder / name))
    upgrade(database)
    return database


def child(args: argparse.Namespace) -> None:
    from sqlalchemy import func, select

    from app.core.actor import system_actor
    from app.core.csv_rules import ImportRejected
    from app.db.models import Product
    from app.db.uow import UnitOfWork
    from app.services.imports import import_csv

    database = fresh(args.database, Path(args.folder), f"{args.child}-{Path(args.file).stem}.sqlite")
    if args.kind in ("purchase-orders", "orders"):
        store_products(database)
    path = Path(args.file)
    result: dict[str, object] = {}
    if args.child == "import":
        from app.services.imports import importers

        importers()  # the modules of every import kind load before the clock starts, as app.services.imports did
    start, cpu = time.perf_counter(), time.process_time()
    if args.child == "sql":
        bare_sql(database, args.kind, path)
    else:
        try:
            with UnitOfWork(database) as uow:
                if args.kind == "orders":  # its own reader (CSV or JSON), not an import_csv kind
                    from app.services.imports.orders import import_orders

                    result["rows"] = import_orders(uow, path.read_bytes(), file=path.name,
                                                   actor=system_actor("bench")).lines
                else:
                    result["rows"] = import_csv(uow, args.kind, path, actor=system_actor("bench")).rows
        except ImportRejected as exc:
            result["problems"] = [str(problem) for problem in exc.problems[:3]]
            result["problem_count"] = len(exc.problems)
    result["seconds"] = time.perf_counter() - start
    result["cpu"] = time.process_time() - cpu  # this process only (PostgreSQL works in its own)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with UnitOfWork(database, write=False) as uow:
        result["products"] = uow.session.scalar(select(func.count()).select_from(Product))
    database.engine.dispose()
    print(json.dumps(result))


def store_products(database) -> None:
    """The products that purchase orders and orders refer to (before the clock starts)."""
    raw = database.engine.raw_connection()
    mark = "?" if database.is_sqlite else "%s"
    raw.cursor().executemany(
        "INSERT INTO products (id, sku, name, unit, tracking, expiry_tracked) "
        f"VALUES ({mark}, {mark}, {mark}, 'each', 'none', false)",
        [(n + 1, f"SKU-{n:07d}", f"Product {n}") for n in range(ORDERED_PRODUCTS)])
    raw.commit()
    raw.close()


def bare_sql(database, kind: str, path: Path) -> None:
    raw = database.engine.raw_connection()
    cursor = raw.cursor()
    mark = "?" if database.is_sqlite else "%s"
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    if database.is_sqlite:
        cursor.execute("BEGIN IMMEDIATE")
    with path.open(encoding="utf-8", newline="") as stream:
        records = csv.reader(stream)
        next(records)
        if kind == "products":
            data = list(records)
            cursor.executemany(
                "INSERT INTO products (id, sku, name, unit, tracking, expiry_tracked, weight_kg, unit_cost) "
                f"VALUES ({mark}, {mark}, {mark}, {mark}, {mark}, false, {mark}, {mark})",
                [(n, r[0], r[1], r[2], r[3], float(r[7]), float(r[8])) for n, r in enumerate(data, start=1)])
            codes = []
            for n, r in enumerate(data, start=1):
                codes += [(n, r[4], "gtin", 1), (n, r[5], "case", int(r[6])),
                          (n, r[9].split(":")[0], "internal", 1)]
            cursor.executemany(f"INSERT INTO product_barcodes (product_id, code, kind, quantity) "
                               f"VALUES ({mark}, {mark}, {mark}, {mark})", codes)
        elif kind == "locations":
            cursor.executemany(
                "INSERT INTO locations (code, barcode, kind, zone, aisle, bay, level, x, y, blocked) "
                f"VALUES ({mark}, {mark}, {mark}, {mark}, {mark}, {mark}, {mark}, {mark}, {mark}, false)",
                [(r[0], r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), float(r[6]), float(r[7])) for r in records])
        elif kind == "purchase-orders":  # the orders (one per number), then their lines
            data = list(records)
            ids: dict[str, int] = {}
            for r in data:
                ids.setdefault(r[0], len(ids) + 1)
            heads = {r[0]: r for r in reversed(data)}  # each order's first row
            cursor.executemany(
                "INSERT INTO purchase_orders (id, number, kind, supplier, status, expected_date, created_at) "
                f"VALUES ({mark}, {mark}, {mark}, {mark}, 'open', {mark}, {mark})",
                [(ids[number], number, r[1], r[2], dt.date.fromisoformat(r[3]), now) for number, r in heads.items()])
            skus = {f"SKU-{n:07d}": n + 1 for n in range(ORDERED_PRODUCTS)}
            cursor.executemany(
                "INSERT INTO purchase_order_lines (purchase_order_id, line_no, product_id, quantity_expected, "
                f"quantity_received, quantity_damaged) VALUES ({mark}, {mark}, {mark}, {mark}, 0, 0)",
                [(ids[r[0]], int(r[4]), skus[r[5]], int(r[6])) for r in data])
        elif kind == "orders":
            data = list(records)
            ids = {}
            for r in data:
                ids.setdefault(r[1], len(ids) + 1)
            heads = {r[1]: r for r in reversed(data)}
            cursor.executemany(
                "INSERT INTO sales_orders (id, channel, number, status, ship_to_name, ship_to_address1, "
                "ship_to_address2, ship_to_city, ship_to_postcode, ship_to_country, carrier, service, priority, "
                f"created_at) VALUES ({mark}, {mark}, {mark}, 'open', {mark}, {mark}, '', {mark}, {mark}, {mark}, "
                f"{mark}, {mark}, {mark}, {mark})",
                [(ids[number], r[0], number, r[2], r[3], r[4], r[5], r[6], r[7], r[8], int(r[9]), now)
                 for number, r in heads.items()])
            skus = {f"SKU-{n:07d}": n + 1 for n in range(ORDERED_PRODUCTS)}
            line_no: dict[str, int] = {}
            lines = []
            for r in data:
                line_no[r[1]] = line_no.get(r[1], 0) + 1
                lines.append((ids[r[1]], line_no[r[1]], skus[r[10]], int(r[11])))
            cursor.executemany(
                "INSERT INTO sales_order_lines (order_id, line_no, product_id, quantity, quantity_picked, "
                f"quantity_packed) VALUES ({mark}, {mark}, {mark}, {mark}, 0, 0)", lines)
    raw.commit()
    raw.close()


def measure(args: argparse.Namespace, side: str, kind: str, path: Path, folder: Path) -> dict:
    run_folder = Path(tempfile.mkdtemp(dir=folder))  # a new SQLite file for every run
    command = [sys.executable, __file__, "--child", side, "--kind", kind, "--file", str(path),
               "--folder", str(run_folder)] + (["--database", args.database] if args.database else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    shutil.rmtree(run_folder, ignore_errors=True)
    if done.returncode != 0:
        sys.exit(f"{side} {kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


FILES = {"products": (PRODUCT_HEADER, product_rows), "locations": (LOCATION_HEADER, location_rows),
         "purchase-orders": (PURCHASE_ORDER_HEADER, purchase_order_rows), "orders": (ORDER_HEADER, order_rows)}


def best_of(args: argparse.Namespace, kind: str, path: Path, folder: Path) -> tuple[dict, dict]:
    """Import and bare SQL, taking turns ``--repeat`` times: the fastest run of each, with
    the largest peak memory of its runs."""
    runs: dict[str, list[dict]] = {"import": [], "sql": []}
    for _ in range(args.repeat):
        for side in runs:
            runs[side].append(measure(args, side, kind, path, folder))
    best = {}
    for side, results in runs.items():
        best[side] = dict(min(results, key=lambda result: result["seconds"]),
                          peak_mb=max(result["peak_mb"] for result in results))
    return best["import"], best["sql"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--big-mb", type=int, default=50, help="size of the refused file; 0 skips it")
    parser.add_argument("--database", help="a PostgreSQL URL (schema bench_imports is dropped and made again); "
                        "SQLite files otherwise")
    parser.add_argument("--kinds", default="products,locations,purchase-orders,orders")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the fastest counts")
    parser.add_argument("--child", choices=("import", "sql"), help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    lines: list[tuple[str, str, str, bool]] = []
    for kind in args.kinds.split(","):
        header, rows = FILES[kind]
        path = write(folder / f"{kind}.csv", header, rows(args.rows))
        imported, bare = best_of(args, kind, path, folder)
        if imported.get("rows") != args.rows:
            sys.exit(f"{kind}: the import did not take every row: {imported}")
        ratio = imported["seconds"] / bare["seconds"]
        name = f"{kind}, {args.rows:,} rows ({path.stat().st_size / 2**20:.0f} MB, best of {args.repeat})"
        lines.append((f"{name}: import", f"{imported['seconds']:.1f} s = {args.rows / imported['seconds']:,.0f} rows/s "
                      f"(CPU {imported['cpu']:.1f} s)", "", True))
        lines.append((f"{name}: bare SQL", f"{bare['seconds']:.1f} s = {args.rows / bare['seconds']:,.0f} rows/s "
                      f"(CPU {bare['cpu']:.1f} s, peak {bare['peak_mb']:.0f} MB)", "", True))
        lines.append((f"{name}: import / bare SQL", f"{ratio:.2f}x (CPU of this process {imported['cpu'] / bare['cpu']:.2f}x)",
                      f"<= {RATIO_TARGET:.0f}x", ratio <= RATIO_TARGET))
        peak_target = PEAK_MB_TARGET * max(args.rows, 100_000) / 100_000
        lines.append((f"{name}: import peak memory", f"{imported['peak_mb']:.0f} MB", f"<= {peak_target:.0f} MB",
                      imported["peak_mb"] <= peak_target))
    if args.big_mb:
        path, bad_row = write_big_bad(folder / "big-bad.csv", args.big_mb)
        refused = measure(args, "import", "products", path, folder)
        problems = refused.get("problems", [])
        named = refused.get("problem_count") == 1 and problems[0].startswith(f"row {bad_row:,}".replace(",", "")
                                                                              + ", gtin:")
        name = f"products, {path.stat().st_size / 2**20:.0f} MB, bad last row {bad_row}"
        lines.append((f"{name}: refused naming row and column", problems[0] if problems else "not refused",
                      f"row {bad_row}, gtin", named))
        lines.append((f"{name}: database unchanged", f"{refused['products']} products", "0",
                      refused["products"] == 0))
        lines.append((f"{name}: time to refuse", f"{refused['seconds']:.1f} s "
                      f"= {(bad_row - 1) / refused['seconds']:,.0f} rows/s", "", True))
        lines.append((f"{name}: peak memory", f"{refused['peak_mb']:.0f} MB", f"<= {BIG_PEAK_MB_TARGET} MB",
                      refused["peak_mb"] <= BIG_PEAK_MB_TARGET))
    width = max(len(line[0]) for line in lines)
    for name, figure, target, ok in lines:
        verdict = ("PASS" if ok else "FAIL") if target else ""
        print(f"{name:<{width}}  {figure:<44} {target:<12} {verdict}")
    sys.exit(0 if all(ok for *_, ok in lines) else 1)


if __name__ == "__main__":
    main()
