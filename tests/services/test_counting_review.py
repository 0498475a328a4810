"""Supervisor review of counts, on every backend: stock that moved during a count, who may
approve, what approval and rejection do to stock and the ledger."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.core.counting_rules import ResolutionRequired
from app.core.errors import InvalidInput, InvalidTransition, LoginFailed, NotAllowed
from app.db.models import AuditEntry, LicensePlate, Location, Move
from app.db.models_counting import CountLine
from app.db.uow import UnitOfWork
from app.services import counting, ledger
from app.services.users import supervisor_approval
from tests.factories import gtin13
from tests.services.test_counting import (
    count_at,
    count_status,
    key,
    lines_of,
    on_hand,
    plan_one,
    put_stock,
    run,
)


def waiting_line(database, warehouse, count_id):
    with UnitOfWork(database, write=False) as uow:
        review = counting.count_review(uow.session, count_id, actor=warehouse.supervisor,
                                       waiting_only=True)
    [line] = review.lines
    return line


def review_only(database, warehouse):
    """Within-tolerance variances wait for a person (no automatic approval, no recount)."""
    run(database, counting.set_class_policy, "C", actor=warehouse.supervisor, auto_approve=False)


def count_moves(database) -> list[tuple[int, str]]:
    with UnitOfWork(database, write=False) as uow:
        return [(m.quantity, m.reason) for m in
                uow.session.scalars(select(Move).where(Move.document_type == "count").order_by(Move.id))]


# --- stock moved during the count ------------------------------------------------------------------
def start_count_then_put_away_five(database, warehouse):
    """Snapshot 10 at A-01-01; while the counter counts 8, 5 more are put away there."""
    put_stock(database, "A-01-01", "WIDGET", 10)
    planned = plan_one(database, warehouse, "A-01-01")
    count_at(database, planned.count_id, "A-01-01", warehouse.operator,
             [(gtin13(1), 8)], finish=False)
    put_stock(database, "A-01-01", "WIDGET", 5)
    run(database, counting.finish_location, planned.count_id, warehouse.locations["A-01-01"].id,
        actor=warehouse.operator)
    return planned


def test_stock_moved_during_a_count_is_shown_to_the_reviewer(database, warehouse):
    planned = start_count_then_put_away_five(database, warehouse)
    # 8 of 10 is 20 % off, yet the count goes to review instead of a recount: stock moved.
    assert count_status(database, planned.count_id) == "in_review"
    line = waiting_line(database, warehouse, planned.count_id)
    assert (line.expected, line.counted, line.current_on_hand) == (10, 8, 15)
    assert line.moved_during_count
    assert [(m.quantity, m.other_location, m.reason) for m in line.moves_since_snapshot] == [
        (5, "SUPPLIER", "receipt")]
    assert (line.adjust_if_keep_counted, line.adjust_if_keep_difference) == (-7, -2)
    assert (line.variance_qty, line.variance_value) == (-2, -5.0)


def test_moved_stock_needs_a_deliberate_choice(database, warehouse):
    planned = start_count_then_put_away_five(database, warehouse)
    line = waiting_line(database, warehouse, planned.count_id)
    with pytest.raises(ResolutionRequired) as error:
        run(database, counting.approve_lines, [line.line_id], "lost", actor=warehouse.supervisor)
    assert "WIDGET at A-01-01 moved during the count" in str(error.value)
    assert on_hand(database, "A-01-01", "WIDGET") == 15


@pytest.mark.parametrize(("resolution", "left"), [("keep_counted", 8), ("keep_difference", 13)])
def test_each_resolution_gives_its_on_hand(database, warehouse, resolution, left):
    planned = start_count_then_put_away_five(database, warehouse)
    line = waiting_line(database, warehouse, planned.count_id)
    result = run(database, counting.approve_lines, [line.line_id], "unrecorded_move",
                 actor=warehouse.supervisor, resolution=resolution)
    assert on_hand(database, "A-01-01", "WIDGET") == left
    [decided] = result.lines
    assert (decided.status, decided.resolution, decided.adjustment) == ("approved", resolution, left - 15)
    assert count_moves(database) == [(15 - left, "count_loss")]
    assert count_status(database, planned.count_id) == "closed"
    with UnitOfWork(database, write=False) as uow:
        assert ledger.check_ledger(uow.session) == []


def test_stock_taken_out_during_the_count(database, warehouse):
    put_stock(database, "A-01-01", "WIDGET", 10)
    planned = plan_one(database, warehouse, "A-01-01")
    count_at(database, planned.count_id, "A-01-01", warehouse.operator,
             [(gtin13(1), 10)], finish=False)
    put_stock(database, "A-01-01", "WIDGET", 3, to="PACK-1")  # picked after being counted
    run(database, counting.finish_location, planned.count_id, warehouse.locations["A-01-01"].id,
        actor=warehouse.operator)
    line = waiting_line(database, warehouse, planned.count_id)  # a match, but stock moved
    assert [(m.quantity, m.other_location) for m in line.moves_since_snapshot] == [(-3, "PACK-1")]
    run(database, counting.approve_lines, [line.line_id], "miscount", actor=warehouse.supervisor,
        resolution="keep_difference")
    assert on_hand(database, "A-01-01", "WIDGET") == 7 and count_moves(database) == []


# --- who may decide ---------------------------------------------------------------------------------
def test_operator_cannot_approve_or_review(database, warehouse):
    review_only(database, warehouse)
    put_stock(database, "A-01-01", "WIDGET", 100)
    planned = plan_one(database, warehouse, "A-01-01")
    count_at(database, planned.count_id, "A-01-01", warehouse.operator, [(gtin13(1), 98)])
    line = waiting_line(database, warehouse, planned.count_id)
    with pytest.raises(NotAllowed) as error:
        run(database, counting.approve_lines, [line.line_id], "lost", actor=warehouse.operator)
    assert str(error.value) == "Olga Operator may not approve count results."
    with pytest.raises(NotAllowed):
        run(database, counting.reject_lines, [line.line_id], "miscount", actor=warehouse.operator)
    with UnitOfWork(database, write=False) as uow, pytest.raises(NotAllowed):
        counting.count_review(uow.session, planned.count_id, actor=warehouse.operator)
    assert on_hand(database, "A-01-01", "WIDGET") == 100


def test_operator_with_a_supervisors_badge_and_pin_can_approve(database, warehouse):
    review_only(database, warehouse)
    put_stock(database, "A-01-01", "WIDGET", 100)
    planned = plan_one(database, warehouse, "A-01-01")
    count_at(database, planned.count_id, "A-01-01", warehouse.operator, [(gtin13(1), 98)])
    line = waiting_line(database, warehouse, planned.count_id)
    with UnitOfWork(database, write=False) as uow:
        with pytest.raises(LoginFailed):
            supervisor_approval(uow.session, "B-SUP", "0000", workstation="WS-TEST")
        with pytest.raises(NotAllowed):
            supervisor_approval(uow.session, "B-OP2", "5678", workstation="WS-TEST")
        supervisor_approval(uow.session, "B-SUP", "4321", workstation="WS-TEST")
    result = run(database, counting.approve_lines, [line.line_id], "damaged",
                 actor=warehouse.operator, approval=warehouse.approval)
    assert result.lines[0].decided_by == "Sam Supervisor"
    assert on_hand(database, "A-01-01", "WIDGET") == 98
    with UnitOfWork(database, write=False) as uow:
        stored = uow.session.get(CountLine, line.line_id)
        assert (stored.decided_by_id, stored.requested_by_id, stored.reason_code) == (
            warehouse.supervisor.user_id, warehouse.operator.user_id, "damaged")
        entry = uow.session.scalar(select(AuditEntry).where(AuditEntry.action == "count_line_approved"))
        assert entry.user_id == warehouse.supervisor.user_id
        details = json.loads(entry.details)
        move = uow.session.scalar(select(Move).where(Move.document_type == "count"))
        assert move.user_id == warehouse.operator.user_id  # the move is stamped with who did it
    assert details["operator"] == "Olga Operator"
    assert (details["adjustment"], details["reason_code"]) == (-2, "damaged")


# --- decisions ---------------------------------------------------------------------------------------
def test_reject_leaves_stock_untouched(database, warehouse):
    review_only(database, warehouse)
    put_stock(database, "A-01-01", "WIDGET", 100)
    planned = plan_one(database, warehouse, "A-01-01")
    count_at(database, planned.count_id, "A-01-01", warehouse.operator, [(gtin13(1), 97)])
    line = waiting_line(database, warehouse, planned.count_id)
    result = run(database, counting.reject_lines, [line.line_id], "miscount", actor=warehouse.supervisor)
    assert (result.lines[0].status, result.lines[0].reason_code) == ("rejected", "miscount")
    assert result.counts[0].status == "closed"
    assert on_hand(database, "A-01-01", "WIDGET") == 100 and count_moves(database) == []
    with pytest.raises(InvalidTransition):
        run(database, counting.approve_lines, [line.line_id], "lost", actor=warehouse.supervisor)


def test_approving_twice_posts_once(database, warehouse):
    review_only(database, warehouse)
    put_stock(database, "A-01-01", "WIDGET", 100)
    put_stock(database, "A-02-01", "GADGET", 4)
    planned = run(database, counting.plan_location_range, "A-01-01", "A-02-01",
                  actor=warehouse.supervisor, counter_id=warehouse.operator.user_id)
    count_at(database, planned.count_id, "A-01-01", warehouse.operator, [(gtin13(1), 102)])
    assert count_status(database, planned.count_id) == "counting"  # A-02-01 still to count
    line = waiting_line(database, warehouse, planned.count_id)
    with pytest.raises(InvalidInput):
        run(database, counting.approve_lines, [line.line_id], "because", actor=warehouse.supervisor)
    first = run(database, counting.approve_lines, [line.line_id], "found", actor=warehouse.supervisor)
    again = run(database, counting.approve_lines, [line.line_id], "found", actor=warehouse.supervisor)
    assert not first.replayed and again.replayed
    assert on_hand(database, "A-01-01", "WIDGET") == 102
    assert count_moves(database) == [(2, "count_gain")]
    assert count_status(database, planned.count_id) == "counting"
    count_at(database, planned.count_id, "A-02-01", warehouse.operator, [(gtin13(2), 4)])
    assert count_status(database, planned.count_id) == "closed"
    assert sorted(lines_of(database, planned.count_id)) == [
        ("GADGET", 4, 4, "matched"), ("WIDGET", 100, 102, "approved")]


def test_a_loss_is_taken_from_loose_stock_before_license_plates(database, warehouse):
    review_only(database, warehouse)
    put_stock(database, "A-01-01", "WIDGET", 50)
    with UnitOfWork(database) as uow:  # a pallet of 50 more on a license plate
        plate = LicensePlate(code="LP-1")
        uow.session.add(plate)
        uow.session.flush()
        ledger.post_move(uow.session, actor=warehouse.supervisor, product_id=warehouse.products["WIDGET"].id,
                         quantity=50, source=uow.session.get(Location, warehouse.locations["SUPPLIER"].id),
                         destination=uow.session.get(Location, warehouse.locations["A-01-01"].id),
                         reason="receipt", idempotency_key=key(), to_license_plate_id=plate.id)
        uow.commit()
    planned = plan_one(database, warehouse, "A-01-01")
    count_at(database, planned.count_id, "A-01-01", warehouse.operator, [(gtin13(1), 98)])
    line = waiting_line(database, warehouse, planned.count_id)
    assert (line.expected, line.counted) == (100, 98)
    run(database, counting.approve_lines, [line.line_id], "lost", actor=warehouse.supervisor)
    with UnitOfWork(database, write=False) as uow:
        move = uow.session.scalar(select(Move).where(Move.document_type == "count"))
        assert (move.quantity, move.from_license_plate_id) == (2, None)
        assert ledger.check_ledger(uow.session) == []
