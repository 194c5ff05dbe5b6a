"""The typed forms of the Prefect UI: our form models with Prefect's `RunInput` as base class."""

from __future__ import annotations

from typing import Any

from prefect.input import RunInput

from models.forms import FormContext, build_form_model


def run_input_form(form_name: str, ctx: FormContext) -> type[RunInput]:
    """The `RunInput` class of form `form_name` (school choices filled in from `ctx`)."""
    model: Any = build_form_model(form_name, ctx, base=RunInput)
    return model  # type: ignore[no-any-return]
