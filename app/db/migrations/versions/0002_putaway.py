"""put-away: bin capacities, put-away rules, confirmations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:15:54.178366
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = ('putaway',)
depends_on = None


def upgrade() -> None:
    op.create_table('location_capacities',
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('max_units', sa.Integer(), nullable=True),
    sa.Column('max_weight_kg', sa.Float(), nullable=True),
    sa.Column('max_volume_l', sa.Float(), nullable=True),
    sa.Column('mix_lots', sa.Boolean(), nullable=False),
    sa.CheckConstraint('(max_units IS NULL OR max_units >= 0) AND (max_weight_kg IS NULL OR max_weight_kg >= 0) AND (max_volume_l IS NULL OR max_volume_l >= 0)', name=op.f('ck_location_capacities_limits_not_negative')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_location_capacities_location_id_locations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('location_id', name=op.f('pk_location_capacities'))
    )
    op.create_table('putaway_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('workstation', sa.String(length=64), nullable=False),
    sa.Column('source_location_id', sa.Integer(), nullable=False),
    sa.Column('destination_location_id', sa.Integer(), nullable=False),
    sa.Column('suggested_location_id', sa.Integer(), nullable=True),
    sa.Column('license_plate_id', sa.Integer(), nullable=True),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('deviation_reason', sa.Text(), nullable=True),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undone_by', sa.Integer(), nullable=True),
    sa.CheckConstraint('units > 0', name=op.f('ck_putaway_confirmations_units_positive')),
    sa.ForeignKeyConstraint(['approved_by'], ['users.id'], name=op.f('fk_putaway_confirmations_approved_by_users')),
    sa.ForeignKeyConstraint(['destination_location_id'], ['locations.id'], name=op.f('fk_putaway_confirmations_destination_location_id_locations')),
    sa.ForeignKeyConstraint(['license_plate_id'], ['license_plates.id'], name=op.f('fk_putaway_confirmations_license_plate_id_license_plates')),
    sa.ForeignKeyConstraint(['source_location_id'], ['locations.id'], name=op.f('fk_putaway_confirmations_source_location_id_locations')),
    sa.ForeignKeyConstraint(['suggested_location_id'], ['locations.id'], name=op.f('fk_putaway_confirmations_suggested_location_id_locations')),
    sa.ForeignKeyConstraint(['undone_by'], ['users.id'], name=op.f('fk_putaway_confirmations_undone_by_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_putaway_confirmations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_putaway_confirmations')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_putaway_confirmations_idempotency_key'))
    )
    with op.batch_alter_table('putaway_confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_putaway_confirmations_user_id'), ['user_id'], unique=False)

    op.create_table('putaway_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=8), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.String(length=64), nullable=True),
    sa.Column('home_location_id', sa.Integer(), nullable=True),
    sa.Column('preferred_zone', sa.String(length=32), nullable=True),
    sa.Column('allowed_zones', sa.Text(), nullable=True),
    sa.Column('mix_lots', sa.Boolean(), nullable=True),
    sa.Column('fefo', sa.Boolean(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.CheckConstraint("(scope = 'product' AND product_id IS NOT NULL AND target IS NULL) OR (scope IN ('group', 'zone') AND product_id IS NULL AND target IS NOT NULL)", name=op.f('ck_putaway_rules_scope_target')),
    sa.CheckConstraint("scope <> 'zone' OR (preferred_zone IS NULL AND allowed_zones IS NULL)", name=op.f('ck_putaway_rules_zone_rules_place_nothing')),
    sa.CheckConstraint("scope = 'product' OR home_location_id IS NULL", name=op.f('ck_putaway_rules_home_for_products')),
    sa.ForeignKeyConstraint(['home_location_id'], ['locations.id'], name=op.f('fk_putaway_rules_home_location_id_locations')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_putaway_rules_product_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_putaway_rules_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_putaway_rules')),
    sa.UniqueConstraint('product_id', name='uq_putaway_rules_product_id'),
    sa.UniqueConstraint('scope', 'target', name='uq_putaway_rules_scope_target')
    )


def downgrade() -> None:
    op.drop_table('putaway_rules')
    with op.batch_alter_table('putaway_confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_putaway_confirmations_user_id'))

    op.drop_table('putaway_confirmations')
    op.drop_table('location_capacities')
