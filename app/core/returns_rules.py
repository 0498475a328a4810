"""Return inspection rules that need no database: grades, checklists, findings, which
disposition a graded unit gets, when a supervisor must approve, the refund recommendation,
and the states of RMAs and returned units.

Grades: A like new, B open box, C damaged but repairable, D scrap.
Disposition of a unit, first match wins:
1. a flagged unit (serial not shipped on the order, returned before, ...) follows the
   "flagged" rule: quarantine unless a supervisor set otherwise ("as_graded" = no special
   treatment);
2. the supervisor's rule for its SKU and grade;
3. the supervisor's rule for its product group and grade;
4. the supervisor's warehouse-wide rule for the grade;
5. the built-in default: A and B restock, C refurbish, D scrap.
Scrap and return to vendor above a value (unit cost x units) need a supervisor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.core.errors import InvalidTransition, NeedsApproval, StockfloorError

GRADES = ("A", "B", "C", "D")
DISPOSITIONS = ("restock", "quarantine", "refurbish", "return_to_vendor", "scrap")
DEFAULT_DISPOSITIONS = {"A": "restock", "B": "restock", "C": "refurbish", "D": "scrap"}
FLAGGED_DEFAULT = "quarantine"
AS_GRADED = "as_graded"  # a "flagged" rule that gives flagged units no special treatment
RULE_SCOPES = ("warehouse", "group", "sku", "flagged")
ANY_GRADE = "*"

# What the inspector finds, kept apart from the reason the customer gave.
FINDINGS = ("as_described", "scratched", "dented", "missing_parts", "not_working", "used",
            "dirty", "packaging_damaged", "wrong_item", "water_damage")

# Why a unit needs a second look; recorded on the unit and shown as attention.
FLAGS = ("serial_not_shipped", "lot_not_shipped", "returned_before", "serial_in_stock",
         "not_announced", "more_than_announced")
# Flags that send a unit to the "flagged" rule: doubts about which unit came back.
IDENTITY_FLAGS = frozenset({"serial_not_shipped", "lot_not_shipped", "returned_before",
                            "serial_in_stock"})

# Command barcodes: SF:GRADE-A .. SF:GRADE-D, and dispositions chosen by scan.
GRADE_COMMAND_PREFIX = "GRADE-"
DISPOSITION_COMMANDS = {"RESTOCK": "restock", "QUARANTINE": "quarantine", "REFURBISH": "refurbish",
                        "RTV": "return_to_vendor", "SCRAP": "scrap"}
DISPOSITION_CODES = {value: key for key, value in DISPOSITION_COMMANDS.items()}


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str  # English; the screen translates the built-in ones


PACKAGING_INTACT = ChecklistItem("packaging_intact", "Packaging intact")
COMPLETE = ChecklistItem("complete", "Complete")
WORKING = ChecklistItem("working", "Working")
CLEAN = ChecklistItem("clean", "Clean")
# Per product group; "*" is every group without a list of its own.
DEFAULT_CHECKLISTS: dict[str, tuple[ChecklistItem, ...]] = {
    "*": (PACKAGING_INTACT, COMPLETE, WORKING, CLEAN),
}
# A failed item and the grade it points to at best (items not listed here: B).
CHECK_GRADE_CAPS = {"working": "C", "complete": "C", "packaging_intact": "B", "clean": "B"}


def checklist_for(group: str | None,
                  configured: Mapping[str, tuple[ChecklistItem, ...]] | None = None
                  ) -> tuple[ChecklistItem, ...]:
    """The checklist of a product group: its own, else the one for every group ("*"),
    else the built-in one."""
    for table in (configured or {}, DEFAULT_CHECKLISTS):
        for key in (group, ANY_GRADE):
            if key is not None and key in table and table[key]:
                return table[key]
    return DEFAULT_CHECKLISTS[ANY_GRADE]


def suggest_grade(answers: Mapping[str, bool]) -> str | None:
    """The best grade the checklist allows: every item ticked -> A; otherwise the worst cap
    among the failed items. None while nothing is answered."""
    if not answers:
        return None
    failed = [code for code, ok in answers.items() if not ok]
    if not failed:
        return "A"
    return max((CHECK_GRADE_CAPS.get(code, "B") for code in failed), key=GRADES.index)


def grade_of_command(command: str) -> str | None:
    """'GRADE-B' (from SF:GRADE-B) -> 'B'; None for any other command."""
    if command.startswith(GRADE_COMMAND_PREFIX):
        grade = command[len(GRADE_COMMAND_PREFIX):]
        return grade if grade in GRADES else None
    return None


def check_grade(grade: str) -> str:
    grade = grade.strip().upper()
    if grade not in GRADES:
        raise UnknownGrade(grade=grade, grades=", ".join(GRADES))
    return grade


# --- disposition ------------------------------------------------------------------------
@dataclass(frozen=True)
class DispositionRule:
    scope: str  # warehouse | group | sku | flagged
    target: str  # "" for warehouse and flagged, else the group or SKU
    grade: str  # A..D, or "*" for every grade
    disposition: str  # one of DISPOSITIONS (flagged rules also: as_graded)


@dataclass(frozen=True)
class Decision:
    disposition: str
    source: str  # flagged | sku | group | warehouse | default
    target: str = ""


def check_rule(rule: DispositionRule) -> DispositionRule:
    """Raise InvalidRule when a rule could never apply or names no known disposition."""
    allowed = DISPOSITIONS + ((AS_GRADED,) if rule.scope == "flagged" else ())
    if rule.scope not in RULE_SCOPES:
        raise InvalidRule(reason=f"scope must be one of {', '.join(RULE_SCOPES)}, not '{rule.scope}'")
    if rule.grade not in GRADES + (ANY_GRADE,):
        raise InvalidRule(reason=f"grade must be A, B, C, D or *, not '{rule.grade}'")
    if rule.disposition not in allowed:
        raise InvalidRule(reason=f"disposition must be one of {', '.join(allowed)}, not '{rule.disposition}'")
    if rule.scope in ("group", "sku") and not rule.target:
        raise InvalidRule(reason=f"a {rule.scope} rule needs a {rule.scope}")
    return rule


@dataclass(frozen=True)
class DispositionRules:
    rules: tuple[DispositionRule, ...] = ()

    def _find(self, scope: str, target: str, grade: str) -> DispositionRule | None:
        exact = wildcard = None
        for rule in self.rules:
            if rule.scope == scope and rule.target == target:
                if rule.grade == grade:
                    exact = rule
                elif rule.grade == ANY_GRADE:
                    wildcard = rule
        return exact or wildcard

    def decide(self, grade: str, *, sku: str, group: str | None,
               flags: Iterable[str] = ()) -> Decision:
        grade = check_grade(grade)
        if IDENTITY_FLAGS.intersection(flags):
            rule = self._find("flagged", "", grade)
            disposition = rule.disposition if rule else FLAGGED_DEFAULT
            if disposition != AS_GRADED:
                return Decision(disposition, "flagged")
        for scope, target in (("sku", sku), ("group", group or ""), ("warehouse", "")):
            if scope == "group" and not group:
                continue
            rule = self._find(scope, target, grade)
            if rule is not None:
                return Decision(rule.disposition, scope, target)
        return Decision(DEFAULT_DISPOSITIONS[grade], "default")


# Dispositions that throw value away: above these limits (unit cost x units) a supervisor decides.
APPROVAL_LIMITS_DEFAULT = {"scrap": 50.0, "return_to_vendor": 100.0}


def approval_needed(disposition: str, value: float | None, limits: Mapping[str, float]) -> float | None:
    """The limit that ``value`` exceeds for this disposition, or None when no approval is
    needed. A unit without a known cost is never held up."""
    limit = limits.get(disposition)
    if limit is None or value is None or value <= limit:
        return None
    return limit


# --- refund recommendation ----------------------------------------------------------------
REFUND_PCT_DEFAULT = {"A": 100.0, "B": 50.0, "C": 0.0, "D": 0.0}


def refund_pct(grade: str, policy: Mapping[str, float] | None = None) -> float:
    pct = (policy or REFUND_PCT_DEFAULT).get(grade, REFUND_PCT_DEFAULT.get(grade, 0.0))
    return max(0.0, min(100.0, float(pct)))


def refund_kind(pct: float) -> str:
    """full | partial | none, as the export says it."""
    if pct >= 100:
        return "full"
    return "none" if pct <= 0 else "partial"


# --- quantities ---------------------------------------------------------------------------
def returnable(shipped: int, returned: int) -> int:
    """Units of a product that may still come back on an order."""
    return max(shipped - returned, 0)


# --- states ---------------------------------------------------------------------------------
# An RMA is announced (imported, nothing arrived), receiving (units arrived), or closed.
RMA_TRANSITIONS: dict[str, dict[str, str]] = {
    "announced": {"receive": "receiving", "close": "closed"},
    "receiving": {"receive": "receiving", "close": "closed"},
    "closed": {},
}
# A unit is received (on the returns location, held for inspection), then disposed; an
# undone receipt is cancelled, an undone disposition makes it received again.
UNIT_TRANSITIONS: dict[str, dict[str, str]] = {
    "received": {"dispose": "disposed", "cancel": "cancelled"},
    "disposed": {"undo": "received"},
    "cancelled": {},
}
_TABLES = {"rma": RMA_TRANSITIONS, "unit": UNIT_TRANSITIONS}


def next_state(kind: str, document: str, state: str, action: str) -> str:
    allowed = _TABLES[kind].get(state, {})
    if action not in allowed:
        raise InvalidTransition(document=document, state=state.replace("_", " "),
                                action=action.replace("_", " "))
    return allowed[action]


# --- errors the inspector sees -----------------------------------------------------------------
class UnknownGrade(StockfloorError):
    template = "Grade '{grade}' does not exist: use {grades}."


class InvalidRule(StockfloorError):
    template = "This disposition rule cannot be used: {reason}."


class NotShippedOnOrder(StockfloorError):
    template = "{sku} was not shipped on order {order}: it cannot be returned on it."


class ReturnExceedsShipped(StockfloorError):
    template = "{sku}: {shipped} shipped on order {order}, {returned} already returned. This one is more than was shipped."


class NoShippedOrder(StockfloorError):
    template = "No shipped order matches {code}: scan the RMA, the order number or the customer's parcel."


class SeveralOrdersMatch(StockfloorError):
    template = "{code} matches several orders ({orders}): scan the RMA or the order number."


class UnitsAwaitingInspection(StockfloorError):
    template = "{rma} has {count} unit(s) waiting for inspection: inspect them before closing."


class ScrapNeedsApproval(NeedsApproval):
    template = "Scrapping {sku} (value {value}) is over {limit}. A supervisor must approve."


class VendorReturnNeedsApproval(NeedsApproval):
    template = "Returning {sku} to the vendor (value {value}) is over {limit}. A supervisor must approve."


class DispositionOverride(NeedsApproval):
    template = "{sku}: the rules say {suggested}, not {chosen}. A supervisor must approve."


APPROVAL_ERRORS = {"scrap": ScrapNeedsApproval, "return_to_vendor": VendorReturnNeedsApproval}
