"""Calls to the Prefect API: start, wake, inspect and repair the flow runs of trajectories.

Plain functions for the CLI, and tasks around them for the flows. Prefect only ever sees an
opaque id as parameter (the trajectory's, or a track's); run names and tags carry the
pseudonymous code, the cohort, the PO school's BRIN and the route.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any, TypeVar
from uuid import UUID

import httpx
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterId,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.client.schemas.responses import OrchestrationResult, SetStateStatus
from prefect.exceptions import ObjectNotFound, PrefectHTTPStatusError
from prefect.flow_runs import resume_flow_run
from prefect.states import Cancelled, Crashed, Scheduled

from models.cases import records
from models.cases.view import load_view, parse_pause_key
from models.enums import MAIN_TRACK, TrajectoryStatus, WaitingFor
from models.mail.outbox import due_messages
from models.settings import get_settings
from models.store.clock import now as clock_now
from models.store.clock import wall_clock_utc
from models.store.db import session_scope
from models.store.tables import RunState, Trajectory
from models.walk.executor import record_answer
from tasks.prefect_internals import delete_response, read_response

TRAJECTORY_FLOW = "overstap-traject"
TRAJECTORY_DEPLOYMENT = "traject"
TRACK_FLOW = "overstap-deelprocedure"
TRACK_DEPLOYMENT = "track"
CLOCK_FLOW = "overstap-klok"
CLOCK_DEPLOYMENT = "dagelijks"
MAIL_FLOW = "overstap-post"
MAIL_DEPLOYMENT = "verzenden"

Runtime = RunState
T = TypeVar("T")


class PrefectUnavailable(RuntimeError):
    """Prefect's API could not be reached or refused the request."""


def run_name(trajectory: Trajectory, track: str = MAIN_TRACK) -> str:
    base = f"{trajectory.code}-{trajectory.cohort}"
    return base if track == MAIN_TRACK else f"{base}-{track}"


def run_tags(
    trajectory: Trajectory,
    po_brin: str | None,
    track: str = MAIN_TRACK,
    vo_brin: str | None = None,
) -> list[str]:
    """Tags to filter runs on in the UI: cohort, route, PO school and (once known) VO school."""
    tags = ["overstap", f"cohort:{trajectory.cohort}", f"route:{trajectory.route}"]
    if po_brin:
        tags.append(f"po:{po_brin}")
    if vo_brin:
        tags.append(f"vo:{vo_brin}")
    if track != MAIN_TRACK:
        tags.append(f"track:{track}")
    return tags


def run_label(trajectory: Trajectory, row: Runtime, track: str = MAIN_TRACK) -> str:
    """The run's name in the UI: code and cohort, plus where it stands (no process reads logs)."""
    name = run_name(trajectory, track)
    if row.status != TrajectoryStatus.ACTIEF:
        return name
    if row.waiting_for == WaitingFor.DATE and row.wait_until is not None:
        return f"{name} stap {row.current_step} (wacht tot {row.wait_until.isoformat()})"
    if row.waiting_for == WaitingFor.ANSWER:
        return f"{name} stap {row.current_step} (vraag {row.current_question})"
    if row.waiting_for == WaitingFor.TRACK:
        return f"{name} stap {row.current_step} (wacht op procedure)"
    return f"{name} stap {row.current_step}"


# The three calls below run in a pupil's flow run at nearly every resume. They are plain calls,
# not tasks: they change Prefect's own bookkeeping, not our records, and a task run costs the
# server three events and a row (the client retries a busy or unreachable server itself).


def label_run(flow_run_id: UUID, name: str, tags: list[str]) -> None:
    """Show the current step in the run's name and the route in its tags (filters in the UI);
    a label that cannot be set is logged, and the walk goes on."""

    def update() -> None:
        with get_client(sync_client=True) as client:
            client.update_flow_run(flow_run_id, name=name, tags=tags)

    _bookkeeping("Naam van de flow run bijwerken", update)


_deployment_ids: dict[str, UUID] = {}  # "flow/deployment" -> id, read once per process


def _deployment_id(client: SyncPrefectClient, name: str) -> UUID:
    if name not in _deployment_ids:
        _deployment_ids[name] = client.read_deployment_by_name(name).id
    return _deployment_ids[name]


@contextlib.contextmanager
def _using(client: SyncPrefectClient | None) -> Iterator[SyncPrefectClient]:
    """The caller's client, or a new one for this call (a new client costs an SSL setup)."""
    if client is not None:
        yield client
        return
    with get_client(sync_client=True) as new:
        yield new


def start_run(
    trajectory_id: UUID,
    *,
    track: str = MAIN_TRACK,
    replaces: UUID | None,
    reason: str,
    actor: str,
    step: int | None = None,
    client: SyncPrefectClient | None = None,
) -> UUID:
    """Create the flow run that drives a trajectory's track (first, or replacing `replaces`).

    The Prefect idempotency key makes this safe to repeat: two clocks repairing the same crashed
    run get the same new run back. A caller that starts many passes one `client` (threads may
    share it).
    """
    with session_scope() as session:
        view = load_view(session, trajectory_id)
        if view is None:
            raise LookupError(f"traject {trajectory_id} bestaat niet")
        if track == MAIN_TRACK:
            flow, deployment_name = TRAJECTORY_FLOW, TRAJECTORY_DEPLOYMENT
            parameters = {"trajectory_id": str(trajectory_id)}
        else:
            row = records.start_track(session, trajectory_id=trajectory_id, track=track, step=step)
            flow, deployment_name = TRACK_FLOW, TRACK_DEPLOYMENT
            parameters = {"track_run_id": str(row.id)}
        name = run_name(view.trajectory, track)
        vo_brin = view.vo_school.brin if view.vo_school else None
        tags = run_tags(view.trajectory, view.po_school.brin, track, vo_brin)
    try:
        with _using(client) as api:
            run = api.create_flow_run_from_deployment(
                _deployment_id(api, f"{flow}/{deployment_name}"),
                parameters=parameters,
                name=name,
                tags=tags,
                idempotency_key=f"{trajectory_id}:{track}:{replaces or 'start'}",
            )
    except ObjectNotFound as exc:
        _deployment_ids.clear()  # perhaps deleted and created again: read the ids anew next time
        raise PrefectUnavailable(
            f"de deployment {flow}/{deployment_name} bestaat niet; start 'overstap up'"
        ) from exc
    with session_scope() as session:
        claimed = records.set_flow_run(
            session,
            trajectory_id=trajectory_id,
            track=track,
            flow_run_id=run.id,
            expected=replaces,
            reason=reason,
            actor=actor,
        )
        current = records.runtime(session, trajectory_id, track).flow_run_id
    if not claimed:
        # Someone else pointed the track at another run meanwhile: ours must not act.
        with _using(client) as api:
            api.delete_flow_run(run.id)
        assert current is not None
        return current
    return run.id


def start_trajectory_run(
    trajectory_id: UUID,
    *,
    replaces: UUID | None,
    reason: str,
    actor: str,
    client: SyncPrefectClient | None = None,
) -> UUID:
    """Create the main flow run of a trajectory."""
    return start_run(trajectory_id, replaces=replaces, reason=reason, actor=actor, client=client)


def read_flow_runs(ids: Iterable[UUID]) -> dict[UUID, FlowRun]:
    """The flow runs with these ids that still exist, read in pages."""
    wanted = list(dict.fromkeys(ids))
    found: dict[UUID, FlowRun] = {}
    with get_client(sync_client=True) as client:
        for start in range(0, len(wanted), 200):
            page = wanted[start : start + 200]
            runs = client.read_flow_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=page)), limit=len(page)
            )
            found.update({run.id: run for run in runs})
    return found


PAGE = 200  # ids per request (Prefect's limit per page)


def problem_runs(ids: Iterable[UUID]) -> tuple[dict[UUID, FlowRun], set[UUID]]:
    """Among these runs, the ones not suspended (by id) and the ones that no longer exist.

    Two requests per page of ids, whatever the runs' states: a suspended run (the usual case)
    is counted, never transferred.
    """
    wanted = list(dict.fromkeys(ids))
    found: dict[UUID, FlowRun] = {}
    missing: set[UUID] = set()
    with get_client(sync_client=True) as client:
        for start in range(0, len(wanted), PAGE):
            page = wanted[start : start + PAGE]
            by_id = FlowRunFilterId(any_=page)
            not_paused = FlowRunFilterState(
                type=FlowRunFilterStateType(not_any_=[StateType.PAUSED])
            )
            for run in client.read_flow_runs(
                flow_run_filter=FlowRunFilter(id=by_id, state=not_paused), limit=len(page)
            ):
                found[run.id] = run
            if client.count_flow_runs(flow_run_filter=FlowRunFilter(id=by_id)) < len(page):
                present = {
                    run.id
                    for run in client.read_flow_runs(
                        flow_run_filter=FlowRunFilter(id=by_id), limit=len(page)
                    )
                }
                missing.update(set(page) - present)
    return found, missing


def resume_with_answer(flow_run_id: UUID, run_input: dict[str, Any]) -> None:
    """Resume a suspended run with a form answer, exactly as the Prefect UI does."""
    try:
        resume_flow_run(flow_run_id, run_input=run_input)
    except RuntimeError as exc:
        raise PrefectUnavailable(f"Prefect weigerde het antwoord: {exc}") from exc


@dataclass(frozen=True)
class ClockAction:
    kind: str  # "wake", "repair", "hold", "none"
    reason: str = ""


def decide(
    row: Runtime,
    run: FlowRun | None,
    *,
    today: date,
    now_utc: datetime,
    stuck_after_minutes: int,
    tracks_done: bool = False,
) -> ClockAction:
    """What the clock does for one active run row, given its flow run (None: vanished).

    `tracks_done` tells a main walk that waits for a track that no track is active any more.
    A run a person cancelled in Prefect puts its walk on hold ("hold"): the trajectory waits for
    `overstap stop` or `overstap restart`, and a held walk is left alone whatever its run does.
    Runs that Overstap cancels itself (a withdrawn track, `overstap stop`) belong to walks that
    our records stopped first: those are not active, so they never come here.
    """
    if row.waiting_for == WaitingFor.CANCELLED:
        return ClockAction("none")
    if row.flow_run_id is None:
        return ClockAction("repair", "nog geen flow run")
    if run is None or run.state is None:
        return ClockAction("repair", "flow run verdwenen")
    state = run.state.type
    if state in (StateType.CRASHED, StateType.FAILED):
        return ClockAction("repair", f"flow run {state.value.lower()}")
    if state == StateType.COMPLETED:
        return ClockAction("repair", "flow run beëindigd terwijl het traject loopt")
    if state == StateType.CANCELLED:
        return ClockAction("hold", "flow run geannuleerd in Prefect")
    if state in (StateType.RUNNING, StateType.PENDING):
        # A killed process leaves its run Running (or Pending) for ever; a live one takes seconds.
        since = run.state.timestamp
        if since is not None and (now_utc - since).total_seconds() > stuck_after_minutes * 60:
            what = "draait" if state == StateType.RUNNING else "wacht op een proces"
            return ClockAction("repair", f"flow run {what} al langer dan {stuck_after_minutes} min")
        return ClockAction("none")
    if state != StateType.PAUSED:
        return ClockAction("none")
    if (
        row.waiting_for == WaitingFor.DATE
        and row.wait_until is not None
        and row.wait_until <= today
    ):
        return ClockAction("wake", f"datum {row.wait_until.isoformat()} bereikt")
    if row.waiting_for == WaitingFor.TRACK and tracks_done:
        return ClockAction("wake", "de parallelle procedure is afgerond")
    return ClockAction("none")


clock_task = task(cache_policy=NO_CACHE, persist_result=False, retries=2, retry_delay_seconds=5)


def _resume(client: SyncPrefectClient, flow_run_id: UUID) -> str | None:
    """One request: Prefect resumes a paused run and refuses (ABORT) one that is not paused.
    None when resumed, else why not (safe in a thread: it does not log). A server that fails
    (a busy database answers 503 even after the client's own retries) raises."""
    try:
        return _refusal(client.resume_flow_run(flow_run_id))
    except ObjectNotFound:
        return "bestaat niet meer"


def _resume_at(client: SyncPrefectClient, run: FlowRun | None, at: datetime) -> str | None:
    """Resume a run that waits for a date at `at`: the state Prefect's own resume gives a
    suspended run (Scheduled, named Resuming), with a start time ahead. `run` was read a moment
    before; a run that is not suspended then, or that waits for a typed answer, is refused, as
    Prefect's resume refuses it. Until `at`, Prefect holds a run in Scheduled (a runner that
    fetched it early waits), so a second clock in between only moves `at`. So does a person's
    Resume in the UI in the milliseconds between the read and this request, unless a runner
    started the run in those same milliseconds: the one case Prefect's own resume (which reads
    and sets in one transaction, but cannot set a later start) would have refused."""
    if run is None:
        return "bestaat niet meer"
    state = run.state
    if state is None or state.type != StateType.PAUSED:
        return "niet gepauzeerd"
    if state.state_details.run_input_keyset:
        return "wacht op een antwoord"
    if not state.state_details.pause_reschedule:
        return _resume(client, run.id)  # a pause whose process waits: Prefect sets it Running
    try:
        return _refusal(
            client.set_flow_run_state(run.id, Scheduled(name="Resuming", scheduled_time=at))
        )
    except ObjectNotFound:
        return "bestaat niet meer"


def _refusal(result: OrchestrationResult[Any]) -> str | None:
    if result.status != SetStateStatus.ACCEPT:
        return getattr(result.details, "reason", "") or result.status.value
    return None


def _resumed(flow_run_id: UUID, refusal: str | None) -> bool:
    if refusal is not None:
        get_run_logger().info("Flow run %s niet hervat: %s", flow_run_id, refusal)
    return refusal is None


def wake(flow_run_id: UUID) -> bool:
    """Resume a suspended run that waits for no input; False when it was no longer paused."""
    with get_client(sync_client=True) as client:
        return _resumed(flow_run_id, _resume(client, flow_run_id))


WAKE_THREADS = 8  # resumes in flight at once: a Prefect server on SQLite writes one at a time
# A Prefect server on SQLite answers 503 under a burst (after the client's own retries): what it
# failed is asked again after these pauses (wakes, Prefect's bookkeeping, enrolment's starts).
RETRY_PAUSES = (1, 2, 4)
WAKE_PASSES = len(RETRY_PAUSES) + 1
# A date's wakes are scheduled this far ahead per run woken, on top of `wake_lead_seconds`: one
# scheduled resume costs the server about 20 ms (bench/burst.py), so all of them land before the
# first woken run starts; woken runs that start earlier made each request wait for their writes
# (300 wakes took 120 s on SQLite).
WAKE_SECONDS_PER_RUN = 0.05


@clock_task
def wake_runs(on_date: list[UUID], track_ended: list[UUID] | None = None) -> int:
    """Resume the runs whose date has come, scheduled a few seconds ahead so that all of them
    are asked before the first one starts, and the main runs whose track ended, at once; return
    how many were resumed (a run that is no longer suspended is left alone).

    Requests go in pages: a page's states are read, then its runs are resumed, in parallel over
    one client (a new client costs an SSL setup). A request the server failed is sent again; if
    it keeps failing, the task fails and Prefect retries it (resuming a resumed run is refused,
    so that is safe)."""
    dated = set(on_date)
    pending = list(dict.fromkeys([*on_date, *(track_ended or [])]))
    lead = get_settings().wake_lead_seconds + WAKE_SECONDS_PER_RUN * len(dated)
    at = wall_clock_utc() + timedelta(seconds=lead)
    resumed = 0
    with get_client(sync_client=True) as client:
        for number in range(WAKE_PASSES):
            if number:
                time.sleep(RETRY_PAUSES[number - 1])
            outcomes = _wake_pages(client, pending, dated, at)
            failed = [(i, o) for i, o in outcomes.items() if isinstance(o, Exception)]
            resumed += sum(
                _resumed(i, o) for i, o in outcomes.items() if not isinstance(o, Exception)
            )
            if failed:
                # Prefect answers a resume of a deleted run with a 500, not a 404.
                present = read_flow_runs([i for i, _ in failed])
                resumed += sum(
                    _resumed(i, "bestaat niet meer") for i, _ in failed if i not in present
                )
                failed = [(i, o) for i, o in failed if i in present]
            if not failed:
                return resumed
            get_run_logger().warning(
                "%d flow run(s) niet gewekt (%s); opnieuw", len(failed), _failure(failed[0][1])
            )
            pending = [i for i, _ in failed]
    raise failed[0][1]


def _wake_pages(
    client: SyncPrefectClient, pending: list[UUID], dated: set[UUID], at: datetime
) -> dict[UUID, str | Exception | None]:
    """One pass of `wake_runs`: per run, None (resumed), why not, or the server's failure."""
    outcomes: dict[UUID, str | Exception | None] = {}
    for start in range(0, len(pending), PAGE):
        page = pending[start : start + PAGE]
        on_date = [i for i in page if i in dated]
        try:
            current = (
                {
                    run.id: run
                    for run in client.read_flow_runs(
                        flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=on_date)),
                        limit=len(on_date),
                    )
                }
                if on_date
                else {}
            )
        except (httpx.HTTPError, PrefectHTTPStatusError) as exc:
            outcomes.update(dict.fromkeys(page, exc))
            continue

        with ThreadPoolExecutor(max_workers=min(WAKE_THREADS, len(page))) as pool:
            found = [current.get(i) for i in page]
            tried = pool.map(partial(_wake_one, client, dated, at), page, found)
            outcomes.update(zip(page, tried, strict=True))
    return outcomes


def _wake_one(
    client: SyncPrefectClient,
    dated: set[UUID],
    at: datetime,
    flow_run_id: UUID,
    run: FlowRun | None,
) -> str | Exception | None:
    try:
        if flow_run_id in dated:
            return _resume_at(client, run, at)
        return _resume(client, flow_run_id)
    except (httpx.HTTPError, PrefectHTTPStatusError) as exc:
        return exc


def _failure(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return f"{type(exc).__name__} {status}" if status else type(exc).__name__


@task(task_run_name="start-{track}", cache_policy=NO_CACHE, persist_result=False, retries=2)
def start_track(trajectory_id: UUID, track: str, step: int) -> UUID:
    """Create the flow run of a parallel track (the same run when repeated)."""
    return start_run(
        trajectory_id, track=track, replaces=None, reason="gestart", actor="flow", step=step
    )


def request_sending(after_seconds: float = 0.0) -> UUID | None:
    """Ask for a run of the mail sender in the next time slot (`OVERSTAP_MAIL_SLOT_SECONDS`).

    However many runs ask in one slot, Prefect's idempotency key gives them the same sender run,
    scheduled at the slot's end, so it starts after every message queued in the slot was
    committed. None when the sender is not deployed (the messages wait in the outbox).
    """
    slot = max(1, get_settings().mail_slot_seconds)
    at = wall_clock_utc() + timedelta(seconds=after_seconds)
    start = math.ceil(at.timestamp() / slot) * slot
    name = f"{MAIL_FLOW}/{MAIL_DEPLOYMENT}"
    with get_client(sync_client=True) as client:
        try:
            while True:
                run = client.create_flow_run_from_deployment(
                    _deployment_id(client, name),
                    state=Scheduled(scheduled_time=datetime.fromtimestamp(start, UTC)),
                    idempotency_key=f"post-{int(start)}",
                )
                # The slot's run may have started early (a worker fetches runs ahead of time)
                # and may not see what was just queued: then the next slot's run sends it.
                if run.state is None or run.state.type == StateType.SCHEDULED:
                    return run.id
                start += slot
        except ObjectNotFound:
            return None


BOOKKEEPING_ATTEMPTS = len(RETRY_PAUSES) + 1


def _bookkeeping(what: str, call: Callable[[], T]) -> T | None:
    """Make a call on Prefect's bookkeeping, again when the server fails (a Prefect server on
    SQLite answers 503 under a burst, after the client's own retries); when it keeps failing,
    log it and return None: the walk goes on (its records are written already)."""
    for attempt in range(BOOKKEEPING_ATTEMPTS):
        try:
            return call()
        except (httpx.HTTPError, PrefectHTTPStatusError) as exc:
            if attempt == BOOKKEEPING_ATTEMPTS - 1:
                get_run_logger().warning("%s mislukt (%s)", what, _failure(exc))
                return None
            time.sleep(RETRY_PAUSES[attempt])
    return None


def ask_for_sending(after_seconds: float = 0.0) -> UUID | None:
    """Messages were queued (or wait for a retry `after_seconds` from now): make sure a sender
    run comes (a plain call, see `label_run`). If Prefect keeps failing, the messages wait in
    the outbox for the next request or the clock's daily check (`ask_for_sending_if_due`)."""
    return _bookkeeping("Verzendrun aanvragen", partial(request_sending, after_seconds))


@task(task_run_name="post-nodig", cache_policy=NO_CACHE, persist_result=False, retries=2)
def ask_for_sending_if_due() -> bool:
    """Ask for a sender run when messages are due (the clock's daily safety net)."""
    with session_scope() as session:
        waiting = due_messages(session, clock_now(), 1)
    if not waiting:
        return False
    return request_sending() is not None


def forget_answer(flow_run_id: UUID, pause_key: str) -> None:
    """Delete a recorded answer's run input from Prefect (our database keeps it); a plain call,
    see `label_run`. If Prefect keeps failing, the input stays until Prefect's vacuum deletes
    the ended run (docs/production.md)."""
    _bookkeeping(
        "Antwoord uit Prefect verwijderen", lambda: delete_response(flow_run_id, pause_key)
    )


def cancel_runs(flow_run_ids: list[UUID], message: str) -> int:
    """Cancel the runs of walks that our records have stopped already (suspended or scheduled
    ones: a run that is running finds its walk stopped and ends by itself); how many."""
    cancelled = 0
    with get_client(sync_client=True) as client:
        for flow_run_id in flow_run_ids:
            try:
                run = client.read_flow_run(flow_run_id)
            except ObjectNotFound:
                continue
            if run.state is None or run.state.type not in (StateType.PAUSED, StateType.SCHEDULED):
                continue
            client.set_flow_run_state(flow_run_id, Cancelled(message=message), force=True)
            cancelled += 1
    return cancelled


@task(task_run_name="stop-procedures", cache_policy=NO_CACHE, persist_result=False, retries=2)
def cancel_withdrawn_runs(flow_run_ids: list[UUID]) -> int:
    """Cancel the suspended runs of tracks that were stopped on purpose (the parents chose a
    regular school): the form of a withdrawn question disappears from the UI. Our records say
    the track stopped, so such a run, if it ever ran again, would find nothing to do."""
    return cancel_runs(flow_run_ids, "Procedure gestopt: de ouders kiezen een reguliere VO-school.")


def retag_runs(trajectory_id: UUID) -> int:
    """Give the active runs of a trajectory the name and tags its records say now (after a
    correction of the PO school or the cohort); how many runs were updated."""
    with session_scope() as session:
        view = load_view(session, trajectory_id)
        if view is None:
            return 0
        vo_brin = view.vo_school.brin if view.vo_school else None
        wanted = [
            (
                row.flow_run_id,
                run_label(view.trajectory, row, track),
                run_tags(view.trajectory, view.po_school.brin, track, vo_brin),
            )
            for track, row in [(MAIN_TRACK, view.trajectory), *view.tracks.items()]
            if row.flow_run_id is not None and row.status == TrajectoryStatus.ACTIEF
        ]
    with get_client(sync_client=True) as client:
        for flow_run_id, name, tags in wanted:
            with contextlib.suppress(ObjectNotFound):
                client.update_flow_run(flow_run_id, name=name, tags=tags)
    return len(wanted)


@task(task_run_name="wek-hoofdroute", cache_policy=NO_CACHE, persist_result=False, retries=2)
def wake_main(trajectory_id: UUID) -> bool:
    """A track ended: resume the main walk if it is suspended waiting for it."""
    with session_scope() as session:
        trajectory = records.trajectory_row(session, trajectory_id)
    if trajectory.waiting_for != WaitingFor.TRACK or trajectory.flow_run_id is None:
        return False
    return wake(trajectory.flow_run_id)


def harvest_answer(trajectory_id: UUID, row: Runtime, old_run_id: UUID) -> bool:
    """Record an answer the old run received but never recorded (it crashed after resume)."""
    if row.waiting_for != WaitingFor.ANSWER or not row.pause_key:
        return False
    parsed = parse_pause_key(row.pause_key)
    if parsed is None:
        return False
    step, question, attempt = parsed
    value = read_response(old_run_id, row.pause_key)
    if value is None:
        return False
    with session_scope() as session:
        record_answer(
            session,
            trajectory_id=trajectory_id,
            step=step,
            question=question,
            attempt=attempt,
            raw=value,
            flow_run_id=old_run_id,
        )
    delete_response(old_run_id, row.pause_key)  # recorded: it lives in our database only
    return True


@clock_task
def repair(trajectory_id: UUID, track: str, reason: str, seen: UUID | None) -> UUID | None:
    """Start a new run that continues from the records; keep an answer the old run received.

    `seen` is the run the clock judged broken: when the track points at another run by now
    (a second clock got here first), nothing is done.
    """
    logger = get_run_logger()
    with session_scope() as session:
        row = records.runtime(session, trajectory_id, track)
        code = records.trajectory_row(session, trajectory_id).code
    if row.flow_run_id != seen:
        logger.info("Traject %s (%s): al hersteld door een andere klok", code, track)
        return None
    old = row.flow_run_id
    if old is not None:
        with get_client(sync_client=True) as client:
            try:
                run = client.read_flow_run(old)
                if run.state is not None and run.state.type in (
                    StateType.RUNNING,
                    StateType.PENDING,
                ):
                    client.set_flow_run_state(
                        old, Crashed(message=f"Overstap-klok: {reason}"), force=True
                    )
            except ObjectNotFound:
                pass
        if harvest_answer(trajectory_id, row, old):
            logger.info("Traject %s: antwoord uit de vorige flow run vastgelegd", code)
    new = start_run(trajectory_id, track=track, replaces=old, reason=reason, actor="klok")
    logger.info("Traject %s (%s) hersteld (%s): flow run %s", code, track, reason, new)
    return new
