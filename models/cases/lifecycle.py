"""The life of a trajectory after its enrolment: correct it, stop it, hold it, restart it.

- `correct`: fix a pupil's name, birth date, PO school, groep or cohort (an enrolment typo).
  A new cohort (or groep-7 exception) moves every date of the plan; that is only done while
  nothing has been answered yet: then the trajectory's step records are dropped and a new flow
  run walks the plan again with the new cohort's calendar. Later, the coordinator stops the
  trajectory and enrols the pupil again.
- `stop`: withdraw a pupil (`overstap stop CODE --reason`): every walk ends, the question it was
  asking is withdrawn; nothing is sent any more (the clock reminds and escalates active walks
  only).
- `hold`: a walk's flow run was cancelled in Prefect by a person: the walk waits
  (`WaitingFor.CANCELLED`) until it is stopped or restarted, and the clock leaves it alone.
- `reopen`: the records side of `overstap restart`: a stopped trajectory (and its tracks that
  still apply) is active again, a held walk is no longer held. The caller starts new flow runs;
  the flow replays from these records, so nothing answered is asked again and no email whose
  natural key is in the outbox is queued again.

Every function changes nothing when it refuses (`LifecycleError`, a Dutch message) and writes one
audit entry when it acts. No name or birth date goes into an audit entry: only which fields
changed (the values live in `Pupil`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from sqlmodel import Session, col, delete, select

from models.cases.casework import NO_TERM
from models.cases.enrolment import name_error, transfer_groep_for
from models.cases.records import _finish, _track_applies
from models.cases.view import find_by_code, load_view
from models.dutch import DATE_HINT, parse_date
from models.enums import MAIN_TRACK, StepStatus, TrajectoryStatus, WaitingFor
from models.plan.calendar import MissingCalendarError
from models.plan.library import get_plan
from models.store.audit import audit
from models.store.clock import local_date, today
from models.store.schools import find_po_school
from models.store.tables import (
    Answer,
    DashboardRefresh,
    Pupil,
    RunState,
    School,
    StepRecord,
    TrackRun,
    Trajectory,
)

CORRECTED = "gecorrigeerd"
STOPPED = "traject_gestopt"
HELD = "run_geannuleerd"
RESTARTED = "traject_herstart"


class LifecycleError(ValueError):
    """A correction, stop or restart that was refused; `errors` are Dutch messages."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def _trajectory(session: Session, code: str) -> Trajectory:
    trajectory = find_by_code(session, code)
    if trajectory is None:
        raise LifecycleError([f"geen traject met code '{code.strip()}'"])
    return trajectory


def _walks(session: Session, trajectory: Trajectory) -> list[tuple[str, RunState]]:
    tracks = session.exec(select(TrackRun).where(TrackRun.trajectory_id == trajectory.id)).all()
    return [(MAIN_TRACK, trajectory), *((t.track, t) for t in tracks)]


# --- correct ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    """What to change; None leaves a field as it is. Text as the user typed it."""

    first_name: str | None = None
    last_name: str | None = None
    birth_date: str | None = None
    school: str | None = None
    groep: str | int | None = None
    cohort: str | int | None = None

    def empty(self) -> bool:
        return all(v is None for v in vars(self).values())


@dataclass
class CorrectionResult:
    code: str
    trajectory_id: UUID
    changed: list[str] = field(default_factory=list)  # Dutch field names
    cohorts: set[int] = field(default_factory=set)  # dashboards to refresh
    retag: bool = False  # the runs' tags (cohort, PO school) changed
    replan: bool = False  # the dates changed: a new flow run must walk the plan again
    old_run: UUID | None = None  # the main run a replan replaces


def correct(session: Session, code: str, wanted: Correction, *, actor: str) -> CorrectionResult:
    """Check and apply a correction in the caller's transaction; `LifecycleError` lists every
    problem (and nothing is changed)."""
    if wanted.empty():
        raise LifecycleError(
            [
                "geef aan wat er verandert: --first-name, --last-name, --birth-date, --school, "
                "--groep of --cohort"
            ]
        )
    trajectory = _trajectory(session, code)
    pupil = session.get(Pupil, trajectory.pupil_id)
    assert pupil is not None
    if pupil.purged_at is not None:
        raise LifecycleError(
            [f"de gegevens van {trajectory.code} zijn al verwijderd (bewaartermijn)"]
        )
    errors: list[str] = []
    changes: dict[str, tuple[object, object]] = {}  # field -> (old, new), for the audit
    private: list[str] = []  # changed personal fields: named in the audit, never their values
    for label, attribute, given in (
        ("voornaam", "first_name", wanted.first_name),
        ("achternaam", "last_name", wanted.last_name),
    ):
        if given is None:
            continue
        value = given.strip()
        problem = name_error(label, value)
        if problem:
            errors.append(problem)
        elif value != getattr(pupil, attribute):
            private.append(label)
    birth: date | None = None
    if wanted.birth_date is not None:
        try:
            birth = parse_date(wanted.birth_date)
        except ValueError:
            errors.append(f"geboortedatum '{wanted.birth_date}' is geen datum ({DATE_HINT})")
        else:
            day = today()
            age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
            if not 8 <= age <= 16:
                errors.append(
                    f"geboortedatum {birth:%d-%m-%Y}: een leerling van {age} jaar "
                    "zit niet in groep 7 of 8"
                )
            elif birth != pupil.birth_date:
                private.append("geboortedatum")
    school: School | None = None
    if wanted.school is not None:
        try:
            school = find_po_school(session, wanted.school)
        except LookupError as exc:
            errors.append(str(exc))
    groep, cohort = pupil.groep, trajectory.cohort
    if wanted.groep is not None:
        try:
            groep = int(str(wanted.groep).strip())
            if groep not in (7, 8):
                errors.append(f"groep moet 7 of 8 zijn, niet {groep}")
        except ValueError:
            errors.append(f"groep '{wanted.groep}' is geen getal")
    if wanted.cohort is not None:
        try:
            cohort = int(str(wanted.cohort).strip())
        except ValueError:
            errors.append(f"cohort '{wanted.cohort}' is geen jaartal")
    transfer_groep = trajectory.transfer_groep
    if (wanted.groep is not None or wanted.cohort is not None) and not errors:
        # The groep is the one at enrolment: the cohort must fit it as it did on that day.
        enrolled = local_date(trajectory.started_at)
        found = transfer_groep_for(groep, cohort, enrolled)
        if isinstance(found, str):
            errors.append(found)
        else:
            transfer_groep = found
            plan = get_plan(trajectory.plan_version)
            try:
                for step in plan.steps:
                    plan.window(step, cohort)
            except MissingCalendarError as exc:
                errors.append(f"cohort {cohort}: {exc}")
    replan = (cohort, transfer_groep) != (trajectory.cohort, trajectory.transfer_groep)
    if replan and not errors:
        answered = session.exec(
            select(Answer.id).where(Answer.trajectory_id == trajectory.id)
        ).first()
        done = session.exec(
            select(StepRecord.id)
            .where(StepRecord.trajectory_id == trajectory.id)
            .where(col(StepRecord.status) == StepStatus.DONE)
        ).first()
        tracks = session.exec(
            select(TrackRun.id).where(TrackRun.trajectory_id == trajectory.id)
        ).first()
        if answered is not None or done is not None or tracks is not None:
            errors.append(
                f"het cohort van {trajectory.code} kan niet meer worden gewijzigd: er is al een "
                "stap beantwoord, en alle datums van het plan hangen van het cohort af. Stop het "
                "traject (overstap stop) en schrijf de leerling opnieuw in"
            )
        elif trajectory.status == TrajectoryStatus.AFGEROND:
            errors.append(f"traject {trajectory.code} is al afgerond")
    if errors:
        raise LifecycleError(errors)
    result = CorrectionResult(trajectory.code, trajectory.id, cohorts={trajectory.cohort})
    if wanted.first_name is not None:
        pupil.first_name = wanted.first_name.strip()
    if wanted.last_name is not None:
        pupil.last_name = wanted.last_name.strip()
    if birth is not None:
        pupil.birth_date = birth
    if school is not None and school.id != pupil.po_school_id:
        old = session.get(School, pupil.po_school_id)
        changes["school"] = (old.brin or old.name if old else None, school.brin or school.name)
        pupil.po_school_id = school.id
        result.retag = True
    if groep != pupil.groep:
        changes["groep"] = (pupil.groep, groep)
        pupil.groep = groep
    if cohort != trajectory.cohort:
        changes["cohort"] = (trajectory.cohort, cohort)
        result.retag = True
    if transfer_groep != trajectory.transfer_groep:
        changes["uitstroom_uit_groep"] = (trajectory.transfer_groep, transfer_groep)
    if replan:
        result.replan = trajectory.status == TrajectoryStatus.ACTIEF
        result.old_run = trajectory.flow_run_id
        _replan(session, trajectory, cohort, transfer_groep)
    result.changed = private + list(changes)
    if not result.changed:
        raise LifecycleError([f"er verandert niets aan {trajectory.code}"])
    session.add(pupil)
    session.add(trajectory)
    result.cohorts.add(trajectory.cohort)
    flag_dashboards(session, result.cohorts)  # the old cohort's and the new one's
    audit(
        session,
        actor=actor,
        action=CORRECTED,
        trajectory_id=trajectory.id,
        detail={
            "velden": result.changed,
            "wijzigingen": {k: {"van": v[0], "naar": v[1]} for k, v in changes.items()},
            "opnieuw_gepland": replan,
        },
    )
    return result


def flag_dashboards(session: Session, cohorts: set[int]) -> None:
    """Mark these cohorts' dashboards out of date: the next clock run refreshes them."""
    session.exec(delete(DashboardRefresh).where(col(DashboardRefresh.cohort).in_(sorted(cohorts))))


def _replan(session: Session, trajectory: Trajectory, cohort: int, transfer_groep: int) -> None:
    """A new cohort before anything was answered: drop the step records (opened, late entries,
    skips) so that the walk takes the new cohort's calendar from step 1."""
    session.exec(delete(StepRecord).where(col(StepRecord.trajectory_id) == trajectory.id))
    trajectory.cohort = cohort
    trajectory.transfer_groep = transfer_groep
    trajectory.waiting_for = WaitingFor.RUNNING
    trajectory.current_step = None
    trajectory.current_question = None
    trajectory.wait_until = None
    trajectory.due = None
    trajectory.pause_key = None
    trajectory.next_term_due = NO_TERM


# --- stop ---------------------------------------------------------------------------------------


@dataclass
class StopResult:
    code: str
    cohort: int
    runs: list[UUID]  # the flow runs to cancel (main and tracks)


def stop(session: Session, code: str, *, reason: str, actor: str) -> StopResult:
    """Withdraw a pupil: every active walk ends as stopped, its open question is withdrawn."""
    reason = reason.strip()
    if not reason:
        raise LifecycleError(["geef een reden op (--reason)"])
    trajectory = _trajectory(session, code)
    if trajectory.status == TrajectoryStatus.GESTOPT:
        raise LifecycleError([f"traject {trajectory.code} is al gestopt"])
    if trajectory.status == TrajectoryStatus.AFGEROND:
        raise LifecycleError([f"traject {trajectory.code} is al afgerond"])
    withdrawn: list[dict[str, object]] = []
    runs: list[UUID] = []
    stopped_tracks: list[str] = []
    for track, row in _walks(session, trajectory):
        if row.status != TrajectoryStatus.ACTIEF:
            continue
        if row.current_question and row.waiting_for in (WaitingFor.ANSWER, WaitingFor.CANCELLED):
            withdrawn.append(
                {"track": track, "stap": row.current_step, "vraag": row.current_question}
            )
        if row.flow_run_id is not None:
            runs.append(row.flow_run_id)
        if track != MAIN_TRACK:
            stopped_tracks.append(track)
        _finish(row, stopped=True)
        session.add(row)
    flag_dashboards(session, {trajectory.cohort})
    audit(
        session,
        actor=actor,
        action=STOPPED,
        trajectory_id=trajectory.id,
        detail={
            "reden": reason,
            "vragen_ingetrokken": withdrawn,
            "tracks": stopped_tracks,
            "door": "coordinator",
        },
    )
    return StopResult(trajectory.code, trajectory.cohort, runs)


# --- hold (a run cancelled in Prefect) -----------------------------------------------------------


def hold(
    session: Session, *, trajectory_id: UUID, track: str, flow_run_id: UUID, reason: str
) -> bool:
    """Put a walk whose run a person cancelled in Prefect on hold; False when it was not active,
    already held, or points at another run by now (then nothing changes)."""
    trajectory = session.get(Trajectory, trajectory_id)
    if trajectory is None or trajectory.status != TrajectoryStatus.ACTIEF:
        return False
    row: RunState | None = trajectory
    if track != MAIN_TRACK:
        row = session.exec(
            select(TrackRun).where(TrackRun.trajectory_id == trajectory_id, TrackRun.track == track)
        ).first()
    if (
        row is None
        or row.status != TrajectoryStatus.ACTIEF
        or row.flow_run_id != flow_run_id
        or row.waiting_for == WaitingFor.CANCELLED
    ):
        return False
    previous = row.waiting_for
    row.waiting_for = WaitingFor.CANCELLED
    session.add(row)
    audit(
        session,
        actor="klok",
        action=HELD,
        trajectory_id=trajectory_id,
        detail={
            "track": track,
            "flow_run_id": str(flow_run_id),
            "stap": row.current_step,
            "wachtte_op": str(previous),
            "reden": reason,
        },
    )
    return True


def held(view_runs: list[RunState]) -> bool:
    """Whether one of a trajectory's walks is on hold (the clock leaves it alone)."""
    return any(r.waiting_for == WaitingFor.CANCELLED for r in view_runs)


# --- restart ------------------------------------------------------------------------------------


@dataclass
class Restart:
    code: str
    trajectory_id: UUID
    cohort: int
    walks: list[tuple[str, UUID | None]]  # (track, the run to replace) per walk to start again


def reopen(session: Session, code: str, *, actor: str) -> Restart:
    """Make a stopped trajectory active again, or release its held walks; the caller starts a new
    flow run per walk. The runtime columns are reset, so the new run records its wait or question
    again (the outbox's natural keys keep the emails from going twice)."""
    trajectory = _trajectory(session, code)
    if trajectory.status == TrajectoryStatus.AFGEROND:
        raise LifecycleError([f"traject {trajectory.code} is afgerond: er is niets te herstarten"])
    walks: list[tuple[str, UUID | None]] = []
    stopped = trajectory.status == TrajectoryStatus.GESTOPT
    view = load_view(session, trajectory.id) if stopped else None
    for track, row in _walks(session, trajectory):
        if stopped:
            if track != MAIN_TRACK:
                assert view is not None
                assert isinstance(row, TrackRun)
                if row.status != TrajectoryStatus.GESTOPT or not _track_applies(view, track, row):
                    continue  # finished, or withdrawn because the route changed
            row.status = TrajectoryStatus.ACTIEF
            row.finished_at = None
        elif row.status != TrajectoryStatus.ACTIEF or row.waiting_for != WaitingFor.CANCELLED:
            continue
        walks.append((track, row.flow_run_id))
        row.waiting_for = WaitingFor.RUNNING
        row.pause_key = None
        session.add(row)
    if not walks:
        raise LifecycleError(
            [
                f"traject {trajectory.code} loopt: het is niet gestopt en geen flow run is "
                "geannuleerd; er is niets te herstarten"
            ]
        )
    flag_dashboards(session, {trajectory.cohort})
    audit(
        session,
        actor=actor,
        action=RESTARTED,
        trajectory_id=trajectory.id,
        detail={"tracks": [t for t, _ in walks], "was_gestopt": stopped},
    )
    return Restart(trajectory.code, trajectory.id, trajectory.cohort, walks)
