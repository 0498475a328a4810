"""Users import: operators, supervisors and admins with their badge and PIN."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from app.core.actor import ROLES
from app.core.csv_rules import Column, Problem, Row, Table, duplicates
from app.core.pins import hash_pin
from app.db.models import User
from app.services.imports.common import Counts, Importer, existing_by, set_present
from app.services.users import create_user

COLUMNS = (
    Column("username", "text", "Log-in name. The key: an existing username is updated.",
           required=True, max_length=64),
    Column("display_name", "text", "Name shown on screens and in the audit trail.",
           required=True, max_length=128),
    Column("badge_code", "text", "What the user's badge barcode encodes.", required=True, max_length=64),
    Column("role", "choice", "What the user may do.", required=True, choices=ROLES),
    Column("pin", "text", "4 to 12 digits. Required for a new user; blank keeps the current PIN.",
           max_length=12),
    Column("language", "text", "Language of the user's screens: en, es...", default="en", max_length=8),
)
FIELDS = ("display_name", "badge_code", "role", "language")
LANGUAGE = re.compile(r"[a-z]{2,3}([_-][A-Za-z]{2})?")


def _row_rules(row: Row, existing: User | None) -> list[Problem]:
    problems = []
    pin = row.get("pin")
    if pin is not None and not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        problems.append(Problem(row.number, "pin", "a PIN is 4 to 12 digits"))
    if pin is None and existing is None:
        problems.append(Problem(row.number, "pin", "required for a new user"))
    language = row.get("language")
    if language is not None and not LANGUAGE.fullmatch(language):
        problems.append(Problem(row.number, "language", f"'{language}' is not a language code like en or es"))
    return problems


def check(session: Session, table: Table) -> list[Problem]:
    rows = table.rows
    problems = duplicates(rows, "username") + duplicates(rows, "badge_code")
    existing = existing_by(session, User.username, (row.get("username") for row in rows))
    badges = existing_by(session, User.badge_code, (row.get("badge_code") for row in rows))
    for row in rows:
        problems += _row_rules(row, existing.get(row.get("username")))
        holder = badges.get(row.get("badge_code"))
        if holder is not None and holder.username != row.get("username"):
            problems.append(Problem(row.number, "badge_code",
                                    f"{holder.badge_code} is the badge of {holder.username}"))
    return problems


def apply(session: Session, table: Table) -> Counts:
    existing = existing_by(session, User.username, (row.get("username") for row in table.rows))
    created = updated = 0
    for row in table.rows:
        user = existing.get(row.get("username"))
        if user is None:
            create_user(session, username=row.get("username"), display_name=row.get("display_name"),
                        badge_code=row.get("badge_code"), role=row.get("role"), pin=row.get("pin"),
                        language=row.get("language") or "en")
            created += 1
            continue
        set_present(user, row, FIELDS)
        if row.get("pin"):
            user.pin_hash = hash_pin(row.get("pin"))
        updated += 1
    session.flush()
    return Counts(created, updated)


IMPORTER = Importer(
    kind="users",
    noun="users",
    key="username",
    description="Users with badge, role, PIN and language.",
    columns=COLUMNS,
    check=check,
    apply=apply,
)
