"""CSV imports: products, locations, users, purchase orders, and the workflows' own
(bin capacities, put-away rules), all listed by importers().

All or nothing: every row is checked first (types, choices, GTIN check digits, duplicates
inside the file and against the database, references); if anything is wrong, ImportRejected
lists every problem with its spreadsheet row and column, and nothing is written. Otherwise
the whole file lands in one transaction. A key that already exists (SKU, location code,
username, order number) updates that record; columns left out of the file leave its fields
alone, a blank cell resets the field. Barcodes are added or updated, never removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.core.actor import Actor
from app.core.csv_rules import ImportRejected, decode, read_table
from app.core.errors import InvalidInput
from app.core.permissions import require, use_case
from app.db.uow import UnitOfWork
from app.services import audit
from app.services.imports import locations, products, purchase_orders, users
from app.services.imports.common import Importer, read_import_file

__all__ = ["ImportRejected", "ImportSummary", "column_help", "import_csv", "importers"]


def importers() -> dict[str, Importer]:
    """Every CSV import by kind, in the order --help lists them."""
    # Workflow modules build their importers on app.services.imports.common: importing them
    # at the top of this package would be circular.
    from app.services.imports import putaway as putaway_import
    from app.services.replenishment import faces
    return {
        importer.kind: importer
        for importer in (products.IMPORTER, locations.IMPORTER, users.IMPORTER, purchase_orders.IMPORTER,
                         putaway_import.CAPACITY_IMPORTER, putaway_import.RULE_IMPORTER, faces.IMPORTER)
    }


@dataclass(frozen=True)
class ImportSummary:
    kind: str
    file: str
    rows: int
    created: int
    updated: int
    detail: str
    dry_run: bool

    def describe(self) -> str:
        noun = importers()[self.kind].noun
        rows = f"{self.rows} row{'s' if self.rows != 1 else ''}"
        if self.dry_run:
            text = f"{self.file}: {rows} valid; would create {self.created} and update {self.updated} {noun}"
        else:
            text = f"{self.file}: {rows} imported; {noun}: {self.created} created, {self.updated} updated"
        text += f" ({self.detail})" if self.detail else ""
        return text + (". Dry run: nothing was written." if self.dry_run else ".")


@use_case("import_csv")
def import_csv(uow: UnitOfWork, kind: str, path: Path, *, actor: Actor, dry_run: bool = False) -> ImportSummary:
    """Check every row of ``path``, then write all of it in one transaction (or nothing).
    A dry run does the whole import and rolls it back."""
    if kind == "users":
        require(actor, "import_users")  # accounts and roles: the admin alone
    importer = importers().get(kind)
    if importer is None:
        raise InvalidInput(field="kind", reason=f"'{kind}' is not one of {', '.join(importers())}")
    table = read_table(decode(read_import_file(path), path.name), importer.columns)
    problems = table.problems + importer.check(uow.session, table)
    if problems:
        raise ImportRejected(problems, file=path.name)
    counts = importer.apply(uow.session, table)
    summary = ImportSummary(kind, path.name, len(table.rows), counts.created, counts.updated,
                            counts.detail, dry_run)
    if dry_run:
        uow.rollback()
        return summary
    audit.record(uow.session, actor, "import", kind=kind, file=path.name, rows=summary.rows,
                 created=summary.created, updated=summary.updated)
    uow.commit()
    return summary


def column_help(kind: str) -> str:
    """The columns of one import, one entry each (for --help)."""
    return "\n".join(
        f"  {column.name} ({'required' if column.required else 'optional'}, {column.type_text()})\n"
        f"      {column.meaning}"
        for column in importers()[kind].columns
    )
