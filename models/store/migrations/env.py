"""Alembic's environment for our tables: run by `models.store.migrate`, never by hand-made engines.

The connection comes from `models.store.migrate` (which holds the migration lock); SQLite gets
batch mode, so a migration that alters a column works there as on PostgreSQL.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from models.store import tables  # noqa: F401  (registers every table on the metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
