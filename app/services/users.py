"""Log-in by badge or by name + PIN, and supervisor approval on the spot."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.actor import ROLES, Actor
from app.core.errors import InvalidInput, LoginFailed, NotAllowed
from app.core.pins import hash_pin, verify_pin
from app.db.models import User
from app.db.uow import UnitOfWork
from app.services import audit


def actor_for(user: User, workstation: str) -> Actor:
    return Actor(user.id, workstation, user.role, user.display_name)


def login_with_badge(uow: UnitOfWork, badge_code: str, *, workstation: str) -> Actor:
    user = uow.session.scalar(
        select(User).where(User.badge_code == badge_code.strip(), User.active.is_(True))
    )
    if user is None:
        raise LoginFailed()
    actor = actor_for(user, workstation)
    audit.record(uow.session, actor, "login", method="badge")
    uow.commit()
    return actor


def login_with_pin(uow: UnitOfWork, username: str, pin: str, *, workstation: str) -> Actor:
    user = uow.session.scalar(
        select(User).where(User.username == username.strip(), User.active.is_(True))
    )
    if user is None or not verify_pin(pin, user.pin_hash):
        raise LoginFailed()
    actor = actor_for(user, workstation)
    audit.record(uow.session, actor, "login", method="pin")
    uow.commit()
    return actor


def user_language(session: Session, user_id: int | None) -> str:
    if user_id is None:
        return "en"
    return session.scalar(select(User.language).where(User.id == user_id)) or "en"


def supervisor_approval(session: Session, badge_code: str, pin: str, *, workstation: str) -> Actor:
    """A supervisor's badge and PIN, checked: the returned Actor is recorded on what they approve."""
    user = session.scalar(select(User).where(User.badge_code == badge_code.strip(), User.active.is_(True)))
    if user is None or not verify_pin(pin, user.pin_hash):
        raise LoginFailed()
    approver = actor_for(user, workstation)
    if not approver.is_supervisor:
        raise NotAllowed(who=user.display_name, action="approve")
    return approver


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    badge_code: str,
    role: str,
    pin: str,
    language: str = "en",
) -> User:
    if role not in ROLES:
        raise InvalidInput(field="role", reason=f"'{role}' is not one of {', '.join(ROLES)}")
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise InvalidInput(field="pin", reason="a PIN is 4 to 12 digits")
    user = User(
        username=username,
        display_name=display_name,
        badge_code=badge_code,
        role=role,
        pin_hash=hash_pin(pin),
        language=language,
        active=True,
    )
    session.add(user)
    session.flush()
    return user
