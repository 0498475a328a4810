"""Every catalogue (de, es, pl) is complete and current; compiled at build or run time; live switch.

After adding or changing UI strings, refresh the catalogues (README, "Translations") with
pyside6-lupdate and fill every new <translation>: these tests name what is missing."""

from __future__ import annotations

import os
import re

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.core.errors import LoginFailed, WrongScanKind
from app.ui.error_texts import error_message
from app.ui.i18n import SOURCE_LANGUAGE, SUPPORTED, TRANSLATIONS_DIR, catalogue, compiled_catalogue, effective_language
from tests.ui.lupdate import extract, parse

SPANISH = TRANSLATIONS_DIR / "stockfloor_es.ts"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%n")
TRANSLATED = [language for language in SUPPORTED if language != SOURCE_LANGUAGE]
PLURAL_FORMS = {"de": 2, "es": 2, "pl": 3}  # Polish: one, few (2-4), many


def test_every_language_has_a_catalogue():
    assert sorted(TRANSLATED) == ["de", "es", "pl"]
    assert sorted(path.stem for path in TRANSLATIONS_DIR.glob("*.ts")) == [f"stockfloor_{x}" for x in sorted(TRANSLATED)]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_in_the_sources_is_translated(tmp_path, language):
    source = TRANSLATIONS_DIR / f"stockfloor_{language}.ts"
    messages = extract(tmp_path, start_from=source)
    unfinished = [f"{m.context}: {m.source!r}" for m in messages
                  if m.unfinished or not all(form.strip() for form in m.translations)]
    assert not unfinished, (f"translate these in {source.name} "
                            "(pyside6-lupdate, then fill <translation>):\n" + "\n".join(unfinished))


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_catalogue_is_already_up_to_date(tmp_path, language):
    # lupdate on a copy must find nothing new: the .ts in git matches the sources.
    source = TRANSLATIONS_DIR / f"stockfloor_{language}.ts"
    committed = {(m.context, m.source) for m in parse(source)}
    extracted = {(m.context, m.source) for m in extract(tmp_path, start_from=source)}
    assert extracted == committed


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder_and_plural_form(language):
    messages = parse(TRANSLATIONS_DIR / f"stockfloor_{language}.ts")
    wrong = [f"{m.context}: {m.source!r} -> {form!r}" for m in messages for form in m.translations
             if sorted(set(PLACEHOLDER.findall(m.source)) - {"%n"}) != sorted(set(PLACEHOLDER.findall(form)) - {"%n"})]
    wrong += [f"{m.context}: {m.source!r} has {len(m.translations)} plural forms" for m in messages
              if "%n" in m.source and len(m.translations) != PLURAL_FORMS[language]]
    assert not wrong, "\n".join(wrong)


def test_a_packaged_catalogue_is_preferred_to_compiling(tmp_path):
    packaged = tmp_path / "packaged"
    packaged.mkdir()
    (packaged / "stockfloor_de.qm").write_bytes(b"built")
    assert catalogue("de", TRANSLATIONS_DIR, tmp_path / "cache", packaged) == packaged / "stockfloor_de.qm"
    assert catalogue("pl", TRANSLATIONS_DIR, tmp_path / "cache", packaged) == tmp_path / "cache" / "stockfloor_pl.qm"


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


@pytest.mark.parametrize(("language", "expected"), [
    ("de", ("Ausweis oder PIN nicht erkannt.", "Abbrechen")),
    ("pl", ("Nie rozpoznano identyfikatora lub PIN-u.", "Anuluj")),
])
def test_german_and_polish_speak_too(qtbot, translations, language, expected):
    translations.set_language(language)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert (error_message(LoginFailed()), box.button(QDialogButtonBox.StandardButton.Cancel).text()) == expected
    translations.set_language("en")


def test_unknown_languages_fall_back_to_english():
    assert effective_language("es") == "es"
    assert effective_language("es_MX") == "es"
    assert effective_language("fr") == "en"
    assert effective_language("pl_PL") == "pl" and effective_language("de_AT") == "de"
