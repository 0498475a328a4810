"""The column reference under an import's --help "columns:" heading, in the command's language.

The importers describe their columns in English (app.core.csv_rules.Column: name, type,
meaning; the README's tables and the services stay English first). The command line shows
each column's name as typed, "required"/"optional", the accepted values and the meaning from
the .ts catalogues (context "cli columns"); choices, codes and formats such as
GTIN-8/12/13/14 are typed values and stay as they are. tests/cli/test_cli_languages.py fails
on an importer's column meaning that is not listed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.cli.words import QT_TRANSLATE_NOOP, translate
from app.core.csv_rules import Column

CONTEXT = "cli columns"

# Column.type_text()'s words; the rest are typed values (choices, yes/no, GTIN-8/12/13/14,
# code:qty;code:qty) or numbers (max lengths, minimums).
TYPE_WORDS = (
    QT_TRANSLATE_NOOP("cli columns", "required"),
    QT_TRANSLATE_NOOP("cli columns", "optional"),
    QT_TRANSLATE_NOOP("cli columns", "text"),
    QT_TRANSLATE_NOOP("cli columns", "integer"),
    QT_TRANSLATE_NOOP("cli columns", "decimal"),
    QT_TRANSLATE_NOOP("cli columns", "date YYYY-MM-DD"),
    QT_TRANSLATE_NOOP("cli columns", "one of {choices}"),
    QT_TRANSLATE_NOOP("cli columns", "text, max {length}"),
)

# Column.meaning of every importer's columns (products ... pick faces, stock, layout, returns).
MEANINGS = (
    QT_TRANSLATE_NOOP("cli columns", "Stock-keeping unit. The key: a SKU already in the database is updated."),
    QT_TRANSLATE_NOOP("cli columns", "Product name as operators see it."),
    QT_TRANSLATE_NOOP("cli columns", "Unit of measure (each, pack...); quantities are whole units."),
    QT_TRANSLATE_NOOP("cli columns", "Lot or serial numbers captured on receipt."),
    QT_TRANSLATE_NOOP("cli columns", "Lots carry an expiry date (needs tracking lot or serial)."),
    QT_TRANSLATE_NOOP("cli columns", "Days of shelf life a lot must still have on receipt (0: only expired lots are held)."),
    QT_TRANSLATE_NOOP("cli columns", "Free grouping for reports and put-away."),
    QT_TRANSLATE_NOOP("cli columns", "The unit's GTIN (check digit verified)."),
    QT_TRANSLATE_NOOP("cli columns", "GTIN of a case, usually a GTIN-14; needs case_qty."),
    QT_TRANSLATE_NOOP("cli columns", "Units in one case_gtin case."),
    QT_TRANSLATE_NOOP("cli columns", "Weight of one unit in kg."),
    QT_TRANSLATE_NOOP("cli columns", "Length of one unit in cm."),
    QT_TRANSLATE_NOOP("cli columns", "Width of one unit in cm."),
    QT_TRANSLATE_NOOP("cli columns", "Height of one unit in cm."),
    QT_TRANSLATE_NOOP("cli columns", "Cost of one unit (stock valuation)."),
    QT_TRANSLATE_NOOP("cli columns", "More codes and the units each stands for, e.g. 'INT-77:1;95012345678903:6'. All-digit codes of GTIN length must have a valid check digit."),
    QT_TRANSLATE_NOOP("cli columns", "Location code, e.g. A-03-02-1. The key: an existing code is updated."),
    QT_TRANSLATE_NOOP("cli columns", "What the location's label encodes; blank means the code itself."),
    QT_TRANSLATE_NOOP("cli columns", "What the location is for; supplier, customer and inventory_loss are virtual (they hold no stock)."),
    QT_TRANSLATE_NOOP("cli columns", "Zone name, for put-away rules and reports."),
    QT_TRANSLATE_NOOP("cli columns", "Aisle name, e.g. A."),
    QT_TRANSLATE_NOOP("cli columns", "Bay number along the aisle."),
    QT_TRANSLATE_NOOP("cli columns", "Shelf level, 1 = floor / pick face."),
    QT_TRANSLATE_NOOP("cli columns", "Position within the level."),
    QT_TRANSLATE_NOOP("cli columns", "Floor position across the aisles, metres (pick routing)."),
    QT_TRANSLATE_NOOP("cli columns", "Floor position along the aisle from the front cross aisle, metres."),
    QT_TRANSLATE_NOOP("cli columns", "Blocked locations take no stock."),
    QT_TRANSLATE_NOOP("cli columns", "Log-in name. The key: an existing username is updated."),
    QT_TRANSLATE_NOOP("cli columns", "Name shown on screens and in the audit trail."),
    QT_TRANSLATE_NOOP("cli columns", "What the user's badge barcode encodes."),
    QT_TRANSLATE_NOOP("cli columns", "What the user may do."),
    QT_TRANSLATE_NOOP("cli columns", "4 to 12 digits. Required for a new user; blank keeps the current PIN."),
    QT_TRANSLATE_NOOP("cli columns", "Language of the user's screens: en, es..."),
    QT_TRANSLATE_NOOP("cli columns", "Order number as printed and scanned. An existing order that nothing was received on yet is replaced."),
    QT_TRANSLATE_NOOP("cli columns", "po = purchase order, asn = advance shipping notice."),
    QT_TRANSLATE_NOOP("cli columns", "Supplier name."),
    QT_TRANSLATE_NOOP("cli columns", "When the goods are due."),
    QT_TRANSLATE_NOOP("cli columns", "Line number within the order."),
    QT_TRANSLATE_NOOP("cli columns", "Product ordered; must already exist."),
    QT_TRANSLATE_NOOP("cli columns", "Units expected."),
    QT_TRANSLATE_NOOP("cli columns", "Location code of the bin. The key: an existing limit is replaced."),
    QT_TRANSLATE_NOOP("cli columns", "Most units the bin holds, all products together; blank = no limit."),
    QT_TRANSLATE_NOOP("cli columns", "Most weight in kg (products' weight_kg); blank = no limit."),
    QT_TRANSLATE_NOOP("cli columns", "Most volume in litres (products' length x width x height); blank = no limit."),
    QT_TRANSLATE_NOOP("cli columns", "May the bin hold several lots of one product? no = never, whatever the rules say."),
    QT_TRANSLATE_NOOP("cli columns", "What the rule is for: a product, a product group or a zone."),
    QT_TRANSLATE_NOOP("cli columns", "The SKU, product group or zone name. With scope, the key."),
    QT_TRANSLATE_NOOP("cli columns", "Products only: the bin the product always goes to first."),
    QT_TRANSLATE_NOOP("cli columns", "Products and groups: empty bins are looked for here first."),
    QT_TRANSLATE_NOOP("cli columns", "Products and groups: the only zones allowed, separated by ';'; blank = every zone."),
    QT_TRANSLATE_NOOP("cli columns", "May lots be mixed in a bin? Blank = the next rule decides (product, group, zone; default yes)."),
    QT_TRANSLATE_NOOP("cli columns", "Put a lot only with stock expiring no later? Blank = the next rule decides (default: yes for products with expiry dates)."),
    QT_TRANSLATE_NOOP("cli columns", "Code of the pick face. The key: an existing face's levels are replaced."),
    QT_TRANSLATE_NOOP("cli columns", "The product the face holds."),
    QT_TRANSLATE_NOOP("cli columns", "Replenish when the face holds fewer units than this."),
    QT_TRANSLATE_NOOP("cli columns", "Fill the face up to this many units."),
    QT_TRANSLATE_NOOP("cli columns", "Replenish in whole multiples of this (a case: 12)."),
    QT_TRANSLATE_NOOP("cli columns", "The product's SKU (import products first)."),
    QT_TRANSLATE_NOOP("cli columns", "Code of the bin the stock is in: a physical location, not blocked when stock is added."),
    QT_TRANSLATE_NOOP("cli columns", "Lot code (lot-tracked products) or serial number (serial-tracked, one unit per row); blank for products without tracking."),
    QT_TRANSLATE_NOOP("cli columns", "Expiry of a new lot (products with expiry dates); an existing lot's expiry must match."),
    QT_TRANSLATE_NOOP("cli columns", "License plate (LPN or SSCC) the units are on; blank = loose."),
    QT_TRANSLATE_NOOP("cli columns", "Units to add; negative to take units out (to inventory loss). Not 0."),
    QT_TRANSLATE_NOOP("cli columns", "Why: opening_balance comes from the supplier location, the others from or to inventory loss."),
    QT_TRANSLATE_NOOP("cli columns", "What the row describes."),
    QT_TRANSLATE_NOOP("cli columns", "Aisle: its label, as in the locations' aisle column."),
    QT_TRANSLATE_NOOP("cli columns", "Aisle or depot: position across the aisles."),
    QT_TRANSLATE_NOOP("cli columns", "Cross aisle: position along the aisles (> 0). Depot: 0 or blank."),
    QT_TRANSLATE_NOOP("cli columns", "Aisle: length from the front cross aisle."),
    QT_TRANSLATE_NOOP("cli columns", "Sales channel of the original order: Shopify, Amazon..."),
    QT_TRANSLATE_NOOP("cli columns", "The channel's RMA (return authorisation) number, unique per channel."),
    QT_TRANSLATE_NOOP("cli columns", "The original order's number in that channel."),
    QT_TRANSLATE_NOOP("cli columns", "Product being returned."),
    QT_TRANSLATE_NOOP("cli columns", "Units announced."),
    QT_TRANSLATE_NOOP("cli columns", "The customer's reason, as the channel gives it."),
)


def meaning_text(column: Column) -> str:
    return translate(CONTEXT, column.meaning)


def type_text(column: Column) -> str:
    """``column.type_text()`` in the current language."""
    return type_words(column.type_text())


def type_words(text: str) -> str:
    """A Column.type_text() in the current language."""
    found = re.fullmatch(r"one of (.*)", text, re.S)
    if found:
        return translate(CONTEXT, "one of {choices}").replace("{choices}", found.group(1))
    found = re.fullmatch(r"text, max (\d+)", text)
    if found:
        return translate(CONTEXT, "text, max {length}").replace("{length}", found.group(1))
    found = re.fullmatch(r"(\w+) >= (.*)", text)
    if found:
        return f"{translate(CONTEXT, found.group(1))} >= {found.group(2)}"
    return translate(CONTEXT, text)


def required_text(column: Column) -> str:
    return translate(CONTEXT, "required" if column.required else "optional")


def required(column: Column) -> str:
    """"required. " before a required column's meaning in a one-line entry; "" otherwise."""
    return translate(CONTEXT, "required") + ". " if column.required else ""


def columns_text(columns: Iterable[Column]) -> str:
    """One entry per column, as app.services.imports.column_help words it in English."""
    return "\n".join(f"  {column.name} ({required_text(column)}, {type_text(column)})\n      {meaning_text(column)}"
                     for column in columns)
