"""scan claims: one row per confirmed scan's idempotency key, claimed first

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 21:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scan_claims',
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('idempotency_key', name=op.f('pk_scan_claims'))
    )
    # Scans recorded before this version are claimed by their ledger moves.
    op.execute("INSERT INTO scan_claims (idempotency_key, created_at) SELECT idempotency_key, created_at FROM moves")


def downgrade() -> None:
    op.drop_table('scan_claims')
