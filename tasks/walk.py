"""The executor's side effects as Prefect tasks: one task per action the flow carries out.

Each task calls `models.walk.executor` and nothing else, so the flow and the walks without
Prefect share every side effect. Caching is off (see `tasks.taskdefs`): idempotency lives in our
tables, so a retry or a replay is harmless.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from prefect.runtime import task_run

from models.cases.records import AnswerOutcome
from models.walk.actions import Action, Ask
from models.walk.executor import Effect, answer, apply_now
from tasks.taskdefs import idempotent_task


def _action_name() -> str:
    action = task_run.parameters.get("action")
    return action.label if action is not None else "actie"


@idempotent_task(_action_name)
def carry_out(trajectory_id: UUID, action: Action) -> Effect:
    """Carry out one action of the walk: records, audit entries and emails, in one transaction."""
    return apply_now(trajectory_id, action)


@idempotent_task("stap-{action.step}-antwoord-{action.question}-{action.attempt}")
def record_answer(
    trajectory_id: UUID, action: Ask, raw: Mapping[str, Any], flow_run_id: UUID | None
) -> AnswerOutcome:
    """Check an answer against its form and store it: accepted, interim or rejected."""
    return answer(trajectory_id, action, raw, flow_run_id)
