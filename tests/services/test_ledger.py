"""The ledger: stock never negative, on-hand equals the ledger, replays change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.core.errors import InsufficientStock, InvalidInput
from app.db.models import Move, OnHand
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.ledger import StockKey


def move(uow, wh, sku, qty, src, dst, key, actor=None):
    return ledger.post_move(
        uow.session, actor=actor or wh.operator, product_id=wh.products[sku].id, quantity=qty,
        source=wh.locations[src], destination=wh.locations[dst], reason="test", idempotency_key=key,
    )


def test_taking_more_than_on_hand_is_refused_and_nothing_changes(database, warehouse):
    with UnitOfWork(database) as uow:
        move(uow, warehouse, "WIDGET", 5, "SUPPLIER", "A-01-01", "k1")
        uow.commit()
    with UnitOfWork(database) as uow, pytest.raises(InsufficientStock) as error:
        move(uow, warehouse, "WIDGET", 6, "A-01-01", "A-02-01", "k2")
    assert str(error.value) == "Only 5 of WIDGET at A-01-01, 6 needed."
    with UnitOfWork(database, write=False) as uow:
        key = StockKey(warehouse.products["WIDGET"].id, warehouse.locations["A-01-01"].id)
        assert ledger.on_hand_quantity(uow.session, key) == 5
        assert ledger.check_ledger(uow.session) == []


def test_moving_stock_keeps_ledger_and_on_hand_equal(database, warehouse):
    with UnitOfWork(database) as uow:
        move(uow, warehouse, "WIDGET", 5, "SUPPLIER", "A-01-01", "k1")
        move(uow, warehouse, "WIDGET", 2, "A-01-01", "A-02-01", "k2")
        move(uow, warehouse, "WIDGET", 3, "A-01-01", "CUSTOMER", "k3")
        uow.commit()
    with UnitOfWork(database, write=False) as uow:
        assert ledger.check_ledger(uow.session) == []
        rows = {(r.location_id, r.quantity) for r in uow.session.scalars(select(OnHand))}
    assert rows == {(warehouse.locations["A-01-01"].id, 0), (warehouse.locations["A-02-01"].id, 2)}


def test_same_idempotency_key_posts_once(database, warehouse):
    with UnitOfWork(database) as uow:
        first = move(uow, warehouse, "GADGET", 4, "SUPPLIER", "A-01-01", "same")
        again = move(uow, warehouse, "GADGET", 4, "SUPPLIER", "A-01-01", "same")
        assert first.id == again.id
        uow.commit()
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.scalar(select(OnHand.quantity)) == 4
        assert len(uow.session.scalars(select(Move)).all()) == 1


def test_zero_or_negative_quantities_are_refused(database, warehouse):
    with UnitOfWork(database) as uow, pytest.raises(InvalidInput):
        move(uow, warehouse, "GADGET", 0, "SUPPLIER", "A-01-01", "z")


def test_check_finds_a_hand_edited_on_hand_row(database, warehouse):
    with UnitOfWork(database) as uow:
        move(uow, warehouse, "GADGET", 4, "SUPPLIER", "A-01-01", "k")
        uow.commit()
    with UnitOfWork(database) as uow:
        uow.session.execute(update(OnHand).values(quantity=7))
        uow.commit()
    with UnitOfWork(database, write=False) as uow:
        [problem] = ledger.check_ledger(uow.session)
    assert (problem.on_hand, problem.ledger) == (7, 4)


def test_database_refuses_negative_on_hand_even_behind_the_ledger(database, warehouse):
    with UnitOfWork(database) as uow:
        move(uow, warehouse, "GADGET", 1, "SUPPLIER", "A-01-01", "k")
        uow.commit()
    with UnitOfWork(database) as uow, pytest.raises(Exception, match="(?i)check|constraint"):
        uow.session.execute(update(OnHand).values(quantity=-1))
        uow.session.flush()


def test_reserved_units_can_only_be_taken_by_their_document(database, warehouse):
    gadget, bin_ = warehouse.products["GADGET"], warehouse.locations["A-01-01"]
    key = ledger.StockKey(gadget.id, bin_.id)
    with UnitOfWork(database) as uow:
        move(uow, warehouse, "GADGET", 3, "SUPPLIER", "A-01-01", "in")
        ledger.reserve(uow.session, key, 2, bin_)
        uow.commit()
    with UnitOfWork(database) as uow:
        with pytest.raises(InsufficientStock) as error:
            move(uow, warehouse, "GADGET", 2, "A-01-01", "A-02-01", "steal")
        assert "Only 1 of GADGET" in str(error.value)
        with pytest.raises(InsufficientStock):
            ledger.reserve(uow.session, key, 2, bin_)
    with UnitOfWork(database) as uow:
        ledger.post_move(uow.session, actor=warehouse.operator, product_id=gadget.id, quantity=2,
                         source=bin_, destination=warehouse.locations["PACK-1"], reason="pick",
                         idempotency_key="pick", from_reserved=True)
        uow.commit()
    with UnitOfWork(database, write=False) as uow:
        assert ledger.available_quantity(uow.session, key) == 1
        assert ledger.check_ledger(uow.session) == []
