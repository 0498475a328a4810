"""scale: the bins near a place found through an index on (x, y)

Revision ID: 0018
Revises: 0014
Create Date: 2026-12-04 23:30:00
"""

from alembic import op


revision = '0018'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_locations_place", "locations", ["x", "y"])


def downgrade() -> None:
    op.drop_index("ix_locations_place", table_name="locations")
