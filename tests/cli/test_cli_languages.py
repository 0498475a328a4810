"""The command line speaks en, de, es and pl: every message it prints is in every catalogue,
no message bypasses the catalogue, and the language comes from --language, the workstation's
setting or the system, in that order."""

from __future__ import annotations

import argparse
import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import app.cli
from app.cli import words
from app.core.errors import StockfloorError

CLI_DIR = Path(app.cli.__file__).parent
TRANSLATED = ("de", "es", "pl")
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
MARKERS = ("translate", "QT_TRANSLATE_NOOP")


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            yield name, node


def cli_messages() -> set[tuple[str, str]]:
    """(context, source) of every translate(...) / QT_TRANSLATE_NOOP(...) in app/cli."""
    found = set()
    for path in sorted(CLI_DIR.glob("*.py")):
        for name, call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            if name in MARKERS and len(call.args) >= 2 and all(
                    isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in call.args[:2]):
                found.add((call.args[0].value, call.args[1].value))
    return found


def error_templates() -> set[str]:
    """The template of every typed error the commands can print (app.core, app.services, app.cli)."""
    for package in ("app.cli", "app.services"):
        root = importlib.import_module(package)
        for module in pkgutil.walk_packages(root.__path__, package + "."):
            importlib.import_module(module.name)
    seen, todo = set(), [StockfloorError]
    while todo:
        cls = todo.pop()
        seen.add(cls.template)
        todo.extend(cls.__subclasses__())
    return seen


def test_the_cli_has_messages_in_its_own_context():
    messages = cli_messages()
    assert len([m for m in messages if m[0] == "cli"]) > 60
    assert ("errors", words.CLI_ERROR_TEMPLATES[0]) in messages


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_cli_message_and_error_is_translated(language):
    catalogue = words.catalogue(language)
    wanted = cli_messages() | {("errors", template) for template in error_templates()}
    missing = sorted(f"{context}: {source!r}" for context, source in wanted if (context, source) not in catalogue)
    assert not missing, (f"translate these in translations/stockfloor_{language}.ts (README, Translations):\n"
                         + "\n".join(missing))
    lost = [f"{source!r} -> {catalogue[(context, source)]!r}" for context, source in wanted
            if sorted(set(PLACEHOLDER.findall(source))) != sorted(set(PLACEHOLDER.findall(catalogue[(context, source)])))]
    assert not lost, "placeholders differ:\n" + "\n".join(lost)


# Calls whose text reaches the operator; their words must come from translate(...).
SHOWN = {"print", "note", "ArgumentTypeError", "getpass", "ask_secret"}
# InvalidInput(field=..., reason=...), and argparse's --help texts
SHOWN_KEYWORDS = {"reason", "help", "description", "epilog", "title"}
WORD = re.compile(r"[A-Za-z]{3,}")


def _literal_words(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if WORD.search(node.value) else []
    if isinstance(node, ast.JoinedStr):
        return [part.value for part in node.values
                if isinstance(part, ast.Constant) and isinstance(part.value, str) and WORD.search(part.value)]
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) + _literal_words(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_words(node.body) + _literal_words(node.orelse)
    return []


def test_no_command_prints_words_past_the_catalogue():
    bypass = []
    for path in sorted(CLI_DIR.glob("*.py")):
        for name, call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            shown = call.args[:1] if name in SHOWN else []
            shown += [keyword.value for keyword in call.keywords if keyword.arg in SHOWN_KEYWORDS]
            for node in shown:
                for text in _literal_words(node):
                    if text.strip() not in {"stockfloor:", ""}:
                        bypass.append(f"{path.name}:{call.lineno}: {text!r}")
    assert not bypass, "wrap these in translate(\"cli\", ...) (app/cli/words.py):\n" + "\n".join(bypass)


# Services' own English lines: the CLI words their typed results instead (database.describe()
# is a URL, not a sentence).
ENGLISH_LINES = {"describe", "summary"}


def test_no_command_prints_a_services_english_line():
    found = []
    for path in sorted(CLI_DIR.glob("*.py")):
        for name, call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
            english = name in ENGLISH_LINES and not (isinstance(receiver, ast.Name) and receiver.id == "database")
            if english and not _in_english_branch(path, call):
                found.append(f"{path.name}:{call.lineno}: {ast.unparse(call)}")
    assert not found, "word these in the CLI through translate(\"cli\", ...):\n" + "\n".join(found)


def _in_english_branch(path: Path, call: ast.Call) -> bool:
    """``if language() == SOURCE_LANGUAGE: return summary.describe()``: the service's plural-aware
    English line, used only when English is the language."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.If) and "SOURCE_LANGUAGE" in ast.unparse(node.test)
                and any(call.lineno == inner.lineno for stmt in node.body for inner in ast.walk(stmt)
                        if isinstance(inner, ast.Call))):
            return True
    return False


# --- a real run in German ------------------------------------------------------------------
def test_db_check_speaks_german(database, warehouse, cli):
    result = cli("--language", "de", "--database", database.url, "db", "check")
    assert result.code == 0
    assert result.out.splitlines()[0] == ("Bestandsbuch stimmig: Bestandszeilen: 0, Buchungen: 0; "
                                          "die Belegzähler stimmen überein")
    assert result.out.splitlines()[1].startswith("Hash-Kette intakt: verkettete Zeilen: ")


def test_scan_info_speaks_german_and_polish(database, warehouse, cli):
    """Every line scan-info prints, the scan's fields and the database's answer, in the language."""
    milk = "]C10109501101530003" "10LOT7<GS>17271231"
    result = cli("--language", "de", "--database", database.url, "scan-info", milk)
    assert (result.code, result.out) == (0, "roh: ]C10109501101530003" "10LOT7<GS>17271231\n"
                                            "Art: GS1-Datenstring\n"
                                            "Symbologie-Kennung: ]C1\n"
                                            "GTIN: 09501101530003\n"
                                            "Charge: LOT7\n"
                                            "Verfallsdatum: 2027-12-31\n"
                                            "Datenbank: Artikel MILK (Milk 1 l), chargengeführt\n")
    location = cli("--language", "pl", "--database", database.url, "scan-info", "A-01-01")
    assert location.out.splitlines()[1:] == ["rodzaj: tekst", "kod: A-01-01",
                                             "baza danych: lokalizacja A-01-01 (składowanie), cyfry kontrolne 10"]
    wrong = "4006381333932"  # a GTIN-13 with a wrong check digit: the problem as the window words it
    bad = cli("--language", "es", "--database", database.url, "scan-info", wrong)
    problem = [line for line in bad.out.splitlines() if line.startswith("problema: ")]
    assert bad.code == 1 and problem and "GTIN" in problem[0] and " is " not in problem[0]


def test_db_check_words_document_counters_and_chain_findings(database, warehouse, cli):
    from tests.cli.test_tamper_evidence import _bypass
    from tests.services.test_integrity import corrupt
    from tests.services.test_orders_support import put_stock
    from tests.services.test_picking import released

    put_stock(database, warehouse, "WIDGET", "A-01-01", 20)
    released(database, warehouse, {"WIDGET": 5})
    corrupt(database, "UPDATE on_hand SET reserved = 8 WHERE reserved = 5")
    _bypass(database, "UPDATE moves SET workstation = 'X' WHERE id = 1")
    result = cli("--language", "de", "--database", database.url, "db", "check")
    assert result.code == 1
    assert result.out.splitlines() == [
        "Bestand A-01-01, WIDGET: reserviert (Zuteilungen + zurückgehaltene Retouren) 8, laut Bestandsbuch 5",
        "Belegzähler, die nicht zum Bestandsbuch passen: 1",
        "moves, Zeile 1: nach dem Schreiben geändert",
        "Manipulationsbefunde in moves, audit_log und scan_journal: 1",
    ]


def test_import_summaries_in_spanish_and_polish(database, warehouse, cli, tmp_path, monkeypatch):
    from tests.cli.test_stock_import_command import FILE, _admin_token

    token, _ = _admin_token(database)
    monkeypatch.setenv("STOCKFLOOR_TOKEN", token)
    orders = tmp_path / "po.csv"
    orders.write_text("number,supplier,line_no,sku,quantity\nPO-9,Tea Ltd,1,WIDGET,12\nPO-9,Tea Ltd,2,MILK,3\n",
                      encoding="utf-8")
    result = cli("--language", "es", "--database", database.url, "import", "purchase-orders", orders, "--dry-run")
    assert (result.code, result.out) == (0, "po.csv: filas válidas: 2; pedidos: se crearían 1 y se actualizarían 0. "
                                            "Prueba: no se escribió nada. (líneas: 2)\n")
    stock = tmp_path / "stock.csv"
    stock.write_text(FILE, encoding="utf-8")
    result = cli("--language", "pl", "--database", database.url, "import", "stock", stock)
    assert (result.code, result.out) == (0, "stock.csv: zaimportowane wiersze: 2; przyjęto sztuk: 42, wydano: 0 "
                                            "(nowe partie: 1, nowe nośniki: 0).\n")


def test_every_importers_noun_and_detail_is_worded():
    from app.cli import importing
    from app.services.imports import importers

    assert {spec.noun for spec in importers().values()} <= set(importing.NOUNS)
    words.set_language("de")
    try:
        assert importing.detail_text("12 lines") == "Positionen: 12"
        assert importing.detail_text("3 new barcodes") == "neue Barcodes: 3"
    finally:
        words.set_language("en")


def test_a_refusal_is_one_line_in_the_chosen_language(tmp_path, cli):
    missing = tmp_path / "nowhere.sqlite"
    result = cli("--language", "pl", "--database", missing, "export", "stock", tmp_path / "s.csv")
    assert result.code == 2
    assert result.err == (f"stockfloor: W {missing} nie ma bazy danych. `stockfloor db upgrade` tworzy pustą, "
                          "`stockfloor demo` magazyn demonstracyjny.\n")
    assert not missing.exists()


def test_argument_checks_and_conflicts_are_translated(tmp_path, cli):
    result = cli("--language", "es", "--demo", "--database", tmp_path / "x.sqlite", "db", "info")
    assert (result.code, result.err) == (2, "stockfloor: --demo y --database se excluyen mutuamente\n")
    result = cli("--language", "de", "--database", tmp_path / "d.sqlite", "demo", "--products", "0")
    assert result.code == 2
    assert "muss zwischen 1 und " in result.err and ", nicht 0" in result.err
    assert not (tmp_path / "d.sqlite").exists()


def test_allocate_and_release_summaries_in_spanish(database, warehouse, cli, monkeypatch):
    monkeypatch.setenv("STOCKFLOOR_TOKEN", "")
    result = cli("--language", "es", "--database", database.url, "waves", "release")
    assert (result.code, result.err) == (0, "ningún pedido asignado coincide: no se liberó nada\n")


def test_typed_errors_use_the_windows_words(database, cli, tmp_path):
    bad = tmp_path / "p.csv"
    bad.write_text("sku,name\n,Nameless\n", encoding="utf-8")
    result = cli("--language", "de", "--database", database.url, "import", "products", bad)
    assert result.code == 1
    first, verdict = result.err.splitlines()[0], result.err.splitlines()[-1]
    assert first.startswith("Zeile 2, sku: ")
    assert verdict == words.catalogue("de")[("errors", "{file}: {count} problem(s), nothing was imported.")].format(
        file="p.csv", count=1)


# --- --help ------------------------------------------------------------------------------
def _help_texts(parser: argparse.ArgumentParser, path: str = "stockfloor") -> dict[str, str]:
    """Every text --help shows, by where it is: descriptions, epilogs, headings, option help."""
    texts = {f"{path} description": parser.description, f"{path} epilog": parser.epilog,
             f"{path} usage": parser.format_usage().split("stockfloor")[0]}
    for number, group in enumerate(parser._action_groups):
        texts[f"{path} heading {number}"] = group.title
    for action in parser._actions:
        texts[f"{path} {'/'.join(action.option_strings) or action.dest}"] = action.help
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                texts[f"{path} {choice.dest}"] = choice.help
            for name, sub in action.choices.items():
                texts.update(_help_texts(sub, f"{path} {name}"))
    return {where: text for where, text in texts.items() if text and WORD.search(text)}


# Help that names what is typed, the same in every language.
TYPED = {"stockfloor print labels kind"}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_help_text_is_translated(language):
    """Each command's and option's help, the headings and usage: in the language, none left English
    (a command's long English description is replaced by its translated help line)."""
    from app.cli import build_parser

    english = _help_texts(build_parser())
    words.set_language(language)
    try:
        translated = _help_texts(build_parser())
    finally:
        words.set_language("en")
    assert translated.keys() <= english.keys()
    assert len(translated) > 150
    same = sorted(where for where, text in translated.items() if text == english[where] and where not in TYPED)
    assert not same, f"--help still English in {language}:\n" + "\n".join(f"{w}: {english[w]!r}" for w in same)
    missing = sorted(where for where in english.keys() - translated.keys() if not where.endswith(" description"))
    assert not missing, f"--help lost these in {language}: {missing}"


def test_help_speaks_german_polish_and_spanish(cli):
    result = cli("--language", "de", "--help")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("Aufruf: stockfloor [-h]")
    assert "Positionsargumente:" in lines and "Optionen:" in lines and "Exit-Codes:" in lines
    assert "  -h, --help            diese Hilfe zeigen und beenden" in lines
    assert "    demo                eine leere Datenbank mit einem Demolager füllen" in lines
    check = cli("--language", "pl", "db", "check", "--help").out
    assert check.startswith("użycie: stockfloor db check [-h]") and check.count("opcje:") == 1
    assert "  --database TARGET     plik SQLite albo adres postgresql://\n" in check
    products = cli("--language", "es", "import", "products", "--help").out
    assert products.startswith("uso: stockfloor import products")
    assert "comprobar cada fila e informar de lo que cambiaría" in products and "\ncolumnas:\n" in products
    assert "argumentos posicionales:" in products


# --- which language ------------------------------------------------------------------------
def test_the_option_wins_then_the_workstation_setting_then_the_system(tmp_path, monkeypatch):
    from app.ui.settings_store import settings_in_file  # the window's own store writes the file

    ini = tmp_path / "Stockfloor.ini"
    settings_in_file(ini).update(language="pl")
    monkeypatch.setenv("STOCKFLOOR_SETTINGS", str(ini))
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert words.resolve_language("es") == "es"
    assert words.resolve_language(None) == "pl"
    settings_in_file(ini).update(language="")  # "" = follow the system
    assert words.resolve_language(None) == "de"
    monkeypatch.setenv("LC_ALL", "C")
    assert words.resolve_language(None) == "en"


def test_the_users_settings_file_then_the_machines(tmp_path, monkeypatch):
    monkeypatch.delenv("STOCKFLOOR_SETTINGS", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "machine"))
    machine = tmp_path / "machine" / "Stockfloor" / "Stockfloor.ini"
    machine.parent.mkdir(parents=True)
    machine.write_text("[ui]\nlanguage=es\n", encoding="utf-8")
    assert words.configured_language() == "es"
    user = tmp_path / "user" / "Stockfloor" / "Stockfloor.ini"
    user.parent.mkdir(parents=True)
    user.write_text("[database]\ntarget=/srv/x.sqlite\n\n[ui]\nlanguage=de\n", encoding="utf-8")
    assert words.configured_language() == "de"


def test_the_configured_language_is_used_by_a_command(database, warehouse, cli, tmp_path, monkeypatch):
    ini = tmp_path / "ws.ini"
    ini.write_text("[ui]\nlanguage=pl\n", encoding="utf-8")
    monkeypatch.setenv("STOCKFLOOR_SETTINGS", str(ini))
    result = cli("--database", database.url, "db", "check")
    assert result.out.startswith("księga zgodna: wiersze stanów: 0, ruchy: 0;")
    assert words.language() == "en"  # the next in-process command starts afresh


def test_the_build_ships_the_catalogues_the_command_line_reads(tmp_path):
    from setup import compile_translations

    compile_translations(Path(app.cli.__file__).parents[2] / "translations", tmp_path)
    assert sorted(path.name for path in tmp_path.glob("*.ts")) == [f"stockfloor_{x}.ts" for x in TRANSLATED]
    assert sorted(path.name for path in tmp_path.glob("*.qm")) == [f"stockfloor_{x}.qm" for x in TRANSLATED]


def test_argparse_refusals_are_translated_too(tmp_path, cli):
    result = cli("--language", "de", "--database", tmp_path / "x.sqlite", "import", "products")
    assert result.code == 2
    assert result.err.splitlines()[-1] == "stockfloor import products: Fehler: diese Argumente fehlen: FILE.csv"
    result = cli("--language", "pl", "--database", tmp_path / "x.sqlite", "waves", "release", "--mode", "wide")
    assert result.err.splitlines()[-1] == ("stockfloor waves release: błąd: argument --mode: nieprawidłowy wybór: "
                                           "'wide' (do wyboru: 'single', 'batch')")
    assert not (tmp_path / "x.sqlite").exists()


def test_the_command_line_reads_the_file_qt_writes(tmp_path):
    """The user's settings file the window's QSettings uses is the first one words.py reads
    (asked in a fresh process: Qt fixes its settings folders once per process)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"), QT_QPA_PLATFORM="offscreen")
    env.pop("STOCKFLOOR_SETTINGS", None)
    script = ("from PySide6.QtCore import QSettings\n"
              "from app.ui.settings_store import user_settings\n"
              "user_settings().update(language='es')\n"
              "print(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, 'Stockfloor', 'Stockfloor')"
              ".fileName())\n"
              "from app.cli import words\n"
              "print(words.settings_files()[0])\n"
              "print(words.configured_language())\n")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                          cwd=Path(app.cli.__file__).parents[2])
    qt_file, our_file, language = done.stdout.split()
    assert qt_file == our_file == str(tmp_path / "config" / "Stockfloor" / "Stockfloor.ini")
    assert language == "es"


# --- the reasons inside rejected import rows ----------------------------------------------
APP_DIR = CLI_DIR.parent
REASON_SOURCES = (
    "core/csv_rules.py", "core/putaway_rules.py", "core/replenishment_rules.py", "core/routing/layout.py",
    *sorted(str(path.relative_to(APP_DIR)) for path in (APP_DIR / "services" / "imports").glob("*.py")),
    "services/replenishment/faces.py", "services/waves/layout.py",
)


def _sample(node: ast.AST) -> str | None:
    """The English a reason expression makes, with a made-up value for each piece of data
    (None: not words written here, e.g. ``str(exc)``, whose words are found where they are made)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else f"X{index}"
                       for index, part in enumerate(node.values))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _sample(node.left), _sample(node.right)
        if left is None and right is None:
            return None
        return (left if left is not None else "X") + (right if right is not None else "X")
    return None


def row_reasons() -> list[tuple[str, int, str]]:
    """(file, line, sample) of every reason an importer can give a row: Problem(row, column,
    reason), CellError(reason), InvalidFloorLayout(reason) of a layout's own checks (the ones
    a layout import runs), and the
    (field, reason) pairs and reasons the rules return (rule_problems, levels_problem, gtin_problem)."""
    found = []
    for name in REASON_SOURCES:
        tree = ast.parse((APP_DIR / name).read_text(encoding="utf-8"))
        nodes = []
        for call_name, call in _calls(tree):
            if call_name == "Problem" and len(call.args) >= 3:
                nodes.append(call.args[2])
            elif call_name == "CellError" and call.args:
                nodes.append(call.args[0])
            elif call_name == "duplicates":  # "{what} is already on row N"
                nodes += [ast.Constant(f"{keyword.value.value} is already on row 2", lineno=call.lineno)
                          for keyword in call.keywords if keyword.arg == "what"
                          and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str)]
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef) and function.name == "__post_init__":
                nodes += [call.args[0] for call_name, call in _calls(function)
                          if call_name == "InvalidFloorLayout" and call.args]
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef) and function.name.endswith(("_problem", "_problems")):
                for node in ast.walk(function):
                    if isinstance(node, ast.Tuple) and len(node.elts) == 2:
                        nodes.append(node.elts[1])
                    elif isinstance(node, ast.Return) and isinstance(node.value, (ast.Constant, ast.JoinedStr)):
                        nodes.append(node.value)
        found += [(name, node.lineno, sample) for node in nodes
                  if (sample := _sample(node)) is not None and sample]
    return found


def test_every_row_reason_has_a_template():
    from app.cli import reasons

    found = row_reasons()
    assert len(found) > 100  # the walk sees the importers (a guard against a walk that finds nothing)
    missing = [f"{name}:{line}: {sample!r}" for name, line, sample in found if reasons.template_of(sample) is None]
    assert not missing, "reasons without a template in app/cli/reasons.py:\n" + "\n".join(missing)
    # a duplicate's English "what" is words, not data: each has a template of its own
    whats = [sample for _, _, sample in found if sample.endswith(" is already on row 2") and sample[0].islower()]
    assert whats and all(reasons.template_of(sample)[1] == {"row": "2"} for sample in whats)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_row_reason_reads_in_every_language(language):
    from app.cli import reasons

    catalogue = words.catalogue(language)
    assert not [template for template in reasons.TEMPLATES if (reasons.CONTEXT, template) not in catalogue]
    words.set_language(language)
    try:
        english = [sample for _, _, sample in row_reasons() if reasons.reason_text(sample) == sample]
    finally:
        words.set_language("en")
    assert not english


def test_a_rejected_import_names_row_column_and_reason_in_german_and_polish(database, warehouse, cli, tmp_path,
                                                                             monkeypatch):
    from tests.cli.test_stock_import_command import _admin_token

    token, _ = _admin_token(database)
    monkeypatch.setenv("STOCKFLOOR_TOKEN", token)
    products = tmp_path / "products.csv"
    products.write_text("sku,name,case_qty,expiry_tracked\nNEW-1,Tea,abc,vielleicht\nNEW-2,Milk,6,no,extra\n",
                        encoding="utf-8")
    result = cli("--language", "de", "--database", database.url, "import", "products", products)
    assert result.code == 1
    lines = result.err.splitlines()
    assert "Zeile 2, case_qty: „abc“ ist keine ganze Zahl" in lines
    assert "Zeile 2, expiry_tracked: „vielleicht“ ist weder yes noch no" in lines
    assert "Zeile 3, Spalte 5: Wert in einer Spalte ohne Überschrift" in lines
    assert lines[-1] == "products.csv: 4 Problem(e), nichts wurde importiert."
    products.write_bytes(b"sku,name\nNEW-3,Sugar\xff\n")  # a byte that is not UTF-8
    result = cli("--language", "de", "--database", database.url, "import", "products", products)
    assert result.err.splitlines()[0] == ("Zeile 2, name: Byte 0xff an Zeichen 12 ist kein UTF-8-Text "
                                          "(Datei als „CSV UTF-8“ speichern)")
    stock = tmp_path / "stock.csv"
    stock.write_text("sku,location,quantity\nNOPE,A-01-01,5\nWIDGET,NOWHERE,0\n", encoding="utf-8")
    result = cli("--language", "pl", "--database", database.url, "import", "stock", stock)
    assert result.code == 1
    lines = result.err.splitlines()
    assert "wiersz 2, sku: brak produktu NOPE (najpierw zaimportuj produkty)" in lines
    assert "wiersz 3, location: brak lokalizacji NOWHERE (najpierw zaimportuj lokalizacje)" in lines
    assert not [line for line in lines if "import products first" in line or "import locations first" in line]


def _all_columns():
    from app.services.imports import importers, stock
    from app.services.imports import returns as returns_import
    from app.services.waves import layout

    columns = [column for spec in importers().values() for column in spec.columns]
    return columns + list(stock.COLUMNS) + list(layout.COLUMNS) + list(returns_import.CSV_COLUMNS)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_import_column_is_described_in_every_language(language):
    from app.cli import columns

    described = _all_columns()
    assert not [column.meaning for column in described if column.meaning not in columns.MEANINGS]
    words.set_language(language)
    try:
        english = [column.meaning for column in described if columns.meaning_text(column) == column.meaning]
        types = {column.type_text(): columns.type_text(column) for column in described}
    finally:
        words.set_language("en")
    assert not english
    # words are translated (Spanish "decimal" is the same word); yes/no and formats are what the file holds
    unchanged = {text for text, shown in types.items() if text == shown}
    assert unchanged - {"decimal", "decimal >= 0"} <= {"yes/no", "GTIN-8/12/13/14", "code:qty;code:qty"}


def test_import_help_lists_the_columns_in_german_and_polish(cli):
    products = cli("--language", "de", "import", "products", "--help").out
    assert "\nSpalten:\n" in products
    assert "  sku (erforderlich, Text, max. 64)\n      Artikelnummer (SKU). Der Schlüssel:" in products
    assert "  expiry_tracked (optional, yes/no)\n" in products
    layout = cli("--language", "pl", "import", "layout", "--help").out
    assert "wymagane. Co opisuje wiersz." in layout
    assert "What the row describes." not in layout


def test_a_reasons_own_words_are_translated_and_its_data_kept():
    from app.cli.reasons import reason_text

    words.set_language("de")
    try:
        assert reason_text("PO-7 is partially received and cannot be replaced") == \
            "PO-7 ist teilweise eingegangen und kann nicht ersetzt werden"
        assert reason_text("TEA-1 is serial tracked: a serial number is required") == \
            "TEA-1 wird nach Seriennummer geführt: eine Seriennummer ist erforderlich"
        assert reason_text("must be integer >= 1") == "erwartet: ganze Zahl >= 1"
        assert reason_text("this SKU is already on row 4") == "diese SKU steht schon in Zeile 4"
        assert reason_text("no location A-01 (import locations first)") == \
            "kein Lagerplatz A-01 (zuerst Lagerplätze importieren)"
        assert reason_text("something no importer says") == "something no importer says"
    finally:
        words.set_language("en")
    assert reason_text("must be integer >= 1") == "must be integer >= 1"
