"""Inspecting a returned unit and routing it: checklist, grade, findings and notes, then the
disposition the rules give (or one a supervisor chooses), one ledger move to where it goes,
and the routing label's data.

    plan = plan_disposition(session, unit_id, "B")       # what would happen, for the screen
    result = inspect_unit(uow, unit_id, Inspection("B", checklist=(("clean", False),)),
                          actor=actor, idempotency_key=key)
    result.label                                          # app.services.returns.labels.RoutingLabel

Where each disposition goes (app/services/returns/data.py, destination_for):
restock -> the returns_restock_location setting (a put-away staging location of kind
"returns"), else the unit stays where it landed; either way its inspection hold is released
and put-away's list_waiting offers it for a pickable bin. quarantine -> the quarantine
location; refurbish -> returns_refurbish_location, else the first "refurbish" location,
else quarantine; return to vendor -> the supplier location; scrap -> inventory loss.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.actor import Actor, Approval
from app.core.errors import InvalidInput
from app.core.permissions import use_case
from app.core.returns_rules import (
    APPROVAL_ERRORS,
    DISPOSITION_CODES,
    FINDINGS,
    ChecklistItem,
    DispositionOverride,
    approval_needed,
    check_grade,
    checklist_for,
    next_state,
    refund_pct,
)
from app.db.models import utcnow
from app.db.models_returns import ReturnUnit, Rma
from app.db.uow import UnitOfWork
from app.services import audit, ledger
from app.services.ledger import StockKey
from app.services.returns.data import (
    DOCUMENT,
    RmaView,
    UnitView,
    approval_limits,
    check_disposition,
    configured_checklists,
    destination_for,
    disposition_rules,
    load_rma,
    load_unit,
    refund_policy,
    rma_view,
    split_codes,
    unit_view,
)
from app.services.returns.labels import RoutingLabel, routing_label_for
from app.services.users import verified_approval

MOVE_REASONS = {"restock": "return_restock", "quarantine": "return_quarantine",
                "refurbish": "return_refurbish", "return_to_vendor": "return_to_vendor",
                "scrap": "return_scrap"}
MAX_NOTES = 2000


@dataclass(frozen=True)
class Inspection:
    grade: str
    checklist: tuple[tuple[str, bool], ...] = ()  # (item code, passed)
    findings: tuple[str, ...] = ()  # returns_rules.FINDINGS
    notes: str = ""


@dataclass(frozen=True)
class DispositionPlan:
    unit_id: int
    sku: str
    grade: str
    disposition: str
    source: str  # which rule decided: flagged | sku | group | warehouse | default | override
    destination: str  # location code
    value: float | None  # unit cost x units
    approval_limit: float | None  # exceeded: a supervisor must approve
    refund_pct: float

    @property
    def needs_approval(self) -> bool:
        return self.approval_limit is not None


@dataclass(frozen=True)
class InspectionResult:
    rma: RmaView
    unit: UnitView
    plan: DispositionPlan
    label: RoutingLabel
    approved_by: str | None = None
    replayed: bool = False


def unit_checklist(session: Session, unit_id: int) -> tuple[ChecklistItem, ...]:
    """The checklist for this unit's product group."""
    unit = load_unit(session, unit_id)
    return checklist_for(unit.product.product_group, configured_checklists(session))


def _plan(session: Session, unit: ReturnUnit, grade: str, chosen: str | None = None) -> DispositionPlan:
    product = unit.product
    decision = disposition_rules(session).decide(
        grade, sku=product.sku, group=product.product_group, flags=split_codes(unit.flags))
    disposition = check_disposition(chosen) if chosen else decision.disposition
    value = None if product.unit_cost is None else round(float(product.unit_cost) * unit.quantity, 2)
    return DispositionPlan(
        unit.id, product.sku, grade, disposition,
        decision.source if disposition == decision.disposition else "override",
        destination_for(session, disposition, unit.location).code, value,
        approval_needed(disposition, value, approval_limits(session)),
        refund_pct(grade, refund_policy(session)),
    )


def plan_disposition(session: Session, unit_id: int, grade: str, disposition: str | None = None) -> DispositionPlan:
    """What confirming this grade would do: disposition, destination, approval, refund."""
    return _plan(session, load_unit(session, unit_id), check_grade(grade), disposition)


@use_case("inspect_unit")
def inspect_unit(
    uow: UnitOfWork, unit_id: int, inspection: Inspection, *, actor: Actor, idempotency_key: str,
    disposition: str | None = None, approval: Approval | None = None,
) -> InspectionResult:
    """Record the inspection and route the unit. A disposition other than the rules' one,
    or scrap / return to vendor above the value limits, needs a supervisor (the actor, or
    ``approval``)."""
    approval = verified_approval(uow.session, approval, actor)  # badge + PIN, checked here
    session = uow.session
    replay = session.scalar(select(ReturnUnit.id).where(ReturnUnit.disposition_key == idempotency_key))
    if replay is not None:
        return _result(session, load_unit(session, replay), replayed=True)
    unit = load_unit(session, unit_id, lock=True)
    rma = load_rma(session, unit.rma_id, lock=True)
    unit.status = next_state("unit", unit.code, unit.status, "dispose")
    grade = check_grade(inspection.grade)
    checklist = _checked(session, unit, inspection)
    plan = _plan(session, unit, grade, disposition)
    approver = _approver(actor, approval)
    if plan.source == "override" and approver is None:
        suggested = _plan(session, unit, grade).disposition
        raise DispositionOverride(sku=plan.sku, suggested=DISPOSITION_CODES[suggested],
                                  chosen=DISPOSITION_CODES[plan.disposition])
    if plan.needs_approval and approver is None:
        raise APPROVAL_ERRORS[plan.disposition](sku=plan.sku, value=f"{plan.value:.2f}",
                                                limit=f"{plan.approval_limit:.2f}")
    destination = destination_for(session, plan.disposition, unit.location)
    held = StockKey(unit.product_id, unit.location_id, unit.lot_id)
    if destination.id == unit.location_id:  # restock in place: released for put-away
        ledger.release(session, held, unit.quantity)
    else:
        ledger.post_move(
            session, actor=actor, product_id=unit.product_id, quantity=unit.quantity,
            source=unit.location, destination=destination, reason=MOVE_REASONS[plan.disposition],
            idempotency_key=idempotency_key, lot_id=unit.lot_id, document_type=DOCUMENT,
            document_id=rma.id, from_reserved=True,
        )
    unit.grade, unit.checklist = grade, json.dumps(dict(checklist))
    unit.findings, unit.notes = ";".join(inspection.findings), inspection.notes.strip()
    unit.disposition, unit.rule_source, unit.destination = plan.disposition, plan.source, destination
    unit.unit_value = None if unit.product.unit_cost is None else float(unit.product.unit_cost)
    unit.refund_pct, unit.disposition_key = plan.refund_pct, idempotency_key
    unit.inspected_at, unit.inspected_by = utcnow(), actor.user_id
    unit.approved_by = approver.user_id if approver is not None and approver is not actor else None
    audit.record(session, actor, "return_inspected", rma=rma.number, unit=unit.code, grade=grade,
                 disposition=plan.disposition, destination=destination.code, rule=plan.source)
    if approver is not None and approver is not actor:
        audit.record(session, approver, "return_disposition_approved", rma=rma.number, unit=unit.code,
                     disposition=plan.disposition, operator=actor.display_name, value=plan.value)
    session.flush()
    # Read in this transaction: no second one (on SQLite a writer's) after the commit; the unit
    # and the RMA as loaded above (the RMA view reads every unit afresh).
    result = _result(session, unit, rma=rma, plan=plan,
                     approved_by=approver.display_name if approver is not None and approver is not actor else None)
    uow.commit()
    return result


def _approver(actor: Actor, approval: Actor | None) -> Actor | None:
    if actor.is_supervisor:
        return actor
    return approval if approval is not None and approval.is_supervisor else None


def _checked(session: Session, unit: ReturnUnit, inspection: Inspection) -> list[tuple[str, bool]]:
    known = {item.code for item in checklist_for(unit.product.product_group, configured_checklists(session))}
    unknown = [code for code, _ in inspection.checklist if code not in known]
    if unknown:
        raise InvalidInput(field="checklist", reason=f"{', '.join(unknown)} is not on the checklist of {unit.product.sku}")
    wrong = [code for code in inspection.findings if code not in FINDINGS]
    if wrong:
        raise InvalidInput(field="findings", reason=f"{', '.join(wrong)}: use {', '.join(FINDINGS)}")
    if len(inspection.notes) > MAX_NOTES:
        raise InvalidInput(field="notes", reason=f"at most {MAX_NOTES} characters")
    return [(code, bool(ok)) for code, ok in inspection.checklist]


def _result(session: Session, unit: ReturnUnit, *, rma: Rma | None = None, plan: DispositionPlan | None = None,
            approved_by: str | None = None, replayed: bool = False) -> InspectionResult:
    rma = rma or load_rma(session, unit.rma_id)
    if plan is None:  # a replay: describe what was done, not what the rules say now
        plan = DispositionPlan(unit.id, unit.product.sku, unit.grade or "", unit.disposition or "",
                               unit.rule_source or "", unit.destination.code if unit.destination else "",
                               None if unit.unit_value is None else unit.unit_value * unit.quantity,
                               None, unit.refund_pct or 0.0)
    return InspectionResult(rma_view(session, rma), unit_view(unit), plan,
                            routing_label_for(session, unit), approved_by, replayed)
