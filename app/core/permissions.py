"""Who may run which use case: one table, enforced inside the services.

Every public use case carries ``@use_case("name")``; the decorator refuses an actor whose role
is not in ``PERMISSIONS[name]`` with ``NotAllowed`` before the use case reads anything. The UI
and the CLI only mirror this table (``allowed``) to hide what would be refused anyway. A name
missing from the table fails at import, and a test runs every use case as every role.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TypeVar

from app.core.actor import ROLES, Actor
from app.core.errors import NotAllowed

OPERATOR = frozenset(ROLES)  # everyone who may log in
SUPERVISOR = frozenset({"supervisor", "admin"})
ADMIN = frozenset({"admin"})

PERMISSIONS: dict[str, frozenset[str]] = {
    # receiving and put-away: the floor
    "open_receipt": OPERATOR, "receive_scan": OPERATOR, "undo_last_receipt_scan": OPERATOR,
    "finish_receipt": OPERATOR, "start_putaway": OPERATOR, "confirm_putaway": OPERATOR,
    "undo_last_putaway": OPERATOR,
    # orders, waves, picking, packing, shipping
    "create_order": SUPERVISOR, "allocate_order": SUPERVISOR, "allocate_waiting_orders": SUPERVISOR,
    "deallocate_order": SUPERVISOR, "cancel_order": SUPERVISOR, "release_waves": SUPERVISOR,
    "scan_location": OPERATOR, "check_pick_item": OPERATOR, "scan_item": OPERATOR, "short_pick": OPERATOR,
    "undo_last_pick": OPERATOR, "undo_last_pack": OPERATOR,
    "start_packing": OPERATOR, "pack_scan": OPERATOR, "close_parcel": OPERATOR,
    "finish_packing": OPERATOR, "split_order": OPERATOR, "set_tracking_ref": OPERATOR,
    "dispatch": SUPERVISOR,
    # counting
    "start_location": OPERATOR, "count_scan": OPERATOR, "undo_last_count_scan": OPERATOR,
    "confirm_empty": OPERATOR, "finish_location": OPERATOR,
    "plan_location_range": SUPERVISOR, "plan_zone": SUPERVISOR, "plan_product": SUPERVISOR,
    "plan_abc_counts": SUPERVISOR, "assign_count": SUPERVISOR, "cancel_count": SUPERVISOR,
    "approve_lines": OPERATOR, "reject_lines": OPERATOR,  # an operator needs ``approval``
    "classify_products": SUPERVISOR, "set_class_policy": SUPERVISOR, "set_count_plan_policy": SUPERVISOR,
    "classify_by_policy": SUPERVISOR,
    # returns
    "open_return": OPERATOR, "receive_item": OPERATOR, "returns.undo_last": OPERATOR,
    "close_rma": OPERATOR, "inspect_unit": OPERATOR,
    # printing: anyone prints and retries; printers are set up by an admin
    "queue_print": OPERATOR, "retry_job": OPERATOR, "reprint_job": OPERATOR,
    "save_profile": ADMIN, "remove_profile": ADMIN,
    # documents coming in from other systems
    "import_csv": SUPERVISOR, "import_orders": SUPERVISOR, "import_rmas": SUPERVISOR,
    "import_users": ADMIN, "import_stock": ADMIN,
    # replenishment: the floor refills faces; supervisors set min / max
    "confirm_replenishment": OPERATOR, "set_face_levels": SUPERVISOR, "remove_face_levels": SUPERVISOR,
    "cancel_replenishment": SUPERVISOR,
    # the floor's own rules (put-away, returns dispositions, count classes, layout): supervisors
    "set_location_capacity": SUPERVISOR, "set_putaway_rule": SUPERVISOR,
    "remove_putaway_rule": SUPERVISOR, "returns.set_rule": SUPERVISOR,
    "returns.remove_rule": SUPERVISOR, "set_checklist": SUPERVISOR, "import_layout_csv": SUPERVISOR,
    # warehouse rules (the shared settings table), users, printers: the admin alone
    "config.set_rule": ADMIN, "set_scan_required_at": ADMIN, "set_deviation_policy": ADMIN, "build_demo": ADMIN,
    "add_user": ADMIN, "deactivate_user": ADMIN, "reactivate_user": ADMIN,
    "reset_pin": ADMIN, "set_role": ADMIN, "issue_token": ADMIN,
    "view_audit": SUPERVISOR,
    # KPIs and the supervisor dashboard
    "kpi_report": SUPERVISOR, "kpi_dashboard": SUPERVISOR, "set_kpi_target": SUPERVISOR,
}

# How a refusal names the use case when its name reads badly ("Olga may not plan counts.").
ACTION_WORDS = {"plan_location_range": "plan counts", "plan_zone": "plan counts",
                "plan_product": "plan counts", "plan_abc_counts": "plan counts", "classify_by_policy": "classify products",
                "save_profile": "set up printers", "remove_profile": "set up printers"}

F = TypeVar("F", bound=Callable)


def allowed(role: str, name: str) -> bool:
    return role in PERMISSIONS[name]


def require(actor: Actor | None, name: str) -> None:
    """Refuse ``actor`` unless its role may run use case ``name``."""
    if actor is None or actor.role not in PERMISSIONS[name]:
        who = actor.display_name if actor is not None else "Nobody"
        action = ACTION_WORDS.get(name) or name.rsplit(".", 1)[-1].replace("_", " ")
        raise NotAllowed(who=who, action=action, use_case=name)


def use_case(name: str) -> Callable[[F], F]:
    """Mark a function as use case ``name`` and check its ``actor`` against the table first."""
    if name not in PERMISSIONS:
        raise KeyError(f"use case {name!r} has no entry in app.core.permissions.PERMISSIONS")

    def decorate(function: F) -> F:
        signature = inspect.signature(function)

        roles = PERMISSIONS[name]

        @functools.wraps(function)
        def checked(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the wrapped signature
            actor = kwargs.get("actor")
            if actor is None:
                actor = signature.bind_partial(*args, **kwargs).arguments.get("actor")
            if actor is None or actor.role not in roles:  # every scan passes here: require's test, inline
                require(actor, name)
            return function(*args, **kwargs)

        checked.use_case = name  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate
