"""The clock finds what is due by query: indexes on dates, notifications, dashboard refreshes.

- `wait_until` and `due` of trajectories and tracks are indexed;
- `trajectory.next_term_due` holds the earliest due date of the open legal terms (filled in by the
  records as answers come in; the clock fills in rows that do not have it yet);
- `notification` holds every reminder and escalation once, by natural key; the ones the audit log
  already records are copied into it, so nobody is reminded twice across the upgrade;
- `dashboardrefresh` remembers when each cohort's dashboard was published.

Revision ID: 0003_clock_by_query
Revises: 0002_purge
Create Date: 2026-11-30
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003_clock_by_query"
down_revision = "0002_purge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("trajectory", "trackrun"):
        op.create_index(op.f(f"ix_{table}_wait_until"), table, ["wait_until"])
        op.create_index(op.f(f"ix_{table}_due"), table, ["due"])
    with op.batch_alter_table("trajectory") as batch:
        batch.add_column(sa.Column("next_term_due", sa.Date(), nullable=True))
        batch.create_index(batch.f("ix_trajectory_next_term_due"), ["next_term_due"])
    notification = op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["trajectory_id"], ["trajectory.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("trajectory_id", "kind", "key"),
    )
    op.create_index(
        op.f("ix_notification_trajectory_id"), "notification", ["trajectory_id"], unique=False
    )
    op.create_table(
        "dashboardrefresh",
        sa.Column("cohort", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refreshed_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("cohort"),
    )
    # Reminders and escalations the first release recorded in the audit log only.
    audit = sa.table(
        "auditentry",
        sa.column("trajectory_id", sa.Uuid()),
        sa.column("action", sa.String()),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("detail", sa.JSON()),
    )
    connection = op.get_bind()
    seen: set[tuple[object, str, str]] = set()
    rows = []
    for trajectory_id, action, at, detail in connection.execute(
        sa.select(audit.c.trajectory_id, audit.c.action, audit.c.at, audit.c.detail).where(
            audit.c.action.in_(["herinnering", "termijn_verlopen"]),
            audit.c.trajectory_id.is_not(None),
        )
    ):
        data = json.loads(detail) if isinstance(detail, str) else (detail or {})
        key = str(data.get("sleutel", ""))
        if not key or (trajectory_id, action, key) in seen:
            continue
        seen.add((trajectory_id, action, key))
        moment = at if isinstance(at, datetime) else datetime.now(UTC)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        rows.append({"trajectory_id": trajectory_id, "kind": action, "key": key, "at": moment})
    if rows:
        op.bulk_insert(notification, rows)


def downgrade() -> None:
    op.drop_table("dashboardrefresh")
    op.drop_index(op.f("ix_notification_trajectory_id"), table_name="notification")
    op.drop_table("notification")
    with op.batch_alter_table("trajectory") as batch:
        batch.drop_index(batch.f("ix_trajectory_next_term_due"))
        batch.drop_column("next_term_due")
    for table in ("trajectory", "trackrun"):
        op.drop_index(op.f(f"ix_{table}_due"), table_name=table)
        op.drop_index(op.f(f"ix_{table}_wait_until"), table_name=table)
