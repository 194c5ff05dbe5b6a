"""Dutch texts shown to people: the Markdown description on a form, dates, role lists.

A description shows what an intaker needs to act (code, first name and initial, school, the step,
what is asked, by when) and never a last name, a birth date, a BSN or a diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from models.cases import casework
from models.cases.view import TrajectoryView
from models.dutch import MONTHS as MONTHS
from models.dutch import dutch_date
from models.enums import Role
from models.plan.forms import FORMS
from models.plan.purposes import Purpose
from models.plan.steps import Question, Step
from models.store.clock import local_date

# The two Prefect UIs name the button under the form differently ("Submit" in one, "Resume" in
# the other): the description names neither.
SEND_HINT = (
    "Vul bij *Ingevuld door* uw naam en functie in en verstuur het formulier met de knop eronder. "
    "Klopt er iets niet, dan vraagt Overstap het opnieuw en staat hierboven waarom."
)


def role_list(roles: Iterable[Role]) -> str:
    labels = [role.label for role in roles]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " en " + labels[-1]


def _escape(text: str) -> str:
    """Neutralise Markdown in names typed by people."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>" else c for c in text)


def current_groep(cohort: int, transfer_groep: int, today: date) -> str:
    """'groep 7', 'groep 8' or 'brugklas' for a pupil of `cohort` on `today`."""
    school_year_end = today.year + 1 if today.month >= 8 else today.year
    years_to_vo = cohort - school_year_end
    if years_to_vo < 0:
        return "brugklas"
    return f"groep {max(1, transfer_groep - years_to_vo)}"


def question_description(
    *, view: TrajectoryView, step: Step, question: Question, due: date, today: date
) -> str:
    """The Markdown description of a suspended run's form: who, which step, what, by when."""
    form = FORMS[question.form]
    t = view.trajectory
    groep = current_groep(t.cohort, t.transfer_groep, today) + (
        ", uitstroom uit groep 7" if t.transfer_groep == 7 else ""
    )
    lines = [
        f"## Stap {step.number}: {step.title}",
        "",
        f"**Leerling:** {t.code}, {_escape(view.pupil_label)} "
        f"({_escape(view.po_school.name)}, {groep})  ",
    ]
    if view.vo_school:
        lines.append(f"**VO-school:** {_escape(view.vo_school.name)}  ")
    lines += [
        f"**Periode:** {step.period}  ",
        f"**Uiterlijk:** {dutch_date(due)}" + (" (**te laat**)" if due < today else ""),
    ]
    for deadline in casework.open_deadlines(view):
        if deadline.kind != casework.STEP and deadline.due == due:
            # The label, not the basis: an extension's basis holds the reason someone typed.
            lines.append(f"  \n*Termijn:* {casework.public_label(deadline)}")
    lines += [
        "",
        f"**Gevraagd van:** {role_list(question.roles)}"
        + (f" (in te vullen door {question.recorded_by.label})" if question.recorded_by else ""),
        "",
        form.intro,
    ]
    if question.form in ("evaluatie_plan", "onderzoek_cvb"):
        summary = casework.screening_summary(view)
        if summary:
            lines += ["", summary]
    if question.form == "definitief_schooladvies":
        lines += ["", *_test_dates(view)]
    if question.form == "overleg_vo" and t.transfer_groep == 7:
        lines += [
            "",
            "**Overstap vanuit groep 7:** er vindt altijd eerst gezamenlijk overleg plaats met een "
            "VO-school, voordat de leerling wordt aangemeld (hoofdstuk 2). Leg de datum van dat "
            "overleg vast.",
        ]
    previous = view.previous_attempt(step.number, question.key)
    if previous is not None and previous.errors:
        lines += [
            "",
            f"> **Het vorige antwoord ({_escape(previous.answered_by)}, "
            f"{dutch_date(local_date(previous.answered_at))}) is niet verwerkt:**",
        ]
        lines += [f"> - {error}" for error in previous.errors]
        lines += ["", "Vul het formulier opnieuw in."]
    elif previous is not None:
        lines += ["", casework.interim_note(view, step.number, question.key)]
    lines += ["", SEND_HINT]
    return "\n".join(lines)


def _test_dates(view: TrajectoryView) -> list[str]:
    """The doorstroomtoets dates of the pupil's groep-8 calendar, and the voorlopige advies."""
    calendar = view.plan.calendars.get(view.trajectory.cohort - 1)
    lines: list[str] = []
    if calendar is not None:
        lines.append(
            f"**Doorstroomtoets:** afgenomen {dutch_date(calendar.start('doorstroomtoets'))} t/m "
            f"{dutch_date(calendar.end('doorstroomtoets'))}; uitslag uiterlijk "
            f"{dutch_date(calendar.end('uitslag_doorstroomtoets'))}; definitief advies uiterlijk "
            f"{dutch_date(calendar.end('definitief_advies'))}"
            + (" (kalender afgeleid, nog niet vastgesteld)" if calendar.derived else "")
            + "."
        )
    preliminary = view.facts.value(Purpose.PRELIMINARY_ADVICE, "advies")
    if preliminary:
        lines.append(
            f"**Voorlopig advies:** {preliminary}. Is de doorstroomtoets beter gemaakt, dan wordt "
            "het advies naar boven bijgesteld, tenzij dat niet in het belang van de leerling is."
        )
    return lines
