"""Our tables: the source of truth for every trajectory. Prefect only drives them.

Enumerations are stored as their codes (`models.store.columns.enum_type`), so SQLite and
PostgreSQL hold the same values; every timestamp is timezone-aware (`UtcDateTime`). The outbox's
tables are here too: the store owns every table, the mail package the rules on them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.enums import (
    FailureKind,
    MessageKind,
    OutboxStatus,
    Role,
    Route,
    SchoolKind,
    StepStatus,
    TrajectoryStatus,
    WaitingFor,
)
from models.store.columns import UtcDateTime, enum_type


def _uuid() -> UUID:
    return uuid4()


class School(SQLModel, table=True):
    id: UUID = Field(default_factory=_uuid, primary_key=True)
    brin: str | None = Field(default=None, unique=True, index=True, max_length=8)
    name: str = Field(index=True, max_length=200)
    kind: SchoolKind = Field(sa_type=enum_type(SchoolKind, 3))
    created_at: datetime = Field(sa_type=UtcDateTime)


class Contact(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("school_id", "role", "email"),)

    id: UUID = Field(default_factory=_uuid, primary_key=True)
    school_id: UUID = Field(foreign_key="school.id", index=True)
    role: Role = Field(sa_type=enum_type(Role, 40))
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)


class Pupil(SQLModel, table=True):
    """A pupil's personal data; emptied (names, birth date) by the retention purge, which keeps
    the pseudonymous trajectory for the evaluation (`models.cases.retention`)."""

    id: UUID = Field(default_factory=_uuid, primary_key=True)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    birth_date: date | None = None
    po_school_id: UUID = Field(foreign_key="school.id", index=True)
    groep: int
    created_at: datetime = Field(sa_type=UtcDateTime)
    purged_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class RunState(SQLModel):
    """Where one walk (a trajectory's main walk, or one of its tracks) stands, and its run.

    `waiting_for`, `current_step`/`current_question`, `wait_until` and `due` are what
    `overstap status` shows; `pause_key` and `wait_seq` make every suspension's key unique.
    """

    status: TrajectoryStatus = Field(
        default=TrajectoryStatus.ACTIEF, sa_type=enum_type(TrajectoryStatus, 10), index=True
    )
    waiting_for: WaitingFor = Field(default=WaitingFor.RUNNING, sa_type=enum_type(WaitingFor, 10))
    current_step: int | None = None
    current_question: str | None = Field(default=None, max_length=40)
    wait_until: date | None = Field(default=None, index=True)  # the clock wakes by date
    due: date | None = Field(default=None, index=True)  # the clock reminds by due date
    pause_key: str | None = Field(default=None, max_length=80)
    wait_seq: int = 0
    flow_run_id: UUID | None = Field(default=None, index=True)
    started_at: datetime = Field(sa_type=UtcDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Trajectory(RunState, table=True):
    id: UUID = Field(default_factory=_uuid, primary_key=True)
    pupil_id: UUID = Field(foreign_key="pupil.id", unique=True)
    code: str = Field(unique=True, index=True, max_length=8)
    cohort: int = Field(index=True, description="Year the pupil starts in VO (August).")
    transfer_groep: int = Field(default=8, description="8, or 7 for the groep-7 exception.")
    route: Route = Field(default=Route.ONBEKEND, sa_type=enum_type(Route, 10))
    plan_version: str = Field(max_length=40)
    vo_school_id: UUID | None = Field(default=None, foreign_key="school.id")
    next_term_due: date | None = Field(
        default=None,
        index=True,
        description="The earliest due date of the trajectory's open legal terms (chapters 1 and "
        "3), kept with its answers, so the clock finds overdue terms by query.",
    )


class StepRecord(SQLModel, table=True):
    """One row per step of a trajectory: when it opened, when it is due, how it ended."""

    __table_args__ = (UniqueConstraint("trajectory_id", "step"),)

    id: UUID = Field(default_factory=_uuid, primary_key=True)
    trajectory_id: UUID = Field(foreign_key="trajectory.id", index=True)
    step: int
    status: StepStatus = Field(sa_type=enum_type(StepStatus, 10))
    opened_on: date | None = None
    due_by: date | None = None
    opened_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    answered_by: str | None = Field(default=None, max_length=200)
    answered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    answer: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    note: str | None = None


class Answer(SQLModel, table=True):
    """Every answer a form received, accepted or rejected, once per (step, question, attempt)."""

    __table_args__ = (UniqueConstraint("trajectory_id", "step", "question", "attempt"),)

    id: UUID = Field(default_factory=_uuid, primary_key=True)
    trajectory_id: UUID = Field(foreign_key="trajectory.id", index=True)
    step: int
    question: str = Field(max_length=40)
    attempt: int
    accepted: bool
    answered_by: str = Field(max_length=200)
    answered_at: datetime = Field(sa_type=UtcDateTime)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    errors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    final: bool = Field(
        default=True,
        description="False for an interim answer (an extension, a preliminary decision): the "
        "question is asked again.",
    )
    flow_run_id: UUID | None = None


class TrackRun(RunState, table=True):
    """A parallel track of a trajectory (the TLV procedure), walked by a flow run of its own.

    Prefect cannot suspend a subflow, and a pupil's main walk must not wait for the CvA while the
    PO school gives its advice; so the steps of a track get their own run, joined by the main walk
    where the plan says `after = [track]`.
    """

    __table_args__ = (UniqueConstraint("trajectory_id", "track"),)

    id: UUID = Field(default_factory=_uuid, primary_key=True)
    trajectory_id: UUID = Field(foreign_key="trajectory.id", index=True)
    track: str = Field(max_length=20)
    step: int | None = Field(
        default=None, description="For a track of questions: the step whose questions it asks."
    )


class TlvRequest(SQLModel, table=True):
    """A request for a toelaatbaarheidsverklaring (TLV) to the CvA, and its outcome."""

    id: UUID = Field(default_factory=_uuid, primary_key=True)
    trajectory_id: UUID = Field(foreign_key="trajectory.id", index=True)
    kind: str = Field(max_length=3, description="PRO or VSO")
    tussengroep: bool = Field(default=False, description="For the tussengroep PRO-VMBO.")
    grensgebied: bool = Field(default=False, description="Requested by a regular VO school.")
    submitted_by: str = Field(max_length=200, description="The school that requested it.")
    submitted_on: date
    advice: str = Field(max_length=20, description="Advice of the CvB / CCL.")
    decision: str | None = Field(default=None, max_length=20)
    category: str | None = Field(default=None, max_length=10, description="VSO: laag/midden/hoog.")
    decided_on: date | None = None
    valid_until: date | None = None
    reason: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)


class AuditEntry(SQLModel, table=True):
    """Append-only log of every change to our records."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UtcDateTime, index=True)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=40, index=True)
    trajectory_id: UUID | None = Field(default=None, foreign_key="trajectory.id", index=True)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Notification(SQLModel, table=True):
    """A reminder or escalation that was sent: one row per natural key, so none is sent twice
    and the clock finds what was done by query (not by reading the audit log)."""

    __table_args__ = (UniqueConstraint("trajectory_id", "kind", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    trajectory_id: UUID = Field(foreign_key="trajectory.id", index=True)
    kind: str = Field(max_length=20)  # "herinnering" or "termijn_verlopen"
    key: str = Field(max_length=120)
    at: datetime = Field(sa_type=UtcDateTime)


class DashboardRefresh(SQLModel, table=True):
    """When the dashboard of a cohort was last published (the clock skips unchanged cohorts)."""

    cohort: int = Field(primary_key=True)
    refreshed_at: datetime = Field(sa_type=UtcDateTime)
    refreshed_on: date


class ClockOverride(SQLModel, table=True):
    """The simulated date shared by every process during a simulation (one row, id 1)."""

    id: int = Field(default=1, primary_key=True)
    today: date


class OutboxMessage(SQLModel, table=True):
    """One email to one recipient, with its delivery state."""

    __tablename__ = "outboxmessage"
    __table_args__ = (Index("ix_outboxmessage_due", "status", "next_attempt_at"),)

    id: UUID = Field(default_factory=_uuid, primary_key=True)
    dedup_key: str = Field(max_length=512, unique=True, index=True)
    trajectory_id: UUID | None = Field(default=None, foreign_key="trajectory.id", index=True)
    step: int = Field(default=0, description="0 when the message belongs to no step.")
    recipient: str = Field(max_length=254, index=True, description="Lowercased address.")
    recipient_name: str = Field(default="", max_length=200)
    kind: MessageKind = Field(sa_type=enum_type(MessageKind, 30))
    topic: str = Field(default="", max_length=100)
    subject: str = Field(max_length=400)
    text_body: str = Field(sa_type=Text)
    html_body: str = Field(sa_type=Text)
    ics: str | None = Field(default=None, sa_type=Text)
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=enum_type(OutboxStatus, 10))
    attempts: int = 0
    next_attempt_at: datetime = Field(
        sa_type=UtcDateTime,
        description="When a pending row may be tried; for a row in `sending`: its lease expiry.",
    )
    last_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class OutboxFailure(SQLModel, table=True):
    """Every failed attempt to send an outbox message (append-only)."""

    id: int | None = Field(default=None, primary_key=True)
    message_id: UUID = Field(foreign_key="outboxmessage.id", index=True)
    attempt: int
    at: datetime = Field(sa_type=UtcDateTime)
    failure: FailureKind = Field(sa_type=enum_type(FailureKind, 10))
    error: str = Field(sa_type=Text)
