"""Benchmark: opening stock through `import stock` (all rows checked, then moved through the
ledger in bulk statements).

    .venv/bin/python tests/benchmarks/bench_stock_import.py [--rows 20000] [--database URL]

Builds an empty database with the SUPPLIER / LOSS ends, one bin per 10 rows and one product per
row (lot-tracked every third, with a license plate every fifth), imports a stock CSV of
--rows rows and prints rows/s and the number of SQL statements the import issued. Then
`db check`'s ledger and hash-chain verification run over the result and are timed too.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import event  # noqa: E402

from app.core.actor import system_actor  # noqa: E402
from app.db import chain  # noqa: E402
from app.db.engine import create_database  # noqa: E402
from app.db.schema import upgrade  # noqa: E402
from app.db.uow import UnitOfWork  # noqa: E402
from app.services import ledger  # noqa: E402
from app.services.imports import import_csv  # noqa: E402
from app.services.imports.stock import import_stock  # noqa: E402

ACTOR = system_actor("bench")


def write(folder: Path, name: str, header: str, lines) -> Path:  # noqa: ANN001
    path = folder / name
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        out.writelines(lines)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--database")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    database = create_database(args.database or str(folder / "stock.sqlite"))
    upgrade(database)
    n = args.rows
    bins = max(n // 10, 1)
    files = [
        ("locations", write(folder, "locations.csv", "code,kind\n", ["SUPPLIER,supplier\n", "LOSS,inventory_loss\n",
                                                                    *(f"R-{b:06d},storage\n" for b in range(bins))])),
        ("products", write(folder, "products.csv", "sku,name,tracking,expiry_tracked\n",
                           (f"S-{i:07d},Product {i},{'lot' if i % 3 == 0 else 'none'},"
                            f"{'yes' if i % 3 == 0 else 'no'}\n" for i in range(n)))),
    ]
    for kind, path in files:
        with UnitOfWork(database) as uow:
            import_csv(uow, kind, path, actor=ACTOR)
    stock = write(folder, "stock.csv", "sku,location,lot,expiry,license_plate,quantity,reason\n", (
        f"S-{i:07d},R-{i % bins:06d},{f'L-{i}' if i % 3 == 0 else ''},{'2027-06-30' if i % 3 == 0 else ''},"
        f"{f'P-{i:07d}' if i % 5 == 0 else ''},{1 + i % 40},opening_balance\n" for i in range(n)))
    seen: list[str] = []
    listener = lambda *a: seen.append(a[2])  # noqa: E731
    event.listen(database.engine, "before_cursor_execute", listener)
    start = time.perf_counter()
    with UnitOfWork(database) as uow:
        summary = import_stock(uow, stock, actor=ACTOR)
    took = time.perf_counter() - start
    event.remove(database.engine, "before_cursor_execute", listener)
    print(f"{database.describe()}: {summary.rows} rows, {summary.units_in} units in {took:.2f} s "
          f"= {summary.rows / took:,.0f} rows/s; {len(seen)} SQL statements")
    start = time.perf_counter()
    with UnitOfWork(database, write=False) as uow:
        problems = ledger.check_ledger(uow.session)
        links, tampered = chain.verify(uow.session)
    print(f"db check: {len(problems)} ledger discrepancies, {links} chain links, {len(tampered)} tamper "
          f"findings in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
