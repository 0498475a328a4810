"""scale: the newest move of a location in one index step on PostgreSQL

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-04 21:40:00
"""

from alembic import op


revision = '0008'
down_revision = '0004'
branch_labels = None
depends_on = None

INDEXES = (("ix_moves_from_location_newest", "from_location_id"),
           ("ix_moves_to_location_newest", "to_location_id"))


def upgrade() -> None:
    # SQLite's single-column indexes already end in the rowid (= moves.id): nothing to add.
    if op.get_bind().dialect.name == "postgresql":
        for name, column in INDEXES:
            op.create_index(name, "moves", [column, "id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, _ in INDEXES:
            op.drop_index(name, table_name="moves")
