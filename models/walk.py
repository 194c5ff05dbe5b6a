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

from models.clock import pinned
from models.conditions import describe, holds
from models.db import session_scope
from models.tables import StepStatus
from models.trajectories import (
    TrajectoryView,
    close_step,
    end_trajectory,
    load_view,
    open_step,
    record_answer,
    skip_step,
)


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


Action = Skip | Wait | Open | Ask | Close | End


def next_action(view: TrajectoryView, today: date) -> Action | None:
    """The one thing to do next for this trajectory, or None when it has ended."""
    if view.finished:
        return None
    plan, facts, cohort = view.plan, view.facts, view.trajectory.cohort
    for step in plan.steps:
        record = view.records.get(step.number)
        if record is not None and record.status != StepStatus.OPEN:
            if (
                step.stops_when
                and record.status == StepStatus.DONE
                and holds(step.stops_when, facts)
            ):
                return End(stopped=True, reason=describe(step.stops_when))
            continue
        if record is None:
            if not holds(step.condition, facts):
                return Skip(step.number, f"niet van toepassing: {describe(step.condition)}")
            window = plan.window(step, cohort)
            if today < window.opens:
                return Wait(step.number, window.opens, window.due)
            return Open(step.number, window.opens, window.due)
        for question in step.questions:
            if facts.answered(step.number, question.key) or not holds(question.condition, facts):
                continue
            return Ask(
                step.number,
                question.key,
                view.attempts(step.number, question.key) + 1,
                plan.question_due(step, question, cohort),
            )
        return Close(step.number)
    return End(stopped=False, reason="alle stappen doorlopen")


AnswerSource = Callable[[TrajectoryView, Ask, date], Mapping[str, Any] | None]


def walk_offline(
    trajectory_id: UUID, *, answers: AnswerSource, until: date, actor: str = "demo"
) -> Action | None:
    """Carry out the walk without Prefect up to `until`, with answers from `answers`.

    Each action happens on the day it would have happened (the clock is pinned to it), so the
    records look as if the plan had been followed. Stops at the first question `answers` does
    not answer, at a wait beyond `until`, or at the end; returns that action (None at the end).
    """
    day: date | None = None
    while True:
        with session_scope() as session:
            view = load_view(session, trajectory_id)
            assert view is not None
            if day is None:
                day = view.trajectory.started_at.date()
            action = next_action(view, day)
            if action is None:
                return None
            with pinned(day):
                match action:
                    case Skip(step, reason):
                        skip_step(session, trajectory_id=trajectory_id, step=step, reason=reason)
                    case Wait(_, opens, _):
                        if opens > until:
                            return action
                        day = opens
                    case Open(step, opens, due):
                        open_step(
                            session, trajectory_id=trajectory_id, step=step, opens=opens, due=due
                        )
                    case Ask(step, question, attempt, _):
                        given = answers(view, action, day)
                        if given is None:
                            return action
                        outcome = record_answer(
                            session,
                            trajectory_id=trajectory_id,
                            step=step,
                            question=question,
                            attempt=attempt,
                            raw=given,
                            flow_run_id=None,
                        )
                        if not outcome.accepted:
                            raise ValueError(f"stap {step} ({question}): {outcome.errors}")
                    case Close(step):
                        close_step(session, trajectory_id=trajectory_id, step=step)
                    case End(stopped, reason):
                        end_trajectory(
                            session, trajectory_id=trajectory_id, stopped=stopped, reason=reason
                        )
