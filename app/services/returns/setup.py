"""What supervisors set for returns: disposition rules (per grade, for the whole warehouse,
a product group, a SKU, or flagged units) and the inspection checklist of a product group.
Value limits, refund percentages and locations are warehouse settings (app.services.config,
keys returns_*; see app/services/returns/data.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.errors import InvalidInput, NotAllowed, NotFound
from app.core.permissions import use_case
from app.core.returns_rules import ANY_GRADE, ChecklistItem, DispositionRule, check_rule
from app.db.models import Product, utcnow
from app.db.models_returns import ReturnChecklistItem, ReturnRuleRow
from app.db.uow import UnitOfWork
from app.services import audit

CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True)
class RuleView:
    scope: str
    target: str
    grade: str
    disposition: str


def _supervisor(actor: Actor, action: str) -> None:
    if not actor.is_supervisor:
        raise NotAllowed(who=actor.display_name, action=action)


def list_rules(session: Session) -> list[RuleView]:
    rows = session.scalars(select(ReturnRuleRow).order_by(ReturnRuleRow.scope, ReturnRuleRow.target,
                                                         ReturnRuleRow.grade))
    return [RuleView(r.scope, r.target, r.grade, r.disposition) for r in rows]


@use_case("returns.set_rule")
def set_rule(uow: UnitOfWork, rule: DispositionRule, *, actor: Actor) -> RuleView:
    """Add or change one rule (same scope, target and grade: replaced)."""
    _supervisor(actor, "change disposition rules")
    rule = check_rule(DispositionRule(rule.scope, rule.target.strip(), rule.grade.strip().upper() or ANY_GRADE,
                                      rule.disposition.strip().lower()))
    session = uow.session
    if rule.scope == "sku" and session.scalar(select(Product.id).where(Product.sku == rule.target)) is None:
        raise NotFound(what="Product", key=rule.target)
    row = session.scalar(select(ReturnRuleRow).where(
        ReturnRuleRow.scope == rule.scope, ReturnRuleRow.target == rule.target, ReturnRuleRow.grade == rule.grade))
    if row is None:
        row = ReturnRuleRow(scope=rule.scope, target=rule.target, grade=rule.grade)
        session.add(row)
    row.disposition, row.updated_at, row.updated_by = rule.disposition, utcnow(), actor.user_id
    audit.record(session, actor, "return_rule_set", scope=rule.scope, target=rule.target, grade=rule.grade,
                 disposition=rule.disposition)
    uow.commit()
    return RuleView(rule.scope, rule.target, rule.grade, rule.disposition)


@use_case("returns.remove_rule")
def remove_rule(uow: UnitOfWork, scope: str, target: str, grade: str, *, actor: Actor) -> bool:
    _supervisor(actor, "change disposition rules")
    result = uow.session.execute(delete(ReturnRuleRow).where(
        ReturnRuleRow.scope == scope, ReturnRuleRow.target == target, ReturnRuleRow.grade == grade))
    audit.record(uow.session, actor, "return_rule_removed", scope=scope, target=target, grade=grade)
    uow.commit()
    return bool(result.rowcount)


@use_case("set_checklist")
def set_checklist(uow: UnitOfWork, group: str, items: list[ChecklistItem], *, actor: Actor) -> int:
    """Replace the checklist of a product group ("*": every group without its own).
    An empty list removes it, so the group falls back to "*" (or the built-in list)."""
    _supervisor(actor, "change inspection checklists")
    group = group.strip()
    if not group:
        raise InvalidInput(field="product_group", reason="name a product group, or * for all")
    seen: set[str] = set()
    for item in items:
        if not CODE.match(item.code):
            raise InvalidInput(field="code", reason=f"'{item.code}': lower-case letters, digits and _")
        if item.code in seen:
            raise InvalidInput(field="code", reason=f"{item.code} appears twice")
        if not item.label.strip():
            raise InvalidInput(field="label", reason=f"{item.code} needs a label")
        seen.add(item.code)
    session = uow.session
    session.execute(delete(ReturnChecklistItem).where(ReturnChecklistItem.product_group == group))
    for position, item in enumerate(items, start=1):
        session.add(ReturnChecklistItem(product_group=group, position=position, code=item.code,
                                        label=item.label.strip()))
    audit.record(session, actor, "return_checklist_set", group=group, items=[i.code for i in items])
    uow.commit()
    return len(items)
