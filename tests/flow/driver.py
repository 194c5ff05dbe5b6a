"""Drive trajectory flow runs against the real Prefect server, the way production does.

A run is executed in-process (`run_flow` with the stored flow run) until it suspends; answers go
in through the same path as `overstap answer` (our validation, then Prefect's resume with input,
as the UI does); dates move with the simulated clock and the clock flow wakes the runs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.filters import FlowRunFilter
from prefect.client.schemas.objects import StateType
from prefect.exceptions import Pause
from prefect.flow_engine import run_flow
from prefect.settings import PREFECT_API_URL
from prefect.states import Scheduled
from sqlmodel import select

from flows.clock import clock_flow
from flows.mail import mail_flow
from flows.trajectory import track_flow, trajectory_flow
from models.cases.answers import prepare_cli_answer
from models.cases.enrolment import CheckedEnrollment, enroll
from models.cases.view import TrajectoryView, load_view, parse_pause_key
from models.enums import MAIN_TRACK, WaitingFor
from models.plan.forms import ANSWERED_BY
from models.plan.library import get_plan
from models.store.clock import set_simulated_date, today
from models.store.db import session_scope
from models.store.schools import seed_vo_schools
from models.store.tables import School, TrackRun, Trajectory
from models.walk.actions import Ask
from models.walk.offline import AnswerSource, walk_without_prefect
from tasks.prefect_api import resume_with_answer, start_trajectory_run


def make_pupil(
    first_name: str = "Xanthe",
    last_name: str = "Oosterbroek",
    *,
    cohort: int = 2027,
    brin: str = "99XA",
    start: date | None = None,
    transfer_groep: int = 8,
    walked: tuple[AnswerSource, str] | None = None,
) -> UUID:
    """Seed schools, enrol one pupil (on `start`, simulated) and start their flow run; with
    `transfer_groep=7` a pupil who leaves from groep 7 (the exception of chapter 2).

    With `walked=(answers, purpose)` the flow's executor first walks the plan without Prefect
    (as the demo seeds its pupils) to the eve of the step with that purpose; the run starts
    there and replays those records: a test of the later steps saves the Prefect cycles of the
    earlier ones."""
    set_simulated_date(start or date(cohort - 2, 9, 1))
    with session_scope() as session:
        seed_vo_schools(session)
        school = session.exec(select(School).where(School.brin == brin)).first()
        if school is None:
            from models.store.clock import now

            school = School(brin=brin, name=f"Basisschool {brin}", kind="PO", created_at=now())
            session.add(school)
            session.flush()
        checked = CheckedEnrollment(
            first_name=first_name,
            last_name=last_name,
            birth_date=date(cohort - 12, 2, 3),
            school=school,
            groep=7,
            cohort=cohort,
            transfer_groep=transfer_groep,
        )
        trajectory = enroll(session, checked, plan=get_plan(), actor="test")
        trajectory_id = trajectory.id
    if walked is not None:
        answers, purpose = walked
        plan = get_plan()
        eve = plan.window(plan.step_of(purpose), cohort).opens - timedelta(days=1)
        walk_without_prefect(trajectory_id, answers=answers, until=eve)
        assert not view_of(trajectory_id).tracks, "walk to a step before any track starts"
        set_simulated_date(eve)
    start_trajectory_run(trajectory_id, replaces=None, reason="test", actor="test")
    return trajectory_id


def view_of(trajectory_id: UUID) -> TrajectoryView:
    with session_scope() as session:
        view = load_view(session, trajectory_id)
    assert view is not None
    return view


def _runs(trajectory_id: UUID) -> list[tuple[str, Trajectory | TrackRun]]:
    """(track, row) for the main walk and every track of the trajectory."""
    view = view_of(trajectory_id)
    return [(MAIN_TRACK, view.trajectory), *view.tracks.items()]


_clients: dict[str, SyncPrefectClient] = {}


def client() -> SyncPrefectClient:
    """One Prefect client per server for the driver's many reads: a new client costs about
    30 ms (httpx builds an SSL context, even for http), a fifth of a walk's CPU in the tests."""
    url = str(PREFECT_API_URL.value())
    if url not in _clients:
        _clients[url] = get_client(sync_client=True).__enter__()
    return _clients[url]


def _ready(flow_run_id: UUID) -> bool:
    state = client().read_flow_run(flow_run_id).state
    return state is not None and state.type in (StateType.SCHEDULED, StateType.PENDING)


def _run_in_process(track: str, row: Trajectory | TrackRun) -> None:
    assert row.flow_run_id is not None
    flow_run = client().read_flow_run(row.flow_run_id)
    flow, parameters = (
        (trajectory_flow, {"trajectory_id": row.id})
        if track == MAIN_TRACK
        else (track_flow, {"track_run_id": row.id})
    )
    with contextlib.suppress(Pause):
        run_flow(flow, flow_run=flow_run, parameters=parameters, return_type="state")


def send_mail() -> int:
    """Execute the mail sender runs that pupils' runs and the clock asked for (whatever their
    scheduled time: the test does not wait for the slot); return how many ran."""
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterName,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )

    waiting = client().read_flow_runs(
        deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["verzenden"])),
        flow_run_filter=FlowRunFilter(
            state=FlowRunFilterState(
                type=FlowRunFilterStateType(any_=[StateType.SCHEDULED, StateType.PENDING])
            )
        ),
    )
    for flow_run in waiting:
        # Due now: a run scheduled at its slot's end would otherwise make the engine sleep
        # until then (Prefect's orchestration answers Running with "wait").
        client().set_flow_run_state(flow_run.id, Scheduled(), force=True)
    for flow_run in waiting:
        run_flow(mail_flow, flow_run=flow_run, parameters={}, return_type="state")
    return len(waiting)


# Whether `execute` and `run_clock_at` also run the mail sender (tests of email delivery set
# it; the others leave the outbox alone and save a flow run per cycle).
SEND_MAIL = False


def execute(trajectory_id: UUID, *, mail: bool | None = None) -> StateType:
    """Execute every run of the trajectory that is ready, until all wait; then (with `mail`, or
    `SEND_MAIL`) the mail sender runs they asked for; the main run's state."""
    for _ in range(20):
        ready = [
            (track, row)
            for track, row in _runs(trajectory_id)
            if row.flow_run_id is not None and _ready(row.flow_run_id)
        ]
        if not ready:
            break
        for track, row in ready:
            _run_in_process(track, row)
    if SEND_MAIL if mail is None else mail:
        send_mail()
    main = view_of(trajectory_id).trajectory.flow_run_id
    assert main is not None
    return flow_run_state(main)


def asking(trajectory_id: UUID) -> list[Ask]:
    """The questions the trajectory's runs wait for now (main walk first)."""
    found = []
    for _, row in _runs(trajectory_id):
        if row.status != "actief" or row.waiting_for != WaitingFor.ANSWER:
            continue
        assert row.pause_key is not None
        assert row.current_step is not None
        assert row.current_question is not None
        assert row.due is not None
        parsed = parse_pause_key(row.pause_key)
        assert parsed is not None
        found.append(Ask(row.current_step, row.current_question, parsed[2], row.due))
    return found


def current_question(trajectory_id: UUID) -> Ask:
    questions = asking(trajectory_id)
    assert questions, "no run waits for an answer"
    return questions[0]


def _as_cli_text(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


def give_answer(trajectory_id: UUID, answer: dict[str, Any], step: int | None = None) -> None:
    """Answer an open question exactly as `overstap answer CODE STEP field=value --by NAME`."""
    view = view_of(trajectory_id)
    fields = {k: _as_cli_text(v) for k, v in answer.items() if k != ANSWERED_BY}
    with session_scope() as session:
        prepared = prepare_cli_answer(
            session,
            code=view.trajectory.code,
            step=step if step is not None else current_question(trajectory_id).step,
            fields=fields,
            answered_by=str(answer[ANSWERED_BY]),
        )
    assert prepared.flow_run_id is not None
    resume_with_answer(prepared.flow_run_id, prepared.run_input)


def run_clock_at(day: date, *, mail: bool | None = None) -> dict[str, int]:
    set_simulated_date(day)
    counts = clock_flow()
    if SEND_MAIL if mail is None else mail:
        send_mail()
    return counts


@dataclass
class Journey:
    """What happened while driving one trajectory."""

    questions: list[tuple[int, str, int]] = field(default_factory=list)
    waits: list[date] = field(default_factory=list)
    executions: int = 0

    def asked_twice(self) -> list[tuple[int, str, int]]:
        return [key for key, n in Counter(self.questions).items() if n > 1]


def drive(
    trajectory_id: UUID,
    answers: AnswerSource,
    *,
    stop_before_step: int | None = None,
    stop_when: Callable[[TrajectoryView], bool] | None = None,
    max_cycles: int = 300,
) -> Journey:
    """Execute, answer and move the clock until the trajectory ends (or reaches a step, or
    `stop_when` holds after an execution)."""
    journey = Journey()
    for _ in range(max_cycles):
        execute(trajectory_id)
        journey.executions += 1
        view = view_of(trajectory_id)
        if view.finished or (stop_when is not None and stop_when(view)):
            return journey
        if stop_before_step is not None and (view.trajectory.current_step or 0) >= stop_before_step:
            return journey
        questions = asking(trajectory_id)
        if questions:
            action = questions[0]
            journey.questions.append((action.step, action.question, action.attempt))
            given = answers(view, action, today())
            assert given is not None, f"no answer scripted for {action}"
            give_answer(trajectory_id, dict(given), step=action.step)
            continue
        dates = [
            row.wait_until
            for _, row in _runs(trajectory_id)
            if row.status == "actief" and row.waiting_for == WaitingFor.DATE and row.wait_until
        ]
        if dates:
            journey.waits.append(min(dates))
            counts = run_clock_at(min(dates))
            assert counts.get("gewekt", 0) >= 1, counts
            continue
        counts = run_clock_at(today())  # e.g. a main walk whose track has just ended
        assert counts.get("gewekt", 0) >= 1, (
            counts,
            [(t, r.waiting_for) for t, r in _runs(trajectory_id)],
        )
    raise AssertionError("trajectory did not end")


def spawn_engine(
    flow_run_id: UUID, code_dir: Path | None = None, *, engine_socket: Path | None = None
) -> subprocess.Popen[bytes]:
    """Execute a flow run in a new process, as Prefect's runner does: `python -m prefect.engine`.

    With `code_dir`, the process imports Overstap's packages from there first: a code change.
    With `engine_socket`, it starts as `overstap up` and `overstap worker` start it:
    `overstap-engine` asks the preloaded engine on that socket for a fork.
    """
    from prefect.settings import PREFECT_API_URL

    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "PREFECT__FLOW_RUN_ID": str(flow_run_id),
    }
    if code_dir is not None:
        env["PYTHONPATH"] = str(code_dir)
    command = [sys.executable, "-m", "prefect.engine"]
    if engine_socket is not None:
        env["OVERSTAP_ENGINE_SOCKET"] = str(engine_socket)
        command = [str(Path(sys.executable).parent / "overstap-engine")]
    return subprocess.Popen(
        command,
        env=env,
        cwd=str(code_dir or Path.cwd()),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def copy_code(target: Path) -> Path:
    """A copy of Overstap's packages that a test may edit."""
    root = Path(__file__).resolve().parents[2]
    for package in ("models", "tasks", "flows", "deployments", "templates"):
        if not (root / package).is_dir():
            continue
        shutil.copytree(
            root / package, target / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return target


def flow_run_state(flow_run_id: UUID) -> StateType:
    state = client().read_flow_run(flow_run_id).state
    assert state is not None
    return state.type
