"""Who does something, and where: stamped on every move, scan and audit entry."""

from __future__ import annotations

from dataclasses import dataclass

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
