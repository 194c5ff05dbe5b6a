"""The Prefect internals Overstap relies on (`tasks.prefect_internals`), checked against the real
server: a Prefect upgrade that changes them fails here, loudly, before it fails a pupil's run."""

from __future__ import annotations

from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.input import keyset_from_paused_state
from prefect.input.actions import create_flow_run_input, read_flow_run_input

from deployments.demo import REGULIER, scripted_answer
from flows.forms import run_input_form
from models.cases.view import form_context, pause_key
from models.store.clock import today
from models.store.db import session_scope
from tasks.prefect_internals import OverstapForm, delete_response, read_response, response_key
from tests.flow.driver import current_question, execute, give_answer, make_pupil, view_of

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_server", "simulation")]


def test_a_suspended_question_keeps_its_answer_under_our_response_key() -> None:
    """Prefect names the keyset of a Suspended state `suspended-<pause key>`, and the answer the
    UI sends is stored under its `-response` key: exactly what `read_response` reads. Once the
    run has recorded it in our database, the answer is gone from Prefect."""
    trajectory_id = make_pupil()
    execute(trajectory_id)
    ask = current_question(trajectory_id)
    key = pause_key(ask.step, ask.question, ask.attempt)
    run_id = view_of(trajectory_id).trajectory.flow_run_id
    assert run_id is not None
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(run_id).state
    assert state is not None
    assert (state.name, state.state_details.pause_key) == ("Suspended", key)
    assert keyset_from_paused_state(state)["response"] == response_key(key)
    assert read_response(run_id, key) is None

    answer = scripted_answer(view_of(trajectory_id), ask, today(), REGULIER)
    give_answer(trajectory_id, answer)
    stored = read_flow_run_input(f"suspended-{key}-response", flow_run_id=run_id)
    assert stored == read_response(run_id, key)
    assert stored["beantwoord_door"] == answer["beantwoord_door"]

    execute(trajectory_id)  # the run records the answer, then removes it from Prefect
    assert read_response(run_id, key) is None
    answers = view_of(trajectory_id).answers
    assert [(a.step, a.attempt, a.answered_by) for a in answers] == [
        (ask.step, ask.attempt, answer["beantwoord_door"])
    ]
    delete_response(run_id, key)  # deleting what is gone is no error


def test_a_stored_answer_that_no_longer_fits_the_form_still_loads() -> None:
    """`RunInput.load` is what Prefect calls on replay: ours returns the raw values when the form
    changed under a stored answer, so our own validation can reject it in Dutch."""
    trajectory_id = make_pupil()
    execute(trajectory_id)
    ask = current_question(trajectory_id)
    view = view_of(trajectory_id)
    run_id = view.trajectory.flow_run_id
    assert run_id is not None
    question = view.plan.step(ask.step).question(ask.question)
    with session_scope() as session:
        form = run_input_form(question.form, form_context(session, view, question.purpose))
    assert issubclass(form, OverstapForm)
    key = "contract-probe"
    stale: dict[str, Any] = {"beantwoord_door": ["geen", "tekst"], "veld_dat_niet_bestaat": 42}
    create_flow_run_input(response_key(key), stale, flow_run_id=run_id)
    keyset = keyset_from_paused_state(_paused_state_with_key(run_id, key))  # as Prefect builds it
    loaded = form.load(keyset, flow_run_id=run_id)  # no ValidationError
    assert loaded.answer()["beantwoord_door"] == ["geen", "tekst"]  # kept as stored
    assert "veld_dat_niet_bestaat" not in loaded.answer()


def _paused_state_with_key(run_id: Any, key: str) -> Any:
    """A copy of the run's Suspended state with another pause key (nothing is written)."""
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(run_id).state
    assert state is not None
    details = state.state_details.model_copy(update={"pause_key": key})
    return state.model_copy(update={"state_details": details})
