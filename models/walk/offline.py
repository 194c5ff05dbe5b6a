"""Walking a trajectory without Prefect: the executor's loop, with waiting left out.

The demo seeds pupils half-way through the plan and the tests walk whole cohorts this way. It is
the same `models.walk.executor.walk` the flow runs, with every record, audit entry and email the
flow would make; only the waiting differs. Each action happens on the day it would have happened
(the clock is pinned to that day), so the records look as if the plan had been followed. A track
that waits (for a date after `until`, for an answer `answers` does not give, for another track)
is parked; the day moves to the earliest date a track waits for, until nothing can move.
Where a track is parked, its records say so (what it waits for, its due date), as a suspended
run's do.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from models.cases.records import AnswerOutcome
from models.cases.view import TrajectoryView
from models.enums import MAIN_TRACK, TrajectoryStatus, WaitingFor
from models.store.clock import local_date, pinned
from models.walk.actions import Action, Ask, Wait, WaitForTrack
from models.walk.executor import Effect, answer, apply_now, read, run_state, walk

AnswerSource = Callable[[TrajectoryView, Ask, date], Mapping[str, Any] | None]
MAX_ATTEMPTS = 5  # a script that keeps giving a refused answer is a broken script


class Parked(Exception):
    """The track waits; walk it again once the day or the answers have moved on."""


@dataclass
class OfflineRuntime:
    """A `Runtime` that answers from a script and parks where the flow would suspend."""

    day: date
    answers: AnswerSource
    progressed: bool = False
    asked: list[Ask] = field(default_factory=list)

    @property
    def flow_run_id(self) -> UUID | None:
        return None

    def today(self) -> date:
        return self.day

    def effect(self, trajectory_id: UUID, action: Action) -> Effect:
        view = read(trajectory_id)
        if isinstance(action, Wait | WaitForTrack):
            # Parked here before: waiting again would only count another wait.
            track = action.track if isinstance(action, Wait) else MAIN_TRACK
            row = run_state(view, track)
            expected = WaitingFor.DATE if isinstance(action, Wait) else WaitingFor.TRACK
            until = action.until if isinstance(action, Wait) else None
            if (
                row.waiting_for == expected
                and row.current_step == action.step
                and (until is None or row.wait_until == until)
            ):
                raise Parked
        self.progressed = True
        return apply_now(trajectory_id, action)

    def record(self, trajectory_id: UUID, action: Ask, raw: Mapping[str, Any]) -> AnswerOutcome:
        outcome = answer(trajectory_id, action, raw, None)
        self.progressed = True
        return outcome

    def wait(self, view: TrajectoryView, track: str, key: str) -> None:
        raise Parked

    def ask(self, view: TrajectoryView, action: Ask, key: str) -> Mapping[str, Any]:
        if action.attempt > MAX_ATTEMPTS:
            previous = view.previous_attempt(action.step, action.question)
            errors = previous.errors if previous is not None else []
            raise ValueError(f"stap {action.step} ({action.question}) steeds afgewezen: {errors}")
        given = self.answers(view, action, self.day)
        if given is None:
            self.asked.append(action)
            raise Parked
        return given

    def start_track(self, trajectory_id: UUID, track: str, step: int) -> None:
        """The track is walked in the next round of `walk_without_prefect`."""

    def wake_main(self, trajectory_id: UUID) -> None:
        """The main walk is walked again in the next round."""

    def withdraw(self, flow_run_ids: tuple[UUID, ...]) -> None:
        """Nothing waits without Prefect: a stopped track is simply not walked again."""

    def note(self, message: str, *args: object) -> None:
        """Nobody reads an offline walk's log."""


@dataclass(frozen=True)
class OfflineResult:
    """Where a trajectory stands after an offline walk."""

    finished: bool
    asking: tuple[Ask, ...]  # the questions that wait for an answer the script did not give
    waiting_until: date | None  # the earliest date a track waits for (after `until`)


def walk_without_prefect(
    trajectory_id: UUID, *, answers: AnswerSource, until: date, start: date | None = None
) -> OfflineResult:
    """Walk every track of a trajectory from `start` (default: the day of enrolment) up to
    `until`, answering from `answers`. A refused answer is recorded and asked again, as in the
    flow."""
    view = read(trajectory_id)
    day = start or local_date(view.trajectory.started_at)
    while True:
        progressed = False
        asking: list[Ask] = []
        tracks = [MAIN_TRACK, *view.tracks]
        for track in tracks:
            if run_state(view, track).status != TrajectoryStatus.ACTIEF:
                continue
            runtime = OfflineRuntime(day, answers)
            with pinned(day), contextlib.suppress(Parked):
                walk(trajectory_id, track, runtime)
            progressed = progressed or runtime.progressed
            asking.extend(runtime.asked)
            view = read(trajectory_id)
        if progressed:
            continue
        waits = [
            row.wait_until
            for row in view.runs()
            if row.status == TrajectoryStatus.ACTIEF
            and row.waiting_for == WaitingFor.DATE
            and row.wait_until is not None
        ]
        if view.finished or not waits or min(waits) > until:
            return OfflineResult(view.finished, tuple(asking), min(waits) if waits else None)
        day = min(waits)
