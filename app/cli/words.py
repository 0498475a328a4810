"""The command line's words in the operator's language, without Qt.

The CLI's sentences live in the same Qt Linguist catalogues as the window's
(translations/stockfloor_{de,es,pl}.ts, context "cli"), so one lupdate run and one translator
keep both. ``translate("cli", "...")`` is the call pyside6-lupdate extracts; here it reads the
catalogue with the standard library's XML parser (the .ts is plain XML: no Qt, no compiled
.mo files to keep in step). Typed errors are looked up in the context the window uses
("errors", "error words"), so a refusal reads the same in the window and in a terminal.

The language: ``--language``, else the workstation's configured language (the settings file
the window writes, read with configparser), else the system's (LC_ALL, LC_MESSAGES, LANG;
the user's UI language on Windows), else English. An installed Stockfloor carries the .ts
files beside the compiled .qm (setup.py); a checkout reads translations/.
"""

from __future__ import annotations

import os
import sys
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from app.core.errors import StockfloorError
from app.paths import packaged_translations_dir, source_translations_dir

SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "de", "es", "pl")
ERRORS = "errors"
ERROR_WORDS = "error words"
SETTINGS_KEY = ("ui", "language")  # app/settings.py: "ui/language"

# One command is one context (like app/cli/common.py's user): set by app.cli.main.
_language: ContextVar[str] = ContextVar("stockfloor_cli_language", default=SOURCE_LANGUAGE)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the marker lupdate knows
    """Marks ``text`` for the catalogues where it is defined; translated where it is shown."""
    return text


# Errors only the command line raises: listed so lupdate puts them in the "errors" context.
CLI_ERROR_TEMPLATES = (
    QT_TRANSLATE_NOOP("errors", "There is no database at {path}. `stockfloor db upgrade` creates an empty one, `stockfloor demo` a demo warehouse."),
    QT_TRANSLATE_NOOP("errors", "Commands that change data run as a named user: --user NAME (asks for the PIN), or STOCKFLOOR_TOKEN=<token> for scheduled jobs (`stockfloor user token NAME`)."),
    QT_TRANSLATE_NOOP("errors", "The window cannot open: {reason}"),
    QT_TRANSLATE_NOOP("errors", "The input ended before the {prompt} was typed. Run the command at a terminal, or pipe the answer in; scheduled jobs use STOCKFLOOR_TOKEN=<token> instead of a PIN (`stockfloor user token NAME`)."),
)


def set_language(code: str) -> str:
    """Use ``code`` for this command's messages; returns the language used."""
    language = code if code in LANGUAGES else SOURCE_LANGUAGE
    _language.set(language)
    return language


def language() -> str:
    return _language.get()


def translate(context: str, text: str) -> str:
    """``text`` in the current language; the English source when there is no translation."""
    current = _language.get()
    if current == SOURCE_LANGUAGE:
        return text
    return catalogue(current).get((context, text)) or text


def english_or(text: str | None) -> str | None:
    """A command's long description written as English reference text (a module's docstring):
    shown in English; in another language argparse shows the command's translated help line
    and its options instead (None: no description)."""
    return text if _language.get() == SOURCE_LANGUAGE else None


def error_text(error: StockfloorError) -> str:
    """A typed error as the window words it (app/ui/error_texts.py), in the current language."""
    template = translate(ERRORS, error.template)
    params = {name: _word(value) for name, value in error.params.items()}
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
        return str(error)


def _word(value: object) -> object:
    if not isinstance(value, str) or _language.get() == SOURCE_LANGUAGE:
        return value
    words = catalogue(_language.get())
    if (ERROR_WORDS, value) in words:
        return words[(ERROR_WORDS, value)]
    parts = value.split(" or ")
    if len(parts) > 1 and all((ERROR_WORDS, part) in words for part in parts):
        separator = words.get((ERROR_WORDS, " or "), " or ")
        return separator.join(words[(ERROR_WORDS, part)] for part in parts)
    return value


# --- argparse's own headings (argparse asks gettext, which has no catalogue for them) -----------
ARGPARSE_HEADINGS = (
    QT_TRANSLATE_NOOP("argparse", "usage: "),
    QT_TRANSLATE_NOOP("argparse", "positional arguments"),
    QT_TRANSLATE_NOOP("argparse", "options"),
    QT_TRANSLATE_NOOP("argparse", "show this help message and exit"),
    QT_TRANSLATE_NOOP("argparse", "show program's version number and exit"),
)


# --- argparse's own refusals (its words come from gettext, which has no catalogue for them) ---
_ARGPARSE = (
    (r"argument (?P<argument>\S+): (?P<message>.*)",
     QT_TRANSLATE_NOOP("cli", "argument {argument}: {message}")),
    (r"the following arguments are required: (?P<arguments>.*)",
     QT_TRANSLATE_NOOP("cli", "the following arguments are required: {arguments}")),
    (r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)",
     QT_TRANSLATE_NOOP("cli", "invalid choice: {value} (choose from {choices})")),
    (r"unrecognized arguments: (?P<arguments>.*)",
     QT_TRANSLATE_NOOP("cli", "unrecognized arguments: {arguments}")),
    (r"expected one argument", QT_TRANSLATE_NOOP("cli", "expected one argument")),
    (r"expected at least one argument", QT_TRANSLATE_NOOP("cli", "expected at least one argument")),
    (r"invalid (?P<type>\S+) value: (?P<value>.*)",
     QT_TRANSLATE_NOOP("cli", "invalid {type} value: {value}")),
    (r"not allowed with argument (?P<argument>.*)",
     QT_TRANSLATE_NOOP("cli", "not allowed with argument {argument}")),
    (r"one of the arguments (?P<arguments>.*) is required",
     QT_TRANSLATE_NOOP("cli", "one of the arguments {arguments} is required")),
)


def argparse_text(message: str) -> str:
    """argparse's English refusal in the current language (unknown ones stay English)."""
    import re  # argparse is loaded by then; the window's start does not need either

    for pattern, template in _ARGPARSE:
        found = re.fullmatch(pattern, message, re.S)
        if found:
            parts = {name: (argparse_text(value) if name == "message" else value)
                     for name, value in found.groupdict().items()}
            return translate("cli", template).format(**parts)
    return message


# --- the catalogues ---------------------------------------------------------------------
def catalogue_file(language: str) -> Path:
    name = f"stockfloor_{language}.ts"
    packaged = packaged_translations_dir() / name
    return packaged if packaged.exists() else source_translations_dir() / name


@cache
def catalogue(language: str) -> dict[tuple[str, str], str]:
    """(context, source) -> translation, finished singular messages only (the CLI words
    counts as "label: number", so it needs no plural forms)."""
    import xml.etree.ElementTree as ET  # only when a message is translated

    path = catalogue_file(language)
    if not path.exists():
        return {}
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if (message.get("numerus") == "yes" or translation is None or translation.get("type")
                    or not (translation.text or "").strip()):
                continue
            found[(name, message.findtext("source") or "")] = translation.text
    return found


# --- which language -----------------------------------------------------------------------
def resolve_language(option: str | None) -> str:
    """--language, else the workstation's setting, else the system's, else English."""
    for candidate in (option, configured_language(), system_language()):
        code = (candidate or "").split("_")[0].split(".")[0].split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return SOURCE_LANGUAGE


def settings_files() -> list[Path]:
    """Where Qt keeps the window's settings (app/ui/settings_store.py: IniFormat, UserScope,
    "Stockfloor"), the user's file first, then the per-machine one the installers write."""
    override = os.environ.get("STOCKFLOOR_SETTINGS")
    if override:
        return [Path(override)]
    if sys.platform == "win32":
        folders = [os.environ.get("APPDATA", ""), os.environ.get("PROGRAMDATA", "")]
    else:
        home_config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        system = (os.environ.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(":")
        folders = [home_config, *system]
    return [Path(folder) / "Stockfloor" / "Stockfloor.ini" for folder in folders if folder]


def configured_language() -> str:
    """The language chosen on the Settings screen ("" = the system's)."""
    import configparser  # not on the window's start-up path

    section, key = SETTINGS_KEY
    for path in settings_files():
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(path, encoding="utf-8")
        except (OSError, configparser.Error, UnicodeDecodeError):
            continue
        if parser.has_option(section, key):
            return parser.get(section, key).strip().strip('"')
    return ""


def system_language() -> str:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return value
    if sys.platform == "win32":  # no LANG there: the user's UI language
        import ctypes
        import locale

        return locale.windows_locale.get(ctypes.windll.kernel32.GetUserDefaultUILanguage(), "")
    return ""
