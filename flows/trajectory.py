"""The trajectory flow: one long-running flow run per pupil that walks the 28 steps.

Every resume runs this function again from the top, in a new process. It reads the pupil's records
and asks `next_action` what comes next, so finished steps are skipped without side effects or task
runs: a resume costs the same at step 28 as at step 1, and a new run for the same trajectory
(after a crash or a code change) continues where the records say. Waiting for a date and waiting
for an answer both suspend the run: a waiting pupil holds no process.
"""

from __future__ import annotations

from uuid import UUID

from prefect import flow, get_run_logger
from prefect.context import FlowRunContext
from prefect.flow_runs import suspend_flow_run

from flows.forms import run_input_form
from models.clock import today
from models.db import session_scope
from models.texts import question_description
from models.trajectories import TrajectoryView, form_context, load_view, pause_key
from models.walk import Ask, Close, End, Open, Skip, Wait, next_action
from tasks import records


def _read(trajectory_id: UUID) -> TrajectoryView:
    with session_scope() as session:
        view = load_view(session, trajectory_id)
    if view is None:
        raise LookupError(f"traject {trajectory_id} bestaat niet")
    return view


def _current_flow_run_id() -> UUID | None:
    context = FlowRunContext.get()
    return context.flow_run.id if context is not None and context.flow_run is not None else None


def _ask(view: TrajectoryView, action: Ask, flow_run_id: UUID | None) -> None:
    """Suspend with the question's form; on resume, check and record the answer."""
    logger = get_run_logger()
    step = view.plan.step(action.step)
    question = step.question(action.question)
    key = pause_key(action.step, action.question, action.attempt)
    if view.trajectory.pause_key != key:
        records.record_asking(view.trajectory.id, action.step, action.question, key, action.due)
    with session_scope() as session:
        ctx = form_context(session, view)
    description = question_description(
        code=view.trajectory.code,
        pupil_label=view.pupil_label,
        po_school=view.po_school.name,
        groep=view.pupil.groep,
        vo_school=view.vo_school.name if view.vo_school else None,
        step=step,
        question=question,
        due=action.due,
        today=today(),
        rejection=view.last_rejection(action.step, action.question),
    )
    form = run_input_form(question.form, ctx).with_initial_data(description=description)
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
    if outcome.accepted:
        logger.info("Stap %s (%s): antwoord vastgelegd", action.step, action.question)
    else:
        logger.info("Stap %s (%s): antwoord afgewezen", action.step, action.question)


@flow(
    name="overstap-traject",
    description="Het stappenplan van één leerling, van groep 7 tot november van de brugklas.",
    persist_result=False,
    log_prints=False,
)
def trajectory_flow(trajectory_id: UUID) -> str:
    """Walk one pupil's stappenplan from their records; suspend whenever it has to wait."""
    logger = get_run_logger()
    flow_run_id = _current_flow_run_id()
    view = _read(trajectory_id)
    code = view.trajectory.code
    if view.trajectory.flow_run_id not in (None, flow_run_id):
        logger.warning("Traject %s wordt door een andere flow run gevolgd; deze stopt.", code)
        return "vervangen"
    while (action := next_action(view, today())) is not None:
        match action:
            case Skip(step, reason):
                records.skip_step(trajectory_id, step, reason)
            case Wait(step, until, due):
                # Every wait gets a fresh key, so a run resumed before the date waits again.
                key = records.record_wait(trajectory_id, step, until, due)
                logger.info("Traject %s: stap %s opent op %s", code, step, until.isoformat())
                suspend_flow_run(key=key, timeout=None)
            case Open(step, opens, due):
                records.open_step(trajectory_id, step, opens, due)
                logger.info("Traject %s: stap %s geopend", code, step)
            case Ask():
                _ask(view, action, flow_run_id)
            case Close(step):
                records.close_step(trajectory_id, step)
            case End(stopped, reason):
                records.end_trajectory(trajectory_id, stopped, reason)
                logger.info("Traject %s %s", code, "gestopt" if stopped else "afgerond")
        view = _read(trajectory_id)
    return view.trajectory.status
