"""KPI facts the ledger cannot give back: refused item scans per pick task (mispicks), and
each order line's first allocation (when, and whether it left units uncovered)

Revision ID: 0017
Revises: 0005
Create Date: 2026-12-04 23:40:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0017'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pick_tasks') as batch:
        batch.add_column(sa.Column('mispicks', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('sales_order_lines') as batch:
        batch.add_column(sa.Column('first_allocated_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('short_at_allocation', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sales_order_lines') as batch:
        batch.drop_column('short_at_allocation')
        batch.drop_column('first_allocated_at')
    with op.batch_alter_table('pick_tasks') as batch:
        batch.drop_column('mispicks')
