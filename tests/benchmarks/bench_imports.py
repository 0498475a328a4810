"""Benchmark: CSV imports next to bare SQL for the same rows, their peak memory, and the
refusal of a big file whose last row is bad.

    python tests/benchmarks/bench_imports.py [--rows 100000] [--big-mb 50] [--database URL]
                                             [--kinds products,locations,...]

For each import kind a CSV of ``--rows`` rows is written, then each measurement runs in its own
process on an emptied database (SQLite files in a temporary folder, or the PostgreSQL database
given by URL, in its schema ``bench_imports``, dropped and created again before every run):

- ``import``: services.imports.import_csv, the whole use case (decode, check every row, look
  up existing keys, write, audit, commit);
- ``bare SQL``: the same file read with csv.reader and the same rows inserted with the DBAPI
  cursor (executemany, one transaction, no checks);
- ``refuse``: a products file of ``--big-mb`` MB whose last row has a bad GTIN: it must be
  refused naming that row and column, and the database must stay empty.

Peak memory is each process's ru_maxrss (it includes the interpreter and the libraries,
about 70-90 MB before any row is read). Each line prints the figure beside its target, PASS or
FAIL; the exit status is 1 when any line fails. Not collected by pytest (bench_*.py).
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
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
    path = Path(args.file)
    result: dict[str, object] = {}
    start = time.perf_counter()
    if args.child == "sql":
        bare_sql(database, args.kind, path)
    else:
        try:
            with UnitOfWork(database) as uow:
                summary = import_csv(uow, args.kind, path, actor=system_actor("bench"))
            result["rows"] = summary.rows
        except ImportRejected as exc:
            result["problems"] = [str(problem) for problem in exc.problems[:3]]
            result["problem_count"] = len(exc.problems)
    result["seconds"] = time.perf_counter() - start
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with UnitOfWork(database, write=False) as uow:
        result["products"] = uow.session.scalar(select(func.count()).select_from(Product))
    database.engine.dispose()
    print(json.dumps(result))


def bare_sql(database, kind: str, path: Path) -> None:
    raw = database.engine.raw_connection()
    cursor = raw.cursor()
    mark = "?" if database.is_sqlite else "%s"
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
    raw.commit()
    raw.close()


def measure(args: argparse.Namespace, side: str, kind: str, path: Path, folder: Path) -> dict:
    command = [sys.executable, __file__, "--child", side, "--kind", kind, "--file", str(path),
               "--folder", str(folder)] + (["--database", args.database] if args.database else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{side} {kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


FILES = {"products": (PRODUCT_HEADER, product_rows), "locations": (LOCATION_HEADER, location_rows)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--big-mb", type=int, default=50, help="size of the refused file; 0 skips it")
    parser.add_argument("--database", help="a PostgreSQL URL (schema bench_imports is dropped and made again); "
                        "SQLite files otherwise")
    parser.add_argument("--kinds", default="products,locations")
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
        imported = measure(args, "import", kind, path, folder)
        bare = measure(args, "sql", kind, path, folder)
        if imported.get("rows") != args.rows:
            sys.exit(f"{kind}: the import did not take every row: {imported}")
        ratio = imported["seconds"] / bare["seconds"]
        name = f"{kind}, {args.rows:,} rows ({path.stat().st_size / 2**20:.0f} MB)"
        lines.append((f"{name}: import", f"{imported['seconds']:.1f} s = {args.rows / imported['seconds']:,.0f} rows/s",
                      "", True))
        lines.append((f"{name}: bare SQL", f"{bare['seconds']:.1f} s = {args.rows / bare['seconds']:,.0f} rows/s "
                      f"(peak {bare['peak_mb']:.0f} MB)", "", True))
        lines.append((f"{name}: import / bare SQL", f"{ratio:.2f}x", f"<= {RATIO_TARGET:.0f}x", ratio <= RATIO_TARGET))
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
