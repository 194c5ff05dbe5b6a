"""Retention: a pupil's birth date can be removed, and the purge is recorded on the pupil.

Revision ID: 0002_purge
Revises: 0001_baseline
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_purge"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pupil") as batch:
        batch.alter_column("birth_date", existing_type=sa.Date(), nullable=True)
        batch.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pupil") as batch:
        batch.drop_column("purged_at")
        batch.alter_column("birth_date", existing_type=sa.Date(), nullable=False)
