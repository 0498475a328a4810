"""accounts and tamper evidence: PIN lockout columns, the hash chain, append-only triggers

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-04 21:00:00

PINs were stored with salted scrypt from the start (app/core/pins.py), so existing users keep
their PINs; they only gain the lockout counters. Rows already in moves, audit_log and
scan_journal are chained in id order, so that `stockfloor db check` starts from a clean chain.
"""

from alembic import op
import sqlalchemy as sa

from app.db import chain


revision = '0010'
down_revision = '0006'
branch_labels = ('accounts',)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('failed_pins', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
        batch.create_unique_constraint('uq_users_token_hash', ['token_hash'])
    op.create_table('chain_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=32), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chain_links'))
    )
    op.create_index('ix_chain_links_row', 'chain_links', ['table_name', 'row_id'], unique=True)
    conn = op.get_bind()
    tables = {name: sa.Table(name, sa.MetaData(), autoload_with=conn) for name in chain.TABLES}
    for table_name, table in tables.items():
        ids = list(conn.execute(sa.select(table.c.id).order_by(table.c.id)).scalars())
        chain.append_links(conn, {table_name: ids}, tables)
    chain.install_triggers(conn)


def downgrade() -> None:
    chain.drop_triggers(op.get_bind())
    op.drop_index('ix_chain_links_row', table_name='chain_links')
    op.drop_table('chain_links')
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint('uq_users_token_hash', type_='unique')
        batch.drop_column('token_hash')
        batch.drop_column('locked_until')
        batch.drop_column('failed_pins')
