"""Reading a CSV import without a database: header, rows of typed cells (each read by
app.core.csv_cells), duplicates.

Problems are reported the way a spreadsheet shows the file: the header is row 1 and each
record is one row (even when a quoted cell spans several lines). Nothing here stops at the
first problem; the caller collects them all and writes nothing unless there are none.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from app.core.csv_cells import PARSERS, CellError, parse_cell, read_column
from app.core.errors import StockfloorError
from app.core.gs1_words import escaped, excerpt


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # one of app.core.csv_cells.CELL_TYPES
    meaning: str
    required: bool = False
    choices: tuple[str, ...] = ()
    default: object = None  # the value of a blank cell
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None  # None: what the database holds (csv_cells.INTEGER_LIMIT, DECIMAL_LIMIT)

    def type_text(self) -> str:
        """The accepted values in a few words, for --help and the README."""
        if self.type == "choice":
            return "one of " + "|".join(self.choices)
        if self.type == "boolean":
            return "yes/no"
        if self.type == "date":
            return "date YYYY-MM-DD"
        if self.type == "gtin":
            return "GTIN-8/12/13/14"
        if self.type == "barcodes":
            return "code:qty;code:qty"
        if self.type == "text" and self.max_length:
            return f"text, max {self.max_length}"
        if self.minimum is not None:
            return f"{self.type} >= {self.minimum:g}"
        return self.type


@dataclass(frozen=True, order=True)
class Problem:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        # Columns of JSON imports are the file's own keys: shown short and escaped.
        reason = escaped(self.reason)
        return f"row {self.row}, {excerpt(self.column, 40)}: {reason}" if self.column else f"row {self.row}: {reason}"


class ImportRejected(StockfloorError):
    """The file had problems; nothing was written. ``problems`` lists every one."""

    template = "{file}: {count} problem(s), nothing was imported."

    def __init__(self, problems: Sequence[Problem], **params: object) -> None:
        self.problems = sorted(problems)
        super().__init__(count=len(self.problems), **params)


@dataclass(slots=True)
class Row:
    """One record as read (not changed afterwards; slots and no frozen checks: a file makes
    hundreds of thousands, and each is made once when read and once when written)."""

    number: int  # spreadsheet row: the header is row 1
    values: dict[str, object]  # present, readable cells only (blank -> the column's default)
    invalid: frozenset[str] = frozenset()  # cells already reported as unreadable

    def get(self, name: str) -> object:
        return self.values.get(name)


@dataclass
class Table:
    header: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # What check() looked up, for apply(): plain data (a batched import pickles it between the
    # two; keys starting with "_" are left behind and worked out again).
    memo: dict[str, object] = field(default_factory=dict)
    shared: dict = field(default_factory=dict)  # one dict for every batch of a file (read_batches)

    def seen(self, name: str) -> dict:
        """What earlier rows of the file had, by ``name`` (shared by every batch of the file)."""
        return self.shared.setdefault(("seen", name), {})

    def has(self, column: str) -> bool:
        """True when the file has this column: absent columns leave existing values alone."""
        return column in self.header


def decode(data: bytes, file: str) -> str:
    """UTF-8 text (a byte-order mark is fine); anything else is refused with the line and
    column (in characters) of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        header_line = data[:4096].split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
        raise ImportRejected([_not_utf8(row, data[line_start:], exc.start - line_start, header_line)],
                             file=file) from exc


def _not_utf8(row: int, line: bytes, at: int, header_line: str) -> Problem:
    before = line[:at].decode("utf-8-sig", errors="replace")
    return Problem(row, _column_at(header_line, before),
                   f"byte 0x{line[at]:02x} at character {len(before) + 1} is not UTF-8 text "
                   "(save the file as 'CSV UTF-8')")


def _column_at(header_line: str, line_before: str) -> str:
    """The header name of the cell that ``line_before`` (a line up to a point) ends in."""
    delimiter = ";" if ";" in header_line and "," not in header_line else ","
    header = next(csv.reader([header_line], delimiter=delimiter), [])
    position = len(next(csv.reader([line_before], delimiter=delimiter), [""])) - 1
    position = max(position, 0)
    return header[position].strip().lower() if position < len(header) else f"column {position + 1}"


def decoded_lines(stream: Iterable[bytes], file: str) -> Iterator[str]:
    """The lines of a binary stream as text, one at a time (a file is never read whole).
    A byte that is not UTF-8 stops the import with its line and column, as decode() does."""
    header_line = ""
    for number, raw in enumerate(stream, start=1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise ImportRejected([_not_utf8(number, raw, exc.start, header_line)], file=file) from exc
        if number == 1:
            header_line = line.split("\n", 1)[0]
        yield line


def read_table(text: str, columns: Sequence[Column]) -> Table:
    """Parse every record into typed values, collecting every problem on the way."""
    return next(read_batches(io.StringIO(text.removeprefix("\ufeff"), newline=""), columns, size=None))


def read_batches(lines: Iterable[str], columns: Sequence[Column], size: int | None = 5000) -> Iterator[Table]:
    """The file as Tables of at most ``size`` rows (None: one Table), read as they are
    needed: memory holds one batch, whatever the file's length. The Tables of one file
    share ``shared`` (what every row so far had, for duplicates across batches). The first
    Table carries the header's problems; when there are any, it is the only one."""
    lines = iter(lines)
    first_line = next(lines, "")
    if not first_line.strip():
        yield Table((), problems=[Problem(1, "", "the file is empty: a header row is required")])
        return
    # Spreadsheets in many European locales save with semicolons; the header tells which.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    records = csv.reader(itertools.chain([first_line], lines), delimiter=delimiter)
    header = tuple(name.strip().lower() for name in next(records))
    shared: dict = {}
    table = Table(header, problems=_header_problems(header, columns), shared=shared)
    if table.problems:
        yield table
        return
    by_name = {column.name: column for column in columns}
    number, rows_seen = 1, 0
    block: list[tuple[int, list[str]]] = []  # records read, parsed together (_read_block)
    add, join = block.append, "".join
    wanted = BLOCK if size is None else min(BLOCK, size)  # records until the block is parsed
    try:
        for number, cells in enumerate(records, start=2):
            if join(cells).strip():  # blank lines carry nothing
                add((number, cells))
                if len(block) >= wanted:
                    rows_seen += len(block)
                    table.rows += _read_block(block, header, by_name, table.problems)
                    block.clear()
                    if size is not None and len(table.rows) >= size:
                        yield table
                        table = Table(header, shared=shared)
                    wanted = BLOCK if size is None else min(BLOCK, size - len(table.rows))
    except csv.Error as exc:  # e.g. a NUL byte: the rest of the file cannot be trusted
        table.problems.append(Problem(number + 1, "", f"cannot be read as CSV: {exc}"))
    rows_seen += len(block)
    table.rows += _read_block(block, header, by_name, table.problems)
    if not rows_seen and not table.problems:
        table.problems.append(Problem(1, "", "the file has a header but no rows"))
    if table.rows or table.problems:
        yield table


def _header_problems(header: tuple[str, ...], columns: Sequence[Column]) -> list[Problem]:
    known = {column.name for column in columns}
    problems = [
        Problem(1, column.name, "required column is missing")
        for column in columns
        if column.required and column.name not in header
    ]
    seen: set[str] = set()
    for name in header:
        if name and name not in known:
            problems.append(Problem(1, name, "unknown column (known: " + ", ".join(sorted(known)) + ")"))
        elif name and name in seen:
            problems.append(Problem(1, name, "column appears twice"))
        seen.add(name)
    return problems


BLOCK = 1000  # records parsed together, a column at a time
_FAILED = object()  # a cell that could not be read (reported as a problem)


def _read_block(block: list[tuple[int, list[str]]], header: tuple[str, ...],
                by_name: dict[str, Column], problems: list[Problem]) -> list[Row]:
    """The records of ``block`` as Rows, a column at a time: when a whole column is valid
    (checked with C-level map/regex passes, read_column), its values are taken at once; otherwise
    that column is read cell by cell, each problem with its row and column. Same values,
    same problems as _read_row (which takes the records that do not match the header)."""
    width = len(header)
    if not block or not all(header) or any(len(cells) != width for _, cells in block):
        return [_read_row(number, header, cells, by_name, problems) for number, cells in block]
    numbers = [number for number, _ in block]
    columns = []
    failed: set[int] = set()  # rows with an unreadable cell
    for name, raw in zip(header, zip(*(cells for _, cells in block), strict=True), strict=True):
        column = by_name[name]
        values = read_column(column, list(map(str.strip, raw)))
        if values is None:
            values = []
            for number, cell in zip(numbers, raw, strict=True):
                try:
                    values.append(parse_cell(column, cell))
                except CellError as exc:
                    values.append(_FAILED)
                    failed.add(number)
                    problems.append(Problem(number, name, str(exc)))
        columns.append(values)
    if not failed:
        return [Row(number, dict(zip(header, values)), _VALID) for number, values in zip(numbers, zip(*columns))]
    rows = []
    for number, values in zip(numbers, zip(*columns, strict=True), strict=True):
        if number in failed:
            rows.append(Row(number, {n: v for n, v in zip(header, values, strict=True) if v is not _FAILED},
                            frozenset(n for n, v in zip(header, values, strict=True) if v is _FAILED)))
        else:
            rows.append(Row(number, dict(zip(header, values, strict=True)), _VALID))
    return rows


def _read_row(number: int, header: tuple[str, ...], cells: list[str],
              by_name: dict[str, Column], problems: list[Problem]) -> Row:
    values: dict[str, object] = {}
    invalid: set[str] = set()
    for position, (name, raw) in enumerate(zip(header, cells)):
        if not name:
            if raw.strip():  # spreadsheets add unnamed empty columns; a value there is lost data
                problems.append(Problem(number, f"column {position + 1}", "value in a column without a header"))
            continue
        column = by_name[name]
        text = raw.strip()
        try:
            if text:  # parse_cell, inlined: this loop runs for every cell of a file
                values[name] = PARSERS[column.type](column, text)
            elif column.required:
                raise CellError("required, but empty")
            else:
                values[name] = column.default
        except CellError as exc:
            invalid.add(name)
            problems.append(Problem(number, name, str(exc)))
    for position in range(len(header), len(cells)):  # cells beyond the header
        if cells[position].strip():
            problems.append(Problem(number, f"column {position + 1}", "value in a column without a header"))
    for name in header[len(cells):]:  # short rows: the missing cells are blank
        if name:
            _read_cell(number, by_name[name], "", values, invalid, problems)
    return Row(number, values, frozenset(invalid) if invalid else _VALID)


_VALID: frozenset[str] = frozenset()


def _read_cell(number: int, column: Column, raw: str, values: dict[str, object], invalid: set[str],
               problems: list[Problem]) -> None:
    try:
        values[column.name] = parse_cell(column, raw)
    except CellError as exc:
        invalid.add(column.name)
        problems.append(Problem(number, column.name, str(exc)))


def duplicates(rows: Iterable[Row], column: str, key: Callable[[Row], Hashable | None] | None = None,
               what: str | None = None, first: dict[Hashable, int] | None = None) -> list[Problem]:
    """A problem for each row whose key an earlier row already has. ``first`` (a Table's
    ``seen``) carries the keys of earlier batches of the same file."""
    key = key or (lambda row: row.get(column))
    first = {} if first is None else first
    problems = []
    for row in rows:
        value = key(row)
        if value is None:
            continue
        if value in first:
            problems.append(Problem(row.number, column, f"{what or value} is already on row {first[value]}"))
        else:
            first.setdefault(value, row.number)
    return problems
