"""The clock flow: daily at 06:00 (Europe/Amsterdam) and on demand (`overstap tick`).

Its cost follows what is due, not what exists (`models.cases.due`): it reads one light row per
active walk and compares it with Prefect's states in pages of ids (only runs that are not
suspended come back), repairs runs that crashed, failed, finished early, vanished or hang, puts
a walk whose run a person cancelled on hold (and tells the coordinator once), judges reminders
and escalations for the trajectories with something due (indexed queries on due dates;
`Notification` rows keep each one from being sent twice), queues the daily digest of contacts
with several open questions, purges expired personal data, asks the mail sender to run when mail
waits, refreshes the dashboards of cohorts that changed and, last, wakes the runs whose date has
come (one request each, in parallel over one client, each resume scheduled a few seconds ahead
so that all requests land before the first woken run takes a CPU) and the main runs whose track
ended (resumed at once). Every action is idempotent, so running the
clock twice (or two clocks at once) does no harm; a problem with one trajectory is logged (code
and kind of error only) and never stops the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from prefect import flow, get_run_logger

from models.cases import due as due_queries
from models.cases.casework import (
    STEP,
    deadline_question,
    escalation_key,
    next_term_due,
    open_deadlines,
)
from models.cases.lifecycle import held
from models.cases.view import TrajectoryView, load_views
from models.dutch import dutch_date
from models.enums import MAIN_TRACK, TrajectoryStatus, WaitingFor
from models.settings import get_settings
from models.store.clock import local_date, today, wall_clock_utc
from models.store.db import session_scope
from models.store.tables import RunState, Trajectory
from models.terms.workdays import add_working_days, subtract_working_days
from tasks.dashboards import publish_changed
from tasks.deadlines import ESCALATED, REMINDED, Notice, notified, send_digests, send_notices
from tasks.email import report_failing_addresses
from tasks.lifecycle import hold_cancelled
from tasks.prefect_api import (
    ClockAction,
    ask_for_sending_if_due,
    decide,
    problem_runs,
    repair,
    wake_runs,
)
from tasks.retention import purge_expired

TERMS_PER_RUN = 200  # trajectories from before `next_term_due` was kept, filled in per clock run


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
    """Wake waiting runs, repair broken ones, remind and escalate, purge, ask for mail, refresh
    the dashboards that changed."""
    logger = get_run_logger()
    day = today()
    counts: Counter[str] = Counter()
    with session_scope() as session:
        walks = due_queries.active_walks(session)
        counts["actief"] = due_queries.active_count(session)
    runs, missing = problem_runs(w.row.flow_run_id for w in walks if w.row.flow_run_id)
    with_track = {w.trajectory_id for w in walks if w.track != MAIN_TRACK}
    wake_by_records = {id(w) for w in due_queries.wake_due(walks, day)}
    wake: list[RunState] = []
    for walk in walks:
        row = walk.row
        run = runs.get(row.flow_run_id) if row.flow_run_id else None
        if row.flow_run_id is not None and run is None and row.flow_run_id not in missing:
            # Suspended in Prefect, as it should be: only a date or an ended track wakes it.
            if id(walk) in wake_by_records:
                wake.append(row)
            continue
        action = decide(
            row,
            run,
            today=day,
            now_utc=wall_clock_utc(),
            stuck_after_minutes=get_settings().stuck_after_minutes,
            tracks_done=walk.trajectory_id not in with_track,
        )
        _isolated(counts, walk.code, partial(_act, action, walk, counts, wake))
    _watch_deadlines(day, counts)
    _isolated(counts, "-", partial(_purge, day, counts))
    _isolated(counts, "-", report_failing_addresses)
    _isolated(counts, "-", partial(_digests, day, counts))
    _isolated(counts, "-", partial(_mail, counts))
    _isolated(counts, "-", partial(_dashboards, day, counts))
    if wake:
        # Last: the runs woken start at once and take the machine's CPUs, which would slow the
        # clock's own work down (the runs do not need it: they read their own records).
        counts["gewekt"] += wake_runs(
            [r.flow_run_id for r in wake if r.flow_run_id and r.waiting_for == WaitingFor.DATE],
            [r.flow_run_id for r in wake if r.flow_run_id and r.waiting_for != WaitingFor.DATE],
        )
    logger.info("Klok %s: %s", day.isoformat(), dict(counts))
    return dict(counts)


def _act(
    action: ClockAction, walk: due_queries.Walk, counts: Counter[str], wake: list[RunState]
) -> None:
    row = walk.row
    if action.kind == "wake" and row.flow_run_id is not None:
        wake.append(row)
    elif action.kind == "repair":
        if repair(walk.trajectory_id, walk.track, action.reason, row.flow_run_id) is not None:
            counts["hersteld"] += 1
    elif (
        action.kind == "hold"
        and row.flow_run_id is not None
        and hold_cancelled(walk.trajectory_id, walk.track, row.flow_run_id, action.reason)
    ):
        counts["geannuleerd"] += 1


def _purge(day: date, counts: Counter[str]) -> None:
    purged = purge_expired(day)
    if purged:
        counts["gegevens_verwijderd"] += purged


def _digests(day: date, counts: Counter[str]) -> None:
    queued = send_digests(day)
    if queued:
        counts["overzichten"] += queued


def _mail(counts: Counter[str]) -> None:
    if ask_for_sending_if_due():
        counts["post_gevraagd"] += 1


def _dashboards(day: date, counts: Counter[str]) -> None:
    counts["dashboards"] += len(publish_changed(day))


def _watch_deadlines(day: date, counts: Counter[str]) -> None:
    """Remind before a question's due date; escalate overdue questions and legal terms, for the
    trajectories with something due only."""
    remind_days = get_settings().reminder_workdays
    horizon = add_working_days(day, remind_days)
    with session_scope() as session:
        _fill_in_terms(session)
        candidates = due_queries.deadline_candidates(session, day, horizon)
        views = load_views(session, ids=candidates) if candidates else []
        done = notified(session, candidates)
    notices: list[Notice] = []
    for view in views:
        if not view.finished:
            _isolated(counts, view.trajectory.code, partial(_watch, view, day, done, notices))
    if notices:
        sent = send_notices(notices)
        counts.update(sent)


def _fill_in_terms(session: Any) -> None:
    """Trajectories from before the next legal term was kept get it now (a batch per run)."""
    ids = due_queries.unknown_terms(session, TERMS_PER_RUN)
    for view in load_views(session, ids=ids) if ids else []:
        trajectory = session.get(Trajectory, view.trajectory.id)
        trajectory.next_term_due = next_term_due(view)
        session.add(trajectory)


def _watch(
    view: TrajectoryView, day: date, done: set[tuple[Any, str, str]], notices: list[Notice]
) -> None:
    tid = view.trajectory.id
    if held(view.runs()):
        return  # a run was cancelled in Prefect: nothing until `overstap stop` or `restart`
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
                notices.append(Notice(ESCALATED, tid, step, question, due, key, basis))
        elif subtract_working_days(due, remind_days) <= day and (tid, REMINDED, key) not in done:
            notices.append(Notice(REMINDED, tid, step, question, due, key))
    for deadline in open_deadlines(view):
        if deadline.kind == STEP or not deadline.overdue(day):
            continue
        target = deadline_question(view, deadline.kind)
        key = escalation_key(deadline)
        if target is None or (tid, ESCALATED, key) in done:
            continue
        step, question = target
        notices.append(
            Notice(ESCALATED, tid, step, question, deadline.due, key, deadline.basis, "term")
        )
