"""Accounts: log-in by badge (+ PIN), supervisor approval on the spot, PIN lockout, and the
admin's use cases on users (add, deactivate, reactivate, reset PIN, change role).

A wrong PIN counts against the account in its own committed transaction (whatever the use case
had done is rolled back, as on any error); after ``pin_attempts`` wrong PINs in a row the
account is locked for ``pin_lock_minutes``. Every failure and every lock is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.actor import ROLES, Actor, Approval
from app.core.errors import (
    AccountInactive,
    AccountLocked,
    InvalidInput,
    LoginFailed,
    NotAllowed,
    NotFound,
    PinRequired,
)
from app.core.permissions import use_case
from app.core.pins import hash_pin, verify_pin
from app.db.models import User
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.config import RULES, WarehouseRule, get_rule

ACCOUNT_RULES = (
    WarehouseRule("pin_attempts", int, 5, "Wrong PINs in a row before an account is locked."),
    WarehouseRule("pin_lock_minutes", int, 15, "How long a locked account stays locked."),
    WarehouseRule("operator_pin_required", int, 0,
                  "1: operators type a PIN after their badge too; 0: the badge alone logs them in."),
)
RULES.update({rule.key: rule for rule in ACCOUNT_RULES})


def actor_for(user: User, workstation: str) -> Actor:
    return Actor(user.id, workstation, user.role, user.display_name)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


def _by_badge(session: Session, badge: str) -> User:
    user = session.scalar(select(User).where(User.badge_code == badge.strip()))
    if user is None:
        raise LoginFailed()
    if not user.active:
        raise AccountInactive(badge=user.badge_code)
    return user


def check_pin(session: Session, user: User, pin: str, *, workstation: str) -> None:
    """Raise unless ``pin`` is ``user``'s and the account is not locked; count failures."""
    locked_until = _aware(user.locked_until)
    if locked_until is not None and locked_until > clock.now():
        raise AccountLocked(name=user.display_name, until=f"{locked_until.astimezone():%H:%M}")
    if verify_pin(pin or "", user.pin_hash):
        if user.failed_pins or user.locked_until is not None:
            user.failed_pins, user.locked_until = 0, None
        return
    user_id = user.id
    session.rollback()  # nothing of the refused use case stays; the failure itself does
    user = session.get(User, user_id)
    user.failed_pins = (user.failed_pins or 0) + 1
    system = Actor(None, workstation, "operator", "badge reader")
    audit.record(session, system, "pin_failed", user=user.username, attempt=user.failed_pins)
    locked = user.failed_pins >= get_rule(session, "pin_attempts")
    if locked:
        user.locked_until = clock.now() + dt.timedelta(minutes=get_rule(session, "pin_lock_minutes"))
        user.failed_pins = 0
        audit.record(session, system, "account_locked", user=user.username, until=user.locked_until)
    session.commit()
    if locked:
        raise AccountLocked(name=user.display_name, until=f"{_aware(user.locked_until).astimezone():%H:%M}")
    raise LoginFailed()


def login(uow: UnitOfWork, badge: str, pin: str | None = None, *, workstation: str) -> Actor:
    """Badge + PIN. Operators need no PIN unless the rule ``operator_pin_required`` says so;
    supervisors and admins always do (PinRequired tells the screen to ask for it)."""
    session = uow.session
    user = _by_badge(session, badge)
    needs_pin = user.role != "operator" or bool(get_rule(session, "operator_pin_required"))
    if needs_pin and not pin:
        raise PinRequired(badge=user.badge_code)
    if needs_pin:
        check_pin(session, user, pin, workstation=workstation)
    actor = actor_for(user, workstation)
    audit.record(session, actor, "login", method="badge+pin" if needs_pin else "badge")
    uow.commit()
    return actor


def login_with_badge(uow: UnitOfWork, badge_code: str, *, workstation: str) -> Actor:
    """The badge alone: operators only (unless their PIN is required too)."""
    return login(uow, badge_code, None, workstation=workstation)


def login_with_pin(uow: UnitOfWork, username: str, pin: str, *, workstation: str) -> Actor:
    user = uow.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise LoginFailed()
    if not user.active:
        raise AccountInactive(badge=user.badge_code)
    check_pin(uow.session, user, pin, workstation=workstation)
    actor = actor_for(user, workstation)
    audit.record(uow.session, actor, "login", method="pin")
    uow.commit()
    return actor


def login_with_token(uow: UnitOfWork, token: str, *, workstation: str) -> Actor:
    """A scheduled job's identity: the token `issue_token` printed once (only its hash is kept)."""
    user = uow.session.scalar(select(User).where(User.token_hash == _token_hash(token)))
    if user is None:
        raise LoginFailed()
    if not user.active:
        raise AccountInactive(badge=user.badge_code)
    actor = actor_for(user, workstation)
    audit.record(uow.session, actor, "login", method="token")
    uow.commit()
    return actor


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().encode()).hexdigest()  # 256 random bits: no salt needed


def any_user(session: Session) -> bool:
    return session.scalar(select(User.id).limit(1)) is not None


def user_language(session: Session, user_id: int | None) -> str:
    if user_id is None:
        return "en"
    return session.scalar(select(User.language).where(User.id == user_id)) or "en"


def supervisor_approval(session: Session, badge_code: str, pin: str, *, workstation: str) -> Actor:
    """A supervisor's badge and PIN, checked (the approval dialog asks before it answers)."""
    user = _by_badge(session, badge_code)
    check_pin(session, user, pin, workstation=workstation)
    approver = actor_for(user, workstation)
    if not approver.is_supervisor:
        raise NotAllowed(who=user.display_name, action="approve")
    return approver


def verified_approval(session: Session, approval: Approval | None, actor: Actor) -> Actor | None:
    """The one check of every ``approval=``: the approving supervisor, verified from badge + PIN
    (None when no approval was given). An Actor built by the caller is refused."""
    if approval is None:
        return None
    if not isinstance(approval, Approval):
        raise NotAllowed(who=actor.display_name, action="approve without a badge and PIN")
    user = _by_badge(session, approval.badge)
    check_pin(session, user, approval.pin, workstation=actor.workstation)
    approver = actor_for(user, actor.workstation)
    return approver if approver.is_supervisor else None  # an operator's badge approves nothing


# --- the admin's use cases ------------------------------------------------------------------------
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
    """Add a user row (imports and the demo; ``add_user`` is the use case)."""
    if role not in ROLES:
        raise InvalidInput(field="role", reason=f"'{role}' is not one of {', '.join(ROLES)}")
    _check_pin_format(pin)
    user = User(
        username=username,
        display_name=display_name,
        badge_code=badge_code,
        role=role,
        pin_hash=hash_pin(pin),
        language=language,
        active=True,
        failed_pins=0,
    )
    session.add(user)
    session.flush()
    return user


def _check_pin_format(pin: str) -> None:
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise InvalidInput(field="pin", reason="a PIN is 4 to 12 digits")


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    badge_code: str
    role: str
    language: str
    active: bool
    locked: bool


def _view(user: User) -> UserView:
    locked_until = _aware(user.locked_until)
    return UserView(user.id, user.username, user.display_name, user.badge_code, user.role,
                    user.language, bool(user.active), locked_until is not None and locked_until > clock.now())


def list_users(session: Session) -> list[UserView]:
    return [_view(user) for user in session.scalars(select(User).order_by(User.username))]


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(what="User", key=str(user_id))
    return user


@use_case("add_user")
def add_user(uow: UnitOfWork, *, username: str, display_name: str, badge_code: str, role: str,
             pin: str, language: str = "en", actor: Actor) -> UserView:
    for field, value in (("username", username), ("display_name", display_name), ("badge_code", badge_code)):
        if not value.strip():
            raise InvalidInput(field=field, reason="required")
    session = uow.session
    for column, value in ((User.username, username), (User.badge_code, badge_code)):
        if session.scalar(select(User.id).where(column == value.strip())) is not None:
            raise InvalidInput(field=column.key, reason=f"'{value}' is taken")
    user = create_user(session, username=username.strip(), display_name=display_name.strip(),
                       badge_code=badge_code.strip(), role=role, pin=pin, language=language)
    audit.record(session, actor, "user_added", user=user.username, role=role)
    uow.commit()
    return _view(user)


@use_case("deactivate_user")
def deactivate_user(uow: UnitOfWork, user_id: int, *, actor: Actor) -> UserView:
    """Their badge is refused from now on; their history stays."""
    user = _user(uow.session, user_id)
    if user.id == actor.user_id:
        raise NotAllowed(who=actor.display_name, action="deactivate their own account")
    user.active = False
    audit.record(uow.session, actor, "user_deactivated", user=user.username)
    uow.commit()
    return _view(user)


@use_case("reactivate_user")
def reactivate_user(uow: UnitOfWork, user_id: int, *, actor: Actor) -> UserView:
    user = _user(uow.session, user_id)
    user.active, user.failed_pins, user.locked_until = True, 0, None
    audit.record(uow.session, actor, "user_reactivated", user=user.username)
    uow.commit()
    return _view(user)


@use_case("reset_pin")
def reset_pin(uow: UnitOfWork, user_id: int, pin: str, *, actor: Actor) -> UserView:
    """A new PIN; also lifts a lock."""
    _check_pin_format(pin)
    user = _user(uow.session, user_id)
    user.pin_hash, user.failed_pins, user.locked_until = hash_pin(pin), 0, None
    audit.record(uow.session, actor, "pin_reset", user=user.username)
    uow.commit()
    return _view(user)


@use_case("issue_token")
def issue_token(uow: UnitOfWork, user_id: int, *, actor: Actor) -> str:
    """A new CLI token for ``user_id`` (the old one stops working); shown once, kept as a hash."""
    user = _user(uow.session, user_id)
    token = secrets.token_urlsafe(32)
    user.token_hash = _token_hash(token)
    audit.record(uow.session, actor, "token_issued", user=user.username)
    uow.commit()
    return token


def user_id_by_name(session: Session, username: str) -> int:
    found = session.scalar(select(User.id).where(User.username == username.strip()))
    if found is None:
        raise NotFound(what="User", key=username)
    return found


@use_case("set_role")
def set_role(uow: UnitOfWork, user_id: int, role: str, *, actor: Actor) -> UserView:
    if role not in ROLES:
        raise InvalidInput(field="role", reason=f"'{role}' is not one of {', '.join(ROLES)}")
    user = _user(uow.session, user_id)
    audit.record(uow.session, actor, "role_changed", user=user.username, before=user.role, after=role)
    user.role = role
    uow.commit()
    return _view(user)
