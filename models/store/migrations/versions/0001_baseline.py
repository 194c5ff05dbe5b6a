"""Baseline: the schema of the first release (commit 84f3ef8), as its `create_all` made it.

A database made by that release has these tables but no `alembic_version`; `overstap db upgrade`
stamps it with this revision and goes on from here (`models.store.migrate`).

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clockoverride",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("today", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "school",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("brin", sa.String(length=8), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_school_brin"), "school", ["brin"], unique=True)
    op.create_index(op.f("ix_school_name"), "school", ["name"], unique=False)
    op.create_table(
        "contact",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("school_id", "role", "email"),
    )
    op.create_index(op.f("ix_contact_school_id"), "contact", ["school_id"], unique=False)
    op.create_table(
        "pupil",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("po_school_id", sa.Uuid(), nullable=False),
        sa.Column("groep", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["po_school_id"],
            ["school.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_pupil_po_school_id"), "pupil", ["po_school_id"], unique=False)
    op.create_table(
        "trajectory",
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("waiting_for", sa.String(length=10), nullable=False),
        sa.Column("current_step", sa.Integer(), nullable=True),
        sa.Column("current_question", sa.String(length=40), nullable=True),
        sa.Column("wait_until", sa.Date(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("pause_key", sa.String(length=80), nullable=True),
        sa.Column("wait_seq", sa.Integer(), nullable=False),
        sa.Column("flow_run_id", sa.Uuid(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("cohort", sa.Integer(), nullable=False),
        sa.Column("transfer_groep", sa.Integer(), nullable=False),
        sa.Column("route", sa.String(length=10), nullable=False),
        sa.Column("plan_version", sa.String(length=40), nullable=False),
        sa.Column("vo_school_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.ForeignKeyConstraint(
            ["vo_school_id"],
            ["school.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pupil_id"),
    )
    op.create_index(op.f("ix_trajectory_code"), "trajectory", ["code"], unique=True)
    op.create_index(op.f("ix_trajectory_cohort"), "trajectory", ["cohort"], unique=False)
    op.create_index(op.f("ix_trajectory_flow_run_id"), "trajectory", ["flow_run_id"], unique=False)
    op.create_index(op.f("ix_trajectory_status"), "trajectory", ["status"], unique=False)
    op.create_table(
        "answer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("trajectory_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=40), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("answered_by", sa.String(length=200), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("flow_run_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("trajectory_id", "step", "question", "attempt"),
    )
    op.create_index(op.f("ix_answer_trajectory_id"), "answer", ["trajectory_id"], unique=False)
    op.create_table(
        "auditentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("trajectory_id", sa.Uuid(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_auditentry_action"), "auditentry", ["action"], unique=False)
    op.create_index(op.f("ix_auditentry_at"), "auditentry", ["at"], unique=False)
    op.create_index(
        op.f("ix_auditentry_trajectory_id"), "auditentry", ["trajectory_id"], unique=False
    )
    op.create_table(
        "outboxmessage",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("dedup_key", sa.String(length=512), nullable=False),
        sa.Column("trajectory_id", sa.Uuid(), nullable=True),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("recipient_name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=400), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("ics", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_outboxmessage_dedup_key"), "outboxmessage", ["dedup_key"], unique=True)
    op.create_index(
        "ix_outboxmessage_due", "outboxmessage", ["status", "next_attempt_at"], unique=False
    )
    op.create_index(
        op.f("ix_outboxmessage_recipient"), "outboxmessage", ["recipient"], unique=False
    )
    op.create_index(
        op.f("ix_outboxmessage_trajectory_id"), "outboxmessage", ["trajectory_id"], unique=False
    )
    op.create_table(
        "steprecord",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("trajectory_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("due_by", sa.Date(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=200), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.JSON(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("trajectory_id", "step"),
    )
    op.create_index(
        op.f("ix_steprecord_trajectory_id"), "steprecord", ["trajectory_id"], unique=False
    )
    op.create_table(
        "tlvrequest",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("trajectory_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=3), nullable=False),
        sa.Column("tussengroep", sa.Boolean(), nullable=False),
        sa.Column("grensgebied", sa.Boolean(), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("advice", sa.String(length=20), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("category", sa.String(length=10), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_tlvrequest_trajectory_id"), "tlvrequest", ["trajectory_id"], unique=False
    )
    op.create_table(
        "trackrun",
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("waiting_for", sa.String(length=10), nullable=False),
        sa.Column("current_step", sa.Integer(), nullable=True),
        sa.Column("current_question", sa.String(length=40), nullable=True),
        sa.Column("wait_until", sa.Date(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("pause_key", sa.String(length=80), nullable=True),
        sa.Column("wait_seq", sa.Integer(), nullable=False),
        sa.Column("flow_run_id", sa.Uuid(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("trajectory_id", sa.Uuid(), nullable=False),
        sa.Column("track", sa.String(length=20), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("trajectory_id", "track"),
    )
    op.create_index(op.f("ix_trackrun_flow_run_id"), "trackrun", ["flow_run_id"], unique=False)
    op.create_index(op.f("ix_trackrun_status"), "trackrun", ["status"], unique=False)
    op.create_index(op.f("ix_trackrun_trajectory_id"), "trackrun", ["trajectory_id"], unique=False)
    op.create_table(
        "outboxfailure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failure", sa.String(length=10), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["outboxmessage.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_outboxfailure_message_id"), "outboxfailure", ["message_id"], unique=False
    )


def downgrade() -> None:
    raise NotImplementedError("the baseline is not undone; restore a backup instead")
