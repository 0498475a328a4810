"""scale: locations of a kind (near a place) found through an index on (kind, x, y)

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
    # Put-away's nearest bins (kind IN storage kinds, x and y within a square) and the stock
    # waiting on docks (kind IN the waiting kinds) both start from this index.
    op.create_index("ix_locations_kind_place", "locations", ["kind", "x", "y"])


def downgrade() -> None:
    op.drop_index("ix_locations_kind_place", table_name="locations")
