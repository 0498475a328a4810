"""Why an import row was refused, in the operator's language.

The importers (app/services/imports, app/core/csv_rules.py and the few rules they call) word
a row's problem in English: the services, their tests and the JSON of a refusal stay English
first, and app/core knows no catalogue. The command line turns each English reason back into
its template here (the reason's words, ``{name}`` where the importer put data) and shows the
template's translation (context "cli reasons" of the .ts catalogues) with the same data:
codes, cell excerpts, row numbers and counts are what the file or the database holds and stay
as they are. A reason with no template here is shown in English;
tests/cli/test_cli_languages.py walks the importers' sources and fails on a reason that
has none.
"""

from __future__ import annotations

import re
from functools import cache

from app.cli.words import QT_TRANSLATE_NOOP, SOURCE_LANGUAGE, language, translate

CONTEXT = "cli reasons"
_NAME = re.compile(r"\{([a-z_]+)\}")

TEMPLATES = (
    # app/core/csv_rules.py: the file, its header, its cells
    QT_TRANSLATE_NOOP("cli reasons", "byte 0x{byte} at character {position} is not UTF-8 text (save the file as 'CSV UTF-8')"),
    QT_TRANSLATE_NOOP("cli reasons", "the file is empty: a header row is required"),
    QT_TRANSLATE_NOOP("cli reasons", "cannot be read as CSV: {error}"),
    QT_TRANSLATE_NOOP("cli reasons", "the file has a header but no rows"),
    QT_TRANSLATE_NOOP("cli reasons", "required column is missing"),
    QT_TRANSLATE_NOOP("cli reasons", "unknown column (known: {columns})"),
    QT_TRANSLATE_NOOP("cli reasons", "column appears twice"),
    QT_TRANSLATE_NOOP("cli reasons", "value in a column without a header"),
    QT_TRANSLATE_NOOP("cli reasons", "required, but empty"),
    QT_TRANSLATE_NOOP("cli reasons", "contains a control character (0x{code})"),
    QT_TRANSLATE_NOOP("cli reasons", "longer than {length} characters"),
    QT_TRANSLATE_NOOP("cli reasons", "'{value}' is not a whole number"),
    QT_TRANSLATE_NOOP("cli reasons", "'{value}' is not a number (decimals take a dot)"),
    QT_TRANSLATE_NOOP("cli reasons", "'{value}' is not a number the database can hold"),
    QT_TRANSLATE_NOOP("cli reasons", "must be at least {minimum}, got {value}"),
    QT_TRANSLATE_NOOP("cli reasons", "must be between {low} and {high}, got {value}"),
    QT_TRANSLATE_NOOP("cli reasons", "'{value}' is not yes or no"),
    QT_TRANSLATE_NOOP("cli reasons", "'{value}' is not a date as YYYY-MM-DD"),
    QT_TRANSLATE_NOOP("cli reasons", "'{value}' is not one of {choices}"),
    QT_TRANSLATE_NOOP("cli reasons", "'{value}' is not a GTIN (8, 12, 13 or 14 digits)"),
    QT_TRANSLATE_NOOP("cli reasons", "check digit of {code} should be {expected}, not {found}"),
    QT_TRANSLATE_NOOP("cli reasons", "'{value}' is not a barcode (1-64 characters, no spaces)"),
    QT_TRANSLATE_NOOP("cli reasons", "'{value}' is not a barcode (digits are 0-9)"),
    QT_TRANSLATE_NOOP("cli reasons", "'{value}' after {code}: is not a whole number"),
    QT_TRANSLATE_NOOP("cli reasons", "{code}: a pack holds at most {limit} units"),
    QT_TRANSLATE_NOOP("cli reasons", "{code}: a pack holds at least 1 unit"),
    QT_TRANSLATE_NOOP("cli reasons", "{value} is already on row {row}"),
    QT_TRANSLATE_NOOP("cli reasons", "this SKU is already on row {row}"),
    QT_TRANSLATE_NOOP("cli reasons", "this line number is already on row {row}"),
    QT_TRANSLATE_NOOP("cli reasons", "a rule for this target is already on row {row}"),
    QT_TRANSLATE_NOOP("cli reasons", "this SKU, location, lot and license plate is already on row {row}"),
    # app/services/imports/common.py: JSON files
    QT_TRANSLATE_NOOP("cli reasons", "not valid JSON: {error} (column {column})"),
    QT_TRANSLATE_NOOP("cli reasons", "not valid JSON: {error}"),
    QT_TRANSLATE_NOOP("cli reasons", "nested deeper than {depth} levels"),
    QT_TRANSLATE_NOOP("cli reasons", "expected a list of {what}"),
    QT_TRANSLATE_NOOP("cli reasons", "unknown field"),
    QT_TRANSLATE_NOOP("cli reasons", "must be {kind}"),
    # products
    QT_TRANSLATE_NOOP("cli reasons", "required with case_gtin"),
    QT_TRANSLATE_NOOP("cli reasons", "case_qty is given, but no case_gtin"),
    QT_TRANSLATE_NOOP("cli reasons", "barcode {code} is already on row {row}"),
    QT_TRANSLATE_NOOP("cli reasons", "barcode {code} is already on this row"),
    QT_TRANSLATE_NOOP("cli reasons", "barcode {code} belongs to {sku}"),
    QT_TRANSLATE_NOOP("cli reasons", "expiry is kept per lot: set tracking to lot or serial"),
    QT_TRANSLATE_NOOP("cli reasons", "{sku} has stock: {field} cannot change from {old} to {new}"),
    # locations
    QT_TRANSLATE_NOOP("cli reasons", "{value} is already used on row {row}"),
    QT_TRANSLATE_NOOP("cli reasons", "{value} is already used by location {location}"),
    QT_TRANSLATE_NOOP("cli reasons", "{location} has stock history: it cannot change from {old} to {new}"),
    # users
    QT_TRANSLATE_NOOP("cli reasons", "a PIN is 4 to 12 digits"),
    QT_TRANSLATE_NOOP("cli reasons", "required for a new user"),
    QT_TRANSLATE_NOOP("cli reasons", "'{value}' is not a language code like en or es"),
    QT_TRANSLATE_NOOP("cli reasons", "{badge} is the badge of {user}"),
    # purchase orders, stock, put-away rules, pick faces
    QT_TRANSLATE_NOOP("cli reasons", "no product {sku} (import products first)"),
    QT_TRANSLATE_NOOP("cli reasons", "no location {location} (import locations first)"),
    QT_TRANSLATE_NOOP("cli reasons", "no location {location}"),
    QT_TRANSLATE_NOOP("cli reasons", "{number} is {status} and cannot be replaced"),
    QT_TRANSLATE_NOOP("cli reasons", "{number} is open and cannot be replaced"),
    QT_TRANSLATE_NOOP("cli reasons", "{number} is partially received and cannot be replaced"),
    QT_TRANSLATE_NOOP("cli reasons", "{number} is received and cannot be replaced"),
    QT_TRANSLATE_NOOP("cli reasons", "{number} is closed and cannot be replaced"),
    QT_TRANSLATE_NOOP("cli reasons", "{number} says {first} on row {row}, {here} here"),
    QT_TRANSLATE_NOOP("cli reasons", "{location} is a {kind} location, not a storage bin or pick face"),
    QT_TRANSLATE_NOOP("cli reasons", "{location} is not a storage bin or pick face"),
    QT_TRANSLATE_NOOP("cli reasons", "{location} is a {kind} location, not a pick face"),
    QT_TRANSLATE_NOOP("cli reasons", "{location} is a virtual {kind} location: it holds no stock"),
    QT_TRANSLATE_NOOP("cli reasons", "{location} is blocked: it takes no stock"),
    QT_TRANSLATE_NOOP("cli reasons", "must not be 0"),
    QT_TRANSLATE_NOOP("cli reasons", "{sku} is not lot or serial tracked: leave it blank"),
    QT_TRANSLATE_NOOP("cli reasons", "{sku} is {tracking} tracked: a {what} is required"),
    QT_TRANSLATE_NOOP("cli reasons", "{sku} is lot tracked: a lot is required"),
    QT_TRANSLATE_NOOP("cli reasons", "{sku} is serial tracked: a serial number is required"),
    QT_TRANSLATE_NOOP("cli reasons", "{sku} is serial tracked: one unit per row (1 or -1)"),
    QT_TRANSLATE_NOOP("cli reasons", "an expiry belongs to a lot: give the lot too"),
    QT_TRANSLATE_NOOP("cli reasons", "lot {lot} of {sku} expires on {expiry}, not {given}"),
    QT_TRANSLATE_NOOP("cli reasons", "{sku} has expiry dates: a new lot needs one"),
    QT_TRANSLATE_NOOP("cli reasons", "{plate} holds stock in another location"),
    QT_TRANSLATE_NOOP("cli reasons", "serial {serial} of {sku} is already in stock"),
    QT_TRANSLATE_NOOP("cli reasons", "{location} has {free} free units of {sku} there (on hand {on_hand}, reserved {reserved}); cannot take {quantity}"),
    QT_TRANSLATE_NOOP("cli reasons", "only a product has a home location"),
    QT_TRANSLATE_NOOP("cli reasons", "a zone rule cannot prefer a zone"),
    QT_TRANSLATE_NOOP("cli reasons", "a zone rule cannot allow zones"),
    QT_TRANSLATE_NOOP("cli reasons", "'{zone}' is not among the allowed zones"),
    QT_TRANSLATE_NOOP("cli reasons", "cannot be negative"),
    QT_TRANSLATE_NOOP("cli reasons", "must be more than min ({minimum})"),
    QT_TRANSLATE_NOOP("cli reasons", "must be at least 1"),
    QT_TRANSLATE_NOOP("cli reasons", "one unit ({unit}) does not fit below max ({maximum})"),
    # orders and returns
    QT_TRANSLATE_NOOP("cli reasons", "'{value}' is not a two-letter country code"),
    QT_TRANSLATE_NOOP("cli reasons", "differs from row {row} of order {order}"),
    QT_TRANSLATE_NOOP("cli reasons", "{sku} is already on row {row} of order {order}"),
    QT_TRANSLATE_NOOP("cli reasons", "{channel} order {order} is already order {first} of this file"),
    QT_TRANSLATE_NOOP("cli reasons", "an order must be an object"),
    QT_TRANSLATE_NOOP("cli reasons", "required: an object with name, address1, city, postcode, country"),
    QT_TRANSLATE_NOOP("cli reasons", "required: a list of {sku, quantity}"),
    QT_TRANSLATE_NOOP("cli reasons", "a line must be an object with sku and quantity"),
    QT_TRANSLATE_NOOP("cli reasons", "unknown SKU {sku}"),
    QT_TRANSLATE_NOOP("cli reasons", "{channel} order {order} already exists"),
    QT_TRANSLATE_NOOP("cli reasons", "RMA {rma} says order {order} on row {row}"),
    QT_TRANSLATE_NOOP("cli reasons", "{sku} is already on row {row} of RMA {rma}"),
    QT_TRANSLATE_NOOP("cli reasons", "{channel} RMA {rma} is already RMA {first} of this file"),
    QT_TRANSLATE_NOOP("cli reasons", "an RMA must be an object"),
    QT_TRANSLATE_NOOP("cli reasons", "required: a list of {sku, quantity, reason}"),
    QT_TRANSLATE_NOOP("cli reasons", "a line must be an object with sku, quantity and reason"),
    QT_TRANSLATE_NOOP("cli reasons", "no {channel} order {order}"),
    QT_TRANSLATE_NOOP("cli reasons", "{channel} RMA {rma} already exists and units of it have arrived"),
    QT_TRANSLATE_NOOP("cli reasons", "{sku} was not shipped on {channel} order {order}"),
    QT_TRANSLATE_NOOP("cli reasons", "{quantity} x {sku} announced, only {left} of the {shipped} shipped can still come back"),
    # the floor layout (app/services/waves/layout.py, app/core/routing/layout.py)
    QT_TRANSLATE_NOOP("cli reasons", "required when kind is {kind}"),
    QT_TRANSLATE_NOOP("cli reasons", "the depot must be on the front cross aisle (y = 0)"),
    QT_TRANSLATE_NOOP("cli reasons", "a middle cross aisle lies beyond the front (y > 0)"),
    QT_TRANSLATE_NOOP("cli reasons", "the layout needs at least one aisle row"),
    QT_TRANSLATE_NOOP("cli reasons", "only one depot row"),
    QT_TRANSLATE_NOOP("cli reasons", "beyond the aisles' length {length}"),
    QT_TRANSLATE_NOOP("cli reasons", "a layout needs at least one aisle"),
    QT_TRANSLATE_NOOP("cli reasons", "every coordinate must be a finite number"),
    QT_TRANSLATE_NOOP("cli reasons", "aisle x coordinates must be strictly increasing ({first}, {second})"),
    QT_TRANSLATE_NOOP("cli reasons", "aisle length must be positive"),
    QT_TRANSLATE_NOOP("cli reasons", "middle cross aisles must increase strictly inside (0, {length})"),
    # the column a value without a header is in
    QT_TRANSLATE_NOOP("cli reasons", "column {number}"),
)


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """Each template as a pattern; the most literal words first, so "no location X (import
    locations first)" is not read as "no location {location}"."""
    compiled = []
    for template in TEMPLATES:
        parts, seen, at = [], set(), 0
        for found in _NAME.finditer(template):
            parts.append(re.escape(template[at:found.start()]))
            name = found.group(1)
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
            seen.add(name)
            at = found.end()
        parts.append(re.escape(template[at:]))
        compiled.append((re.compile("".join(parts), re.S), template))
    compiled.sort(key=lambda item: -len(_NAME.sub("", item[1])))
    return compiled


def template_of(reason: str) -> tuple[str, dict[str, str]] | None:
    """(template, values) the English ``reason`` was made from, or None."""
    for pattern, template in _patterns():
        found = pattern.fullmatch(reason)
        if found:
            return template, found.groupdict()
    return None


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with its ``{name}`` placeholders replaced (other braces are words)."""
    return _NAME.sub(lambda found: values.get(found.group(1), found.group(0)), template)


def reason_text(reason: str) -> str:
    """A row's English reason in the current language (English when it has no template)."""
    if language() == SOURCE_LANGUAGE:
        return reason
    found = template_of(reason)
    if found is None:
        return reason
    template, values = found
    if template == "must be {kind}":  # a JSON value of the wrong type: the column's type words
        from app.cli.columns import type_words

        values = {"kind": type_words(values["kind"])}
    translated = translate(CONTEXT, template)
    if sorted(_NAME.findall(translated)) != sorted(_NAME.findall(template)):  # a lost placeholder
        return reason
    return fill(translated, values)


def column_text(column: str) -> str:
    """A column's name as typed in the file; "column 7" (no header) in the current language."""
    found = re.fullmatch(r"column (\d+)", column)
    return fill(translate(CONTEXT, "column {number}"), {"number": found.group(1)}) if found else column
