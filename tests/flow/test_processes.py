"""Flow runs in their own processes: a killed process, a code change while suspended."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterId,
    LogFilter,
    LogFilterFlowRunId,
)
from prefect.client.schemas.objects import StateType
from sqlmodel import select

from deployments.demo import REGULIER, scripted_answer
from models.settings import reset_settings
from models.store.clock import today
from models.store.db import session_scope
from models.store.tables import Answer, AuditEntry
from tests.flow.driver import (
    copy_code,
    current_question,
    execute,
    flow_run_state,
    give_answer,
    make_pupil,
    run_clock_at,
    spawn_engine,
    view_of,
)

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_server", "simulation")]


def _answer(trajectory_id: UUID) -> dict[str, object]:
    return scripted_answer(
        view_of(trajectory_id), current_question(trajectory_id), today(), REGULIER
    )


def _task_run_names(flow_run_id: UUID) -> Counter[str]:
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return Counter(run.name for run in runs)


def _audit_actions(trajectory_id: UUID) -> Counter[tuple[str, object]]:
    with session_scope() as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.trajectory_id == trajectory_id))
        return Counter((e.action, e.detail.get("stap")) for e in entries)


def _wait_for_state(flow_run_id: UUID, wanted: StateType, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if flow_run_state(flow_run_id) == wanted:
            return
        time.sleep(0.05)
    raise AssertionError(f"flow run never reached {wanted}")


def test_killed_process_is_repaired_without_asking_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kill -9 while the run records an answer: the clock repairs it and the answer is kept."""
    trajectory_id = make_pupil(cohort=2027)
    execute(trajectory_id)
    old_run = view_of(trajectory_id).trajectory.flow_run_id
    assert old_run is not None
    give_answer(trajectory_id, _answer(trajectory_id))
    code = copy_code(tmp_path / "code")
    records = code / "tasks" / "walk.py"
    # Make the window deterministic: the copy hangs where it would record the answer.
    source = records.read_text(encoding="utf-8")
    hanging = source.replace(
        "    return answer(trajectory_id, action, raw, flow_run_id)",
        "    import time\n\n    time.sleep(600)\n"
        "    return answer(trajectory_id, action, raw, flow_run_id)",
    )
    assert hanging != source
    records.write_text(hanging, encoding="utf-8")
    process = spawn_engine(old_run, code)
    try:
        _wait_for_state(old_run, StateType.RUNNING)
        deadline = time.monotonic() + 60
        while not _task_run_names(old_run)["stap-1-antwoord-vaststelling-1"]:
            assert time.monotonic() < deadline, "the hanging task never started"
            time.sleep(0.1)
    finally:
        process.kill()
        process.wait()
    assert flow_run_state(old_run) == StateType.RUNNING  # nobody told Prefect

    monkeypatch.setenv("OVERSTAP_STUCK_AFTER_MINUTES", "0")
    reset_settings()
    assert run_clock_at(today())["hersteld"] == 1
    assert flow_run_state(old_run) == StateType.CRASHED
    execute(trajectory_id)
    view = view_of(trajectory_id)
    assert view.trajectory.flow_run_id != old_run
    assert view.records[1].status == "done"
    assert view.trajectory.waiting_for == "date"
    with session_scope() as session:
        answers = session.exec(select(Answer).where(Answer.trajectory_id == trajectory_id)).all()
    assert [(a.step, a.attempt, a.accepted, a.flow_run_id) for a in answers] == [
        (1, 1, True, old_run)
    ]


def test_code_change_between_suspend_and_resume_repeats_nothing(tmp_path: Path) -> None:
    """New task code after a resume runs once, for new work only; nothing finished is repeated."""
    trajectory_id = make_pupil(cohort=2027)
    run_id = view_of(trajectory_id).trajectory.flow_run_id
    assert run_id is not None
    code = copy_code(tmp_path / "code")
    first = spawn_engine(run_id, code)
    assert first.wait(timeout=120) == 0, first.stdout.read() if first.stdout else ""
    assert current_question(trajectory_id).step == 1

    records = code / "tasks" / "walk.py"
    source = records.read_text(encoding="utf-8")
    changed = source
    for old, new in (
        (
            '    """Carry out one action of the walk: records, audit entries and emails, in one '
            'transaction."""\n',
            '    """Carry out one action of the walk (changed while suspended)."""\n'
            "    from prefect import get_run_logger\n\n"
            '    if action.label.endswith("-afgerond"):\n'
            '        get_run_logger().info("nieuwe code voor %s", action.label)\n',
        ),
        (
            '    """Check an answer against its form',
            '    """(changed) Check an answer against its form',
        ),
    ):
        assert old in changed, old
        changed = changed.replace(old, new)
    records.write_text(changed, encoding="utf-8")

    give_answer(trajectory_id, _answer(trajectory_id))
    second = spawn_engine(run_id, code)
    assert second.wait(timeout=120) == 0, second.stdout.read() if second.stdout else ""

    view = view_of(trajectory_id)
    assert view.records[1].status == "done"
    assert view.trajectory.waiting_for == "date"
    names = _task_run_names(run_id)
    assert names["stap-1-open"] == 1
    assert names["stap-1-vraag-vaststelling"] == 1
    assert names["stap-1-antwoord-vaststelling-1"] == 1
    assert names["stap-1-afgerond"] == 1
    # Every task of a step ran once.
    assert all(count == 1 for count in names.values()), names
    actions = _audit_actions(trajectory_id)
    assert actions[("stap_geopend", 1)] == 1
    assert actions[("antwoord", 1)] == 1
    with get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
    assert any("nieuwe code voor stap-1-afgerond" in log.message for log in logs), "new code ran"
