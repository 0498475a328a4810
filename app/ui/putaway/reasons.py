"""Suggestion reasons and deviation reasons in the operator's language.

The core states why a bin is suggested as a code plus parameters (app.core.putaway_rules
REASON_TEMPLATES). The same English templates are listed here for pyside6-lupdate; the test
of this package fails when the two tables drift apart.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.core.putaway_rules import REASON_TEMPLATES, Reason

log = logging.getLogger(__name__)

REASONS_CONTEXT = "putaway reasons"

# Exactly the strings of REASON_TEMPLATES, one per code; long lines stay whole for lupdate.
TRANSLATABLE_REASONS = {
    "home_location": QT_TRANSLATE_NOOP("putaway reasons", "{location} is the home location of {sku}."),
    "same_lot": QT_TRANSLATE_NOOP("putaway reasons", "{location} already holds lot {lot} of {sku}."),
    "same_product": QT_TRANSLATE_NOOP("putaway reasons", "{location} already holds {sku}."),
    "same_product_fefo": QT_TRANSLATE_NOOP("putaway reasons", "{location} holds {sku} expiring {bin_expiry}, no later than this lot ({expiry})."),
    "empty_bin_in_zone": QT_TRANSLATE_NOOP("putaway reasons", "{location} is the nearest empty bin in zone {zone}."),
    "empty_bin": QT_TRANSLATE_NOOP("putaway reasons", "{location} is the nearest empty bin."),
    "nearest_with_room": QT_TRANSLATE_NOOP("putaway reasons", "{location} is the nearest bin with room for {quantity} x {sku}."),
    "nothing_fits": QT_TRANSLATE_NOOP("putaway reasons", "No bin can take {quantity} x {sku}: scan any bin that has room."),
}

# Why the operator used another bin than suggested. The English text is what the audit
# trail keeps (like every other record), the screen shows it translated.
DEVIATION_CONTEXT = "deviation reasons"
DEVIATION_REASONS = (
    QT_TRANSLATE_NOOP("deviation reasons", "Suggested bin is full"),
    QT_TRANSLATE_NOOP("deviation reasons", "Suggested bin is blocked physically"),
    QT_TRANSLATE_NOOP("deviation reasons", "Better location"),
    QT_TRANSLATE_NOOP("deviation reasons", "Other"),
)
OTHER = DEVIATION_REASONS[-1]  # asks for the operator's own words


def reason_text(reason: Reason) -> str:
    """The reason as a sentence in the current language (English when untranslated)."""
    template = REASON_TEMPLATES.get(reason.code)
    if template is None:  # a code the core added later: say something rather than crash
        log.warning("no text for put-away reason %r", reason.code)
        return reason.code
    translated = QCoreApplication.translate(REASONS_CONTEXT, template)
    try:
        return translated.format(**reason.params)
    except (KeyError, IndexError, ValueError):
        log.warning("translation of %r does not fit its parameters", template)
        return template.format(**reason.params)


def deviation_text(english: str) -> str:
    return QCoreApplication.translate(DEVIATION_CONTEXT, english)
