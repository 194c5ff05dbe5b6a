"""Answers given on the command line (`overstap answer`), checked like the form in the UI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlmodel import Session

from models.cases.casework import check_answer
from models.cases.view import find_by_code, form_context, load_view
from models.dutch import parse_date
from models.enums import TrajectoryStatus, WaitingFor
from models.plan.forms import (
    ANSWERED_BY,
    FORMS,
    FieldSpec,
    FormContext,
    FormError,
    allowed_values,
    expand_fields,
    form_title,
    parse_answer,
    school_options,
    to_json,
)


class AnswerError(ValueError):
    """An answer from the command line that cannot be given; Dutch messages in `errors`."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def _coerce_cli_value(spec: FieldSpec | None, text: str, ctx: FormContext) -> Any:
    """A value typed on the command line as the form's field holds it; choices, schools and
    yes/no in any case. What does not fit is passed on as typed, for a Dutch error."""
    kind = spec.kind if spec is not None else "text"
    if kind == "int":
        try:
            return int(text.strip())
        except ValueError:
            return text
    if kind == "bool":
        lowered = text.strip().casefold()
        mapping = {"ja": True, "j": True, "nee": False, "n": False}
        return mapping.get(lowered, text)
    if kind == "date":
        try:
            return parse_date(text)
        except ValueError:
            return text
    if spec is not None and kind in ("choice", "school"):
        options = spec.choices if kind == "choice" else tuple(school_options(spec, ctx))
        wanted = " ".join(text.split()).casefold()
        return next((o for o in options if o.casefold() == wanted), text)
    return text


@dataclass(frozen=True)
class PreparedAnswer:
    """A checked command-line answer, ready to resume the run that waits for it."""

    code: str
    flow_run_id: UUID | None
    run_input: dict[str, Any]


@dataclass(frozen=True)
class OpenQuestion:
    """The question a trajectory's run waits for at a step, and its form for this pupil."""

    code: str
    step: int
    question: str
    title: str
    due: date | None
    flow_run_id: UUID | None
    form: str
    fields: tuple[FieldSpec, ...]
    ctx: FormContext

    def allowed(self, spec: FieldSpec) -> str:
        return allowed_values(spec, self.ctx)


def _open_question(session: Session, code: str, step: int) -> tuple[OpenQuestion, Any]:
    trajectory = find_by_code(session, code)
    if trajectory is None:
        raise AnswerError([f"geen traject met code '{code}'"])
    if trajectory.status != TrajectoryStatus.ACTIEF:
        raise AnswerError([f"traject {trajectory.code} is {trajectory.status}"])
    view = load_view(session, trajectory.id)
    assert view is not None
    runs = view.runs()
    asking = [
        r
        for r in runs
        if r.status == TrajectoryStatus.ACTIEF
        and r.waiting_for == WaitingFor.ANSWER
        and r.current_question is not None
    ]
    if not asking:
        waiting = (
            f"wacht tot {trajectory.wait_until:%d-%m-%Y} op stap {trajectory.current_step}"
            if trajectory.waiting_for == WaitingFor.DATE and trajectory.wait_until
            else "wacht niet op een antwoord"
        )
        raise AnswerError([f"traject {trajectory.code} {waiting}"])
    run = next((r for r in asking if r.current_step == step), None)
    if run is None or run.current_question is None:
        open_steps = " en ".join(str(r.current_step) for r in asking)
        raise AnswerError(
            [
                f"traject {trajectory.code} wacht op een antwoord bij stap {open_steps}, "
                f"niet bij stap {step}"
            ]
        )
    asked = view.plan.step(step).question(run.current_question)
    ctx = form_context(session, view, asked.purpose)
    question = OpenQuestion(
        code=trajectory.code,
        step=step,
        question=run.current_question,
        title=form_title(asked.form),
        due=run.due,
        flow_run_id=run.flow_run_id,
        form=asked.form,
        fields=tuple(expand_fields(FORMS[asked.form], ctx)),
        ctx=ctx,
    )
    return question, view


def open_question(session: Session, *, code: str, step: int) -> OpenQuestion:
    """The question that waits for an answer at `step` (for `overstap answer CODE STEP`, which
    lists its fields); `AnswerError` (Dutch) when none does."""
    return _open_question(session, code, step)[0]


def prepare_cli_answer(
    session: Session, *, code: str, step: int, fields: Mapping[str, str], answered_by: str
) -> PreparedAnswer:
    """Check an answer given as field=value pairs for the run (main or track) asking `step`.

    Raises `AnswerError` (Dutch) when no run of the trajectory waits for an answer at this step
    or the answer does not fit the form; nothing is changed.
    """
    question, view = _open_question(session, code, step)
    specs = {f.name: f for f in question.fields}
    raw: dict[str, Any] = {ANSWERED_BY: answered_by}
    for name, text in fields.items():
        raw[name] = _coerce_cli_value(specs.get(name), text, question.ctx)
    try:
        values = parse_answer(question.form, raw, question.ctx)
    except FormError as exc:
        raise AnswerError(exc.errors) from None
    errors = check_answer(view, step, question.question, values)
    if errors:
        raise AnswerError(errors)
    return PreparedAnswer(question.code, question.flow_run_id, to_json(values))
