"""The legal terms of one trajectory, derived from its answers (chapters 1 and 3, Bijlage I).

`open_deadlines` lists what is due next and why (for `overstap status` and the clock's
escalations); `question_due` gives a question its legal due date (the admission decision, the
MPO) as soon as the answers fix it; `check_answer` holds the rules that need a trajectory's history
(one extension only, and only while the term runs).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from models.cases.view import TrajectoryView
from models.dutch import dutch_date
from models.enums import Route, StepStatus, TrajectoryStatus
from models.plan.forms import CONSULTED, DOUBT, EXTEND, PRELIMINARY, REFUSED
from models.plan.purposes import ADMISSION_PRO_VSO, ADMISSIONS, Admission, Purpose
from models.plan.steps import Question, Step
from models.store.clock import local_date
from models.terms import deadlines, screening
from models.terms.deadlines import Deadline, DeadlineKind

STEP = "stap"
IQ_SCORE = re.compile(r"\bIQ\b[^.]*\d")


@dataclass(frozen=True)
class OpenDeadline:
    """One open term of a trajectory, as `overstap status --json` shows it."""

    kind: str
    due: date
    basis: str
    soft: bool = False

    def overdue(self, today: date) -> bool:
        return not self.soft and today > self.due

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "due": self.due.isoformat(), "basis": self.basis}


def admission_of(view: TrajectoryView) -> Admission | None:
    """The way this pupil is being admitted: PRO/VSO (registered early, decided after the TLV)
    or a regular VO school (registered in the aanmeldweek); None before any registration."""
    for way in ADMISSIONS:
        if view.facts.answered(way.registration):
            return way
    return None


def admission_for_decision(purpose: str) -> Admission | None:
    """The way of admission whose decision question has this purpose."""
    return next((way for way in ADMISSIONS if way.decision == purpose), None)


def _date(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def admission_deadline(view: TrajectoryView, way: Admission) -> Deadline | None:
    """Six weeks after a complete registration (form and OSO dossier), plus one extension."""
    facts = view.facts
    registered = _date(facts.value(way.registration, "aangemeld_op"))
    if registered is None:
        return None
    form_in = _date(facts.value(way.registration, "formulier_volledig_op"))
    dossier = _date(facts.value(way.oso, "klaargezet_op"))
    extensions = [a for a in view.interim(way.decision) if a.payload.get("besluit") == EXTEND]
    extended_on = reason = None
    if extensions:
        extended_on = date.fromisoformat(str(extensions[0].payload["datum"]))
        reason = str(extensions[0].payload.get("reden", "")).strip() or "geen reden"
    tlv_on = None
    if way == ADMISSION_PRO_VSO:
        # PRO and VSO decide after the CvA granted the TLV: the term runs from that day at the
        # earliest, and not at all after a refused TLV (then there is no admission to decide).
        if facts.value(Purpose.TLV_DECISION, "besluit") != "toegekend":
            return None
        tlv_on = _date(facts.value(Purpose.TLV_DECISION, "besluit_op"))
    try:
        return deadlines.admission_decision(
            registered, form_in, dossier, extended_on, reason, tlv_granted_on=tlv_on
        )
    except ValueError:
        pass
    # The answers were checked when they were given; dates that no longer fit together (an old
    # answer, a corrected dossier date) give the unextended term, or none, never an error.
    try:
        return deadlines.admission_decision(registered, form_in, dossier, tlv_granted_on=tlv_on)
    except ValueError:
        return None


def _negative_decision_on(view: TrajectoryView) -> date | None:
    """The day a negative CvB advice, TLV or admission decision was recorded."""
    facts = view.facts
    if facts.value(Purpose.TLV_DECISION, "besluit") == "afgewezen":
        return _date(facts.value(Purpose.TLV_DECISION, "besluit_op"))
    for way in ADMISSIONS:
        if facts.value(way.decision, "besluit") == REFUSED:
            return _date(facts.value(way.decision, "datum"))
    if facts.value(Purpose.CVB_ADVICE, "advies") == "negatief":
        answer = view.final_answer(Purpose.CVB_ADVICE)
        if answer is not None:
            return local_date(answer.answered_at)
    return None


def mpo_deadline(view: TrajectoryView) -> Deadline | None:
    """Ten working days after a decision not to place the pupil (chapter 3)."""
    decided = _negative_decision_on(view)
    return None if decided is None else deadlines.mpo(decided)


def question_due(view: TrajectoryView, step: Step, question: Question) -> date:
    """The due date of a question: its legal term when the answers fix it, else the plan's."""
    planned = view.plan.question_due(step, question, view.trajectory.cohort)
    deadline: Deadline | None = None
    if question.deadline == "toelatingsbesluit":
        way = admission_for_decision(question.purpose)
        deadline = admission_deadline(view, way) if way is not None else None
    elif question.deadline == "mpo":
        deadline = mpo_deadline(view)
    return deadline.due if deadline is not None else planned


def _latest_interim(view: TrajectoryView, purpose: str, choice: str) -> date | None:
    days = [
        date.fromisoformat(str(a.payload["datum"]))
        for a in view.interim(purpose)
        if a.payload.get("besluit") == choice
    ]
    return max(days) if days else None


def open_deadlines(view: TrajectoryView) -> list[OpenDeadline]:
    """Every open term of the trajectory, earliest first."""
    if view.trajectory.status != TrajectoryStatus.ACTIEF:
        return []
    facts = view.facts
    found: list[OpenDeadline] = []
    for number, record in sorted(view.records.items()):
        if record.status == StepStatus.OPEN and record.due_by is not None:
            step = view.plan.step(number)
            found.append(OpenDeadline(STEP, record.due_by, f"stap {number}: {step.period}"))

    def add(deadline: Deadline | None) -> None:
        if deadline is not None:
            found.append(
                OpenDeadline(str(deadline.kind), deadline.due, deadline.basis, deadline.soft)
            )

    way = admission_of(view)
    if way is not None and not facts.answered(way.decision):
        add(admission_deadline(view, way))
        if not facts.answered(way.oso):
            calendar = view.plan.calendars.get(view.trajectory.cohort - 1)
            if calendar is not None:
                sent = _date(facts.value(way.registration, "formulier_volledig_op"))
                add(deadlines.oso_dossier(calendar.end("oso"), sent))
        preliminary = _latest_interim(view, way.decision, PRELIMINARY)
        consulted = _latest_interim(view, way.decision, CONSULTED)
        if preliminary is not None and (consulted is None or consulted < preliminary):
            add(deadlines.consult_parents_and_po(preliminary))
        doubt = _latest_interim(view, way.decision, DOUBT)
        if doubt is not None:
            add(deadlines.position_after_doubt(doubt))
    if facts.route in (Route.PRO, Route.VSO) and not facts.answered(Purpose.REGISTRATION_PRO_VSO):
        add(deadlines.tlv_early_registration(view.trajectory.cohort))
    if facts.negative_decision and not facts.mpo_held:
        add(mpo_deadline(view))
    return sorted(found, key=lambda d: (d.due, d.kind))


NO_TERM = date.max  # `Trajectory.next_term_due` of a trajectory without an open legal term


def next_term_due(view: TrajectoryView) -> date:
    """The earliest due date of the binding legal terms that are open (`NO_TERM` when none):
    kept on the trajectory so the clock finds overdue terms by query."""
    dues = [d.due for d in open_deadlines(view) if d.kind != STEP and not d.soft]
    return min(dues, default=NO_TERM)


def check_answer(
    view: TrajectoryView, step: int, question: str, values: Mapping[str, Any]
) -> list[str]:
    """Rules on an answer that need the trajectory's history; Dutch messages, empty when fine."""
    way = admission_for_decision(view.plan.purpose_of(step, question))
    if way is None or values.get("besluit") != EXTEND:
        return []
    current = admission_deadline(view, way)
    if current is None:
        return [
            "Er loopt nog geen beslistermijn (het volledige aanmeldformulier of het complete "
            "OSO-dossier ontbreekt), dus verlengen kan nog niet."
        ]
    try:
        deadlines.extend_admission_decision(
            current, on=values["datum"], reason=str(values.get("reden", ""))
        )
    except ValueError as exc:
        return [str(exc)]
    return []


def screening_summary(view: TrajectoryView) -> str | None:
    """Bijlage II for the intaker who chooses the route: LA per domain, target group, reasons."""
    answer = view.final_answer(Purpose.SCREENING)
    if answer is None:
        return None
    values = answer.payload
    groep = view.trajectory.transfer_groep
    dl = screening.didactic_age(groep, local_date(answer.answered_at).month)
    dle = {
        screening.Domain.BEGRIJPEND_LEZEN: values["dle_begrijpend_lezen"],
        screening.Domain.TECHNISCH_LEZEN: values["dle_technisch_lezen"],
        screening.Domain.SPELLEN: values["dle_spellen"],
        screening.Domain.INZICHTELIJK_REKENEN: values["dle_rekenen"],
    }
    iq = int(values["iq"]) or None
    result = screening.classify(dl, dle, iq, bool(values.get("sociaal_emotioneel")))
    group = {
        screening.TargetGroup.LWOO: "doelgroep LWOO",
        screening.TargetGroup.PRO: "doelgroep praktijkonderwijs (PRO)",
        screening.TargetGroup.GRENSGEBIED: "grensgebied PRO–VMBO met LWOO",
        screening.TargetGroup.GEEN: "geen LWOO- of PRO-doelgroep",
    }[result.target_group]
    lines = [f"**Screening (Bijlage II), DL {dl}:** {group}. De intaker beslist over de route."]
    # The form's description is visible to every Prefect user: the leerachterstand and the
    # classification, but no IQ score and no social-emotional finding (`overstap show` has them).
    lines += [
        f"- {reason}"
        for reason in result.reasons
        if not IQ_SCORE.search(reason) and "sociaal" not in reason.lower()
    ]
    if iq is not None:
        lines.append("- Er is een IQ bekend; de onderbouwing staat in `overstap show`.")
    return "\n".join(lines)


def interim_note(view: TrajectoryView, step: int, question: str) -> str:
    """What the last interim answer recorded, shown when the question comes back."""
    interim = view.interim_answers(step, question)
    if not interim:
        return ""
    last = interim[-1].payload
    if view.plan.step(step).question(question).form == "oso_dossier":
        delivered = [k for k, v in last.items() if v is True]
        return (
            f"> Vorige stand van het dossier ({last.get('klaargezet_op', '')}): "
            f"{len(delivered)} onderdelen klaargezet; vink aan wat nu compleet is."
        )
    return (
        f"> Tussenstap vastgelegd: **{last.get('besluit', '')}** op {last.get('datum', '')}. "
        "Leg het definitieve besluit vast zodra het er is."
    )


def deadline_question(view: TrajectoryView, kind: str) -> tuple[int, str] | None:
    """The step and question whose answer meets a legal term (for reminders and escalations)."""
    way = admission_of(view)
    if way is None:
        return None
    targets: dict[str, str] = {
        DeadlineKind.ADMISSION_DECISION: way.decision,
        DeadlineKind.CONSULT_PARENTS_AND_PO: way.decision,
        DeadlineKind.POSITION_AFTER_DOUBT: way.decision,
        DeadlineKind.OSO_DOSSIER: way.oso,
        DeadlineKind.MPO: way.mpo,
    }
    purpose = targets.get(kind)
    if purpose is None:
        return None
    step, question = view.plan.find(purpose)
    return step.number, question.key


def public_label(deadline: OpenDeadline) -> str:
    """What a term is, without free text (for places every Prefect user can read)."""
    try:
        label = DeadlineKind(deadline.kind).label
    except ValueError:
        label = deadline.kind
    extended = " (eenmaal verlengd)" if "verlengd" in deadline.basis else ""
    return f"{label}, uiterlijk {dutch_date(deadline.due)}{extended}"


def escalation_key(deadline: OpenDeadline) -> str:
    """A stable name for one overdue term, so it is escalated once."""
    return f"{deadline.kind}:{deadline.due.isoformat()}"


__all__ = [
    "STEP",
    "DeadlineKind",
    "OpenDeadline",
    "admission_deadline",
    "check_answer",
    "deadline_question",
    "escalation_key",
    "mpo_deadline",
    "open_deadlines",
    "question_due",
    "screening_summary",
]
