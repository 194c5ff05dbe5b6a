"""The walk through the plan as a pure function: given a trajectory's records, what comes next?

`next_action` reads a `TrajectoryView` and a date and returns one action; it writes nothing.
`models.walk.executor` carries the actions out, for the Prefect flow and without it alike.
Finished steps cost nothing but a loop over the in-memory records, which is why a resume at
step 27 costs what a resume at step 2 costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.cases.casework import asked_after_late_entry, catch_up_due, missed, question_due
from models.cases.view import TrajectoryView
from models.enums import MAIN_TRACK, StepStatus, TrajectoryStatus
from models.plan.conditions import describe, holds
from models.plan.steps import Question, Step
from models.store.tables import TrackRun


@dataclass(frozen=True)
class Skip:
    """The step does not apply to this pupil."""

    step: int
    reason: str

    @property
    def label(self) -> str:
        return f"stap-{self.step}-overgeslagen"


@dataclass(frozen=True)
class LateEntry:
    """The step's period ended (`due`) before the pupil was enrolled, and none of its questions is
    needed later: recorded as such, never asked, never overdue."""

    step: int
    due: date

    @property
    def label(self) -> str:
        return f"stap-{self.step}-na-instroom"


@dataclass(frozen=True)
class Wait:
    """The step's window opens on `until`: `track` suspends until the clock wakes its run."""

    step: int
    until: date
    due: date
    track: str = MAIN_TRACK

    @property
    def label(self) -> str:
        return f"stap-{self.step}-wacht"


@dataclass(frozen=True)
class Open:
    step: int
    opens: date
    due: date

    @property
    def label(self) -> str:
        return f"stap-{self.step}-open"


@dataclass(frozen=True)
class Ask:
    """Ask `question` of `step`; `attempt` counts earlier rejected answers plus one."""

    step: int
    question: str
    attempt: int
    due: date

    @property
    def label(self) -> str:
        return f"stap-{self.step}-vraag-{self.question}"


@dataclass(frozen=True)
class Close:
    step: int

    @property
    def label(self) -> str:
        return f"stap-{self.step}-afgerond"


@dataclass(frozen=True)
class End:
    """The trajectory is finished (all steps walked) or stopped (a step said so)."""

    stopped: bool
    reason: str

    @property
    def label(self) -> str:
        return "traject-einde"


@dataclass(frozen=True)
class StartTrack:
    """Hand the steps of `track` to a run of their own; the main walk goes on."""

    track: str
    step: int

    @property
    def label(self) -> str:
        return f"start-{self.track}"


@dataclass(frozen=True)
class WaitForTrack:
    """The main walk reached `step`, which comes after `track`: suspend until the track ends."""

    track: str
    step: int

    @property
    def label(self) -> str:
        return f"stap-{self.step}-wacht-op-{self.track}"


@dataclass(frozen=True)
class EndTrack:
    """All steps of `track` are done: mark it finished and wake the main walk if it waits."""

    track: str

    @property
    def label(self) -> str:
        return f"track-{self.track}-einde"


Action = Skip | LateEntry | Wait | Open | Ask | Close | End | StartTrack | WaitForTrack | EndTrack


def _ask(view: TrajectoryView, step: Step, question: Question) -> Ask:
    return Ask(
        step.number,
        question.key,
        view.attempts(step.number, question.key) + 1,
        question_due(view, step, question),
    )


def _question_track_action(view: TrajectoryView, track: str, row: TrackRun) -> Action:
    """A track of questions asks its questions of one step, then ends."""
    assert row.step is not None
    step = view.plan.step(row.step)
    late = missed(view, step)
    for question in step.questions:
        if question.track != track:
            continue
        if late and not asked_after_late_entry(question):
            continue
        if view.facts.answered(question.purpose):
            continue
        if not holds(question.condition, view.facts):
            continue
        return _ask(view, step, question)
    return EndTrack(track)


def next_action(view: TrajectoryView, today: date, track: str = MAIN_TRACK) -> Action | None:
    """The one thing to do next for this trajectory's `track`, or None when it has ended."""
    if view.finished:
        return None
    if track != MAIN_TRACK:
        row = view.tracks.get(track)
        if row is None or row.status != TrajectoryStatus.ACTIEF:
            return None
        if row.step is not None:
            return _question_track_action(view, track, row)
    plan, facts, cohort = view.plan, view.facts, view.trajectory.cohort
    for step in plan.steps:
        record = view.records.get(step.number)
        if step.track != track:
            if track != MAIN_TRACK or step.track in view.tracks or record is not None:
                continue  # another track's step: that track's run walks it
            if not holds(step.condition, facts):
                return Skip(step.number, f"niet van toepassing: {describe(step.condition)}")
            return StartTrack(step.track, step.number)
        if record is not None and record.status != StepStatus.OPEN:
            if (
                step.stops_when
                and record.status == StepStatus.DONE
                and holds(step.stops_when, facts)
            ):
                return End(stopped=True, reason=describe(step.stops_when))
            continue
        if record is None:
            for waited in step.after:
                other = view.tracks.get(waited)
                if other is not None and other.status == TrajectoryStatus.ACTIEF:
                    return WaitForTrack(waited, step.number)
            if not holds(step.condition, facts):
                return Skip(step.number, f"niet van toepassing: {describe(step.condition)}")
            window = plan.window(step, cohort)
            if missed(view, step):
                if not any(asked_after_late_entry(q) for q in step.questions):
                    return LateEntry(step.number, window.due)
                # Questions whose answers are needed later: asked now, due with the first
                # question after the enrolment, never overdue for the period that was missed.
                return Open(step.number, window.opens, catch_up_due(view))
            if today < window.opens:
                return Wait(step.number, window.opens, window.due, track)
            return Open(step.number, window.opens, window.due)
        late = missed(view, step)
        for question in step.questions:
            if late and not asked_after_late_entry(question):
                continue
            if question.track != step.track:
                # A question of its own track: start that track's run once, and go on.
                if question.track not in view.tracks and holds(question.condition, facts):
                    return StartTrack(question.track, step.number)
                continue
            if facts.answered(question.purpose) or not holds(question.condition, facts):
                continue
            return _ask(view, step, question)
        return Close(step.number)
    if track != MAIN_TRACK:
        return EndTrack(track)
    return End(stopped=False, reason="alle stappen doorlopen")
