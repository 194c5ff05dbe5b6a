"""The trajectory flows: one long-running flow run per pupil, plus one per parallel track.

Every resume runs a flow function again from the top, in a new process. It reads the pupil's
records and asks `next_action` what comes next, so finished steps are skipped without side
effects or task runs: a resume costs the same at step 28 as at step 1, and a new run for the same
trajectory (after a crash or a code change) continues where the records say. Waiting for a date,
for an answer, or for a parallel track all suspend the run: a waiting pupil holds no process.

The TLV procedure (steps 17-18) is a parallel track with a run of its own, so the CvA's decision
never holds up the PO school's advice; Prefect cannot suspend a subflow, hence a separate run.
"""

from __future__ import annotations

from uuid import UUID

from prefect import flow, get_run_logger
from prefect.context import FlowRunContext
from prefect.flow_runs import suspend_flow_run

from flows.forms import run_input_form
from models.clock import today
from models.db import session_scope
from models.tables import MAIN_TRACK, TrackRun
from models.texts import question_description
from models.trajectories import TrajectoryView, form_context, load_view, pause_key
from models.walk import (
    Ask,
    Close,
    End,
    EndTrack,
    Open,
    Skip,
    StartTrack,
    Wait,
    WaitForTrack,
    next_action,
)
from tasks import records
from tasks.email import send_pending_email
from tasks.prefect_api import label_run, run_label, run_tags, start_track, wake_main


def _read(trajectory_id: UUID) -> TrajectoryView:
    with session_scope() as session:
        view = load_view(session, trajectory_id)
    if view is None:
        raise LookupError(f"traject {trajectory_id} bestaat niet")
    return view


def _current_flow_run_id() -> UUID | None:
    context = FlowRunContext.get()
    return context.flow_run.id if context is not None and context.flow_run is not None else None


def _label(trajectory_id: UUID, track: str) -> None:
    """Rename the run after where it now waits, and retag it after the route, when changed."""
    context = FlowRunContext.get()
    if context is None or context.flow_run is None:
        return
    view = _read(trajectory_id)
    row = view.trajectory if track == MAIN_TRACK else view.tracks[track]
    name = run_label(view.trajectory, row, track)
    vo_brin = view.vo_school.brin if view.vo_school else None
    tags = run_tags(view.trajectory, view.po_school.brin, track, vo_brin)
    if name != context.flow_run.name or sorted(tags) != sorted(context.flow_run.tags):
        label_run(context.flow_run.id, name, tags)


def _ask(view: TrajectoryView, action: Ask, flow_run_id: UUID | None) -> None:
    """Suspend with the question's form; on resume, check and record the answer."""
    logger = get_run_logger()
    step = view.plan.step(action.step)
    question = step.question(action.question)
    key = pause_key(action.step, action.question, action.attempt)
    run_row = view.trajectory if question.track == MAIN_TRACK else view.tracks[question.track]
    if run_row.pause_key != key or run_row.due != action.due:
        queued = records.record_asking(
            view.trajectory.id, action.step, action.question, key, action.due
        )
        if queued:
            send_pending_email()
    with session_scope() as session:
        ctx = form_context(session, view, action.step)
    description = question_description(
        view=view, step=step, question=question, due=action.due, today=today()
    )
    form = run_input_form(question.form, ctx).with_initial_data(description=description)
    _label(view.trajectory.id, question.track)
    logger.info("Stap %s (%s): wacht op antwoord [%s]", action.step, action.question, key)
    answer = suspend_flow_run(wait_for_input=form, key=key, timeout=None)
    outcome = records.record_answer(
        view.trajectory.id,
        action.step,
        action.question,
        action.attempt,
        answer.answer(),
        flow_run_id,
    )
    result = "vastgelegd" if outcome.final else ("tussenstap" if outcome.accepted else "afgewezen")
    logger.info("Stap %s (%s): antwoord %s", action.step, action.question, result)


def _walk(trajectory_id: UUID, track: str) -> str:
    """Carry out `next_action` for one track until it has to wait (suspend) or is finished."""
    logger = get_run_logger()
    flow_run_id = _current_flow_run_id()
    view = _read(trajectory_id)
    code = view.trajectory.code
    row = view.trajectory if track == MAIN_TRACK else view.tracks[track]
    if row.flow_run_id not in (None, flow_run_id):
        logger.warning("Traject %s (%s) wordt door een andere flow run gevolgd.", code, track)
        return "vervangen"
    while (action := next_action(view, today(), track)) is not None:
        match action:
            case Skip(step, reason):
                records.skip_step(trajectory_id, step, reason)
            case Wait(step, until, due):
                # Every wait gets a fresh key, so a run resumed before the date waits again.
                key = records.record_wait(trajectory_id, step, until, due, track)
                logger.info("Traject %s: stap %s opent op %s", code, step, until.isoformat())
                _label(trajectory_id, track)
                suspend_flow_run(key=key, timeout=None)
            case Open(step, opens, due):
                if records.open_step(trajectory_id, step, opens, due):
                    send_pending_email()
                logger.info("Traject %s: stap %s geopend", code, step)
            case Ask():
                _ask(view, action, flow_run_id)
            case Close(step):
                records.close_step(trajectory_id, step)
            case StartTrack(other, step):
                start_track(trajectory_id, other, step)
                logger.info("Traject %s: procedure '%s' gestart bij stap %s", code, other, step)
            case WaitForTrack(other, step):
                key = records.record_track_wait(trajectory_id, step, other)
                _label(trajectory_id, track)
                logger.info("Traject %s: stap %s wacht op procedure '%s'", code, step, other)
                suspend_flow_run(key=key, timeout=None)
            case EndTrack(other):
                if records.end_track(trajectory_id, other):
                    wake_main(trajectory_id)
                logger.info("Traject %s: procedure '%s' afgerond", code, other)
            case End(stopped, reason):
                records.end_trajectory(trajectory_id, stopped, reason)
                logger.info("Traject %s %s", code, "gestopt" if stopped else "afgerond")
        view = _read(trajectory_id)
        row = view.trajectory if track == MAIN_TRACK else view.tracks[track]
        if row.flow_run_id not in (None, flow_run_id):
            # The clock replaced this run (it looked dead): stop before doing anything more.
            logger.warning("Traject %s (%s): vervangen door een nieuwe flow run.", code, track)
            return "vervangen"
    row = view.trajectory if track == MAIN_TRACK else view.tracks[track]
    return row.status


@flow(
    name="overstap-traject",
    description="Het stappenplan van één leerling, van groep 7 tot november van de brugklas.",
    persist_result=False,
    log_prints=False,
)
def trajectory_flow(trajectory_id: UUID) -> str:
    """Walk one pupil's stappenplan from their records; suspend whenever it has to wait."""
    return _walk(trajectory_id, MAIN_TRACK)


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
    return _walk(row.trajectory_id, row.track)
