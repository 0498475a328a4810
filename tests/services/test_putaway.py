"""Put-away by scans on every backend: receive first, then put away into bins."""

from __future__ import annotations

import json
import threading
import uuid

import pytest
from sqlalchemy import func, select, update

from app.core.actor import system_actor
from app.core.checkdigits import make_sscc
from app.core.csv_rules import ImportRejected, read_table
from app.core.errors import (
    InsufficientStock,
    InvalidInput,
    LotRequired,
    NeedsApproval,
    NotAllowed,
    WrongScanKind,
)
from app.core.putaway_errors import (
    BinBlocked,
    DeviationNeedsApproval,
    DeviationReasonRequired,
    LotMixingNotAllowed,
    NotAStorageBin,
    NothingWaiting,
    OverUnitCapacity,
    OverVolumeCapacity,
    OverWeightCapacity,
    WholePlateOnly,
)
from app.core.putaway_rules import PutawayRule
from app.db.models import AuditEntry, LicensePlate, Location, Move, OnHand, Product, ScanJournal
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.config import get_rule
from app.services.imports import putaway as putaway_import
from app.services.putaway import setup as putaway_setup
from app.services.putaway import tasks as putaway
from app.services.putaway.setup import CapacityRow
from app.services.receiving import receipts as receiving
from tests.factories import gtin13

WIDGET, GADGET = gtin13(1), gtin13(2)


def key() -> str:
    return uuid.uuid4().hex


def milk(lot: str, expiry: str = "271231") -> str:
    return "]C10109501101530003" + f"10{lot}\x1d17{expiry}"


def receive(database, wh, scan, quantity=1):
    with UnitOfWork(database) as uow:
        receiving.receive_scan(uow, wh.orders["PO-1001"].id, scan, actor=wh.operator,
                               idempotency_key=key(), quantity=quantity, approval=wh.approval)


def start(database, wh, scan, actor=None, **kwargs):
    with UnitOfWork(database) as uow:
        return putaway.start_putaway(uow, scan, actor=actor or wh.operator, **kwargs)


def confirm(database, wh, task, bin_scan, actor=None, **kwargs):
    kwargs.setdefault("idempotency_key", key())
    with UnitOfWork(database) as uow:
        return putaway.confirm_putaway(uow, task, bin_scan, actor=actor or wh.operator, **kwargs)


def stock(database, wh, sku, location) -> int:
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(
            select(func.coalesce(func.sum(OnHand.quantity), 0)).where(
                OnHand.product_id == wh.products[sku].id,
                OnHand.location_id == wh.locations[location].id,
            )
        )


def ledger_ok(database) -> bool:
    with UnitOfWork(database, write=False) as uow:
        return ledger.check_ledger(uow.session) == []


def audit_actions(database) -> list[tuple[str, dict]]:
    with UnitOfWork(database, write=False) as uow:
        return [(e.action, json.loads(e.details)) for e in uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def set_capacity(database, wh, location, **limits):
    with UnitOfWork(database) as uow:
        putaway_setup.set_location_capacity(uow, CapacityRow(location, **limits), actor=wh.supervisor)


def set_rule(database, wh, rule):
    with UnitOfWork(database) as uow:
        putaway_setup.set_putaway_rule(uow, rule, actor=wh.supervisor)


def change(database, model, where, **values):
    with UnitOfWork(database) as uow:
        uow.session.execute(update(model).where(where).values(**values))
        uow.commit()


# --- what waits, and where it should go --------------------------------------------------
def test_waiting_goods_are_listed_in_walking_order(database, warehouse):
    receive(database, warehouse, WIDGET, 3)
    receive(database, warehouse, milk("L1"), 4)
    with UnitOfWork(database) as uow:  # a return, until the returns workflow exists
        session = uow.session
        ledger.post_move(session, actor=system_actor(), product_id=warehouse.products["GADGET"].id,
                         quantity=2, source=session.get(Location, warehouse.locations["CUSTOMER"].id),
                         destination=session.get(Location, warehouse.locations["RET-1"].id),
                         reason="return", idempotency_key=key())
        uow.commit()
    change(database, Location, Location.code == "RET-1", x=0.0, y=0.0)  # near the door
    with UnitOfWork(database, write=False) as uow:
        waiting = putaway.list_waiting(uow.session)
        docks_only = putaway.list_waiting(uow.session, sources=("receiving",))
    assert [(w.location, w.sku, w.lot, w.quantity) for w in waiting] == [
        ("RET-1", "GADGET", None, 2), ("DOCK-1", "MILK", "L1", 4), ("DOCK-1", "WIDGET", None, 3),
    ]
    assert [w.location for w in docks_only] == ["DOCK-1", "DOCK-1"]


def test_first_put_away_goes_to_the_nearest_empty_bin_then_joins_it(database, warehouse):
    receive(database, warehouse, WIDGET, 10)
    task = start(database, warehouse, WIDGET)
    assert (task.source, task.quantity) == ("DOCK-1", 10)
    assert task.suggestion.destination == "A-01-01"
    assert task.suggestion.reason.code == "empty_bin"
    result = confirm(database, warehouse, task, "A-01-01")
    assert (result.destination, result.units, result.followed_suggestion) == ("A-01-01", 10, True)
    assert stock(database, warehouse, "WIDGET", "A-01-01") == 10
    assert stock(database, warehouse, "WIDGET", "DOCK-1") == 0
    receive(database, warehouse, WIDGET, 2)
    assert start(database, warehouse, WIDGET).suggestion.reason.code == "same_product"
    receive(database, warehouse, GADGET, 1)
    gadget = start(database, warehouse, GADGET).suggestion
    assert gadget.destination == "A-02-01" and gadget.reason.text == "A-02-01 is the nearest empty bin."
    assert ledger_ok(database)


def test_the_move_is_stamped_and_the_scan_journaled(database, warehouse):
    receive(database, warehouse, GADGET, 2)
    task = start(database, warehouse, GADGET)
    confirm(database, warehouse, task, "A-01-01", idempotency_key="scan-42")
    with UnitOfWork(database, write=False) as uow:
        move = uow.session.scalar(select(Move).where(Move.reason == "putaway"))
        journal = uow.session.get(ScanJournal, move.scan_id)
        assert (move.idempotency_key, move.user_id, move.workstation, move.document_type) == (
            "scan-42", warehouse.operator.user_id, "WS-TEST", "putaway")
        assert (journal.context, journal.raw, journal.outcome) == ("putaway", "A-01-01", "ok")


def test_home_location_rule_is_set_by_a_supervisor_and_followed(database, warehouse):
    rule = PutawayRule("product", "WIDGET", home_location="B-03-01")
    with UnitOfWork(database) as uow, pytest.raises(NotAllowed):
        putaway_setup.set_putaway_rule(uow, rule, actor=warehouse.operator)
    set_rule(database, warehouse, rule)
    receive(database, warehouse, WIDGET, 5)
    suggestion = start(database, warehouse, WIDGET).suggestion
    assert suggestion.destination == "B-03-01"
    assert suggestion.reason.text == "B-03-01 is the home location of WIDGET."


def test_preferred_zone_of_a_product_group(database, warehouse):
    change(database, Product, Product.sku == "GADGET", product_group="TOOLS")
    change(database, Location, Location.code.like("B-%"), zone="Z2")
    set_rule(database, warehouse, PutawayRule("group", "TOOLS", preferred_zone="Z2"))
    receive(database, warehouse, GADGET, 1)
    suggestion = start(database, warehouse, GADGET).suggestion
    assert (suggestion.destination, suggestion.reason.code) == ("B-01-01", "empty_bin_in_zone")


def test_fefo_sends_milk_to_the_bin_with_older_milk(database, warehouse):
    for lot, expiry, bin_code in (("OLD", "270301", "A-02-01"), ("NEW", "270901", "A-01-01")):
        receive(database, warehouse, milk(lot, expiry), 2)
        confirm(database, warehouse, start(database, warehouse, milk(lot, expiry)), bin_code,
                reason="setting up the test")
    receive(database, warehouse, milk("MID", "270601"), 3)
    suggestion = start(database, warehouse, milk("MID", "270601")).suggestion
    assert (suggestion.destination, suggestion.reason.code) == ("A-02-01", "same_product_fefo")
    assert suggestion.reason.params["bin_expiry"] == "2027-03-01"


# --- the bin the operator scans --------------------------------------------------------------
@pytest.mark.parametrize("bin_scan, error", [("DOCK-1", NotAStorageBin), ("PACK-1", NotAStorageBin),
                                             ("LOSS", NotAStorageBin)])
def test_wrong_kinds_of_location_are_refused(database, warehouse, bin_scan, error):
    receive(database, warehouse, GADGET, 1)
    task = start(database, warehouse, GADGET)
    with pytest.raises(error) as refused:
        confirm(database, warehouse, task, bin_scan)
    assert "put away into a storage bin or pick face" in str(refused.value)
    assert stock(database, warehouse, "GADGET", "DOCK-1") == 1


def test_scanning_a_product_where_a_bin_is_expected_says_so(database, warehouse):
    receive(database, warehouse, GADGET, 1)
    task = start(database, warehouse, GADGET)
    with pytest.raises(WrongScanKind) as error:
        confirm(database, warehouse, task, WIDGET)
    assert str(error.value) == "WIDGET is a product, scan a location."


def test_blocked_bin_is_refused_and_never_suggested(database, warehouse):
    change(database, Location, Location.code == "A-01-01", blocked=True)
    receive(database, warehouse, GADGET, 1)
    task = start(database, warehouse, GADGET)
    assert task.suggestion.destination == "A-02-01"
    with pytest.raises(BinBlocked) as error:
        confirm(database, warehouse, task, "A-01-01")
    assert str(error.value) == "Location A-01-01 is blocked."
    with UnitOfWork(database, write=False) as uow:
        outcomes = uow.session.scalars(select(ScanJournal.outcome).where(ScanJournal.raw == "A-01-01")).all()
    assert outcomes == ["error"]


def test_capacity_refusal_explains_and_calls_the_count_hook(database, warehouse):
    set_capacity(database, warehouse, "A-01-01", max_units=5)
    receive(database, warehouse, WIDGET, 8)
    task = start(database, warehouse, WIDGET)
    assert task.suggestion.destination == "A-02-01"
    with pytest.raises(OverUnitCapacity) as error:
        confirm(database, warehouse, task, "A-01-01")
    assert str(error.value) == "A-01-01 holds 0 units, room for 5: 8 more do not fit."
    refusals = [details for action, details in audit_actions(database) if action == "putaway_capacity_refused"]
    assert refusals == [{"adding": 8, "limit": 5, "location": "A-01-01", "refusal": "over_units",
                         "skus": ["WIDGET"], "used": 0}]
    result = confirm(database, warehouse, task, "A-01-01", quantity=5, reason="fill it up")
    assert result.units == 5 and stock(database, warehouse, "WIDGET", "DOCK-1") == 3


@pytest.mark.parametrize("limits, product, error", [
    ({"max_weight_kg": 10.0}, {"weight_kg": 3.0}, OverWeightCapacity),
    ({"max_volume_l": 10.0}, {"length_cm": 30.0, "width_cm": 10.0, "height_cm": 10.0}, OverVolumeCapacity),
])
def test_weight_and_volume_limits_use_product_data(database, warehouse, limits, product, error):
    change(database, Product, Product.sku == "GADGET", **product)
    set_capacity(database, warehouse, "A-01-01", **limits)
    receive(database, warehouse, GADGET, 4)  # 12 kg or 12 l
    task = start(database, warehouse, GADGET)
    assert task.suggestion.destination == "A-02-01"
    with pytest.raises(error) as refused:
        confirm(database, warehouse, task, "A-01-01")
    assert refused.value.params["would_be"] == 12.0
    assert confirm(database, warehouse, task, "A-01-01", quantity=3, reason="3 fit").units == 3


def test_lots_are_not_mixed_in_a_bin_that_forbids_it(database, warehouse):
    set_capacity(database, warehouse, "A-01-01", mix_lots=False)
    receive(database, warehouse, milk("L1"), 2)
    confirm(database, warehouse, start(database, warehouse, milk("L1")), "A-01-01")
    receive(database, warehouse, milk("L2", "280101"), 2)
    task = start(database, warehouse, milk("L2", "280101"))
    assert task.suggestion.destination != "A-01-01"
    with pytest.raises(LotMixingNotAllowed) as error:
        confirm(database, warehouse, task, "A-01-01", reason="same product")
    assert str(error.value) == "A-01-01 holds lot L1 of MILK; lots may not be mixed there."


# --- other bins than suggested ----------------------------------------------------------------
def test_another_bin_needs_a_reason(database, warehouse):
    receive(database, warehouse, GADGET, 2)
    task = start(database, warehouse, GADGET)
    with pytest.raises(DeviationReasonRequired) as error:
        confirm(database, warehouse, task, "B-03-01")
    assert str(error.value) == "A-01-01 was suggested: say why B-03-01 is used instead."
    result = confirm(database, warehouse, task, "B-03-01", reason="A-01-01 is physically full")
    assert (result.destination, result.suggested, result.followed_suggestion) == ("B-03-01", "A-01-01", False)
    assert ("putaway_deviation", {"confirmation": result.confirmation_id, "operator": "Olga Operator",
                                  "reason": "A-01-01 is physically full", "suggested": "A-01-01",
                                  "used": "B-03-01"}) in audit_actions(database)


def test_only_supervisors_may_deviate_when_the_warehouse_says_so(database, warehouse):
    with UnitOfWork(database, write=False) as uow:
        assert get_rule(uow.session, "putaway_deviation") == "reason"
    with UnitOfWork(database) as uow:
        putaway_setup.set_deviation_policy(uow, "supervisor", actor=warehouse.admin)
    receive(database, warehouse, GADGET, 3)
    task = start(database, warehouse, GADGET)
    with pytest.raises(DeviationNeedsApproval) as error:
        confirm(database, warehouse, task, "B-03-01", reason="closer", quantity=1)
    assert isinstance(error.value, NeedsApproval)
    with pytest.raises(DeviationNeedsApproval):
        confirm(database, warehouse, task, "B-03-01", quantity=1, approval=warehouse.operator2_approval)
    approved = confirm(database, warehouse, task, "B-03-01", quantity=1, approval=warehouse.approval)
    assert approved.destination == "B-03-01"
    by_supervisor = confirm(database, warehouse, task, "B-02-01", quantity=1, actor=warehouse.supervisor)
    assert by_supervisor.units == 1
    assert stock(database, warehouse, "GADGET", "DOCK-1") == 1


def test_no_reason_needed_when_the_suggested_bin_became_unusable(database, warehouse):
    receive(database, warehouse, GADGET, 2)
    task = start(database, warehouse, GADGET)
    assert task.suggestion.destination == "A-01-01"
    change(database, Location, Location.code == "A-01-01", blocked=True)
    assert confirm(database, warehouse, task, "B-01-01").destination == "B-01-01"


# --- quantities, plates, replays, undo ------------------------------------------------------
def test_partial_quantities_leave_the_rest_waiting(database, warehouse):
    receive(database, warehouse, WIDGET, 10)
    task = start(database, warehouse, WIDGET)
    confirm(database, warehouse, task, "A-01-01", quantity=4)
    assert (stock(database, warehouse, "WIDGET", "A-01-01"), stock(database, warehouse, "WIDGET", "DOCK-1")) == (4, 6)
    rest = start(database, warehouse, WIDGET)
    assert rest.quantity == 6 and rest.suggestion.destination == "A-01-01"
    with pytest.raises(InsufficientStock):
        confirm(database, warehouse, rest, "A-01-01", quantity=7)
    confirm(database, warehouse, rest, "A-01-01")
    assert stock(database, warehouse, "WIDGET", "A-01-01") == 10
    assert ledger_ok(database)


def test_a_replayed_confirmation_changes_nothing(database, warehouse):
    receive(database, warehouse, WIDGET, 10)
    task = start(database, warehouse, WIDGET)
    first = confirm(database, warehouse, task, "A-01-01", quantity=4, idempotency_key="k-1")
    again = confirm(database, warehouse, task, "A-01-01", quantity=4, idempotency_key="k-1")
    assert again.replayed and again.confirmation_id == first.confirmation_id and again.units == 4
    assert stock(database, warehouse, "WIDGET", "A-01-01") == 4


def _plate_on_dock(database, wh, code, lines, is_sscc=False):
    with UnitOfWork(database) as uow:
        session = uow.session
        plate = LicensePlate(code=code, is_sscc=is_sscc)
        session.add(plate)
        session.flush()
        for sku, quantity in lines:
            ledger.post_move(session, actor=system_actor(), product_id=wh.products[sku].id, quantity=quantity,
                             source=session.get(Location, wh.locations["SUPPLIER"].id),
                             destination=session.get(Location, wh.locations["DOCK-1"].id),
                             reason="receipt", idempotency_key=key(), to_license_plate_id=plate.id)
        uow.commit()
        return plate.id


def test_a_whole_license_plate_moves_with_one_scan(database, warehouse):
    sscc = make_sscc(0, "4006381", 17)
    plate_id = _plate_on_dock(database, warehouse, sscc, [("WIDGET", 5), ("GADGET", 3)], is_sscc=True)
    task = start(database, warehouse, f"(00){sscc}")
    assert task.is_plate and task.license_plate == sscc
    assert sorted((line.sku, line.quantity) for line in task.lines) == [("GADGET", 3), ("WIDGET", 5)]
    with pytest.raises(WholePlateOnly):
        confirm(database, warehouse, task, "A-01-01", quantity=2)
    result = confirm(database, warehouse, task, "A-01-01", idempotency_key="plate-scan")
    assert result.units == 8
    with UnitOfWork(database, write=False) as uow:
        keys = sorted(uow.session.scalars(select(Move.idempotency_key).where(Move.reason == "putaway")))
        on_plate = uow.session.scalars(select(OnHand.quantity).where(
            OnHand.license_plate_id == plate_id, OnHand.location_id == warehouse.locations["A-01-01"].id)).all()
    assert keys == ["plate-scan:1", "plate-scan:2"]
    assert sorted(on_plate) == [3, 5]
    assert confirm(database, warehouse, task, "A-01-01", idempotency_key="plate-scan").replayed
    assert stock(database, warehouse, "WIDGET", "A-01-01") == 5
    assert ledger_ok(database)


def test_a_plate_must_fit_whole(database, warehouse):
    set_capacity(database, warehouse, "A-01-01", max_units=6)
    _plate_on_dock(database, warehouse, "LPN-1", [("WIDGET", 5), ("GADGET", 3)])
    task = start(database, warehouse, "LPN-1")
    assert task.suggestion.destination == "A-02-01"
    with pytest.raises(OverUnitCapacity):
        confirm(database, warehouse, task, "A-01-01")


def test_undo_returns_my_last_put_away_to_the_dock(database, warehouse):
    receive(database, warehouse, WIDGET, 6)
    receive(database, warehouse, GADGET, 2)
    confirm(database, warehouse, start(database, warehouse, WIDGET), "A-01-01")
    confirm(database, warehouse, start(database, warehouse, GADGET), "A-02-01")
    with UnitOfWork(database) as uow:
        assert putaway.undo_last_putaway(uow, actor=warehouse.operator2) is None  # not theirs
    with UnitOfWork(database) as uow:
        undone = putaway.undo_last_putaway(uow, actor=warehouse.operator)
    assert undone.undone and (undone.destination, undone.units) == ("A-02-01", 2)
    assert (stock(database, warehouse, "GADGET", "A-02-01"), stock(database, warehouse, "GADGET", "DOCK-1")) == (0, 2)
    assert stock(database, warehouse, "WIDGET", "A-01-01") == 6
    with UnitOfWork(database) as uow:
        assert putaway.undo_last_putaway(uow, actor=warehouse.operator).destination == "A-01-01"
    assert stock(database, warehouse, "WIDGET", "DOCK-1") == 6
    assert ledger_ok(database)


# --- starting a task ----------------------------------------------------------------------------
def test_nothing_waiting_is_said_plainly(database, warehouse):
    with pytest.raises(NothingWaiting) as error:
        start(database, warehouse, GADGET)
    assert str(error.value) == "No GADGET waits to be put away on receiving, returns, quarantine."
    with pytest.raises(WrongScanKind):
        start(database, warehouse, "A-01-01")


def test_a_lot_must_be_named_when_several_wait(database, warehouse):
    receive(database, warehouse, milk("L1"), 2)
    receive(database, warehouse, milk("L2"), 3)
    with pytest.raises(LotRequired):
        start(database, warehouse, "09501101530003")
    task = start(database, warehouse, milk("L2"))
    assert [(line.lot, line.quantity) for line in task.lines] == [("L2", 3)]


# --- setting up: capacities and rules from CSV -------------------------------------------------
def import_text(database, importer, text):
    """What app.services.imports.import_csv does once the importer is registered there."""
    table = read_table(text, importer.columns)
    with UnitOfWork(database) as uow:
        problems = table.problems + importer.check(uow.session, table)
        if problems:
            raise ImportRejected(problems, file="test.csv")
        counts = importer.apply(uow.session, table)
        uow.commit()
    return counts


def test_capacities_and_rules_import_from_csv(database, warehouse):
    counts = import_text(database, putaway_import.CAPACITY_IMPORTER,
                         "location,max_units,max_weight_kg,max_volume_l,mix_lots\n"
                         "A-01-01,100,250.5,,no\nA-02-01,,,80,\n")
    assert (counts.created, counts.updated) == (2, 0)
    rules = ("scope,target,home_location,preferred_zone,allowed_zones,mix_lots,fefo\n"
             "product,WIDGET,A-03-01,Z1,Z1;Z2,,\ngroup,DAIRY,,COLD,\"COLD,Z1\",no,yes\nzone,Z1,,,,yes,\n")
    assert import_text(database, putaway_import.RULE_IMPORTER, rules).created == 3
    # A column left out changes nothing; a blank cell resets.
    counts = import_text(database, putaway_import.RULE_IMPORTER, "scope,target,preferred_zone\nproduct,WIDGET,\n")
    assert (counts.created, counts.updated) == (0, 1)
    with UnitOfWork(database, write=False) as uow:
        listed = putaway_setup.list_putaway_rules(uow.session)
        limits = putaway_setup.list_location_capacities(uow.session)
    assert listed == [
        PutawayRule("product", "WIDGET", "A-03-01", None, ("Z1", "Z2"), None, None),
        PutawayRule("group", "DAIRY", None, "COLD", ("COLD", "Z1"), False, True),
        PutawayRule("zone", "Z1", None, None, (), True, None),
    ]
    assert limits == [CapacityRow("A-01-01", 100, 250.5, None, False),
                      CapacityRow("A-02-01", None, None, 80.0, True)]
    receive(database, warehouse, WIDGET, 1)
    assert start(database, warehouse, WIDGET).suggestion.destination == "A-03-01"


def test_a_bad_rule_file_names_every_bad_cell_and_imports_nothing(database, warehouse):
    text = ("scope,target,home_location,preferred_zone,allowed_zones,mix_lots,fefo\n"
            "product,NOPE,,,,,\nzone,Z1,A-01-01,,,,\ngroup,G,,,,maybe,\nproduct,WIDGET,DOCK-1,,,,\n"
            "aisle,A,,,,,\ngroup,G2,,Z9,Z1,,\ngroup,OK,,,,,\ngroup,OK,,,,,\n")
    with pytest.raises(ImportRejected) as rejected:
        import_text(database, putaway_import.RULE_IMPORTER, text)
    assert [str(problem) for problem in rejected.value.problems] == [
        "row 2, target: no product NOPE (import products first)",
        "row 3, home_location: only a product has a home location",
        "row 4, mix_lots: 'maybe' is not yes or no",
        "row 5, home_location: DOCK-1 is not a storage bin or pick face",
        "row 6, scope: 'aisle' is not one of product, group, zone",
        "row 7, preferred_zone: 'Z9' is not among the allowed zones",
        "row 9, target: a rule for this target is already on row 8",
    ]
    with UnitOfWork(database, write=False) as uow:
        assert putaway_setup.list_putaway_rules(uow.session) == []


def test_a_bad_capacity_file_names_every_bad_cell(database, warehouse):
    text = ("location,max_units,max_weight_kg,mix_lots\n"
            "A-01-01,3.5,,\nNOWHERE,,,\nDOCK-1,1,,\nA-02-01,,-1,perhaps\n")
    with pytest.raises(ImportRejected) as rejected:
        import_text(database, putaway_import.CAPACITY_IMPORTER, text)
    assert [str(problem) for problem in rejected.value.problems] == [
        "row 2, max_units: '3.5' is not a whole number",
        "row 3, location: no location NOWHERE (import locations first)",
        "row 4, location: DOCK-1 is a receiving location, not a storage bin or pick face",
        "row 5, max_weight_kg: must be at least 0, got -1",
        "row 5, mix_lots: 'perhaps' is not yes or no",
    ]


def test_rule_rows_are_read_without_a_database():
    table = read_table("scope,target,preferred_zone,allowed_zones\ngroup,G,Z2,Z1;Z2\nzone,Z1,Z1,\n",
                       putaway_import.RULE_COLUMNS)
    assert table.problems == []
    rule, problems = putaway_import.rule_from_row(table.rows[0])
    assert rule == PutawayRule("group", "G", preferred_zone="Z2", allowed_zones=("Z1", "Z2"))
    assert problems == []
    _, problems = putaway_import.rule_from_row(table.rows[1])
    assert [str(p) for p in problems] == ["row 3, preferred_zone: a zone rule cannot prefer a zone"]


def test_setting_rules_by_hand_checks_them(database, warehouse):
    with UnitOfWork(database) as uow, pytest.raises(InvalidInput) as error:
        putaway_setup.set_putaway_rule(uow, PutawayRule("zone", "Z1", preferred_zone="Z2"), actor=warehouse.supervisor)
    assert str(error.value) == "preferred_zone: a zone rule cannot prefer a zone"
    with UnitOfWork(database) as uow, pytest.raises(InvalidInput):
        putaway_setup.set_location_capacity(uow, CapacityRow("PACK-1", max_units=3), actor=warehouse.supervisor)
    with UnitOfWork(database) as uow, pytest.raises(NotAllowed):
        putaway_setup.set_location_capacity(uow, CapacityRow("A-01-01", max_units=3), actor=warehouse.operator)
    set_rule(database, warehouse, PutawayRule("group", "TOOLS", mix_lots=False))
    with UnitOfWork(database) as uow:
        assert putaway_setup.remove_putaway_rule(uow, "group", "TOOLS", actor=warehouse.supervisor)
    with UnitOfWork(database, write=False) as uow:
        assert putaway_setup.list_putaway_rules(uow.session) == []


# --- two workstations, the last units -------------------------------------------------------------
def test_two_workstations_race_for_the_last_units(database, warehouse):
    receive(database, warehouse, WIDGET, 5)
    task = start(database, warehouse, WIDGET)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def put_away(actor, bin_code):
        try:
            with UnitOfWork(database) as uow:
                barrier.wait(timeout=10)
                outcomes[bin_code] = putaway.confirm_putaway(
                    uow, task, bin_code, actor=actor, idempotency_key=key(), reason="race")
        except Exception as error:  # noqa: BLE001 - the loser's error is the point
            outcomes[bin_code] = error

    threads = [threading.Thread(target=put_away, args=(warehouse.operator, "A-01-01")),
               threading.Thread(target=put_away, args=(warehouse.operator2, "B-01-01"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    results = [o for o in outcomes.values() if isinstance(o, putaway.PutawayResult)]
    errors = [o for o in outcomes.values() if not isinstance(o, putaway.PutawayResult)]
    assert len(results) == 1 and len(errors) == 1, outcomes
    assert isinstance(errors[0], InsufficientStock)
    assert stock(database, warehouse, "WIDGET", "DOCK-1") == 0
    assert stock(database, warehouse, "WIDGET", results[0].destination) == 5
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.scalar(select(func.min(OnHand.quantity))) >= 0
        assert uow.session.scalar(select(func.count()).where(Move.reason == "putaway")) == 1
    assert ledger_ok(database)
