"""The walk through the plan as a pure function: given a trajectory's records, what comes next?

`next_action` reads a `TrajectoryView` and a date and returns one action. The trajectory flow
carries the actions out (tasks write records, suspends wait); the demo and the tests carry them
out directly. Finished steps cost nothing but a loop over the in-memory records, which is why a
resume at step 27 costs what a resume at step 2 costs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from models.casework import question_due
from models.clock import pinned
from models.conditions import describe, holds
from models.db import session_scope
from models.plan import Question, Step
from models.records import (
    close_step,
    end_track,
    end_trajectory,
    open_step,
    record_answer,
    skip_step,
    start_track,
)
from models.tables import MAIN_TRACK, StepStatus, TrackRun, TrajectoryStatus
from models.trajectories import TrajectoryView, load_view


@dataclass(frozen=True)
class Skip:
    """The step does not apply to this pupil."""

    step: int
    reason: str


@dataclass(frozen=True)
class Wait:
    """The step's window opens on `until`: suspend until the clock wakes the run."""

    step: int
    until: date
    due: date


@dataclass(frozen=True)
class Open:
    step: int
    opens: date
    due: date


@dataclass(frozen=True)
class Ask:
    """Ask `question` of `step`; `attempt` counts earlier rejected answers plus one."""

    step: int
    question: str
    attempt: int
    due: date


@dataclass(frozen=True)
class Close:
    step: int


@dataclass(frozen=True)
class End:
    """The trajectory is finished (all steps walked) or stopped (a step said so)."""

    stopped: bool
    reason: str


@dataclass(frozen=True)
class StartTrack:
    """Hand the steps of `track` to a run of their own; the main walk goes on."""

    track: str
    step: int


@dataclass(frozen=True)
class WaitForTrack:
    """The main walk reached `step`, which comes after `track`: suspend until the track ends."""

    track: str
    step: int


@dataclass(frozen=True)
class EndTrack:
    """All steps of `track` are done: mark it finished and wake the main walk if it waits."""

    track: str


Action = Skip | Wait | Open | Ask | Close | End | StartTrack | WaitForTrack | EndTrack


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
    for question in step.questions:
        if question.track != track:
            continue
        if view.facts.answered(step.number, question.key):
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
            if today < window.opens:
                return Wait(step.number, window.opens, window.due)
            return Open(step.number, window.opens, window.due)
        for question in step.questions:
            if question.track != step.track:
                # A question of its own track: start that track's run once, and go on.
                if question.track not in view.tracks and holds(question.condition, facts):
                    return StartTrack(question.track, step.number)
                continue
            if facts.answered(step.number, question.key) or not holds(question.condition, facts):
                continue
            return _ask(view, step, question)
        return Close(step.number)
    if track != MAIN_TRACK:
        return EndTrack(track)
    return End(stopped=False, reason="alle stappen doorlopen")


AnswerSource = Callable[[TrajectoryView, Ask, date], Mapping[str, Any] | None]


def walk_offline(
    trajectory_id: UUID, *, answers: AnswerSource, until: date, actor: str = "demo"
) -> Action | None:
    """Carry out the walk (all tracks) without Prefect up to `until`, answering from `answers`.

    Each action happens on the day it would have happened (the clock is pinned to it), so the
    records look as if the plan had been followed. Stops when every track waits for a question
    `answers` does not answer or for a date beyond `until`, and returns what the main walk waits
    for then (None when the trajectory has ended).
    """
    day: date | None = None
    while True:
        with session_scope() as session:
            view = load_view(session, trajectory_id)
            assert view is not None
            if day is None:
                day = view.trajectory.started_at.date()
            tracks = [MAIN_TRACK, *(t for t, r in view.tracks.items() if r.status == "actief")]
            pending = {track: next_action(view, day, track) for track in tracks}
            if pending[MAIN_TRACK] is None:
                return None
            done_something = False
            with pinned(day):
                for action in pending.values():
                    if action is None or isinstance(action, Wait | WaitForTrack):
                        continue
                    if isinstance(action, Ask):
                        given = answers(view, action, day)
                        if given is None:
                            continue
                        outcome = record_answer(
                            session,
                            trajectory_id=trajectory_id,
                            step=action.step,
                            question=action.question,
                            attempt=action.attempt,
                            raw=given,
                            flow_run_id=None,
                        )
                        if not outcome.accepted:
                            raise ValueError(f"stap {action.step}: {outcome.errors}")
                    else:
                        apply_offline(session, trajectory_id, action)
                    done_something = True
                    break
            if done_something:
                continue
            waits = [a.until for a in pending.values() if isinstance(a, Wait)]
            if not waits or min(waits) > until:
                main = pending[MAIN_TRACK]
                if isinstance(main, WaitForTrack):
                    blocked = pending.get(main.track)
                    return blocked if blocked is not None else main
                return main
            day = min(waits)


def apply_offline(session: Any, trajectory_id: UUID, action: Action) -> None:
    """Carry out an action that needs no answer and no waiting, as the flow's tasks do."""
    match action:
        case Skip(step, reason):
            skip_step(session, trajectory_id=trajectory_id, step=step, reason=reason)
        case Open(step, opens, due):
            open_step(session, trajectory_id=trajectory_id, step=step, opens=opens, due=due)
        case Close(step):
            close_step(session, trajectory_id=trajectory_id, step=step)
        case End(stopped, reason):
            end_trajectory(session, trajectory_id=trajectory_id, stopped=stopped, reason=reason)
        case StartTrack(track, step):
            start_track(session, trajectory_id=trajectory_id, track=track, step=step)
        case EndTrack(track):
            end_track(session, trajectory_id=trajectory_id, track=track)
