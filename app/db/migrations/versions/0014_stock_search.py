"""stock search: product names found through a trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL)

Revision ID: 0014
Revises: 0008
Create Date: 2026-12-04 22:10:00
"""

from alembic import op


revision = '0014'
down_revision = '0008'
branch_labels = None
depends_on = None

# SQLite: an external-content FTS5 table over products (no copy of the text), trigram
# tokenizer so that name LIKE '%term%' is answered from the index; triggers keep it in step.
SQLITE_UP = (
    "CREATE VIRTUAL TABLE product_search USING fts5(sku, name, content='products', "
    "content_rowid='id', tokenize='trigram')",
    "INSERT INTO product_search(product_search) VALUES ('rebuild')",
    "CREATE TRIGGER product_search_insert AFTER INSERT ON products BEGIN "
    "INSERT INTO product_search(rowid, sku, name) VALUES (new.id, new.sku, new.name); END",
    "CREATE TRIGGER product_search_delete AFTER DELETE ON products BEGIN "
    "INSERT INTO product_search(product_search, rowid, sku, name) "
    "VALUES ('delete', old.id, old.sku, old.name); END",
    "CREATE TRIGGER product_search_update AFTER UPDATE OF sku, name ON products BEGIN "
    "INSERT INTO product_search(product_search, rowid, sku, name) "
    "VALUES ('delete', old.id, old.sku, old.name); "
    "INSERT INTO product_search(rowid, sku, name) VALUES (new.id, new.sku, new.name); END",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS product_search_update",
    "DROP TRIGGER IF EXISTS product_search_delete",
    "DROP TRIGGER IF EXISTS product_search_insert",
    "DROP TABLE IF EXISTS product_search",
)
# PostgreSQL: a GIN trigram index serves name ILIKE '%term%'. The extension is installed once
# per database, in public (not in whatever schema is first on the search path, which may be
# dropped with it); the operator class is named with the schema the extension really lives in.
POSTGRES_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"
EXTENSION_SCHEMA = ("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                    "WHERE e.extname = 'pg_trgm'")
POSTGRES_INDEX = 'CREATE INDEX ix_products_name_trgm ON products USING gin (name "{schema}".gin_trgm_ops)'
POSTGRES_DOWN = ("DROP INDEX IF EXISTS ix_products_name_trgm",)  # the extension may serve others


def _run(statements: tuple[str, ...]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        _run(SQLITE_UP)
        return
    op.execute(POSTGRES_EXTENSION)
    schema = bind.exec_driver_sql(EXTENSION_SCHEMA).scalar_one()
    op.execute(POSTGRES_INDEX.format(schema=schema))


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _run(POSTGRES_DOWN if postgres else SQLITE_DOWN)
