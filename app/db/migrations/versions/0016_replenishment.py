"""replenishment: min / max per pick face, replenishment tasks; the ABC count plan policy

Revision ID: 0016
Revises: 0005
Create Date: 2026-12-04 23:30:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0016'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('replenishment_faces',
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('min_units', sa.Integer(), nullable=False),
    sa.Column('max_units', sa.Integer(), nullable=False),
    sa.Column('unit', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('min_units >= 0 AND max_units > min_units AND unit >= 1',
                       name=op.f('ck_replenishment_faces_levels')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_replenishment_faces_location_id_locations')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_replenishment_faces_product_id_products')),
    sa.PrimaryKeyConstraint('location_id', name=op.f('pk_replenishment_faces'))
    )
    op.create_index(op.f('ix_replenishment_faces_product_id'), 'replenishment_faces', ['product_id'])
    op.create_table('replenishment_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('to_location_id', sa.Integer(), nullable=False),
    sa.Column('from_location_id', sa.Integer(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('quantity_moved', sa.Integer(), nullable=False),
    sa.Column('waiting_units', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_by', sa.Integer(), nullable=True),
    sa.CheckConstraint('quantity > 0 AND quantity_moved >= 0 AND waiting_units >= 0',
                       name=op.f('ck_replenishment_tasks_quantities')),
    sa.CheckConstraint("status in ('open','done','cancelled')", name=op.f('ck_replenishment_tasks_status')),
    sa.CheckConstraint("trigger in ('below_min','allocation')", name=op.f('ck_replenishment_tasks_trigger')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_replenishment_tasks_product_id_products')),
    sa.ForeignKeyConstraint(['to_location_id'], ['locations.id'],
                            name=op.f('fk_replenishment_tasks_to_location_id_locations')),
    sa.ForeignKeyConstraint(['from_location_id'], ['locations.id'],
                            name=op.f('fk_replenishment_tasks_from_location_id_locations')),
    sa.ForeignKeyConstraint(['done_by'], ['users.id'], name=op.f('fk_replenishment_tasks_done_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_replenishment_tasks'))
    )
    op.create_index('uq_replenishment_open_face', 'replenishment_tasks', ['to_location_id'], unique=True,
                    sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
    op.create_index('ix_replenishment_tasks_status', 'replenishment_tasks', ['status'])
    op.create_table('count_plan_policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('share_a', sa.Float(), nullable=False),
    sa.Column('share_b', sa.Float(), nullable=False),
    sa.Column('basis', sa.String(length=16), nullable=False),
    sa.Column('lookback_days', sa.Integer(), nullable=False),
    sa.Column('plan_days', sa.Integer(), nullable=False),
    sa.Column('daily_cap', sa.Integer(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_count_plan_policy_one_row')),
    sa.CheckConstraint('share_a > 0 AND share_b > share_a AND share_b < 1', name=op.f('ck_count_plan_policy_shares')),
    sa.CheckConstraint('lookback_days >= 1 AND plan_days >= 1 AND daily_cap >= 1',
                       name=op.f('ck_count_plan_policy_limits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_count_plan_policy'))
    )


def downgrade() -> None:
    op.drop_table('count_plan_policy')
    op.drop_index('ix_replenishment_tasks_status', table_name='replenishment_tasks')
    op.drop_index('uq_replenishment_open_face', table_name='replenishment_tasks')
    op.drop_table('replenishment_tasks')
    op.drop_index(op.f('ix_replenishment_faces_product_id'), table_name='replenishment_faces')
    op.drop_table('replenishment_faces')
