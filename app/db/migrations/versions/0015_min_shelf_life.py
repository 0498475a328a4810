"""min shelf life: the days of shelf life a product must still have when it is received

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 23:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('products') as batch:
        batch.add_column(sa.Column('min_shelf_life_days', sa.Integer(), nullable=False,
                                   server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('products') as batch:
        batch.drop_column('min_shelf_life_days')
