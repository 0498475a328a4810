"""The Spanish catalogue is complete, compiled at run time, and switches the UI live."""

from __future__ import annotations

import os
import re

from PySide6.QtWidgets import QDialogButtonBox

from app.core.errors import LoginFailed, WrongScanKind
from app.ui.error_texts import error_message
from app.ui.i18n import TRANSLATIONS_DIR, compiled_catalogue, effective_language
from tests.ui.lupdate import extract, parse

SPANISH = TRANSLATIONS_DIR / "stockfloor_es.ts"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%n")


def test_every_string_in_the_sources_has_a_spanish_translation(tmp_path):
    messages = extract(tmp_path, start_from=SPANISH)
    unfinished = [f"{m.context}: {m.source!r}" for m in messages
                  if m.unfinished or not all(form.strip() for form in m.translations)]
    assert not unfinished, ("translate these in translations/stockfloor_es.ts "
                            "(pyside6-lupdate, then fill <translation>):\n" + "\n".join(unfinished))


def test_the_committed_catalogue_is_already_up_to_date(tmp_path):
    # lupdate on a copy must find nothing new: the .ts in git matches the sources.
    committed = {(m.context, m.source) for m in parse(SPANISH)}
    extracted = {(m.context, m.source) for m in extract(tmp_path, start_from=SPANISH)}
    assert extracted == committed


def test_translations_keep_every_placeholder():
    wrong = [f"{m.context}: {m.source!r} -> {form!r}" for m in parse(SPANISH) for form in m.translations
             if sorted(set(PLACEHOLDER.findall(m.source)) - {"%n"}) != sorted(set(PLACEHOLDER.findall(form)) - {"%n"})]
    assert not wrong, "\n".join(wrong)


def test_catalogue_is_compiled_when_missing_or_older_than_its_source(tmp_path):
    source_dir = tmp_path / "ts"
    source_dir.mkdir()
    source = source_dir / "stockfloor_es.ts"
    source.write_bytes(SPANISH.read_bytes())
    cache = tmp_path / "cache"
    compiled = compiled_catalogue("es", source_dir, cache)
    assert compiled == cache / "stockfloor_es.qm" and compiled.stat().st_size > 1000
    first = compiled.stat().st_mtime_ns
    assert compiled_catalogue("es", source_dir, cache).stat().st_mtime_ns == first  # fresh: kept
    later = compiled.stat().st_mtime + 5  # file times are the real clock's, not the pinned one
    os.utime(source, (later, later))
    assert compiled_catalogue("es", source_dir, cache).stat().st_mtime_ns != first  # stale: rebuilt
    assert compiled_catalogue("fr", source_dir, cache) is None


def test_errors_read_in_spanish_with_their_words_translated(translations):
    translations.set_language("es")
    error = WrongScanKind(code="A-01-01", got="location", expected="a product or a license plate")
    assert error_message(error) == "A-01-01 es una ubicación; escanee un producto o una matrícula."
    assert error_message(LoginFailed()) == "Tarjeta o PIN no reconocidos."
    translations.set_language("en")
    assert error_message(LoginFailed()) == "Badge or PIN not recognised."


def test_qt_standard_buttons_are_translated_too(qtbot, translations):
    translations.set_language("es")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancelar"


def test_unknown_languages_fall_back_to_english():
    assert effective_language("es") == "es"
    assert effective_language("es_MX") == "es"
    assert effective_language("fr") == "en"
