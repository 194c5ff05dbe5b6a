"""What each trajectory waits for, as `overstap status` (and the dashboards) show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from sqlmodel import Session

from models.cases.casework import OpenDeadline, open_deadlines
from models.cases.view import TrajectoryView, load_views
from models.enums import MAIN_TRACK, StepStatus, WaitingFor
from models.store import clock
from models.store.tables import RunState, TrackRun, Trajectory


@dataclass
class TrackState:
    track: str
    status: str
    current_step: int | None
    waiting_for: str
    due: date | None
    flow_run_id: UUID | None

    def as_json(self) -> dict[str, Any]:
        return {
            "track": self.track,
            "status": self.status,
            "current_step": self.current_step,
            "waiting_for": self.waiting_for,
            "due": self.due.isoformat() if self.due else None,
            "flow_run_id": str(self.flow_run_id) if self.flow_run_id else None,
        }


@dataclass
class StatusRow:
    trajectory_id: UUID
    code: str
    cohort: int
    route: str
    status: str
    current_step: int | None
    current_question: str | None
    waiting_for: str
    wait_until: date | None
    due: date | None
    flow_run_id: UUID | None
    steps_done: list[int]
    steps_skipped: list[int]
    pupil_label: str
    po_school: str
    po_brin: str | None
    vo_school: str | None
    tracks: list[TrackState] = field(default_factory=list)
    deadlines: list[OpenDeadline] = field(default_factory=list)
    waiting_on: list[str] = field(default_factory=list)
    overdue: bool = False
    prefect_state: str | None = None
    missing_contacts: list[dict[str, Any]] = field(default_factory=list)
    steps_late_entry: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "trajectory_id": str(self.trajectory_id),
            "code": self.code,
            "cohort": self.cohort,
            "route": self.route,
            "status": self.status,
            "current_step": self.current_step,
            "current_question": self.current_question,
            "waiting_for": self.waiting_for,
            "wait_until": self.wait_until.isoformat() if self.wait_until else None,
            "due": self.due.isoformat() if self.due else None,
            "flow_run_id": str(self.flow_run_id) if self.flow_run_id else None,
            "steps_done": self.steps_done,
            "steps_skipped": self.steps_skipped,
            "steps_late_entry": self.steps_late_entry,
            "po_school": self.po_school,
            "vo_school": self.vo_school,
            "tracks": [t.as_json() for t in self.tracks],
            "deadlines": [d.as_json() for d in self.deadlines],
            "waiting_on": self.waiting_on,
            "overdue": self.overdue,
            "prefect_state": self.prefect_state,
            "missing_contacts": self.missing_contacts,
        }


def _track_state(row: TrackRun) -> TrackState:
    return TrackState(
        row.track, row.status, row.current_step, row.waiting_for, row.due, row.flow_run_id
    )


def _waiting_on(view: TrajectoryView) -> list[str]:
    """The roles whose answer an open question of the trajectory (any track) waits for."""
    roles: list[str] = []
    for row in view.runs():
        if row.waiting_for != WaitingFor.ANSWER or not row.current_step or not row.current_question:
            continue
        question = view.plan.step(row.current_step).question(row.current_question)
        roles += [r.value for r in question.roles]
        if question.recorded_by is not None:
            roles.append(question.recorded_by.value)
    return list(dict.fromkeys(roles))


def status_row(view: TrajectoryView, today: date | None = None) -> StatusRow:
    """The status of one trajectory. While the main walk waits for a track, the row shows what
    that track waits for (the question or date the pupil is really waiting on)."""
    t: Trajectory = view.trajectory
    shown: RunState = t
    if t.waiting_for == WaitingFor.TRACK and t.current_step is not None:
        # Show the track the walk waits for here, one that asks a question first.
        awaited = [
            view.tracks[name]
            for name in view.plan.step(t.current_step).after
            if name in view.tracks and view.tracks[name].status == "actief"
        ]
        awaited.sort(key=lambda r: r.waiting_for != WaitingFor.ANSWER)
        if awaited:
            shown = awaited[0]
    held = [r for r in view.runs() if r.waiting_for == WaitingFor.CANCELLED]
    if held:
        shown = held[0]  # a run cancelled in Prefect: the trajectory waits for stop or restart
    return StatusRow(
        trajectory_id=t.id,
        code=t.code,
        cohort=t.cohort,
        route=t.route,
        status=t.status,
        current_step=shown.current_step,
        current_question=shown.current_question,
        waiting_for=shown.waiting_for,
        wait_until=shown.wait_until,
        due=shown.due,
        flow_run_id=shown.flow_run_id,
        steps_done=sorted(n for n, r in view.records.items() if r.status == StepStatus.DONE),
        steps_skipped=sorted(n for n, r in view.records.items() if r.status == StepStatus.SKIPPED),
        steps_late_entry=sorted(
            n for n, r in view.records.items() if r.status == StepStatus.LATE_ENTRY
        ),
        pupil_label=view.pupil_label,
        po_school=view.po_school.name,
        po_brin=view.po_school.brin,
        vo_school=view.vo_school.name if view.vo_school else None,
        tracks=[_track_state(r) for r in view.tracks.values()],
        deadlines=(deadlines := open_deadlines(view)),
        waiting_on=_waiting_on(view),
        overdue=any(d.overdue(today or clock.today()) for d in deadlines),
    )


def status_rows(session: Session) -> list[StatusRow]:
    """One row per trajectory, ordered by cohort and code."""
    day = clock.today()
    return [status_row(view, day) for view in load_views(session)]


@dataclass(frozen=True)
class StatusFilter:
    """The filters of `overstap status`; None means any."""

    cohort: int | None = None
    school: str | None = None  # BRIN or name of the PO or VO school
    route: str | None = None
    overdue: bool = False
    waiting_on: str | None = None  # a role value

    def matches(self, row: StatusRow) -> bool:
        if self.cohort is not None and row.cohort != self.cohort:
            return False
        if self.route is not None and row.route != self.route:
            return False
        if self.overdue and not row.overdue:
            return False
        if self.waiting_on is not None and self.waiting_on not in row.waiting_on:
            return False
        if self.school is not None:
            wanted = self.school.strip().casefold()
            names = {row.po_school.casefold(), (row.vo_school or "").casefold()}
            if wanted not in names and wanted != (row.po_brin or "").casefold():
                return False
        return True


def filtered(rows: list[StatusRow], wanted: StatusFilter) -> list[StatusRow]:
    return [row for row in rows if wanted.matches(row)]


__all__ = [
    "MAIN_TRACK",
    "StatusFilter",
    "StatusRow",
    "TrackState",
    "filtered",
    "status_row",
    "status_rows",
]
