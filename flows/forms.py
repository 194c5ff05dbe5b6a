"""The typed forms of the Prefect UI: our form models with Prefect's `RunInput` as base class."""

from __future__ import annotations

from typing import Any, Self, cast
from uuid import UUID

import pydantic
from prefect.input import RunInput
from prefect.input.actions import read_flow_run_input
from prefect.input.run_input import Keyset, RunInputMetadata

from models.forms import FormContext, build_form_model


class OverstapForm(RunInput):
    """A form whose stored answer always loads, so domain validation can judge it.

    Prefect validates input against the form's JSON schema before resuming, and then builds the
    form from it again when the flow replays. If the form changed in between (a school renamed,
    a code change), that second build fails; here it falls back to the raw values, and
    `record_answer` rejects them with a Dutch message and asks again, instead of failing the run.
    """

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


def run_input_form(form_name: str, ctx: FormContext) -> type[OverstapForm]:
    """The `RunInput` class of form `form_name` (school choices filled in from `ctx`)."""
    model: type[OverstapForm] = build_form_model(form_name, ctx, base=OverstapForm)
    return model
