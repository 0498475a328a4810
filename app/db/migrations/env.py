"""Alembic environment: runs on the connection Stockfloor hands it (see app/db/schema.py)."""

from alembic import context

from app.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only via `alembic` on the command line
    raise SystemExit("Run migrations through `stockfloor db upgrade`.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite ALTERs
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
