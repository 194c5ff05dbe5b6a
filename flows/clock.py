"""The clock flow: daily at 06:00 (Europe/Amsterdam) and on demand (`overstap tick`).

It wakes runs whose date has come (and main walks whose parallel track has ended), and repairs
runs that crashed, failed, finished early or vanished by starting a new run that continues from
the records. Every action is idempotent, so running the clock twice (or two clocks at once) does
no harm.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from prefect import flow, get_run_logger

from models.casework import STEP, deadline_question, escalation_key, open_deadlines
from models.clock import today, wall_clock_utc
from models.db import session_scope
from models.dutch import dutch_date
from models.settings import get_settings
from models.tables import MAIN_TRACK, TrajectoryStatus, WaitingFor
from models.trajectories import load_views
from models.workdays import subtract_working_days
from tasks.dashboards import active_cohorts, publish_dashboard
from tasks.deadlines import ESCALATED, REMINDED, escalate, notified_keys, remind
from tasks.email import report_failing_addresses, send_pending_email
from tasks.prefect_api import (
    active_runs,
    decide,
    read_flow_runs,
    repair,
    stop_cancelled,
    wake_run,
)


@flow(name="overstap-klok", persist_result=False, log_prints=False)
def clock_flow() -> dict[str, int]:
    """Wake waiting runs whose date has come and repair broken ones."""
    logger = get_run_logger()
    day = today()
    with session_scope() as session:
        rows = active_runs(session)
    active_tracks = {(tid, track) for tid, track, _ in rows if track != MAIN_TRACK}
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
            tracks_done=not any(tid == trajectory_id for tid, _ in active_tracks),
        )
        if action.kind == "wake" and row.flow_run_id is not None:
            if wake_run(row.flow_run_id):
                counts["gewekt"] += 1
        elif action.kind == "repair":
            repair(trajectory_id, track, action.reason)
            counts["hersteld"] += 1
        elif action.kind == "stop":
            stop_cancelled(trajectory_id, action.reason)
            counts["gestopt"] += 1
    counts.update(_watch_deadlines(day))
    report_failing_addresses()
    counts["verstuurd"] = send_pending_email(limit=1000).get("sent", 0)
    for cohort in active_cohorts():
        publish_dashboard(cohort)
        counts["dashboards"] += 1
    counts["actief"] = sum(1 for _, track, _ in rows if track == MAIN_TRACK)
    logger.info("Klok %s: %s", day.isoformat(), dict(counts))
    return dict(counts)


def _watch_deadlines(day: date) -> Counter[str]:
    """Remind before a question's due date; escalate overdue questions and legal terms."""
    counts: Counter[str] = Counter()
    remind_days = get_settings().reminder_workdays
    with session_scope() as session:
        views = [v for v in load_views(session) if not v.finished]
        done = notified_keys(session)
    for view in views:
        tid = view.trajectory.id
        for row in view.runs():
            if row.status != TrajectoryStatus.ACTIEF or row.waiting_for != WaitingFor.ANSWER:
                continue
            step, question, due = row.current_step, row.current_question, row.due
            if step is None or question is None or due is None:
                continue
            plan_step = view.plan.step(step)
            if day > due:
                if plan_step.question(question).deadline is not None:
                    continue  # a legal term: escalated below, with its basis
                key = f"{step}:{question}:{due.isoformat()}"
                if (tid, ESCALATED, key) not in done:
                    basis = f"stap {step} ({plan_step.period}), uiterlijk {dutch_date(due)}"
                    escalate(tid, step, question, due, basis, key)
                    counts["te_laat"] += 1
            elif subtract_working_days(due, remind_days) <= day:
                key = f"{step}:{question}:{due.isoformat()}"
                if (tid, REMINDED, key) not in done:
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
    return counts
