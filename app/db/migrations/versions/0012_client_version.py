"""client version: the oldest Stockfloor that may open this database

Revision ID: 0012
Revises: 0006
Create Date: 2026-12-04 21:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table('database_properties',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_database_properties'))
    )
    op.bulk_insert(table, [{'name': 'min_client_version', 'value': '0.1.0'}])


def downgrade() -> None:
    op.drop_table('database_properties')
