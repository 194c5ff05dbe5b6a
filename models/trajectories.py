"""Trajectories: enrolment, the records of each step, and what a trajectory waits for.

Every function takes the session explicitly and is idempotent where a replay may call it twice:
the flow (re-)executes from the top after every resume, and a crash may repeat the last task.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from sqlmodel import Session, col, select

from models.audit import audit
from models.clock import now, today
from models.conditions import Facts
from models.forms import (
    ANSWERED_BY,
    FORMS,
    FormContext,
    FormError,
    expand_fields,
    from_json,
    parse_answer,
    to_json,
)
from models.plan import MissingCalendarError, Plan, get_plan, load_calendars
from models.schools import find_po_school, school_names_by_kind
from models.tables import (
    Answer,
    Pupil,
    RunState,
    School,
    StepRecord,
    TrackRun,
    Trajectory,
    TrajectoryStatus,
    WaitingFor,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud
TUSSENVOEGSELS = {
    "van",
    "de",
    "der",
    "den",
    "het",
    "'t",
    "ter",
    "ten",
    "te",
    "op",
    "in",
    "la",
    "le",
}
_NAME = re.compile(r"^[^\x00-\x1f<>{}\[\]\\|@#$%^*=+~`\d]+$")


class EnrollmentError(ValueError):
    """Enrolment input that was refused; `errors` are Dutch messages."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class AnswerError(ValueError):
    """An answer from the command line that cannot be given; Dutch messages in `errors`."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def last_name_initial(last_name: str) -> str:
    """The initial a Dutch reader expects: 'van den Berg' -> 'B'."""
    words = [w for w in last_name.split() if w.casefold() not in TUSSENVOEGSELS]
    word = words[0] if words else last_name.strip()
    return word[:1].upper()


def school_year_end(day: date) -> int:
    """The calendar year in which the school year containing `day` ends (1 August to 31 July)."""
    return day.year + 1 if day.month >= 8 else day.year


_PAUSE_KEY = re.compile(r"^stap-(\d+)-([a-z0-9-]+)-(\d+)$")


def pause_key(step: int, question: str, attempt: int) -> str:
    """The explicit, stable pause key of one question's attempt (never Prefect's counter).

    Prefect accepts only lowercase letters, digits and dashes in input keys, so the question key's
    underscores become dashes (question keys hold no dashes, so this is reversible).
    """
    return f"stap-{step}-{question.replace('_', '-')}-{attempt}"


def parse_pause_key(key: str) -> tuple[int, str, int] | None:
    """Inverse of `pause_key`; None for the keys of date waits."""
    match = _PAUSE_KEY.match(key)
    if match is None:
        return None
    return int(match.group(1)), match.group(2).replace("-", "_"), int(match.group(3))


# --- reading ------------------------------------------------------------------------------------


@dataclass
class TrajectoryView:
    """One trajectory with everything the flow and the CLI read about it."""

    trajectory: Trajectory
    pupil: Pupil
    po_school: School
    vo_school: School | None
    records: dict[int, StepRecord]
    answers: list[Answer]
    tracks: dict[str, TrackRun] = field(default_factory=dict)
    facts: Facts = field(init=False)

    def __post_init__(self) -> None:
        plan = get_plan(self.trajectory.plan_version)
        final: dict[tuple[int, str], Mapping[str, Any]] = {}
        for answer in self.answers:
            if answer.accepted and answer.final:
                form = plan.step(answer.step).question(answer.question).form
                final[(answer.step, answer.question)] = from_json(form, answer.payload)
        self.facts = Facts(final)

    def runs(self) -> list[RunState]:
        """The run states of the main walk and of every track, main walk first."""
        return [self.trajectory, *self.tracks.values()]

    @property
    def plan(self) -> Plan:
        return get_plan(self.trajectory.plan_version)

    @property
    def pupil_label(self) -> str:
        """First name and initial: what a form or email may show."""
        return f"{self.pupil.first_name} {last_name_initial(self.pupil.last_name)}."

    @property
    def finished(self) -> bool:
        return self.trajectory.status != TrajectoryStatus.ACTIEF

    def attempts(self, step: int, question: str) -> int:
        return sum(1 for a in self.answers if a.step == step and a.question == question)

    def previous_attempt(self, step: int, question: str) -> Answer | None:
        """The last answer that left this question open (rejected or interim), if any."""
        earlier = [
            a
            for a in self.answers
            if a.step == step and a.question == question and not (a.accepted and a.final)
        ]
        return max(earlier, key=lambda a: a.attempt) if earlier else None

    def interim_answers(self, step: int, question: str) -> list[Answer]:
        return [
            a
            for a in self.answers
            if a.step == step and a.question == question and a.accepted and not a.final
        ]


def load_view(session: Session, trajectory_id: UUID) -> TrajectoryView | None:
    """Read one trajectory with its pupil, schools, step records and answers."""
    trajectory = session.get(Trajectory, trajectory_id)
    if trajectory is None:
        return None
    pupil = session.get(Pupil, trajectory.pupil_id)
    assert pupil is not None
    po_school = session.get(School, pupil.po_school_id)
    assert po_school is not None
    vo_school = session.get(School, trajectory.vo_school_id) if trajectory.vo_school_id else None
    records = {
        r.step: r
        for r in session.exec(
            select(StepRecord).where(StepRecord.trajectory_id == trajectory_id)
        ).all()
    }
    answers = list(
        session.exec(
            select(Answer)
            .where(Answer.trajectory_id == trajectory_id)
            .order_by(col(Answer.step), col(Answer.attempt))
        ).all()
    )
    tracks = {
        t.track: t
        for t in session.exec(select(TrackRun).where(TrackRun.trajectory_id == trajectory_id))
    }
    return TrajectoryView(trajectory, pupil, po_school, vo_school, records, answers, tracks)


def load_views(session: Session) -> list[TrajectoryView]:
    """Every trajectory as a view, read in a handful of queries (status, dashboards)."""
    schools = {s.id: s for s in session.exec(select(School)).all()}
    pupils = {p.id: p for p in session.exec(select(Pupil)).all()}
    records: dict[UUID, dict[int, StepRecord]] = {}
    for record in session.exec(select(StepRecord)).all():
        records.setdefault(record.trajectory_id, {})[record.step] = record
    answers: dict[UUID, list[Answer]] = {}
    for answer in session.exec(
        select(Answer).order_by(col(Answer.step), col(Answer.attempt))
    ).all():
        answers.setdefault(answer.trajectory_id, []).append(answer)
    tracks: dict[UUID, dict[str, TrackRun]] = {}
    for track in session.exec(select(TrackRun)).all():
        tracks.setdefault(track.trajectory_id, {})[track.track] = track
    views = []
    for trajectory in session.exec(
        select(Trajectory).order_by(col(Trajectory.cohort), col(Trajectory.code))
    ).all():
        pupil = pupils[trajectory.pupil_id]
        views.append(
            TrajectoryView(
                trajectory,
                pupil,
                schools[pupil.po_school_id],
                schools.get(trajectory.vo_school_id) if trajectory.vo_school_id else None,
                records.get(trajectory.id, {}),
                answers.get(trajectory.id, []),
                tracks.get(trajectory.id, {}),
            )
        )
    return views


def find_by_code(session: Session, code: str) -> Trajectory | None:
    return session.exec(select(Trajectory).where(Trajectory.code == code.strip().upper())).first()


def form_context(session: Session, view: TrajectoryView, step: int | None = None) -> FormContext:
    """What a form's rules need; at step 22 the route is that of the grensgebied TLV request."""
    route = view.facts.route.value
    outcome = str(view.facts.value(22, "overleg", "uitkomst") or "")
    if step == 22 and outcome.startswith("TLV"):
        route = "pro" if "PRO" in outcome else "vso"
    return FormContext(
        today=today(),
        route=route,
        school_choices=school_names_by_kind(session),
        transfer_groep=view.trajectory.transfer_groep,
    )


# --- enrolment ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnrollmentInput:
    first_name: str
    last_name: str
    birth_date: str | date
    school: str
    groep: str | int
    cohort: str | int


@dataclass(frozen=True)
class CheckedEnrollment:
    first_name: str
    last_name: str
    birth_date: date
    school: School
    groep: int
    cohort: int
    transfer_groep: int


def _parse_date(text: str | date) -> date:
    if isinstance(text, date):
        return text
    value = text.strip()
    for pattern in (r"^(\d{4})-(\d{2})-(\d{2})$", r"^(\d{1,2})-(\d{1,2})-(\d{4})$"):
        match = re.match(pattern, value)
        if match:
            a, b, c = (int(g) for g in match.groups())
            return date(a, b, c) if len(match.group(1)) == 4 else date(c, b, a)
    raise ValueError(value)


def check_enrollment(session: Session, raw: EnrollmentInput, plan: Plan) -> CheckedEnrollment:
    """Validate one pupil's enrolment; `EnrollmentError` lists every problem in Dutch."""
    errors: list[str] = []
    first, last = raw.first_name.strip(), raw.last_name.strip()
    for label, value in (("voornaam", first), ("achternaam", last)):
        if not value:
            errors.append(f"{label} is leeg")
        elif len(value) > 100 or not _NAME.match(value):
            errors.append(f"{label} '{value}' bevat tekens die niet in een naam horen")
    birth: date | None = None
    try:
        birth = _parse_date(raw.birth_date)
    except ValueError:
        errors.append(f"geboortedatum '{raw.birth_date}' is geen datum (JJJJ-MM-DD)")
    school: School | None = None
    try:
        school = find_po_school(session, raw.school)
    except LookupError as exc:
        errors.append(str(exc))
    groep = cohort = 0
    try:
        groep = int(str(raw.groep).strip())
        if groep not in (7, 8):
            errors.append(f"groep moet 7 of 8 zijn, niet {groep}")
    except ValueError:
        errors.append(f"groep '{raw.groep}' is geen getal")
    try:
        cohort = int(str(raw.cohort).strip())
    except ValueError:
        errors.append(f"cohort '{raw.cohort}' is geen jaartal")
    transfer_groep = 8
    current = today()
    if groep in (7, 8) and cohort:
        regular = school_year_end(current) + (8 - groep)
        if cohort == regular:
            transfer_groep = 8
        elif groep == 7 and cohort == school_year_end(current):
            transfer_groep = 7  # the groep-7 exception: to VO one year early
        else:
            errors.append(
                f"een leerling in groep {groep} start in augustus {regular} in het VO; "
                f"cohort {cohort} past daar niet bij"
            )
    if birth is not None:
        age = current.year - birth.year - ((current.month, current.day) < (birth.month, birth.day))
        if not 8 <= age <= 16:
            errors.append(
                f"geboortedatum {birth:%d-%m-%Y}: een leerling van {age} jaar "
                "zit niet in groep 7 of 8"
            )
    if cohort and not errors:
        try:
            calendars = load_calendars()
            for step in plan.steps:
                plan.window(step, cohort, calendars)
        except MissingCalendarError as exc:
            errors.append(f"cohort {cohort}: {exc}")
    if school is not None and birth is not None and not errors:
        duplicate = session.exec(
            select(Trajectory)
            .join(Pupil)
            .where(
                Pupil.first_name == first,
                Pupil.last_name == last,
                Pupil.birth_date == birth,
                Pupil.po_school_id == school.id,
            )
        ).first()
        if duplicate is not None:
            errors.append(f"deze leerling staat al ingeschreven (code {duplicate.code})")
    if errors:
        raise EnrollmentError(errors)
    assert birth is not None
    assert school is not None
    return CheckedEnrollment(first, last, birth, school, groep, cohort, transfer_groep)


def _new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
        if find_by_code(session, code) is None:
            return code


def enroll(session: Session, checked: CheckedEnrollment, *, plan: Plan, actor: str) -> Trajectory:
    """Create the pupil and their trajectory (no flow run yet: the caller starts it)."""
    moment = now()
    pupil = Pupil(
        first_name=checked.first_name,
        last_name=checked.last_name,
        birth_date=checked.birth_date,
        po_school_id=checked.school.id,
        groep=checked.groep,
        created_at=moment,
    )
    session.add(pupil)
    session.flush()
    trajectory = Trajectory(
        pupil_id=pupil.id,
        code=_new_code(session),
        cohort=checked.cohort,
        transfer_groep=checked.transfer_groep,
        plan_version=plan.version,
        started_at=moment,
    )
    session.add(trajectory)
    session.flush()
    audit(
        session,
        actor=actor,
        action="ingeschreven",
        trajectory_id=trajectory.id,
        detail={
            "code": trajectory.code,
            "cohort": trajectory.cohort,
            "groep": checked.groep,
            "uitstroom_uit_groep": checked.transfer_groep,
            "plan": plan.version,
        },
    )
    return trajectory


# --- answers from the command line --------------------------------------------------------------


def _coerce_cli_value(kind: str, text: str) -> Any:
    if kind == "int":
        try:
            return int(text.strip())
        except ValueError:
            return text
    if kind == "bool":
        lowered = text.strip().casefold()
        mapping = {"ja": True, "j": True, "nee": False, "n": False}
        return mapping.get(lowered, text)
    if kind == "date":
        try:
            return _parse_date(text)
        except ValueError:
            return text
    return text


@dataclass(frozen=True)
class PreparedAnswer:
    """A checked command-line answer, ready to resume the run that waits for it."""

    code: str
    flow_run_id: UUID | None
    run_input: dict[str, Any]


def prepare_cli_answer(
    session: Session, *, code: str, step: int, fields: Mapping[str, str], answered_by: str
) -> PreparedAnswer:
    """Check an answer given as field=value pairs for the run (main or track) asking `step`.

    Raises `AnswerError` (Dutch) when no run of the trajectory waits for an answer at this step
    or the answer does not fit the form; nothing is changed.
    """
    trajectory = find_by_code(session, code)
    if trajectory is None:
        raise AnswerError([f"geen traject met code '{code}'"])
    if trajectory.status != TrajectoryStatus.ACTIEF:
        raise AnswerError([f"traject {trajectory.code} is {trajectory.status}"])
    view = load_view(session, trajectory.id)
    assert view is not None
    runs = view.runs()
    asking = [
        r
        for r in runs
        if r.status == TrajectoryStatus.ACTIEF
        and r.waiting_for == WaitingFor.ANSWER
        and r.current_question is not None
    ]
    if not asking:
        waiting = (
            f"wacht tot {trajectory.wait_until:%d-%m-%Y} op stap {trajectory.current_step}"
            if trajectory.waiting_for == WaitingFor.DATE and trajectory.wait_until
            else "wacht niet op een antwoord"
        )
        raise AnswerError([f"traject {trajectory.code} {waiting}"])
    run = next((r for r in asking if r.current_step == step), None)
    if run is None or run.current_question is None:
        open_steps = " en ".join(str(r.current_step) for r in asking)
        raise AnswerError(
            [
                f"traject {trajectory.code} wacht op een antwoord bij stap {open_steps}, "
                f"niet bij stap {step}"
            ]
        )
    form = view.plan.step(step).question(run.current_question).form
    ctx = form_context(session, view, step)
    kinds = {f.name: f.kind for f in expand_fields(FORMS[form], ctx)}
    raw: dict[str, Any] = {ANSWERED_BY: answered_by}
    for name, text in fields.items():
        raw[name] = _coerce_cli_value(kinds.get(name, "text"), text)
    try:
        values = parse_answer(form, raw, ctx)
    except FormError as exc:
        raise AnswerError(exc.errors) from None
    from models.casework import check_answer  # casework builds on this module

    errors = check_answer(view, step, run.current_question, values)
    if errors:
        raise AnswerError(errors)
    return PreparedAnswer(trajectory.code, run.flow_run_id, to_json(values))
