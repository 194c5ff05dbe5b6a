"""What the clock must look at today, found by indexed queries: never a loop over every pupil's
records. Each function is a fixed number of statements, whatever the number of pupils.

- `active_walks`: the run state of every active main walk and track (one light row each; the
  clock compares them with Prefect's states in pages, to repair what broke);
- `deadline_candidates`: trajectories with a question due within the reminder horizon, or a legal
  term due by today (`Trajectory.next_term_due`), or whose next term is not known yet;
- `changed_cohorts`: cohorts with an audit entry since a moment (the dashboards to refresh).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlmodel import Session, col, func, select

from models.enums import MAIN_TRACK, TrajectoryStatus, WaitingFor
from models.store.tables import AuditEntry, RunState, TrackRun, Trajectory


@dataclass(frozen=True)
class Walk:
    """One active walk: a trajectory's main walk or one of its tracks."""

    trajectory_id: UUID
    code: str
    track: str
    row: RunState


def active_walks(session: Session) -> list[Walk]:
    """Every active main walk and track, in two statements."""
    walks = [
        Walk(t.id, t.code, MAIN_TRACK, t)
        for t in session.exec(
            select(Trajectory).where(col(Trajectory.status) == TrajectoryStatus.ACTIEF)
        )
    ]
    codes = {w.trajectory_id: w.code for w in walks}
    walks += [
        Walk(r.trajectory_id, codes.get(r.trajectory_id, "?"), r.track, r)
        for r in session.exec(
            select(TrackRun).where(col(TrackRun.status) == TrajectoryStatus.ACTIEF)
        )
    ]
    return walks


def wake_due(walks: Iterable[Walk], today: date) -> list[Walk]:
    """Walks whose date has come, and main walks whose track has ended."""
    walks = list(walks)
    with_active_track = {w.trajectory_id for w in walks if w.track != MAIN_TRACK}
    due = []
    for walk in walks:
        row = walk.row
        if row.waiting_for == WaitingFor.DATE and row.wait_until is not None:
            if row.wait_until <= today:
                due.append(walk)
        elif row.waiting_for == WaitingFor.TRACK and walk.trajectory_id not in with_active_track:
            due.append(walk)
    return due


def deadline_candidates(session: Session, today: date, horizon: date) -> set[UUID]:
    """Trajectories whose questions or legal terms the clock must judge today: a question due by
    `horizon` (reminders, escalations) or a legal term due by today; also active trajectories
    whose next legal term is not known yet (rows from before it was kept)."""
    found: set[UUID] = set()
    for table in (Trajectory, TrackRun):
        trajectory_column = Trajectory.id if table is Trajectory else TrackRun.trajectory_id
        found.update(
            session.exec(
                select(trajectory_column)
                .where(col(table.status) == TrajectoryStatus.ACTIEF)
                .where(col(table.waiting_for) == WaitingFor.ANSWER)
                .where(col(table.due) <= horizon)
            ).all()
        )
    found.update(
        session.exec(
            select(Trajectory.id)
            .where(col(Trajectory.status) == TrajectoryStatus.ACTIEF)
            .where(col(Trajectory.next_term_due) <= today)
        ).all()
    )
    return found


def unknown_terms(session: Session, limit: int) -> list[UUID]:
    """Active trajectories whose next legal term was never computed (at most `limit`)."""
    return list(
        session.exec(
            select(Trajectory.id)
            .where(col(Trajectory.status) == TrajectoryStatus.ACTIEF)
            .where(col(Trajectory.next_term_due).is_(None))
            .where(col(Trajectory.current_step).is_not(None))
            .limit(limit)
        ).all()
    )


def active_count(session: Session) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(Trajectory)
            .where(col(Trajectory.status) == TrajectoryStatus.ACTIEF)
        ).one()
    )


def changed_cohorts(session: Session, since: datetime | None) -> set[int]:
    """Cohorts with a change in their records since `since` (every cohort when None)."""
    query = select(Trajectory.cohort).distinct()
    if since is not None:
        query = query.join(AuditEntry, col(AuditEntry.trajectory_id) == Trajectory.id).where(
            col(AuditEntry.at) > since
        )
    return set(session.exec(query).all())


def active_cohorts(session: Session) -> set[int]:
    return set(
        session.exec(
            select(Trajectory.cohort)
            .distinct()
            .where(col(Trajectory.status) == TrajectoryStatus.ACTIEF)
        ).all()
    )
