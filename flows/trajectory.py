"""The trajectory flows: one long-running flow run per pupil, plus one per parallel track.

Every resume runs a flow function again from the top, in a new process. It walks the pupil's
records with `models.walk.executor.walk`, the same loop the demo and the tests run without
Prefect: finished steps are skipped without side effects or task runs, so a resume costs the same
at step 28 as at step 1, and a new run for the same trajectory (after a crash or a code change)
continues where the records say. What this module adds is Prefect: every side effect is a task,
and waiting for a date, an answer or a parallel track suspends the run, so a waiting pupil holds
no process.

Parallel tracks (the TLV procedure, the admission decision beside warme overdracht) get runs of
their own; Prefect cannot suspend a subflow, hence separate runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from prefect import flow, get_run_logger
from prefect.context import FlowRunContext
from prefect.flow_runs import suspend_flow_run

from flows.forms import run_input_form
from models.cases.descriptions import question_description
from models.cases.records import AnswerOutcome
from models.cases.view import TrajectoryView, form_context, pause_key
from models.enums import MAIN_TRACK
from models.store.clock import today
from models.store.db import session_scope
from models.store.tables import TrackRun
from models.walk.actions import Action, Ask
from models.walk.executor import Effect, run_state, walk
from tasks import walk as walk_tasks
from tasks.prefect_api import (
    ask_for_sending,
    cancel_withdrawn_runs,
    forget_answer,
    label_run,
    run_label,
    run_tags,
    start_track,
    wake_main,
)


class PrefectRuntime:
    """Walk inside a flow run: effects are tasks, every wait suspends the run."""

    def __init__(self) -> None:
        context = FlowRunContext.get()
        self.run = context.flow_run if context is not None else None

    @property
    def flow_run_id(self) -> UUID | None:
        return self.run.id if self.run is not None else None

    def today(self) -> date:
        return today()

    def effect(self, trajectory_id: UUID, action: Action) -> Effect:
        effect = walk_tasks.carry_out(trajectory_id, action)
        if effect.queued:
            ask_for_sending()  # the sender deployment sends; a pupil's run only queues
        return effect

    def record(self, trajectory_id: UUID, action: Ask, raw: Mapping[str, Any]) -> AnswerOutcome:
        outcome = walk_tasks.record_answer(trajectory_id, action, raw, self.flow_run_id)
        if self.flow_run_id is not None:
            # Our records hold the answer now: form data (an IQ, notes) lives in one place only.
            forget_answer(self.flow_run_id, pause_key(action.step, action.question, action.attempt))
        return outcome

    def wait(self, view: TrajectoryView, track: str, key: str) -> None:
        self._label(view, track)
        suspend_flow_run(key=key, timeout=None)

    def ask(self, view: TrajectoryView, action: Ask, key: str) -> Mapping[str, Any]:
        step = view.plan.step(action.step)
        question = step.question(action.question)
        with session_scope() as session:
            ctx = form_context(session, view, question.purpose)
        description = question_description(
            view=view, step=step, question=question, due=action.due, today=today()
        )
        form = run_input_form(question.form, ctx).with_initial_data(description=description)
        self._label(view, question.track)
        answer = suspend_flow_run(wait_for_input=form, key=key, timeout=None)
        return answer.answer()

    def start_track(self, trajectory_id: UUID, track: str, step: int) -> None:
        start_track(trajectory_id, track, step)

    def wake_main(self, trajectory_id: UUID) -> None:
        wake_main(trajectory_id)

    def withdraw(self, flow_run_ids: tuple[UUID, ...]) -> None:
        cancel_withdrawn_runs(list(flow_run_ids))

    def note(self, message: str, *args: object) -> None:
        get_run_logger().info(message, *args)

    def _label(self, view: TrajectoryView, track: str) -> None:
        """Rename the run after where it now waits, and retag it after the route, when changed."""
        if self.run is None:
            return
        name = run_label(view.trajectory, run_state(view, track), track)
        vo_brin = view.vo_school.brin if view.vo_school else None
        tags = run_tags(view.trajectory, view.po_school.brin, track, vo_brin)
        if name != self.run.name or sorted(tags) != sorted(self.run.tags):
            label_run(self.run.id, name, tags)


@flow(
    name="overstap-traject",
    description="Het stappenplan van één leerling, van groep 7 tot november van de brugklas.",
    persist_result=False,
    log_prints=False,
)
def trajectory_flow(trajectory_id: UUID) -> str:
    """Walk one pupil's stappenplan from their records; suspend whenever it has to wait."""
    return walk(trajectory_id, MAIN_TRACK, PrefectRuntime())


@flow(
    name="overstap-deelprocedure",
    description="Een parallelle procedure van een leerling (de TLV-aanvraag bij de CvA).",
    persist_result=False,
    log_prints=False,
)
def track_flow(track_run_id: UUID) -> str:
    """Walk one parallel track of a pupil's plan; wake the main walk when it is done."""
    with session_scope() as session:
        row = session.get(TrackRun, track_run_id)
    if row is None:
        raise LookupError(f"procedure {track_run_id} bestaat niet")
    return walk(row.trajectory_id, row.track, PrefectRuntime())
