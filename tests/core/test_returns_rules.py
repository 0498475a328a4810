"""Return rules without a database: which disposition a grade gets, who must approve, what
refund is recommended, which checklist applies, and which state changes are allowed."""

from __future__ import annotations

import pytest

from app.core.errors import InvalidTransition, NeedsApproval
from app.core.returns_rules import (
    APPROVAL_ERRORS,
    DEFAULT_CHECKLISTS,
    ChecklistItem,
    DispositionRule,
    DispositionRules,
    InvalidRule,
    UnknownGrade,
    approval_needed,
    check_rule,
    checklist_for,
    grade_of_command,
    next_state,
    refund_kind,
    refund_pct,
    returnable,
    suggest_grade,
)


def rules(*rows: tuple[str, str, str, str]) -> DispositionRules:
    return DispositionRules(tuple(DispositionRule(*row) for row in rows))


def decide(table: DispositionRules, grade: str, sku="WIDGET", group="toys", flags=()):
    return table.decide(grade, sku=sku, group=group, flags=flags)


def test_without_rules_grades_give_the_built_in_dispositions():
    assert [decide(rules(), g).disposition for g in "ABCD"] == ["restock", "restock", "refurbish", "scrap"]
    assert decide(rules(), "b").source == "default"  # lower case is read as the grade


def test_the_most_specific_rule_wins_sku_then_group_then_warehouse():
    table = rules(("warehouse", "", "*", "quarantine"), ("group", "toys", "B", "refurbish"),
                  ("sku", "WIDGET", "B", "return_to_vendor"))
    assert decide(table, "B").disposition == "return_to_vendor"
    assert (decide(table, "B", sku="GADGET").disposition, decide(table, "B", sku="GADGET").target) == ("refurbish", "toys")
    assert decide(table, "B", sku="GADGET", group="food").source == "warehouse"
    assert decide(table, "A", sku="GADGET", group=None).disposition == "quarantine"


def test_a_rule_for_one_grade_beats_the_same_scopes_rule_for_every_grade():
    table = rules(("group", "toys", "*", "scrap"), ("group", "toys", "A", "restock"))
    assert decide(table, "A").disposition == "restock"
    assert decide(table, "C").disposition == "scrap"


def test_flagged_units_go_to_quarantine_unless_the_supervisor_says_otherwise():
    assert decide(rules(), "A", flags=("serial_not_shipped",)) .disposition == "quarantine"
    # Announcement differences are no doubt about the unit itself.
    assert decide(rules(), "A", flags=("not_announced",)).disposition == "restock"
    relaxed = rules(("flagged", "", "*", "as_graded"), ("flagged", "", "D", "return_to_vendor"))
    assert decide(relaxed, "A", flags=("returned_before",)).disposition == "restock"
    assert decide(relaxed, "D", flags=("returned_before",)).source == "flagged"


def test_impossible_rules_are_refused_with_the_reason():
    with pytest.raises(InvalidRule, match="disposition must be one of"):
        check_rule(DispositionRule("warehouse", "", "A", "sell"))
    with pytest.raises(InvalidRule, match="a group rule needs a group"):
        check_rule(DispositionRule("group", "", "A", "scrap"))
    with pytest.raises(InvalidRule, match="grade must be"):
        check_rule(DispositionRule("sku", "X", "E", "scrap"))
    with pytest.raises(InvalidRule, match="as_graded"):
        check_rule(DispositionRule("sku", "X", "A", "as_graded"))  # only for flagged units
    with pytest.raises(UnknownGrade, match="Grade 'E' does not exist: use A, B, C, D."):
        decide(rules(), "E")


def test_only_value_destroying_dispositions_above_their_limit_need_a_supervisor():
    limits = {"scrap": 50.0, "return_to_vendor": 100.0}
    assert approval_needed("scrap", 50.0, limits) is None  # at the limit: allowed
    assert approval_needed("scrap", 50.01, limits) == 50.0
    assert approval_needed("return_to_vendor", 99.0, limits) is None
    assert approval_needed("restock", 10_000.0, limits) is None
    assert approval_needed("scrap", None, limits) is None  # unknown cost never blocks the floor
    assert all(issubclass(error, NeedsApproval) for error in APPROVAL_ERRORS.values())


def test_refund_recommendation_is_full_partial_or_none():
    assert [refund_pct(g) for g in "ABCD"] == [100.0, 50.0, 0.0, 0.0]
    assert refund_pct("B", {"B": 70.0}) == 70.0
    assert refund_pct("B", {"B": 140.0}) == 100.0  # a typo cannot refund more than the price
    assert [refund_kind(p) for p in (100.0, 70.0, 0.0)] == ["full", "partial", "none"]


def test_checklists_fall_back_from_group_to_every_group_to_built_in():
    electronics = (ChecklistItem("powers_on", "Powers on"),)
    every = (ChecklistItem("complete", "Complete"),)
    assert checklist_for("electronics", {"electronics": electronics, "*": every}) == electronics
    assert checklist_for("toys", {"electronics": electronics, "*": every}) == every
    assert checklist_for(None, {}) == DEFAULT_CHECKLISTS["*"]


def test_the_checklist_suggests_the_best_grade_it_allows():
    assert suggest_grade({}) is None
    assert suggest_grade({"packaging_intact": True, "working": True}) == "A"
    assert suggest_grade({"packaging_intact": False, "working": True}) == "B"
    assert suggest_grade({"packaging_intact": False, "working": False}) == "C"
    assert suggest_grade({"powers_on": False}) == "B"  # unknown items cap at B


def test_grade_command_barcodes():
    assert [grade_of_command(c) for c in ("GRADE-A", "GRADE-D", "GRADE-E", "CONFIRM")] == ["A", "D", None, None]


def test_units_that_may_still_come_back():
    assert returnable(3, 1) == 2 and returnable(1, 1) == 0 and returnable(1, 3) == 0


def test_state_tables_refuse_what_makes_no_sense():
    assert next_state("rma", "RMA-7", "announced", "receive") == "receiving"
    assert next_state("unit", "RU0000001", "received", "dispose") == "disposed"
    assert next_state("unit", "RU0000001", "disposed", "undo") == "received"
    with pytest.raises(InvalidTransition, match="RMA RMA-7 is closed: 'receive' is not possible."):
        next_state("rma", "RMA RMA-7", "closed", "receive")
    with pytest.raises(InvalidTransition):
        next_state("unit", "RU0000001", "cancelled", "dispose")
