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

from models import deadlines, screening
from models.clock import local_date
from models.deadlines import Deadline, DeadlineKind
from models.dutch import dutch_date
from models.forms import CONSULTED, DOUBT, EXTEND, PRELIMINARY, REFUSED
from models.plan import Question, Step, load_calendars
from models.tables import Route, StepStatus, TrajectoryStatus
from models.trajectories import TrajectoryView

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


def _registration(view: TrajectoryView, decision_step: int) -> tuple[int, int]:
    """(registration step, OSO step) for an admission decision at `decision_step`."""
    return (16, 16) if decision_step == 18 else (21, 21)


def _admission_step(view: TrajectoryView) -> int | None:
    """Where this pupil's admission decision is taken: 18 (PRO/VSO, after the TLV) or 21
    (regular VO, beside nader overleg and warme overdracht)."""
    facts = view.facts
    if facts.answered(16, "aanmelding"):
        return 18
    if facts.answered(21, "aanmelding"):
        return 21
    return None


def _date(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def admission_deadline(view: TrajectoryView, decision_step: int) -> Deadline | None:
    """Six weeks after a complete registration (form and OSO dossier), plus one extension."""
    facts = view.facts
    registration_step, oso_step = _registration(view, decision_step)
    registered = _date(facts.value(registration_step, "aanmelding", "aangemeld_op"))
    if registered is None:
        return None
    form_in = _date(facts.value(registration_step, "aanmelding", "formulier_volledig_op"))
    dossier = _date(facts.value(oso_step, "oso", "klaargezet_op"))
    extensions = [
        a
        for a in view.interim_answers(decision_step, "toelating")
        if a.payload.get("besluit") == EXTEND
    ]
    extended_on = reason = None
    if extensions:
        extended_on = date.fromisoformat(str(extensions[0].payload["datum"]))
        reason = str(extensions[0].payload.get("reden", "")).strip() or "geen reden"
    tlv_on = None
    if decision_step == 18:
        # PRO and VSO decide after the CvA granted the TLV: the term runs from that day at the
        # earliest, and not at all after a refused TLV (then there is no admission to decide).
        if facts.value(18, "tlv", "besluit") != "toegekend":
            return None
        tlv_on = _date(facts.value(18, "tlv", "besluit_op"))
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
    if facts.value(18, "tlv", "besluit") == "afgewezen":
        return _date(facts.value(18, "tlv", "besluit_op"))
    for step in (18, 21):
        if facts.value(step, "toelating", "besluit") == REFUSED:
            return _date(facts.value(step, "toelating", "datum"))
    if facts.value(17, "onderzoek", "advies") == "negatief":
        for answer in view.answers:
            if (answer.step, answer.question) == (17, "onderzoek") and answer.final:
                return local_date(answer.answered_at)
    return None


def mpo_deadline(view: TrajectoryView) -> Deadline | None:
    """Ten working days after a decision not to place the pupil (chapter 3)."""
    decided = _negative_decision_on(view)
    return None if decided is None else deadlines.mpo(decided)


def question_due(view: TrajectoryView, step: Step, question: Question) -> date:
    """The due date of a question: its legal term when the answers fix it, else the plan's."""
    planned = view.plan.question_due(step, question, view.trajectory.cohort)
    if question.deadline == "toelatingsbesluit":
        deadline = admission_deadline(view, step.number)
        return deadline.due if deadline is not None else planned
    if question.deadline == "mpo":
        deadline = mpo_deadline(view)
        return deadline.due if deadline is not None else planned
    return planned


def _latest_interim(view: TrajectoryView, step: int, choice: str) -> date | None:
    days = [
        date.fromisoformat(str(a.payload["datum"]))
        for a in view.interim_answers(step, "toelating")
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

    decision_step = _admission_step(view)
    if decision_step is not None and not facts.answered(decision_step, "toelating"):
        add(admission_deadline(view, decision_step))
        registration_step, oso_step = _registration(view, decision_step)
        if not facts.answered(oso_step, "oso"):
            cohort = view.trajectory.cohort
            calendar = load_calendars().get(cohort - 1)
            if calendar is not None:
                sent = _date(facts.value(registration_step, "aanmelding", "formulier_volledig_op"))
                add(deadlines.oso_dossier(calendar.end("oso"), sent))
        preliminary = _latest_interim(view, decision_step, PRELIMINARY)
        consulted = _latest_interim(view, decision_step, CONSULTED)
        if preliminary is not None and (consulted is None or consulted < preliminary):
            add(deadlines.consult_parents_and_po(preliminary))
        doubt = _latest_interim(view, decision_step, DOUBT)
        if doubt is not None:
            add(deadlines.position_after_doubt(doubt))
    if facts.route in (Route.PRO, Route.VSO) and not facts.answered(16, "aanmelding"):
        add(deadlines.tlv_early_registration(view.trajectory.cohort))
    if facts.negative_decision and not any(facts.answered(s, "mpo") for s in (18, 21, 25)):
        add(mpo_deadline(view))
    return sorted(found, key=lambda d: (d.due, d.kind))


def check_answer(
    view: TrajectoryView, step: int, question: str, values: Mapping[str, Any]
) -> list[str]:
    """Rules on an answer that need the trajectory's history; Dutch messages, empty when fine."""
    if question != "toelating" or values.get("besluit") != EXTEND:
        return []
    current = admission_deadline(view, step)
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
    answer = next(
        (a for a in view.answers if (a.step, a.question) == (14, "screening") and a.final), None
    )
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
    if question == "oso":
        delivered = [k for k, v in last.items() if v is True]
        return (
            f"> Vorige stand van het dossier ({last.get('klaargezet_op', '')}): "
            f"{len(delivered)} onderdelen klaargezet; vink aan wat nu compleet is."
        )
    return (
        f"> Tussenstap vastgelegd: **{last.get('besluit', '')}** op {last.get('datum', '')}. "
        "Leg het definitieve besluit vast zodra het er is."
    )


def deadline_question(view: TrajectoryView, kind: str) -> tuple[int, str | None] | None:
    """The step and question whose answer meets a legal term (for reminders and escalations)."""
    decision_step = _admission_step(view)
    if kind in (
        DeadlineKind.ADMISSION_DECISION,
        DeadlineKind.CONSULT_PARENTS_AND_PO,
        DeadlineKind.POSITION_AFTER_DOUBT,
    ):
        return None if decision_step is None else (decision_step, "toelating")
    if kind == DeadlineKind.OSO_DOSSIER:
        return None if decision_step is None else (_registration(view, decision_step)[1], "oso")
    if kind == DeadlineKind.MPO:
        return None if decision_step is None else (decision_step, "mpo")
    return None


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
