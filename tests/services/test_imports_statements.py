"""No statement per row: every import issues the same number of statements for a few rows as
for many (all within one batch), on every backend, whether it creates or updates; a file of
several batches costs a fixed number of statements per batch. The database holds what the
files said (a user would notice otherwise)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.actor import system_actor
from app.core.checkdigits import with_check_digit
from app.db import chain
from app.db.models import AuditEntry, Location, Product, ProductBarcode, PurchaseOrder, PurchaseOrderLine, User
from app.db.models_picking import SalesOrder, SalesOrderLine
from app.db.models_putaway import LocationCapacity, PutawayRuleRow
from app.db.uow import UnitOfWork
from app.services.imports import common, import_csv
from app.services.imports.orders import import_orders
from tests.services.test_scale_statements import statements

ACTOR = system_actor("test")


def products(n: int, name: str = "Product", first: int = 0) -> str:
    rows = [f"S-{i:04d},{name} {i},{with_check_digit(f'7{i:011d}')},INT-{i}:1;{with_check_digit(f'9{i:012d}')}:6"
            for i in range(first, first + n)]
    return "sku,name,gtin,barcodes\n" + "\n".join(rows) + "\n"


def locations(n: int, zone: str = "A") -> str:
    return "code,kind,zone,bay,level,x,y\n" + "".join(
        f"B-{i:04d},storage,{zone},{i},1,{i * 1.5},2.5\n" for i in range(n))


def capacities(n: int, first: int = 0) -> str:
    return "location,max_units,max_weight_kg,mix_lots\n" + "".join(
        f"B-{i:04d},{10 + i},50,no\n" for i in range(first, first + n))


def rules(n: int, first: int = 0) -> str:
    return "scope,target,home_location,preferred_zone\n" + "".join(
        f"product,S-{i:04d},B-{i:04d},A\n" for i in range(first, first + n))


def purchase_orders(n: int, first: int = 0) -> str:
    return "number,supplier,line_no,sku,quantity\n" + "".join(
        f"PO-{i},ACME,{line},S-{(i + line) % 60:04d},5\n" for i in range(first, first + n) for line in (1, 2))


def users(n: int, role: str = "operator", first: int = 0) -> str:
    return "username,display_name,badge_code,role,pin\n" + "".join(
        f"u{i},User {i},BADGE-{i},{role},{1000 + i}\n" for i in range(first, first + n))


def sales_orders(n: int, first: int = 0) -> str:
    head = "channel,order_number,ship_to_name,ship_to_address1,ship_to_city,ship_to_postcode,ship_to_country,carrier,sku,quantity\n"
    return head + "".join(f"Shop,{first + i},Ann,Street 1,Town,12345,DE,DHL,S-{(i + line) % 60:04d},{line}\n"
                          for i in range(n) for line in (1, 2))


def imported(database, tmp_path, kind: str, text: str) -> int:
    """Statements the whole use case issued (reads, writes, audit, chain, commit)."""
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    with UnitOfWork(database) as uow, statements(database) as seen:
        import_csv(uow, kind, path, actor=ACTOR)
    return len(seen)


def count(database, model) -> int:
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_products_and_locations_in_constant_statements(database, tmp_path):
    few = imported(database, tmp_path, "products", products(3))
    many = imported(database, tmp_path, "products", products(60, first=100))
    assert count(database, Product) == 63
    assert count(database, ProductBarcode) == 3 * 63
    updated_few = imported(database, tmp_path, "products", products(3, "Renamed"))
    updated_many = imported(database, tmp_path, "products", products(60, "Renamed", first=100))
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.scalar(select(Product.name).where(Product.sku == "S-0159")) == "Renamed 159"
    assert few == many and updated_few == updated_many

    few = imported(database, tmp_path, "locations", locations(3))
    many = imported(database, tmp_path, "locations", locations(60).replace("B-", "C-"))
    assert few == many
    assert imported(database, tmp_path, "locations", locations(3, "Z")) == imported(
        database, tmp_path, "locations", locations(60, "Z").replace("B-", "C-"))
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.scalar(select(Location.zone).where(Location.code == "C-0042")) == "Z"


def test_capacities_rules_and_purchase_orders_in_constant_statements(database, tmp_path):
    imported(database, tmp_path, "products", products(60))
    imported(database, tmp_path, "locations", locations(60))
    for kind, make in (("bin-capacities", capacities), ("putaway-rules", rules)):
        few = imported(database, tmp_path, kind, make(3))
        many = imported(database, tmp_path, kind, make(57, first=3))
        assert few == many, kind  # created
        assert imported(database, tmp_path, kind, make(3)) == imported(database, tmp_path, kind, make(60)), kind
    assert count(database, LocationCapacity) == count(database, PutawayRuleRow) == 60
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.scalar(select(LocationCapacity.max_units).where(
            LocationCapacity.location_id == select(Location.id).where(Location.code == "B-0059").scalar_subquery())) == 69

    few = imported(database, tmp_path, "purchase-orders", purchase_orders(3))
    many = imported(database, tmp_path, "purchase-orders", purchase_orders(37, first=3))
    assert few == many  # created
    assert imported(database, tmp_path, "purchase-orders", purchase_orders(3)) == imported(
        database, tmp_path, "purchase-orders", purchase_orders(40))  # replaced
    assert count(database, PurchaseOrder) == 40 and count(database, PurchaseOrderLine) == 80
    with UnitOfWork(database, write=False) as uow:  # one audit row per import, each chained
        links, problems = chain.verify(uow.session)
        assert problems == [] and links == count(database, AuditEntry) == 14


def test_users_in_constant_statements(database, tmp_path):
    few = imported(database, tmp_path, "users", users(2))
    many = imported(database, tmp_path, "users", users(6, first=10))
    assert few == many
    assert imported(database, tmp_path, "users", users(2, "supervisor")) == imported(
        database, tmp_path, "users", users(6, "supervisor", first=10))
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.scalar(select(User.role).where(User.username == "u15")) == "supervisor"


def test_sales_orders_in_constant_statements(database, tmp_path):
    imported(database, tmp_path, "products", products(60))

    def run(text: str) -> int:
        with UnitOfWork(database) as uow, statements(database) as seen:
            import_orders(uow, text.encode(), file="orders.csv", actor=ACTOR)
        return len(seen)

    assert run(sales_orders(3)) == run(sales_orders(50, first=100))
    assert count(database, SalesOrder) == 53 and count(database, SalesOrderLine) == 106


def test_a_file_of_several_batches_costs_statements_per_batch_not_per_row(database, tmp_path, monkeypatch):
    monkeypatch.setattr(common, "BATCH_ROWS", 10)
    monkeypatch.setattr("app.services.imports.BATCH_ROWS", 10)
    two = imported(database, tmp_path, "products", products(20))
    five = imported(database, tmp_path, "products", products(50, first=100))
    assert count(database, Product) == 70
    per_batch = (five - two) / 3
    assert per_batch == int(per_batch) and 0 < per_batch <= 8  # lookups and inserts, not rows


@pytest.mark.parametrize("bad_row", [2, 51])
def test_a_refused_batched_file_leaves_the_database_unchanged(database, tmp_path, monkeypatch, bad_row):
    monkeypatch.setattr("app.services.imports.BATCH_ROWS", 10)
    lines = products(50).splitlines()
    lines[bad_row - 1] = lines[bad_row - 1].replace("Product", "\x07Product")
    path = tmp_path / "products.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from app.services.imports import ImportRejected

    with pytest.raises(ImportRejected) as error, UnitOfWork(database) as uow:
        import_csv(uow, "products", path, actor=ACTOR)
    assert [str(problem) for problem in error.value.problems] == [
        f"row {bad_row}, name: contains a control character (0x07)"]
    assert count(database, Product) == 0


def test_rmas_in_constant_statements(database, warehouse):
    from app.db.models_returns import Rma, RmaLine
    from app.services.imports.returns import import_rmas
    from tests.services.test_returns_support import ship_order

    ship_order(database, warehouse, "1001", {"WIDGET": 40, "GADGET": 40})
    ship_order(database, warehouse, "1002", {"WIDGET": 40})

    def run(rmas: list[tuple[str, str, str, int]]) -> int:
        text = "channel,rma_number,order_number,sku,quantity,reason\n" + "".join(
            f"Shopify,{number},{order},{sku},{quantity},too big\n" for number, order, sku, quantity in rmas)
        with UnitOfWork(database) as uow, statements(database) as seen:
            import_rmas(uow, text.encode(), file="rmas.csv", actor=warehouse.supervisor)
            uow.commit()
        return len(seen)

    few = run([("R-1", "1001", "WIDGET", 1), ("R-1", "1001", "GADGET", 1)])
    many = run([(f"R-{n}", "1001" if n % 2 else "1002", "WIDGET", 1) for n in range(2, 30)]
               + [(f"R-{n}", "1001", "GADGET", 1) for n in range(3, 30, 2)])
    assert few == many
    replaced = run([(f"R-{n}", "1001" if n % 2 else "1002", "WIDGET", 1) for n in range(2, 30)])
    assert count(database, Rma) == 29 and count(database, RmaLine) == 2 + 28  # R-1 kept its two lines
    assert replaced == run([("R-1", "1001", "WIDGET", 2)])


def test_an_importer_that_is_not_batched_gets_the_whole_file_as_one_table(database, tmp_path, monkeypatch):
    import dataclasses

    import app.services.imports as imports_package
    from app.services.imports import products as products_import

    seen: list[int] = []

    def check(session, table):  # noqa: ANN001
        seen.append(len(table.rows))
        return products_import.check(session, table)

    whole = dataclasses.replace(products_import.IMPORTER, batched=False, check=check)
    monkeypatch.setattr(imports_package, "importers", lambda: {"products": whole})
    monkeypatch.setattr("app.services.imports.BATCH_ROWS", 10)
    imported(database, tmp_path, "products", products(25))
    assert seen == [25] and count(database, Product) == 25
