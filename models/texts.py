"""Dutch texts shown to people: the Markdown description on a form, dates, role lists.

A description shows what an intaker needs to act (code, first name and initial, school, the step,
what is asked, by when) and never a last name, a birth date, a BSN or a diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from models.forms import FORMS
from models.plan import Question, Step
from models.tables import Answer, Role

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_date(day: date) -> str:
    """'12 mei 2027'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def role_list(roles: Iterable[Role]) -> str:
    labels = [role.label for role in roles]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " en " + labels[-1]


def _escape(text: str) -> str:
    """Neutralise Markdown in names typed by people."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>" else c for c in text)


def question_description(
    *,
    code: str,
    pupil_label: str,
    po_school: str,
    groep: int,
    vo_school: str | None,
    step: Step,
    question: Question,
    due: date,
    today: date,
    rejection: Answer | None,
) -> str:
    """The Markdown description of a suspended run's form."""
    form = FORMS[question.form]
    lines = [
        f"## Stap {step.number}: {step.title}",
        "",
        f"**Leerling:** {code}, {_escape(pupil_label)} ({_escape(po_school)}, groep {groep})  ",
    ]
    if vo_school:
        lines.append(f"**VO-school:** {_escape(vo_school)}  ")
    lines += [
        f"**Periode:** {step.period}  ",
        f"**Uiterlijk:** {dutch_date(due)}" + (" (**te laat**)" if due < today else ""),
        "",
        f"**Gevraagd van:** {role_list(question.roles)}"
        + (f" (in te vullen door {question.recorded_by.label})" if question.recorded_by else ""),
        "",
        form.intro,
    ]
    if rejection is not None:
        lines += [
            "",
            f"> **Het vorige antwoord ({_escape(rejection.answered_by)}, "
            f"{dutch_date(rejection.answered_at.date())}) is niet verwerkt:**",
        ]
        lines += [f"> - {error}" for error in rejection.errors]
        lines += ["", "Vul het formulier opnieuw in."]
    lines += [
        "",
        "Vul bij *Ingevuld door* uw naam en functie in en kies **Resume** om het antwoord te "
        "versturen.",
    ]
    return "\n".join(lines)
