"""The typed forms of the Prefect UI: our form models with Prefect's `RunInput` as base class."""

from __future__ import annotations

from models.plan.forms import FormContext, build_form_model
from tasks.prefect_internals import OverstapForm


def run_input_form(form_name: str, ctx: FormContext) -> type[OverstapForm]:
    """The `RunInput` class of form `form_name` (school choices filled in from `ctx`)."""
    model: type[OverstapForm] = build_form_model(form_name, ctx, base=OverstapForm)
    return model
