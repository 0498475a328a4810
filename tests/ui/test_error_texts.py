"""Every error template can be translated, and an untranslated one still reads in English."""

from __future__ import annotations

import importlib
import pkgutil

import app.core
import app.services
from app.core.errors import StockfloorError, WrongScanKind, all_error_classes
from app.ui.error_texts import error_message
from tests.ui.lupdate import extract


def every_error_class():
    # Other modules add error classes of their own: import them all before asking.
    for package in (app.core, app.services):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    # The CLI's own errors are printed in English on a terminal, never shown in the window.
    return [cls for cls in all_error_classes() if not cls.__module__.startswith("app.cli")]


def test_every_error_template_is_extracted_for_translators(tmp_path):
    extracted = {m.source for m in extract(tmp_path) if m.context == "errors"}
    missing = sorted(
        f"{cls.__module__}.{cls.__name__}: {cls.template!r}"
        for cls in every_error_class() if cls.template not in extracted
    )
    assert not missing, "add QT_TRANSLATE_NOOP(\"errors\", ...) lines to app/ui/error_texts.py for:\n" + "\n".join(missing)


def test_an_untranslated_template_falls_back_to_english(qapp):
    class BrandNewError(StockfloorError):
        template = "Pallet {code} is leaning."

    assert error_message(BrandNewError(code="LP-7")) == "Pallet LP-7 is leaning."


def test_english_messages_match_the_errors_own_text(qapp):
    error = WrongScanKind(code="A-03-02", got="location", expected="a product or a license plate")
    assert error_message(error) == str(error) == "A-03-02 is a location, scan a product or a license plate."
