"""Crashes, retries, early resumes and bad answers never lose an answer or ask it twice."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from uuid import UUID

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags
from prefect.client.schemas.objects import StateType
from prefect.states import Crashed
from sqlmodel import col, select

from deployments.demo import REGULIER, answer_source, scripted_answer
from flows.clock import clock_flow
from models.store.clock import set_simulated_date, today
from models.store.db import session_scope
from models.store.tables import Answer, AuditEntry
from models.walk.actions import Ask
from tasks.prefect_internals import read_response
from tests.flow.driver import (
    current_question,
    drive,
    execute,
    flow_run_state,
    give_answer,
    make_pupil,
    run_clock_at,
    view_of,
)

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_server", "simulation")]


def _audit(trajectory_id: UUID, action: str) -> list[AuditEntry]:
    with session_scope() as session:
        return list(
            session.exec(
                select(AuditEntry)
                .where(AuditEntry.trajectory_id == trajectory_id, AuditEntry.action == action)
                .order_by(col(AuditEntry.id))
            )
        )


def _answers(trajectory_id: UUID) -> list[Answer]:
    with session_scope() as session:
        return list(session.exec(select(Answer).where(Answer.trajectory_id == trajectory_id)))


def _question_suspends(flow_run_id: UUID) -> Counter[str]:
    with get_client(sync_client=True) as client:
        states = client.read_flow_run_states(flow_run_id)
    return Counter(
        str(s.state_details.pause_key)
        for s in states
        if s.name == "Suspended" and str(s.state_details.pause_key).startswith("stap-")
    )


def _answer_for(trajectory_id: UUID) -> dict[str, object]:
    view = view_of(trajectory_id)
    return scripted_answer(view, current_question(trajectory_id), today(), REGULIER)


def test_crashed_run_is_repaired_by_the_clock_and_keeps_the_answer() -> None:
    """An answer given just before the run crashed is recorded once; nothing is asked again."""
    trajectory_id = make_pupil(cohort=2027)
    drive(trajectory_id, answer_source(REGULIER), stop_before_step=5)
    run_clock_at(date(2026, 1, 5))
    execute(trajectory_id)
    assert current_question(trajectory_id) == Ask(5, "vaststelling", 1, date(2026, 2, 28))
    old_run = view_of(trajectory_id).trajectory.flow_run_id
    assert old_run is not None
    give_answer(trajectory_id, _answer_for(trajectory_id))
    # The runner picked the resumed run up and its process died before it recorded the answer.
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(old_run, Crashed(message="proces gestopt"), force=True)

    counts = run_clock_at(date(2026, 1, 5))
    assert counts["hersteld"] == 1
    new_run = view_of(trajectory_id).trajectory.flow_run_id
    assert new_run is not None
    assert new_run != old_run
    assert [a.step for a in _answers(trajectory_id) if a.step == 5] == [5], "answer harvested"
    assert read_response(old_run, "stap-5-vaststelling-1") is None, "and removed from Prefect"

    assert execute(trajectory_id) == StateType.PAUSED
    view = view_of(trajectory_id)
    assert view.records[5].status == "done"
    assert view.trajectory.current_step == 6
    assert "stap-5-vaststelling-1" not in _question_suspends(new_run)
    assert _question_suspends(old_run)["stap-5-vaststelling-1"] == 1
    repairs = _audit(trajectory_id, "flow_run")
    assert repairs[-1].detail["reden"] == "flow run crashed"
    assert repairs[-1].detail["vorige"] == str(old_run)


def test_clock_twice_repairs_once_and_wakes_once() -> None:
    """Two clock runs in a row start one new run and resume a waiting run once."""
    trajectory_id = make_pupil(cohort=2027)
    execute(trajectory_id)
    give_answer(trajectory_id, _answer_for(trajectory_id))
    execute(trajectory_id)
    view = view_of(trajectory_id)
    assert view.trajectory.waiting_for == "date"
    assert view.trajectory.wait_until == date(2025, 10, 1)
    first = run_clock_at(date(2025, 10, 1))
    second = run_clock_at(date(2025, 10, 1))
    assert first.get("gewekt") == 1
    assert second.get("gewekt", 0) == 0

    old_run = view_of(trajectory_id).trajectory.flow_run_id
    assert old_run is not None
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(old_run, Crashed(message="weg"), force=True)
    assert run_clock_at(date(2025, 10, 1))["hersteld"] == 1
    after_first = view_of(trajectory_id).trajectory.flow_run_id
    assert run_clock_at(date(2025, 10, 1)).get("hersteld", 0) == 0
    assert view_of(trajectory_id).trajectory.flow_run_id == after_first
    assert len(_audit(trajectory_id, "flow_run")) == 2  # the start and one repair


def test_two_clocks_at_once_repair_once() -> None:
    """Two clocks running at the same time (the daily run and an `overstap tick`) replace a
    crashed run by one new run, not two."""
    trajectory_id = make_pupil(cohort=2027)
    execute(trajectory_id)
    old_run = view_of(trajectory_id).trajectory.flow_run_id
    assert old_run is not None
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(old_run, Crashed(message="weg"), force=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: clock_flow(), range(2)))
    # Both may report the repair (Prefect hands both the same new run); what counts is below.
    assert sum(r.get("hersteld", 0) for r in results) >= 1, results
    new_run = view_of(trajectory_id).trajectory.flow_run_id
    assert new_run not in (None, old_run)
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                tags=FlowRunFilterTags(all_=[f"cohort:{view_of(trajectory_id).trajectory.cohort}"])
            )
        )
    mine = [r for r in runs if r.parameters.get("trajectory_id") == str(trajectory_id)]
    assert sorted(str(r.id) for r in mine) == sorted([str(old_run), str(new_run)])
    assert len(_audit(trajectory_id, "flow_run")) == 2  # the start and one repair


def test_vanished_run_is_replaced() -> None:
    """A trajectory whose flow run was deleted from Prefect gets a new one that continues."""
    trajectory_id = make_pupil(cohort=2027)
    execute(trajectory_id)
    give_answer(trajectory_id, _answer_for(trajectory_id))
    execute(trajectory_id)
    old_run = view_of(trajectory_id).trajectory.flow_run_id
    assert old_run is not None
    with get_client(sync_client=True) as client:
        client.delete_flow_run(old_run)
    assert run_clock_at(date(2025, 10, 1))["hersteld"] == 1
    execute(trajectory_id)
    view = view_of(trajectory_id)
    assert view.trajectory.flow_run_id != old_run
    assert view.records[1].status == "done"
    assert current_question(trajectory_id).step == 2
    assert len([a for a in _answers(trajectory_id) if a.step == 1]) == 1


def test_invalid_answer_is_asked_again_with_the_error_in_the_description() -> None:
    """A domain error re-asks under a new key with the reason shown; the run never fails."""
    trajectory_id = make_pupil(cohort=2027)
    execute(trajectory_id)
    flow_run_id = view_of(trajectory_id).trajectory.flow_run_id
    assert flow_run_id is not None
    # Through the UI the form only checks types; a date in the future passes that check.
    with get_client(sync_client=True) as client:
        client.resume_flow_run(
            flow_run_id,
            run_input={"beantwoord_door": "J. Jansen, ib", "uitgevoerd_op": "2030-01-01"},
        )
    assert execute(trajectory_id) == StateType.PAUSED
    assert current_question(trajectory_id) == Ask(1, "vaststelling", 2, date(2025, 10, 31))
    rejected = _answers(trajectory_id)
    assert [(a.attempt, a.accepted) for a in rejected] == [(1, False)]
    assert "ligt in de toekomst" in rejected[0].errors[0]
    with get_client(sync_client=True) as client:
        description = client.read_flow_run_input(
            flow_run_id, "suspended-stap-1-vaststelling-2-description"
        )
    assert "is niet verwerkt" in description
    assert "ligt in de toekomst" in description
    give_answer(trajectory_id, _answer_for(trajectory_id) | {"uitgevoerd_op": "2025-09-01"})
    execute(trajectory_id)
    assert view_of(trajectory_id).records[1].status == "done"


def test_resume_before_the_date_waits_again() -> None:
    """Someone pressing Resume in the UI before a step's date only makes the run wait again."""
    trajectory_id = make_pupil(cohort=2027)
    execute(trajectory_id)
    give_answer(trajectory_id, _answer_for(trajectory_id))
    execute(trajectory_id)
    view = view_of(trajectory_id)
    flow_run_id = view.trajectory.flow_run_id
    assert flow_run_id is not None
    first_key = view.trajectory.pause_key
    with get_client(sync_client=True) as client:
        client.resume_flow_run(flow_run_id)
    assert execute(trajectory_id) == StateType.PAUSED
    view = view_of(trajectory_id)
    assert view.trajectory.waiting_for == "date"
    assert view.trajectory.pause_key != first_key
    assert 2 not in view.records


def test_the_clocks_wake_resumes_runs_waiting_for_a_date_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`wake_runs` resumes the run that waits for a date a few seconds ahead (Prefect's own
    Resuming state, with a later start), so that a burst's requests all land before the first
    woken run starts; it refuses the run that waits for a typed answer (as a date or as an ended
    track) and the one that no longer exists, and never moves a resumed run again."""
    from uuid import uuid4

    from models.settings import reset_settings
    from models.store.clock import wall_clock_utc

    monkeypatch.setenv("OVERSTAP_WAKE_LEAD_SECONDS", "2")
    reset_settings()
    dated = make_pupil(brin="99XB")
    execute(dated)
    give_answer(dated, _answer_now(dated))
    execute(dated)
    asked = make_pupil(brin="99XC")
    execute(asked)
    dated_run = view_of(dated).trajectory.flow_run_id
    asked_run = view_of(asked).trajectory.flow_run_id
    assert view_of(dated).trajectory.waiting_for == "date"
    assert view_of(asked).trajectory.waiting_for == "answer"
    assert dated_run is not None
    assert asked_run is not None
    before = wall_clock_utc()
    assert _wake([dated_run, asked_run, uuid4()], [asked_run]) == 1
    after = wall_clock_utc()
    with get_client(sync_client=True) as client:
        woken = client.read_flow_run(dated_run).state
        assert woken is not None
        assert (woken.type, woken.name) == (StateType.SCHEDULED, "Resuming")
        at = woken.state_details.scheduled_time
        assert at is not None
        # 2 s of lead and 0.05 s for each of the three runs asked to wake on a date
        assert before.timestamp() + 2.15 <= at.timestamp() <= after.timestamp() + 2.15
        assert flow_run_state(asked_run) == StateType.PAUSED
        assert _wake([dated_run], [dated_run]) == 0  # no longer paused: refused both ways
        again = client.read_flow_run(dated_run).state
        assert again is not None
        assert again.state_details.scheduled_time == at
    wait_until = view_of(dated).trajectory.wait_until
    assert wait_until is not None
    set_simulated_date(wait_until)
    assert execute(dated) == StateType.PAUSED  # Prefect held the start until `at`, then it ran
    assert view_of(dated).trajectory.current_step == 2
    assert view_of(dated).trajectory.waiting_for == "answer"


def _answer_now(trajectory_id: UUID) -> dict[str, object]:
    return dict(
        scripted_answer(view_of(trajectory_id), current_question(trajectory_id), today(), REGULIER)
    )


def test_a_wake_the_server_fails_is_sent_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Prefect server on SQLite answers 503 when its database stays locked in a burst (seen
    in bench/burst.py: one run of 100 slept on): the clock sends that resume again; a server
    that keeps failing fails the task, which Prefect retries, instead of a silent skip."""
    import httpx

    from tasks import prefect_api

    monkeypatch.setattr(prefect_api.time, "sleep", lambda _seconds: None)
    dated = make_pupil(brin="99XD")
    execute(dated)
    give_answer(dated, _answer_now(dated))
    execute(dated)
    run_id = view_of(dated).trajectory.flow_run_id
    assert run_id is not None
    real = prefect_api._resume_at
    failures = {"left": 2}

    def busy_server(client: object, run: object, at: object) -> str | None:
        if failures["left"] > 0:
            failures["left"] -= 1
            request = httpx.Request("POST", "http://prefect/api/flow_runs/set_state")
            response = httpx.Response(503, request=request)
            raise httpx.HTTPStatusError("busy", request=request, response=response)
        return real(client, run, at)  # type: ignore[arg-type]

    monkeypatch.setattr(prefect_api, "_resume_at", busy_server)
    assert _wake([run_id]) == 1
    assert flow_run_state(run_id) == StateType.SCHEDULED
    failures["left"] = prefect_api.WAKE_PASSES
    with pytest.raises(httpx.HTTPStatusError):
        _wake([run_id])


@flow(name="overstap-test-wekken", persist_result=False)
def _wake(on_date: list[UUID], track_ended: list[UUID] | None = None) -> int:
    """The clock's wake, as the clock runs it (in a flow), without the task's retries."""
    from tasks.prefect_api import wake_runs

    return int(wake_runs.with_options(retries=0)(on_date, track_ended))


def test_enroll_starts_again_what_a_busy_server_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """`enroll --csv` in a burst: Prefect on SQLite refused four of 300 starts with a 503 (the
    clock would have started them later); the failed starts are tried again after 1, 2, 4 s."""
    import httpx

    from deployments import cli
    from tasks import prefect_api

    calls: Counter[str] = Counter()

    def busy_then_fine(trajectory_id: str, **_: object) -> str:
        calls[trajectory_id] += 1
        if trajectory_id == "b" and calls[trajectory_id] < 3:
            request = httpx.Request("POST", "http://prefect/api/deployments/create_flow_run")
            raise httpx.HTTPStatusError(
                "busy", request=request, response=httpx.Response(503, request=request)
            )
        return f"run-{trajectory_id}"

    monkeypatch.setattr(prefect_api, "start_trajectory_run", busy_then_fine)
    monkeypatch.setattr(cli.time, "sleep", lambda _seconds: None)
    assert cli._start_runs(["a", "b"]) == {"a": "run-a", "b": "run-b"}
    assert calls == Counter({"a": 1, "b": 3})
