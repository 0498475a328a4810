"""`db check`'s document half: counters on documents proven against the ledger."""

from __future__ import annotations

from sqlalchemy import text

from app.db.uow import UnitOfWork
from app.services.integrity import check_documents
from tests.factories import gtin13
from tests.services.test_orders_support import put_stock
from tests.services.test_packing import pack, picked_order
from tests.services.test_picking import released


def problems(database) -> list[str]:
    with UnitOfWork(database, write=False) as uow:
        return [str(found) for found in check_documents(uow.session)]


def corrupt(database, sql: str) -> None:
    with database.engine.begin() as conn:
        conn.execute(text(sql))


def test_picked_and_packed_counters_are_proven_by_pick_and_pack_moves(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 20)
    order_id, _ = picked_order(database, warehouse, {"WIDGET": 3})
    pack(database, warehouse, order_id, gtin13(1), quantity=2)
    assert problems(database) == []
    corrupt(database, "UPDATE sales_order_lines SET quantity_picked = 4, quantity_packed = 3")
    corrupt(database, "UPDATE pick_tasks SET quantity_picked = 2")
    assert problems(database) == [
        "order Shopify 1001, WIDGET: picked 4, ledger says 3",
        "order Shopify 1001, WIDGET: packed 3, ledger says 2",
        "order Shopify 1001, WIDGET: pick tasks' picked 2, ledger says 3",
    ]


def test_reserved_stock_is_proven_by_open_allocations(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 20)
    released(database, warehouse, {"WIDGET": 5})
    assert problems(database) == []
    corrupt(database, "UPDATE on_hand SET reserved = 8 WHERE reserved = 5")
    assert problems(database) == [
        "stock A-01-01, WIDGET: reserved (allocations + returns held) 8, ledger says 5"]
