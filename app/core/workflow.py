"""Document states as data: one transitions table per document kind and one guard."""

from __future__ import annotations

from app.core.errors import InvalidTransition

# state -> {action: next state}
PURCHASE_ORDER_TRANSITIONS: dict[str, dict[str, str]] = {
    "open": {"receive": "partially_received", "close_short": "closed"},
    "partially_received": {
        "receive": "partially_received",
        "complete": "received",
        "close_short": "closed",
    },
    "received": {},
    "closed": {},
}

TRANSITIONS = {"purchase_order": PURCHASE_ORDER_TRANSITIONS}


def next_state(kind: str, document: str, state: str, action: str) -> str:
    """The state after ``action``; raises InvalidTransition when the table does not allow it."""
    allowed = TRANSITIONS[kind].get(state, {})
    if action not in allowed:
        raise InvalidTransition(
            document=document, state=state.replace("_", " "), action=action.replace("_", " ")
        )
    return allowed[action]
