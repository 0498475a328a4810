"""Benchmark: a products CSV import next to bare SQL inserting the same rows.

    .venv/bin/python tests/benchmarks/bench_imports.py [--rows 100000] [--database URL] [--only import|sql]

Writes a products CSV (SKU, name, unit GTIN, case GTIN, weights, cost and an internal code),
imports it into an empty database through services.imports.import_csv (the whole use case:
decode, check every row, look up existing keys, insert, audit, commit), then inserts the same
rows into another empty database with the DBAPI cursor (executemany, one transaction) and
prints rows/s for both and the ratio. Peak memory: run one side under /usr/bin/time -v with
--only.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.core.actor import system_actor  # noqa: E402
from app.core.checkdigits import with_check_digit  # noqa: E402
from app.db.engine import create_database  # noqa: E402
from app.db.schema import upgrade  # noqa: E402
from app.db.uow import UnitOfWork  # noqa: E402
from app.services.imports import import_csv  # noqa: E402

HEADER = "sku,name,unit,tracking,gtin,case_gtin,case_qty,weight_kg,unit_cost,barcodes\n"


def rows(count: int):
    for i in range(count):
        gtin = with_check_digit(f"400{i:09d}")
        case = with_check_digit(f"1400{i:09d}")
        yield (f"SKU-{i:07d}", f"Product number {i}, blue", "each", "none", gtin, case, 12,
               0.25 + i % 7, 1.5 + i % 11, f"INT-{i:07d}")


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        writer = csv.writer(out, lineterminator="\n")
        for row in rows(count):
            *head, internal = row
            writer.writerow([*head, f"{internal}:1"])


def fresh(url: str | None, name: str):
    target = url or str(Path(tempfile.mkdtemp()) / name)
    database = create_database(target)
    upgrade(database)
    return database


def bench_import(path: Path, url: str | None, count: int) -> float:
    database = fresh(url, "import.sqlite")
    start = time.perf_counter()
    with UnitOfWork(database) as uow:
        summary = import_csv(uow, "products", path, actor=system_actor("bench"))
    elapsed = time.perf_counter() - start
    assert summary.created == count, summary
    print(f"import_csv: {count} rows in {elapsed:.2f} s = {count / elapsed:,.0f} rows/s")
    return elapsed


def bench_sql(url: str | None, count: int) -> float:
    database = fresh(url, "sql.sqlite")
    raw = database.engine.raw_connection()
    start = time.perf_counter()
    cursor = raw.cursor()
    if database.is_sqlite:
        cursor.execute("BEGIN IMMEDIATE")
    data = list(rows(count))
    cursor.executemany(
        "INSERT INTO products (id, sku, name, unit, tracking, expiry_tracked, weight_kg, unit_cost) "
        "VALUES (%s, %s, %s, %s, %s, false, %s, %s)".replace("%s", "?" if database.is_sqlite else "%s"),
        [(n + 1, r[0], r[1], r[2], r[3], r[7], r[8]) for n, r in enumerate(data)])
    codes = []
    for n, r in enumerate(data):
        codes += [(n + 1, r[4], "gtin", 1), (n + 1, r[5], "case", 12), (n + 1, r[9], "internal", 1)]
    cursor.executemany(
        "INSERT INTO product_barcodes (product_id, code, kind, quantity) VALUES (%s, %s, %s, %s)".replace(
            "%s", "?" if database.is_sqlite else "%s"), codes)
    raw.commit()
    elapsed = time.perf_counter() - start
    print(f"bare SQL:   {count} rows in {elapsed:.2f} s = {count / elapsed:,.0f} rows/s")
    raw.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", help="a PostgreSQL URL (emptied first); SQLite files otherwise")
    parser.add_argument("--only", choices=("import", "sql"))
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "products.csv"
    write_csv(path, args.rows)
    print(f"{path}: {path.stat().st_size / 2**20:.1f} MB")
    took = {}
    if args.only in (None, "import"):
        took["import"] = bench_import(path, args.database, args.rows)
    if args.only in (None, "sql"):
        if args.database:
            print("bare SQL on PostgreSQL: run again with an emptied database and --only sql")
        took["sql"] = bench_sql(args.database, args.rows)
    if len(took) == 2:
        print(f"ratio: {took['import'] / took['sql']:.1f}x bare SQL")


if __name__ == "__main__":
    main()
