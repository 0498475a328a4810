"""Users import: operators, supervisors and admins with their badge and PIN."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from app.core.actor import ROLES
from app.core.csv_rules import Column, Problem, Row, Table, duplicates
from app.core.pins import hash_pin
from app.db.models import User
from app.services.imports.common import Counts, Importer, insert_rows, key_lookup, present, update_rows

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


def _row_rules(row: Row, existing: dict | None) -> list[Problem]:
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


def _lookups(session: Session, table: Table) -> tuple[dict, dict]:
    """The batch's stored users by username (id) and by badge (username), kept for apply()."""
    if "users" not in table.memo:
        users = User.__table__
        table.memo["users"] = key_lookup(session, users.c.username, (users.c.id,),
                                         (row.get("username") for row in table.rows))
        table.memo["badges"] = key_lookup(session, users.c.badge_code, (users.c.username,),
                                          (row.get("badge_code") for row in table.rows))
    return table.memo["users"], table.memo["badges"]  # type: ignore[return-value]


def check(session: Session, table: Table) -> list[Problem]:
    rows = table.rows
    problems = (duplicates(rows, "username", first=table.seen("username"))
                + duplicates(rows, "badge_code", first=table.seen("badge_code")))
    existing, badges = _lookups(session, table)
    for row in rows:
        problems += _row_rules(row, existing.get(row.get("username")))
        holder = badges.get(row.get("badge_code"))
        if holder is not None and holder["username"] != row.get("username"):
            problems.append(Problem(row.number, "badge_code",
                                    f"{row.get('badge_code')} is the badge of {holder['username']}"))
    return problems


def apply(session: Session, table: Table) -> Counts:
    """INSERT / UPDATE executemany per batch. Each PIN is hashed (scrypt, deliberately slow):
    that, not the statements, is what a users import costs."""
    existing, _ = _lookups(session, table)
    new, changed = [], []
    for row in table.rows:
        values = present(row, FIELDS)
        if row.values.get("pin"):
            values["pin_hash"] = hash_pin(row.values["pin"])
        user = existing.get(row.values["username"])
        if user is None:
            new.append({"username": row.values["username"], "language": "en", **values,
                        "active": True, "failed_pins": 0})
            new[-1]["language"] = new[-1]["language"] or "en"
        else:
            changed.append({"id": user["id"], **values})
    users = User.__table__
    insert_rows(session, users, new)
    update_rows(session, users, changed)
    session.expire_all()  # ORM objects loaded before the import must not hide what the statements wrote
    return Counts(len(new), len(changed))


IMPORTER = Importer(
    kind="users",
    noun="users",
    key="username",
    description="Users with badge, role, PIN and language.",
    columns=COLUMNS,
    check=check,
    apply=apply,
    batched=True,
)
