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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType
from prefect.exceptions import Pause
from prefect.flow_engine import run_flow
from sqlmodel import select

from flows.clock import clock_flow
from flows.trajectory import trajectory_flow
from models.clock import set_simulated_date, today
from models.db import session_scope
from models.forms import ANSWERED_BY
from models.plan import get_plan
from models.schools import seed_vo_schools
from models.tables import School, Trajectory, WaitingFor
from models.trajectories import (
    CheckedEnrollment,
    TrajectoryView,
    enroll,
    load_view,
    parse_pause_key,
    prepare_cli_answer,
)
from models.walk import AnswerSource, Ask
from tasks.prefect_api import resume_with_answer, start_trajectory_run


def make_pupil(
    first_name: str = "Xanthe",
    last_name: str = "Oosterbroek",
    *,
    cohort: int = 2027,
    brin: str = "99XA",
    start: date | None = None,
) -> UUID:
    """Seed schools, enrol one pupil (on `start`, simulated) and start their flow run."""
    set_simulated_date(start or date(cohort - 2, 9, 1))
    with session_scope() as session:
        seed_vo_schools(session)
        school = session.exec(select(School).where(School.brin == brin)).first()
        if school is None:
            from models.clock import now

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
            transfer_groep=8,
        )
        trajectory = enroll(session, checked, plan=get_plan(), actor="test")
        trajectory_id = trajectory.id
    start_trajectory_run(trajectory_id, replaces=None, reason="test", actor="test")
    return trajectory_id


def view_of(trajectory_id: UUID) -> TrajectoryView:
    with session_scope() as session:
        view = load_view(session, trajectory_id)
    assert view is not None
    return view


def execute(trajectory_id: UUID) -> StateType:
    """Execute the trajectory's current flow run in this process until it suspends or ends."""
    flow_run_id = view_of(trajectory_id).trajectory.flow_run_id
    assert flow_run_id is not None
    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_run(flow_run_id)
        with contextlib.suppress(Pause):
            run_flow(
                trajectory_flow,
                flow_run=flow_run,
                parameters={"trajectory_id": trajectory_id},
                return_type="state",
            )
        state = client.read_flow_run(flow_run_id).state
    assert state is not None
    return state.type


def current_question(trajectory_id: UUID) -> Ask:
    trajectory = view_of(trajectory_id).trajectory
    assert trajectory.waiting_for == WaitingFor.ANSWER, trajectory.waiting_for
    assert trajectory.pause_key
    assert trajectory.current_step
    assert trajectory.current_question
    parsed = parse_pause_key(trajectory.pause_key)
    assert parsed is not None
    assert trajectory.due is not None
    return Ask(trajectory.current_step, trajectory.current_question, parsed[2], trajectory.due)


def _as_cli_text(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


def give_answer(trajectory_id: UUID, answer: dict[str, Any]) -> None:
    """Answer the open question exactly as `overstap answer CODE STEP field=value --by NAME`."""
    view = view_of(trajectory_id)
    fields = {k: _as_cli_text(v) for k, v in answer.items() if k != ANSWERED_BY}
    with session_scope() as session:
        trajectory, run_input = prepare_cli_answer(
            session,
            code=view.trajectory.code,
            step=view.trajectory.current_step or 0,
            fields=fields,
            answered_by=str(answer[ANSWERED_BY]),
        )
    assert trajectory.flow_run_id is not None
    resume_with_answer(trajectory.flow_run_id, run_input)


def run_clock_at(day: date) -> dict[str, int]:
    set_simulated_date(day)
    return clock_flow()


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
    max_cycles: int = 200,
) -> Journey:
    """Execute, answer and move the clock until the trajectory ends (or reaches a step)."""
    journey = Journey()
    for _ in range(max_cycles):
        execute(trajectory_id)
        journey.executions += 1
        view = view_of(trajectory_id)
        trajectory: Trajectory = view.trajectory
        if view.finished:
            return journey
        if stop_before_step is not None and (trajectory.current_step or 0) >= stop_before_step:
            return journey
        if trajectory.waiting_for == WaitingFor.ANSWER:
            action = current_question(trajectory_id)
            journey.questions.append((action.step, action.question, action.attempt))
            given = answers(view, action, today())
            assert given is not None, f"no answer scripted for {action}"
            give_answer(trajectory_id, dict(given))
        elif trajectory.waiting_for == WaitingFor.DATE:
            assert trajectory.wait_until is not None
            journey.waits.append(trajectory.wait_until)
            counts = run_clock_at(trajectory.wait_until)
            assert counts.get("gewekt") == 1, counts
        else:
            raise AssertionError(f"unexpected state {trajectory.waiting_for}")
    raise AssertionError("trajectory did not end")


def spawn_engine(flow_run_id: UUID, code_dir: Path | None = None) -> subprocess.Popen[bytes]:
    """Execute a flow run in a new process, as the runner of `overstap up` does.

    With `code_dir`, the process imports Overstap's packages from there first: a code change.
    """
    from prefect.settings import PREFECT_API_URL

    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "PREFECT__FLOW_RUN_ID": str(flow_run_id),
    }
    if code_dir is not None:
        env["PYTHONPATH"] = str(code_dir)
    return subprocess.Popen(
        [sys.executable, "-m", "prefect.engine"],
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
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(flow_run_id).state
    assert state is not None
    return state.type
