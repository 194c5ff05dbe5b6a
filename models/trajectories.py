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
    from_json,
    parse_answer,
    to_json,
)
from models.plan import MissingCalendarError, Plan, get_plan, load_calendars
from models.schools import find_po_school, school_names_by_kind
from models.tables import (
    Answer,
    Pupil,
    School,
    StepRecord,
    StepStatus,
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
    facts: Facts = field(init=False)

    def __post_init__(self) -> None:
        plan = get_plan(self.trajectory.plan_version)
        accepted: dict[tuple[int, str], Mapping[str, Any]] = {}
        for answer in self.answers:
            if answer.accepted:
                form = plan.step(answer.step).question(answer.question).form
                accepted[(answer.step, answer.question)] = from_json(form, answer.payload)
        self.facts = Facts(accepted)

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

    def last_rejection(self, step: int, question: str) -> Answer | None:
        rejected = [
            a for a in self.answers if a.step == step and a.question == question and not a.accepted
        ]
        return max(rejected, key=lambda a: a.attempt) if rejected else None


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
    return TrajectoryView(trajectory, pupil, po_school, vo_school, records, answers)


def find_by_code(session: Session, code: str) -> Trajectory | None:
    return session.exec(select(Trajectory).where(Trajectory.code == code.strip().upper())).first()


def form_context(session: Session, view: TrajectoryView) -> FormContext:
    return FormContext(
        today=today(),
        route=view.facts.route.value,
        school_choices=school_names_by_kind(session),
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


# --- step records (written by the flow's tasks) -------------------------------------------------


def _trajectory(session: Session, trajectory_id: UUID) -> Trajectory:
    trajectory = session.get(Trajectory, trajectory_id)
    if trajectory is None:
        raise LookupError(f"traject {trajectory_id} bestaat niet")
    return trajectory


def _record(session: Session, trajectory_id: UUID, step: int) -> StepRecord | None:
    return session.exec(
        select(StepRecord).where(StepRecord.trajectory_id == trajectory_id, StepRecord.step == step)
    ).first()


def record_wait(session: Session, *, trajectory_id: UUID, step: int, until: date, due: date) -> str:
    """Note that the trajectory waits until `until` for `step`; return a fresh pause key."""
    trajectory = _trajectory(session, trajectory_id)
    trajectory.wait_seq += 1
    trajectory.waiting_for = WaitingFor.DATE
    trajectory.wait_until = until
    trajectory.current_step = step
    trajectory.current_question = None
    trajectory.due = due
    trajectory.pause_key = f"wacht-{trajectory.wait_seq}"
    session.add(trajectory)
    audit(
        session,
        actor="systeem",
        action="wacht",
        trajectory_id=trajectory_id,
        detail={"stap": step, "tot": until.isoformat()},
    )
    return trajectory.pause_key


def open_step(session: Session, *, trajectory_id: UUID, step: int, opens: date, due: date) -> None:
    """Record that `step` opened today; a second call changes nothing."""
    if _record(session, trajectory_id, step) is not None:
        return
    moment = now()
    session.add(
        StepRecord(
            trajectory_id=trajectory_id,
            step=step,
            status=StepStatus.OPEN,
            opened_on=moment.date(),
            due_by=due,
            opened_at=moment,
        )
    )
    trajectory = _trajectory(session, trajectory_id)
    trajectory.current_step = step
    trajectory.current_question = None
    trajectory.waiting_for = WaitingFor.RUNNING
    trajectory.wait_until = None
    trajectory.due = due
    session.add(trajectory)
    audit(
        session,
        actor="systeem",
        action="stap_geopend",
        trajectory_id=trajectory_id,
        detail={"stap": step, "periode_vanaf": opens.isoformat(), "uiterlijk": due.isoformat()},
    )


def skip_step(session: Session, *, trajectory_id: UUID, step: int, reason: str) -> None:
    """Record that `step` does not apply; a second call changes nothing."""
    if _record(session, trajectory_id, step) is not None:
        return
    moment = now()
    session.add(
        StepRecord(
            trajectory_id=trajectory_id,
            step=step,
            status=StepStatus.SKIPPED,
            closed_at=moment,
            note=reason,
        )
    )
    audit(
        session,
        actor="systeem",
        action="stap_overgeslagen",
        trajectory_id=trajectory_id,
        detail={"stap": step, "reden": reason},
    )


def record_asking(
    session: Session, *, trajectory_id: UUID, step: int, question: str, pause_key: str, due: date
) -> None:
    """Note that the trajectory now waits for an answer to `question` of `step`."""
    trajectory = _trajectory(session, trajectory_id)
    if trajectory.pause_key == pause_key and trajectory.waiting_for == WaitingFor.ANSWER:
        return
    trajectory.waiting_for = WaitingFor.ANSWER
    trajectory.current_step = step
    trajectory.current_question = question
    trajectory.pause_key = pause_key
    trajectory.wait_until = None
    trajectory.due = due
    session.add(trajectory)
    audit(
        session,
        actor="systeem",
        action="vraag_gesteld",
        trajectory_id=trajectory_id,
        detail={
            "stap": step,
            "vraag": question,
            "sleutel": pause_key,
            "uiterlijk": due.isoformat(),
        },
    )


@dataclass(frozen=True)
class AnswerOutcome:
    accepted: bool
    errors: list[str]


def record_answer(
    session: Session,
    *,
    trajectory_id: UUID,
    step: int,
    question: str,
    attempt: int,
    raw: Mapping[str, Any],
    flow_run_id: UUID | None,
) -> AnswerOutcome:
    """Check and store the answer to one attempt; the same attempt twice gives the same outcome."""
    existing = session.exec(
        select(Answer).where(
            Answer.trajectory_id == trajectory_id,
            Answer.step == step,
            Answer.question == question,
            Answer.attempt == attempt,
        )
    ).first()
    if existing is not None:
        return AnswerOutcome(existing.accepted, list(existing.errors))
    view = load_view(session, trajectory_id)
    if view is None:
        raise LookupError(f"traject {trajectory_id} bestaat niet")
    form = view.plan.step(step).question(question).form
    ctx = form_context(session, view)
    errors: list[str] = []
    values: dict[str, Any] = dict(raw)
    try:
        values = parse_answer(form, raw, ctx)
    except FormError as exc:
        errors = exc.errors
    moment = now()
    answered_by = str(raw.get(ANSWERED_BY, "")).strip()[:200] or "onbekend"
    payload = to_json(values)
    session.add(
        Answer(
            trajectory_id=trajectory_id,
            step=step,
            question=question,
            attempt=attempt,
            accepted=not errors,
            answered_by=answered_by,
            answered_at=moment,
            payload=payload,
            errors=errors,
            flow_run_id=flow_run_id,
        )
    )
    if not errors:
        record = _record(session, trajectory_id, step)
        if record is not None:
            record.answer = {**(record.answer or {}), question: payload}
            record.answered_by = answered_by
            record.answered_at = moment
            session.add(record)
        trajectory = view.trajectory
        trajectory.waiting_for = WaitingFor.RUNNING
        session.add(trajectory)
        session.flush()
        _apply_facts(session, trajectory_id)
    audit(
        session,
        actor=answered_by,
        action="antwoord" if not errors else "antwoord_afgewezen",
        trajectory_id=trajectory_id,
        detail={"stap": step, "vraag": question, "poging": attempt, "fouten": errors},
    )
    return AnswerOutcome(not errors, errors)


def _apply_facts(session: Session, trajectory_id: UUID) -> None:
    """Copy what the answers decided (route, VO school) onto the trajectory row."""
    view = load_view(session, trajectory_id)
    assert view is not None
    trajectory = view.trajectory
    trajectory.route = view.facts.route.value
    school_name = view.facts.vo_school_name
    school = None
    if school_name:
        school = session.exec(
            select(School).where(School.name == school_name, School.kind != "PO")
        ).first()
    trajectory.vo_school_id = school.id if school else None
    session.add(trajectory)


def close_step(session: Session, *, trajectory_id: UUID, step: int) -> None:
    """Close an open step: done when something was answered or nothing was asked, else skipped."""
    record = _record(session, trajectory_id, step)
    if record is None or record.status != StepStatus.OPEN:
        return
    trajectory = _trajectory(session, trajectory_id)
    plan = get_plan(trajectory.plan_version)
    asked = bool(plan.step(step).questions)
    if asked and not record.answer:
        record.status = StepStatus.SKIPPED
        record.note = "geen van de vragen van deze stap is van toepassing"
    else:
        record.status = StepStatus.DONE
    record.closed_at = now()
    session.add(record)
    audit(
        session,
        actor="systeem",
        action="stap_afgerond",
        trajectory_id=trajectory_id,
        detail={"stap": step, "status": record.status},
    )


def end_trajectory(session: Session, *, trajectory_id: UUID, stopped: bool, reason: str) -> None:
    """Finish (all steps walked) or stop (step 5 said no) a trajectory; idempotent."""
    trajectory = _trajectory(session, trajectory_id)
    if trajectory.status != TrajectoryStatus.ACTIEF:
        return
    trajectory.status = TrajectoryStatus.GESTOPT if stopped else TrajectoryStatus.AFGEROND
    trajectory.waiting_for = WaitingFor.STOPPED if stopped else WaitingFor.DONE
    trajectory.current_step = None
    trajectory.current_question = None
    trajectory.wait_until = None
    trajectory.due = None
    trajectory.pause_key = None
    trajectory.finished_at = now()
    session.add(trajectory)
    audit(
        session,
        actor="systeem",
        action="traject_gestopt" if stopped else "traject_afgerond",
        trajectory_id=trajectory_id,
        detail={"reden": reason},
    )


def set_flow_run(
    session: Session,
    *,
    trajectory_id: UUID,
    flow_run_id: UUID,
    expected: UUID | None,
    reason: str,
    actor: str,
) -> bool:
    """Point the trajectory at a new flow run, only if it still points at `expected`."""
    trajectory = _trajectory(session, trajectory_id)
    if trajectory.flow_run_id == flow_run_id:
        return True
    if trajectory.flow_run_id != expected:
        return False
    trajectory.flow_run_id = flow_run_id
    session.add(trajectory)
    audit(
        session,
        actor=actor,
        action="flow_run",
        trajectory_id=trajectory_id,
        detail={
            "flow_run_id": str(flow_run_id),
            "vorige": str(expected) if expected else None,
            "reden": reason,
        },
    )
    return True


# --- answers from the command line --------------------------------------------------------------


def _coerce_cli_value(kind: str, text: str) -> Any:
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


def prepare_cli_answer(
    session: Session, *, code: str, step: int, fields: Mapping[str, str], answered_by: str
) -> tuple[Trajectory, dict[str, Any]]:
    """Check an answer given as field=value pairs; return the trajectory and the form input.

    Raises `AnswerError` (Dutch) when the trajectory is not waiting for this step or the answer
    does not fit the form; nothing is changed.
    """
    trajectory = find_by_code(session, code)
    if trajectory is None:
        raise AnswerError([f"geen traject met code '{code}'"])
    if trajectory.status != TrajectoryStatus.ACTIEF:
        raise AnswerError([f"traject {trajectory.code} is {trajectory.status}"])
    if trajectory.waiting_for != WaitingFor.ANSWER or trajectory.current_question is None:
        waiting = (
            f"wacht tot {trajectory.wait_until:%d-%m-%Y} op stap {trajectory.current_step}"
            if trajectory.waiting_for == WaitingFor.DATE and trajectory.wait_until
            else "wacht niet op een antwoord"
        )
        raise AnswerError([f"traject {trajectory.code} {waiting}"])
    if trajectory.current_step != step:
        raise AnswerError(
            [
                f"traject {trajectory.code} wacht op een antwoord bij stap "
                f"{trajectory.current_step}, "
                f"niet bij stap {step}"
            ]
        )
    view = load_view(session, trajectory.id)
    assert view is not None
    form = view.plan.step(step).question(trajectory.current_question).form
    kinds = {f.name: f.kind for f in FORMS[form].fields}
    raw: dict[str, Any] = {ANSWERED_BY: answered_by}
    for name, text in fields.items():
        raw[name] = _coerce_cli_value(kinds.get(name, "text"), text)
    try:
        values = parse_answer(form, raw, form_context(session, view))
    except FormError as exc:
        raise AnswerError(exc.errors) from None
    return trajectory, to_json(values)


# --- status -------------------------------------------------------------------------------------


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
    vo_school: str | None
    prefect_state: str | None = None

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
            "po_school": self.po_school,
            "vo_school": self.vo_school,
            "prefect_state": self.prefect_state,
        }


def status_rows(session: Session) -> list[StatusRow]:
    """One row per trajectory, ordered by cohort and code (four queries in all)."""
    schools = {s.id: s for s in session.exec(select(School)).all()}
    pupils = {p.id: p for p in session.exec(select(Pupil)).all()}
    done: dict[UUID, list[int]] = {}
    skipped: dict[UUID, list[int]] = {}
    for record in session.exec(select(StepRecord).order_by(col(StepRecord.step))).all():
        if record.status == StepStatus.DONE:
            done.setdefault(record.trajectory_id, []).append(record.step)
        elif record.status == StepStatus.SKIPPED:
            skipped.setdefault(record.trajectory_id, []).append(record.step)
    rows = []
    trajectories = session.exec(
        select(Trajectory).order_by(col(Trajectory.cohort), col(Trajectory.code))
    ).all()
    for t in trajectories:
        pupil = pupils[t.pupil_id]
        vo = schools.get(t.vo_school_id) if t.vo_school_id else None
        rows.append(
            StatusRow(
                trajectory_id=t.id,
                code=t.code,
                cohort=t.cohort,
                route=t.route,
                status=t.status,
                current_step=t.current_step,
                current_question=t.current_question,
                waiting_for=t.waiting_for,
                wait_until=t.wait_until,
                due=t.due,
                flow_run_id=t.flow_run_id,
                steps_done=done.get(t.id, []),
                steps_skipped=skipped.get(t.id, []),
                pupil_label=f"{pupil.first_name} {last_name_initial(pupil.last_name)}.",
                po_school=schools[pupil.po_school_id].name,
                vo_school=vo.name if vo else None,
            )
        )
    return rows
