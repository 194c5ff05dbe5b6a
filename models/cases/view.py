"""One trajectory as the flow, the rules and the reports read it: records, answers, facts.

`TrajectoryView` holds a trajectory with its pupil, schools, step records, answers and tracks,
and the `Facts` (accepted final answers by purpose) that the plan's conditions and the legal
terms read. Loading is read-only; writing is `models.cases.records`' business.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from sqlmodel import Session, col, select

from models.enums import TrajectoryStatus, WaitingFor
from models.plan.conditions import Facts
from models.plan.forms import FormContext, from_json
from models.plan.library import get_plan
from models.plan.purposes import Purpose
from models.plan.steps import Plan, Question, Step
from models.store.clock import local_date, today
from models.store.schools import school_names_by_kind
from models.store.tables import Answer, Pupil, RunState, School, StepRecord, TrackRun, Trajectory

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


@dataclass(frozen=True)
class WaitingQuestion:
    """A question a run of the trajectory waits for: the run's row, the step, the question and
    its due date."""

    row: RunState
    step: Step
    question: Question
    due: date

    def late(self, today: date, enrolled_on: date) -> bool:
        """Past its due date; never for a due date before the enrolment (ingestroomd)."""
        return today > self.due and self.due >= enrolled_on


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
        plan = self.plan
        final: dict[str, Mapping[str, Any]] = {}
        for answer in self.answers:
            if answer.accepted and answer.final:
                question = plan.step(answer.step).question(answer.question)
                final[question.purpose] = from_json(question.form, answer.payload)
        self.facts = Facts(final)

    def runs(self) -> list[RunState]:
        """The run states of the main walk and of every track, main walk first."""
        return [self.trajectory, *self.tracks.values()]

    def waiting_questions(self) -> list[WaitingQuestion]:
        """The questions the active runs (main walk and tracks) wait for now, main walk first."""
        found = []
        for row in self.runs():
            if row.status != TrajectoryStatus.ACTIEF or row.waiting_for != WaitingFor.ANSWER:
                continue
            if row.current_step is None or row.current_question is None or row.due is None:
                continue
            step = self.plan.step(row.current_step)
            found.append(WaitingQuestion(row, step, step.question(row.current_question), row.due))
        return found

    @property
    def plan(self) -> Plan:
        return get_plan(self.trajectory.plan_version)

    @property
    def pupil_label(self) -> str:
        """First name and initial: what a form or email may show."""
        if self.pupil.purged_at is not None:
            return "(gegevens verwijderd)"
        return f"{self.pupil.first_name} {last_name_initial(self.pupil.last_name)}."

    @property
    def finished(self) -> bool:
        return self.trajectory.status != TrajectoryStatus.ACTIEF

    @property
    def enrolled_on(self) -> date:
        """The day the pupil was enrolled: steps whose period ended before it were missed."""
        return local_date(self.trajectory.started_at)

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

    def answers_to(self, purpose: str) -> list[Answer]:
        """Every answer to the question with this purpose, in attempt order."""
        step, question = self.plan.find(purpose)
        return [a for a in self.answers if (a.step, a.question) == (step.number, question.key)]

    def final_answer(self, purpose: str) -> Answer | None:
        """The accepted final answer to the question with this purpose, if any."""
        return next((a for a in self.answers_to(purpose) if a.accepted and a.final), None)

    def interim(self, purpose: str) -> list[Answer]:
        """The accepted interim answers (an extension, a partial dossier) to this question."""
        return [a for a in self.answers_to(purpose) if a.accepted and not a.final]

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


def load_views(
    session: Session, *, ids: Collection[UUID] | None = None, cohort: int | None = None
) -> list[TrajectoryView]:
    """Trajectories as views (all, those with `ids`, or those of `cohort`), read in a handful of
    queries whatever their number (status, dashboards, the clock)."""
    chosen = select(Trajectory.id)
    if ids is not None:
        chosen = chosen.where(col(Trajectory.id).in_(list(ids)))
    if cohort is not None:
        chosen = chosen.where(col(Trajectory.cohort) == cohort)
    scoped = ids is not None or cohort is not None

    def mine(query: Any, column: Any) -> Any:
        return query.where(col(column).in_(chosen)) if scoped else query

    schools = {s.id: s for s in session.exec(select(School)).all()}
    trajectories = session.exec(
        mine(select(Trajectory), Trajectory.id).order_by(
            col(Trajectory.cohort), col(Trajectory.code)
        )
    ).all()
    pupil_ids = [t.pupil_id for t in trajectories]
    pupils = {
        p.id: p
        for p in session.exec(
            select(Pupil).where(col(Pupil.id).in_(pupil_ids)) if scoped else select(Pupil)
        ).all()
    }
    records: dict[UUID, dict[int, StepRecord]] = {}
    for record in session.exec(mine(select(StepRecord), StepRecord.trajectory_id)).all():
        records.setdefault(record.trajectory_id, {})[record.step] = record
    answers: dict[UUID, list[Answer]] = {}
    for answer in session.exec(
        mine(select(Answer), Answer.trajectory_id).order_by(col(Answer.step), col(Answer.attempt))
    ).all():
        answers.setdefault(answer.trajectory_id, []).append(answer)
    tracks: dict[UUID, dict[str, TrackRun]] = {}
    for track in session.exec(mine(select(TrackRun), TrackRun.trajectory_id)).all():
        tracks.setdefault(track.trajectory_id, {})[track.track] = track
    views = []
    for trajectory in trajectories:
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


class UnknownCohortError(LookupError):
    """A cohort without trajectories; the message is Dutch and names the cohorts there are."""


def known_cohorts(session: Session) -> list[int]:
    """The cohorts that have at least one trajectory, oldest first."""
    return sorted(set(session.exec(select(Trajectory.cohort).distinct()).all()))


def check_cohort(session: Session, cohort: int) -> None:
    """Refuse a cohort nobody is enrolled in (a typo would give an empty report)."""
    known = known_cohorts(session)
    if cohort in known:
        return
    if not known:
        raise UnknownCohortError(
            f"cohort {cohort} heeft geen trajecten: er is nog niemand ingeschreven"
        )
    names = (
        ", ".join(str(c) for c in known[:-1]) + (" en " if len(known) > 1 else "") + str(known[-1])
    )
    raise UnknownCohortError(
        f"cohort {cohort} heeft geen trajecten; er zijn trajecten in cohort {names}"
    )


def form_context(session: Session, view: TrajectoryView, purpose: str | None = None) -> FormContext:
    """What a form's rules need; the grensgebied TLV is judged by the route it was asked for."""
    route = view.facts.route.value
    if purpose == Purpose.TLV_DECISION_GRENSGEBIED and view.facts.grensgebied_tlv:
        route = view.facts.grensgebied_tlv.lower()
    facts = view.facts
    preliminary = str(facts.value(Purpose.PRELIMINARY_ADVICE, "advies") or "")
    calendar = view.plan.calendars.get(view.trajectory.cohort - 1)
    return FormContext(
        today=today(),
        route=route,
        school_choices=school_names_by_kind(session),
        transfer_groep=view.trajectory.transfer_groep,
        cohort=view.trajectory.cohort,
        preliminary_advice=preliminary,
        advice=str(facts.value(Purpose.DEFINITIVE_ADVICE, "advies") or preliminary),
        test_period=calendar.dates.get("doorstroomtoets") if calendar is not None else None,
    )
