"""Who does something, and where: stamped on every move, scan and audit entry."""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("operator", "supervisor", "admin")


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    workstation: str
    role: str = "operator"
    display_name: str = "system"

    @property
    def is_supervisor(self) -> bool:
        return self.role in ("supervisor", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def system_actor(workstation: str = "cli") -> Actor:
    """For imports and demo data: no person, full rights."""
    return Actor(user_id=None, workstation=workstation, role="admin", display_name="system")


@dataclass(frozen=True)
class Approval:
    """A supervisor's badge and PIN as typed or scanned, unchecked.

    Use cases take ``approval: Approval | None`` and verify it themselves
    (``services.users.verified_approval``); an ``Actor`` built by the caller is refused.
    ``display_name`` is for the screen that asked (what it shows); it is never trusted."""

    badge: str
    pin: str = field(repr=False)
    display_name: str = ""
