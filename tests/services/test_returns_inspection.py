"""Inspecting and routing returned units on every backend: each disposition moves the stock
where it belongs through the ledger; supervisors' rules, value limits and approvals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.errors import InvalidInput, InvalidTransition, NotAllowed
from app.core.returns_rules import (
    ChecklistItem,
    DispositionOverride,
    DispositionRule,
    ScrapNeedsApproval,
    VendorReturnNeedsApproval,
)
from app.db.models import AuditEntry, Move, Product
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.putaway import tasks as putaway
from app.services.returns.inspection import plan_disposition, unit_checklist
from app.services.returns.setup import list_rules, remove_rule, set_checklist, set_rule
from tests.factories import gtin13
from tests.services.test_returns_support import (
    add_places,
    inspect,
    key,
    open_rma,
    read,
    receive,
    run,
    ship_order,
    stock,
    warehouse_rule,
)

PHONE = "]C1010" + gtin13(4) + "21"


@pytest.fixture
def rma(database, warehouse):
    """Shopify 1001 shipped 5 widgets, 2 gadgets and phones SN1, SN2; its parcel is back."""
    ship_order(database, warehouse, "1001", {"WIDGET": 5, "GADGET": 2, "PHONE": ["SN1", "SN2"]})
    return open_rma(database, warehouse.operator, "1001").rma.rma_id


def arrive(database, warehouse, rma_id, scan):
    return receive(database, warehouse.operator, rma_id, scan).unit


def moves(database, reason):
    with UnitOfWork(database, write=False) as uow:
        return [(m.quantity, m.from_location_id, m.to_location_id)
                for m in uow.session.scalars(select(Move).where(Move.reason == reason))]


def test_restock_releases_the_unit_for_put_away_where_it_landed(database, warehouse, rma):
    unit = arrive(database, warehouse, rma, gtin13(1))
    widget = warehouse.products["WIDGET"].id
    result = inspect(database, warehouse.operator, unit.unit_id, "A",
                     checklist=(("packaging_intact", True), ("working", True)))
    assert (result.plan.disposition, result.plan.destination, result.plan.source) == ("restock", "RET-1", "default")
    assert (result.unit.status, result.unit.grade, result.unit.checklist) == (
        "disposed", "A", (("packaging_intact", True), ("working", True)))
    assert stock(database, widget, "RET-1") == (1, 0)  # no longer held: put-away may take it
    waiting = read(database, putaway.list_waiting)
    assert [(w.location, w.sku, w.quantity) for w in waiting] == [("RET-1", "WIDGET", 1)]
    task = run(database, putaway.start_putaway, gtin13(1), actor=warehouse.operator)
    run(database, putaway.confirm_putaway, task, task.suggestion.destination or "A-01-01",
        actor=warehouse.operator, idempotency_key=key())
    assert stock(database, widget, "RET-1") == (0, 0)
    assert read(database, ledger.check_ledger) == []


def test_restock_moves_to_the_put_away_staging_location_when_one_is_set(database, warehouse, rma):
    add_places(database, ("RET-OK", "returns"))
    warehouse_rule(database, "returns_restock_location", "RET-OK")
    held = arrive(database, warehouse, rma, gtin13(1))
    ready = arrive(database, warehouse, rma, gtin13(1))
    result = inspect(database, warehouse.operator, ready.unit_id, "B")
    assert (result.plan.destination, result.label.where) == ("RET-OK", "PUT AWAY FROM RET-OK")
    widget = warehouse.products["WIDGET"].id
    assert stock(database, widget, "RET-1") == (1, 1) and stock(database, widget, "RET-OK") == (1, 0)
    # Put-away can take the restocked unit; the one waiting for inspection stays held.
    task = run(database, putaway.start_putaway, gtin13(1), actor=warehouse.operator, source="RET-OK")
    assert task.quantity == 1
    assert held.status == "received"


def test_each_disposition_goes_to_its_place(database, warehouse, rma):
    add_places(database, ("REFURB-1", "refurbish"))
    run(database, set_rule, DispositionRule("sku", "GADGET", "C", "return_to_vendor"), actor=warehouse.supervisor)
    refurbish = inspect(database, warehouse.operator, arrive(database, warehouse, rma, gtin13(1)).unit_id, "C")
    scrap = inspect(database, warehouse.operator, arrive(database, warehouse, rma, gtin13(1)).unit_id, "D")
    vendor = inspect(database, warehouse.operator, arrive(database, warehouse, rma, gtin13(2)).unit_id, "C")
    quarantine = inspect(database, warehouse.operator, arrive(database, warehouse, rma, PHONE + "SN9").unit_id,
                         "A", approval=warehouse.approval)
    assert [(r.plan.disposition, r.plan.destination, r.plan.source) for r in (refurbish, scrap, vendor, quarantine)] == [
        ("refurbish", "REFURB-1", "default"), ("scrap", "LOSS", "default"),
        ("return_to_vendor", "SUPPLIER", "sku"), ("quarantine", "QUAR-1", "flagged")]
    widget, gadget, phone = (warehouse.products[s].id for s in ("WIDGET", "GADGET", "PHONE"))
    assert stock(database, widget, "REFURB-1") == (1, 0)
    assert stock(database, phone, "QUAR-1") == (1, 0)
    assert stock(database, widget, "RET-1") == stock(database, gadget, "RET-1") == (0, 0)
    assert [m[0] for m in moves(database, "return_scrap")] == [1]
    assert [m[0] for m in moves(database, "return_to_vendor")] == [1]
    assert read(database, ledger.check_ledger) == []
    assert (vendor.label.headline, vendor.label.where) == ("RETURN TO VENDOR", "BACK TO VENDOR")


def test_refurbish_falls_back_to_quarantine_without_a_bench(database, warehouse, rma):
    result = inspect(database, warehouse.operator, arrive(database, warehouse, rma, gtin13(1)).unit_id, "C")
    assert (result.plan.disposition, result.plan.destination) == ("refurbish", "QUAR-1")


def test_scrapping_a_valuable_unit_needs_a_supervisor(database, warehouse, rma):
    unit = arrive(database, warehouse, rma, PHONE + "SN1")
    plan = read(database, plan_disposition, unit.unit_id, "D")
    assert (plan.disposition, plan.value, plan.approval_limit, plan.needs_approval) == ("scrap", 300.0, 50.0, True)
    with pytest.raises(ScrapNeedsApproval) as error:
        inspect(database, warehouse.operator, unit.unit_id, "D")
    assert str(error.value) == "Scrapping PHONE (value 300.00) is over 50.00. A supervisor must approve."
    assert stock(database, warehouse.products["PHONE"].id, "RET-1") == (1, 1)  # nothing moved
    with pytest.raises(ScrapNeedsApproval):
        inspect(database, warehouse.operator, unit.unit_id, "D", approval=warehouse.operator2_approval)  # not a supervisor
    result = inspect(database, warehouse.operator, unit.unit_id, "D", approval=warehouse.approval)
    assert result.approved_by == "Sam Supervisor" and result.unit.disposition == "scrap"
    with UnitOfWork(database, write=False) as uow:
        approved = uow.session.scalar(select(AuditEntry).where(AuditEntry.action == "return_disposition_approved"))
        assert approved.user_id == warehouse.supervisor.user_id and "Olga Operator" in approved.details


def test_return_to_vendor_over_its_limit_needs_a_supervisor_who_may_do_it_himself(database, warehouse, rma):
    warehouse_rule(database, "returns_rtv_approval_value", 5)
    run(database, set_rule, DispositionRule("warehouse", "", "C", "return_to_vendor"), actor=warehouse.supervisor)
    unit = arrive(database, warehouse, rma, gtin13(2))  # GADGET, 10.00
    with pytest.raises(VendorReturnNeedsApproval, match=r"value 10\.00\) is over 5\.00"):
        inspect(database, warehouse.operator, unit.unit_id, "C")
    result = inspect(database, warehouse.supervisor, unit.unit_id, "C")
    assert result.approved_by is None and result.plan.disposition == "return_to_vendor"


def test_choosing_another_disposition_than_the_rules_needs_a_supervisor(database, warehouse, rma):
    unit = arrive(database, warehouse, rma, gtin13(1))
    with pytest.raises(DispositionOverride) as error:
        inspect(database, warehouse.operator, unit.unit_id, "A", disposition="quarantine")
    assert str(error.value) == "WIDGET: the rules say RESTOCK, not QUARANTINE. A supervisor must approve."
    result = inspect(database, warehouse.operator, unit.unit_id, "A", disposition="quarantine",
                     approval=warehouse.approval)
    assert (result.plan.source, result.plan.destination) == ("override", "QUAR-1")


def test_a_replayed_confirmation_moves_nothing_twice(database, warehouse, rma):
    unit = arrive(database, warehouse, rma, gtin13(1))
    same = key()
    first = inspect(database, warehouse.operator, unit.unit_id, "D", idempotency_key=same)
    again = inspect(database, warehouse.operator, unit.unit_id, "D", idempotency_key=same)
    assert again.replayed and again.plan.destination == first.plan.destination == "LOSS"
    assert len(moves(database, "return_scrap")) == 1
    with pytest.raises(InvalidTransition, match="RU0000001 is disposed"):
        inspect(database, warehouse.operator, unit.unit_id, "A")  # a new confirmation is refused


def test_supervisor_rules_take_effect_and_only_supervisors_set_them(database, warehouse, rma):
    with UnitOfWork(database) as uow:
        uow.session.scalar(select(Product).where(Product.sku == "WIDGET")).product_group = "toys"
        uow.commit()
    with pytest.raises(NotAllowed):
        run(database, set_rule, DispositionRule("group", "toys", "A", "refurbish"), actor=warehouse.operator)
    run(database, set_rule, DispositionRule("group", "toys", "a", "Refurbish"), actor=warehouse.supervisor)
    unit = arrive(database, warehouse, rma, gtin13(1))
    assert read(database, plan_disposition, unit.unit_id, "A").disposition == "refurbish"
    assert [(r.scope, r.target, r.grade, r.disposition) for r in read(database, list_rules)] == [
        ("group", "toys", "A", "refurbish")]
    assert run(database, remove_rule, "group", "toys", "A", actor=warehouse.supervisor)
    assert read(database, plan_disposition, unit.unit_id, "A").disposition == "restock"


def test_checklist_findings_and_notes_are_checked_and_kept(database, warehouse, rma):
    unit = arrive(database, warehouse, rma, gtin13(1))
    assert [item.code for item in read(database, unit_checklist, unit.unit_id)] == [
        "packaging_intact", "complete", "working", "clean"]
    with pytest.raises(InvalidInput, match="powers_on is not on the checklist of WIDGET"):
        inspect(database, warehouse.operator, unit.unit_id, "B", checklist=(("powers_on", True),))
    with pytest.raises(InvalidInput, match="findings"):
        inspect(database, warehouse.operator, unit.unit_id, "B", findings=("smells",))
    run(database, set_checklist, "*", [ChecklistItem("powers_on", "Powers on")], actor=warehouse.supervisor)
    result = inspect(database, warehouse.operator, unit.unit_id, "B", checklist=(("powers_on", False),),
                     findings=("scratched", "used"), notes="  scuff on the lid ")
    assert (result.unit.findings, result.unit.notes, result.unit.refund_pct) == (
        ("scratched", "used"), "scuff on the lid", 50.0)
    with pytest.raises(NotAllowed):
        run(database, set_checklist, "*", [], actor=warehouse.operator)
