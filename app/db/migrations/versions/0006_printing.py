"""printing: printer profiles per workstation, print jobs

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-22 02:55:18.220943
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0001'
branch_labels = ('printing',)
depends_on = None


def upgrade() -> None:
    op.create_table('printer_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workstation', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('output', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=255), nullable=False),
    sa.Column('size', sa.String(length=16), nullable=False),
    sa.Column('dpi', sa.Integer(), nullable=False),
    sa.Column('darkness', sa.Integer(), nullable=True),
    sa.Column('offset_x', sa.Integer(), nullable=False),
    sa.Column('offset_y', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind in ('labels','documents')", name=op.f('ck_printer_profiles_kind')),
    sa.CheckConstraint("output in ('pdf_file','system','zpl_tcp','zpl_cups','pdf_cups')", name=op.f('ck_printer_profiles_output')),
    sa.CheckConstraint('darkness IS NULL OR (darkness >= 0 AND darkness <= 30)', name=op.f('ck_printer_profiles_darkness')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_printer_profiles_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_printer_profiles')),
    sa.UniqueConstraint('workstation', 'kind', name='uq_printer_profiles_workstation_kind')
    )
    op.create_table('print_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('workstation', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('what', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('selection', sa.Text(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('size', sa.String(length=16), nullable=False),
    sa.Column('output', sa.String(length=16), nullable=False),
    sa.Column('printer', sa.String(length=255), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.String(length=255), nullable=False),
    sa.Column('dpi', sa.Integer(), nullable=False),
    sa.Column('darkness', sa.Integer(), nullable=True),
    sa.Column('offset_x', sa.Integer(), nullable=False),
    sa.Column('offset_y', sa.Integer(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('reason_kind', sa.String(length=16), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('reprint_of', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.CheckConstraint("format in ('pdf','zpl')", name=op.f('ck_print_jobs_format')),
    sa.CheckConstraint("status in ('queued','sent','failed')", name=op.f('ck_print_jobs_status')),
    sa.CheckConstraint('copies >= 1', name=op.f('ck_print_jobs_copies_positive')),
    sa.ForeignKeyConstraint(['profile_id'], ['printer_profiles.id'], name=op.f('fk_print_jobs_profile_id_printer_profiles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reprint_of'], ['print_jobs.id'], name=op.f('fk_print_jobs_reprint_of_print_jobs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_print_jobs_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_jobs')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_print_jobs_idempotency_key'))
    )
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_print_jobs_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_print_jobs_workstation_created', ['workstation', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_print_jobs_workstation_created')
        batch_op.drop_index('ix_print_jobs_created_at')

    op.drop_table('print_jobs')
    op.drop_table('printer_profiles')
