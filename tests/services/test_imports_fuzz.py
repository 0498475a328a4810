"""Every importer over arbitrary rows and bytes: a summary or a refusal in words, never an
unexpected exception, and the database unchanged whenever the file is refused (issue 16)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

import app.db.all_models  # noqa: F401  (every table)
from app.core.actor import system_actor
from app.core.errors import StockfloorError
from app.db.models import Base
from app.db.uow import UnitOfWork
from app.services.imports import import_csv, importers
from app.services.imports import orders as order_import
from app.services.imports import returns as rma_import
from tests.factories import gtin13

ACTOR = system_actor("fuzz")
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))

# Cells that have broken imports before, next to arbitrary text.
NASTY = ["", "0", "-1", "1", "2", "99999999999999999999999", "9" * 5000, "1e309", "nan", "inf", "1_000", "１２",
         "①", "²", "2026-02-30", "2026-01-01", "yes", "lot", "none", "storage", "operator", gtin13(1), gtin13(7),
         "A-01-01", "WIDGET", "=HYPERLINK(\"x\")", "\x00", "a\nb", "\ud800", "x" * 300, "PO-1001", "Shopify"]
CELLS = st.one_of(st.sampled_from(NASTY), st.text(max_size=12),
                  st.text(alphabet=st.characters(exclude_categories=()), max_size=6))
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), CELLS),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(CELLS, inner, max_size=4)),
    max_leaves=20,
)


def snapshot(database) -> dict[str, int]:
    with UnitOfWork(database, write=False) as uow:
        return {name: uow.session.scalar(select(func.count()).select_from(table))
                for name, table in Base.metadata.tables.items()}


def encode(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogatepass")  # lone surrogates become invalid UTF-8


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return encode(out.getvalue())


def check(database, run) -> None:
    """Run one import; a refusal must leave every table as it was."""
    before = snapshot(database)
    try:
        run()
    except StockfloorError as error:
        assert str(error)
        for problem in getattr(error, "problems", ()):
            str(problem).encode("utf-8")
        assert snapshot(database) == before


def rows_for(columns):
    names = [column.name for column in columns]
    return st.tuples(st.permutations(names).flatmap(lambda order: st.integers(1, len(order)).map(
        lambda n: list(order[:n]))), st.lists(st.lists(CELLS, min_size=1, max_size=len(names) + 1), max_size=4))


@pytest.mark.parametrize("kind", ["products", "locations", "users", "purchase-orders", "bin-capacities",
                                  "putaway-rules"])
def test_csv_importers_answer_arbitrary_rows(database, warehouse, tmp_path, kind):
    columns = importers()[kind].columns

    @FUZZ
    @given(rows_for(columns))
    def run(data):
        header, rows = data
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(csv_bytes(header, rows))

        def go():
            with UnitOfWork(database) as uow:
                import_csv(uow, kind, path, actor=ACTOR)
        check(database, go)

    run()


@pytest.mark.parametrize("module, columns", [(order_import, order_import.CSV_COLUMNS),
                                             (rma_import, rma_import.CSV_COLUMNS)])
def test_order_and_rma_csv_answer_arbitrary_rows(database, warehouse, module, columns):
    importer = module.import_orders if module is order_import else module.import_rmas

    @FUZZ
    @given(rows_for(columns))
    def run(data):
        header, rows = data

        def go():
            with UnitOfWork(database) as uow:
                importer(uow, csv_bytes(header, rows), file="in.csv", actor=ACTOR)
        check(database, go)

    run()


@pytest.mark.parametrize("module", [order_import, rma_import])
def test_order_and_rma_json_answer_arbitrary_documents(database, warehouse, module):
    importer = module.import_orders if module is order_import else module.import_rmas

    @FUZZ
    @given(JSON_VALUES)
    def run(document):
        def go():
            with UnitOfWork(database) as uow:
                importer(uow, encode(json.dumps(document)), file="in.json", actor=ACTOR)
        check(database, go)

    run()


@pytest.mark.parametrize("module", [order_import, rma_import])
@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, "[" + "9" * 5000 + "]", '[{"x": "\\ud800"}]',
                                  "\xff\xfe[1]", '{"orders": [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]}'])
def test_hostile_json_is_refused_in_words(database, warehouse, module, text):
    importer = module.import_orders if module is order_import else module.import_rmas
    data = text.encode("latin-1") if text.startswith("\xff") else text.encode()
    before = snapshot(database)
    with pytest.raises(StockfloorError), UnitOfWork(database) as uow:
        importer(uow, data, file="in.json", actor=ACTOR)
    assert snapshot(database) == before


def test_reimporting_products_costs_a_few_statements_not_one_per_row(database, tmp_path):
    from sqlalchemy import event

    rows = "".join(f"SKU-{i},Product {i},{gtin13(1000 + i)},INT-{i}:1\n" for i in range(300))
    path = tmp_path / "products.csv"
    path.write_text("sku,name,gtin,barcodes\n" + rows)
    with UnitOfWork(database) as uow:
        import_csv(uow, "products", path, actor=ACTOR)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(database.engine, "before_cursor_execute", listener)
    try:
        with UnitOfWork(database) as uow:
            summary = import_csv(uow, "products", path, actor=ACTOR)
    finally:
        event.remove(database.engine, "before_cursor_execute", listener)
    assert summary.updated == 300
    assert len(statements) < 40
