"""The Prefect internals Overstap relies on, in one place (`tests/flow/test_prefect_contract.py`).

Prefect 3.9 keeps the answer to `suspend_flow_run(wait_for_input=..., key=K)` as the flow run
input `suspended-K-response`, and builds the form's model again from it with `RunInput.load` on
every replay. Neither is public API; a Prefect upgrade that changes them must fail the contract
test, not a pupil's run. Everything here is used through these functions only.
"""

from __future__ import annotations

from typing import Any, Self, cast
from uuid import UUID

import pydantic
from prefect.exceptions import ObjectNotFound, PrefectHTTPStatusError
from prefect.input import RunInput
from prefect.input.actions import delete_flow_run_input, read_flow_run_input
from prefect.input.run_input import Keyset, RunInputMetadata
from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

# Checked by our own (Dutch) validation after resume instead of by the Prefect server before it.
UNCHECKED_KEYWORDS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
)


def response_key(pause_key: str) -> str:
    """The flow run input key under which Prefect stores the answer to a suspend with a form."""
    return f"suspended-{pause_key}-response"


def read_response(flow_run_id: UUID, pause_key: str) -> dict[str, Any] | None:
    """The answer a run received under `pause_key`, or None when there is none (any more)."""
    try:
        value = read_flow_run_input(response_key(pause_key), flow_run_id=flow_run_id)
    except ObjectNotFound:
        return None
    return value if isinstance(value, dict) else None


def delete_response(flow_run_id: UUID, pause_key: str) -> None:
    """Remove the answer a run received under `pause_key` (our records hold it now)."""
    try:
        delete_flow_run_input(response_key(pause_key), flow_run_id=flow_run_id)
    except (ObjectNotFound, PrefectHTTPStatusError) as exc:
        # This call reports a missing input as a plain 404, not as ObjectNotFound.
        if isinstance(exc, PrefectHTTPStatusError) and exc.response.status_code != 404:
            raise


class OverstapForm(RunInput):
    """A form whose stored answer always loads, so domain validation can judge it.

    Prefect validates input against the form's JSON schema before resuming, and then builds the
    form from it again when the flow replays. If the form changed in between (a school renamed,
    a code change), that second build fails; here it falls back to the raw values, and
    `record_answer` rejects them with a Dutch message and asks again, instead of failing the run.
    """

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The schema Prefect stores with the suspend, without ranges and lengths.

        The Prefect server checks an answer against this schema before the run resumes and
        refuses one that breaks it with an English toast that names the field's code
        ("Validation failed for field 'dle_begrijpend_lezen' ... maximum of 80"). Without these
        keywords the answer reaches `record_answer`, which checks the same limits (the pydantic
        model keeps them) and asks the question again with the reason in Dutch. Types, choices
        (dropdowns) and required fields stay: the form itself prevents those mistakes.
        """
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        for field in target.get("properties", {}).values():
            for keyword in UNCHECKED_KEYWORDS:
                field.pop(keyword, None)
        return schema

    @classmethod
    def load(cls, keyset: Keyset, flow_run_id: UUID | None = None) -> Self:
        stored = read_flow_run_input(keyset["response"], flow_run_id=flow_run_id)
        value: dict[str, Any] = stored if isinstance(stored, dict) else {}
        instance: Self
        try:
            instance = cls(**value)
        except pydantic.ValidationError:
            instance = cast(Self, cls.model_construct(**value))
        instance._metadata = RunInputMetadata(
            key=keyset["response"], sender=None, receiver=flow_run_id or UUID(int=0)
        )
        return instance

    def answer(self) -> dict[str, Any]:
        """The answer as plain values (exactly what was stored when validation failed)."""
        return dict(self.__dict__)


def start_runner_runs_with(executable: str) -> None:
    """Make the runner of `serve` (`overstap up`) start each flow run with `executable` instead
    of this Python: Prefect 3.9's `EngineCommandStarter` builds the command
    `[get_sys_executable(), "-m", "prefect.engine"]` and has no setting for it (a process work
    pool does: its deployments' job variable `command`)."""
    from prefect.runner import _starter_engine

    _starter_engine.get_sys_executable = lambda: executable  # type: ignore[attr-defined]
