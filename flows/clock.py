"""The clock flow: daily at 06:00 (Europe/Amsterdam) and on demand (`overstap tick`).

It wakes runs whose date has come (and main walks whose parallel track has ended), repairs runs
that crashed, failed, finished early, vanished or hang by starting a new run that continues from
the records, reminds and escalates, sends the outbox and refreshes the cohort dashboards. Every
action is idempotent, so running the clock twice (or two clocks at once) does no harm; a problem
with one trajectory is logged (code and kind of error only) and never stops the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any
from uuid import UUID

from prefect import flow, get_run_logger

from models.cases.casework import STEP, deadline_question, escalation_key, open_deadlines
from models.cases.view import TrajectoryView, load_views
from models.dutch import dutch_date
from models.enums import MAIN_TRACK, TrajectoryStatus, WaitingFor
from models.settings import get_settings
from models.store.clock import local_date, today, wall_clock_utc
from models.store.db import session_scope
from models.store.tables import RunState
from models.terms.workdays import subtract_working_days
from tasks.dashboards import active_cohorts, publish_dashboard
from tasks.deadlines import ESCALATED, REMINDED, escalate, notified_keys, remind
from tasks.email import report_failing_addresses, send_pending_email
from tasks.prefect_api import (
    ClockAction,
    active_runs,
    decide,
    read_flow_runs,
    repair,
    stop_cancelled,
    wake_run,
)
from tasks.retention import purge_expired


def _isolated(counts: Counter[str], code: str, work: Callable[[], Any]) -> None:
    """Run one trajectory's part of the clock; log and count a failure instead of stopping."""
    try:
        work()
    except Exception as exc:
        # Only the code and the kind of error: a message may hold data typed by a person.
        get_run_logger().error("Klok: traject %s overgeslagen (%s)", code, type(exc).__name__)
        counts["fouten"] += 1


@flow(name="overstap-klok", persist_result=False, log_prints=False)
def clock_flow() -> dict[str, int]:
    """Wake waiting runs, repair broken ones, remind and escalate, send mail, refresh dashboards."""
    logger = get_run_logger()
    day = today()
    with session_scope() as session:
        rows = active_runs(session)
        codes = {v.trajectory.id: v.trajectory.code for v in load_views(session)}
    active_tracks = {tid for tid, track, _ in rows if track != MAIN_TRACK}
    runs = read_flow_runs(row.flow_run_id for _, _, row in rows if row.flow_run_id is not None)
    counts: Counter[str] = Counter()
    for trajectory_id, track, row in rows:
        if row.status != TrajectoryStatus.ACTIEF:
            continue
        run = runs.get(row.flow_run_id) if row.flow_run_id else None
        action = decide(
            row,
            run,
            today=day,
            now_utc=wall_clock_utc(),
            stuck_after_minutes=get_settings().stuck_after_minutes,
            tracks_done=trajectory_id not in active_tracks,
        )

        _isolated(
            counts,
            codes.get(trajectory_id, "?"),
            partial(_act, action, trajectory_id, track, row, counts),
        )
    _watch_deadlines(day, counts)
    _isolated(counts, "-", partial(_purge, day, counts))
    _isolated(counts, "-", report_failing_addresses)
    _isolated(counts, "-", partial(_send, counts))
    for cohort in active_cohorts():
        _isolated(counts, f"cohort {cohort}", partial(publish_dashboard, cohort))
        counts["dashboards"] += 1
    counts["actief"] = sum(1 for _, track, _ in rows if track == MAIN_TRACK)
    logger.info("Klok %s: %s", day.isoformat(), dict(counts))
    return dict(counts)


def _act(
    action: ClockAction, trajectory_id: UUID, track: str, row: RunState, counts: Counter[str]
) -> None:
    if action.kind == "wake" and row.flow_run_id is not None:
        if wake_run(row.flow_run_id):
            counts["gewekt"] += 1
    elif action.kind == "repair":
        if repair(trajectory_id, track, action.reason, row.flow_run_id) is not None:
            counts["hersteld"] += 1
    elif action.kind == "stop":
        stop_cancelled(trajectory_id, action.reason)
        counts["gestopt"] += 1


def _purge(day: date, counts: Counter[str]) -> None:
    purged = purge_expired(day)
    if purged:
        counts["gegevens_verwijderd"] += purged


def _send(counts: Counter[str]) -> None:
    counts["verstuurd"] += send_pending_email(limit=1000).get("sent", 0)


def _watch_deadlines(day: date, counts: Counter[str]) -> None:
    """Remind before a question's due date; escalate overdue questions and legal terms."""
    with session_scope() as session:
        views = [v for v in load_views(session) if not v.finished]
        done = notified_keys(session)
    for view in views:
        _isolated(counts, view.trajectory.code, partial(_watch, view, day, done, counts))


def _watch(
    view: TrajectoryView, day: date, done: set[tuple[Any, str, str]], counts: Counter[str]
) -> None:
    tid = view.trajectory.id
    remind_days = get_settings().reminder_workdays
    enrolled = local_date(view.trajectory.started_at)
    for row in view.runs():
        if row.status != TrajectoryStatus.ACTIEF or row.waiting_for != WaitingFor.ANSWER:
            continue
        step, question, due = row.current_step, row.current_question, row.due
        if step is None or question is None or due is None:
            continue
        plan_step = view.plan.step(step)
        key = f"{step}:{question}:{due.isoformat()}"
        if day > due:
            if plan_step.question(question).deadline is not None:
                continue  # a legal term: escalated below, with its basis
            if due < enrolled:
                continue  # enrolled after this step's period: late from the start, not overdue
            if (tid, ESCALATED, key) not in done:
                basis = f"stap {step} ({plan_step.period}), uiterlijk {dutch_date(due)}"
                escalate(tid, step, question, due, basis, key)
                counts["te_laat"] += 1
        elif subtract_working_days(due, remind_days) <= day and (tid, REMINDED, key) not in done:
            remind(tid, step, question, due)
            counts["herinnerd"] += 1
    for deadline in open_deadlines(view):
        if deadline.kind == STEP or not deadline.overdue(day):
            continue
        target = deadline_question(view, deadline.kind)
        if target is None or (tid, ESCALATED, escalation_key(deadline)) in done:
            continue
        step, question = target
        escalate(tid, step, question, deadline.due, deadline.basis, escalation_key(deadline))
        counts["termijn_verlopen"] += 1
