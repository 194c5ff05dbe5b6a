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
from datetime import date, timedelta
from typing import Any

from models.cases.view import TrajectoryView
from models.dutch import dutch_date
from models.enums import Route, StepStatus, TrajectoryStatus
from models.plan.forms import CONSULTED, DOUBT, EXTEND, PRELIMINARY, REFUSED
from models.plan.purposes import (
    ADMISSION_PRO_VSO,
    ADMISSION_REGULAR,
    ADMISSIONS,
    ASKED_AFTER_LATE_ENTRY,
    MPO_PURPOSES,
    Admission,
    Purpose,
)
from models.plan.steps import Question, Step
from models.settings import get_settings
from models.store.clock import local_date
from models.terms import deadlines, oso, screening
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
    """The way this pupil is being admitted: a regular VO school (registered in the aanmeldweek)
    or PRO/VSO (registered early, decided after the TLV) while the pupil stays on that route;
    None before any registration."""
    facts = view.facts
    if facts.answered(ADMISSION_REGULAR.registration):
        return ADMISSION_REGULAR
    if facts.registered_pro_vso:
        return ADMISSION_PRO_VSO
    return None


def admission_for(purpose: str) -> Admission | None:
    """The way of admission one of whose questions (the decision, the letter to the parents,
    the receipt of the dossier) has this purpose."""
    return next(
        (
            way
            for way in ADMISSIONS
            if purpose in (way.decision, way.letter, way.received, way.oso, way.registration)
        ),
        None,
    )


def _date(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def _tlv_pending(view: TrajectoryView) -> str | None:
    """What the PRO/VSO admission still waits for on the TLV side, in Dutch (None: nothing)."""
    facts = view.facts
    if facts.answered(Purpose.TLV_DECISION):
        return None
    advice = view.final_answer(Purpose.CVB_ADVICE)
    if advice is None:
        return (
            "de TLV: het onderzoek van de school (CvB of Centrale Commissie Leerlingenzorg) loopt "
            "nog, er is nog geen TLV aangevraagd"
        )
    requested = dutch_date(local_date(advice.answered_at))
    return f"de TLV: aangevraagd bij de CvA op {requested}, nog geen besluit van de CvA"


def admission_deadline(view: TrajectoryView, way: Admission) -> Deadline | None:
    """Six weeks after a complete registration (the form, and the complete OSO dossier received
    by the school), plus one extension; for PRO and VSO too, whatever the TLV's state."""
    facts = view.facts
    registered = _date(facts.value(way.registration, "aangemeld_op"))
    if registered is None:
        return None
    if way == ADMISSION_PRO_VSO and (
        facts.value(Purpose.CVB_ADVICE, "advies") == "negatief"
        or facts.value(Purpose.TLV_DECISION, "besluit") == "afgewezen"
    ):
        return None  # a refused TLV or a negative CvB advice: no admission left to decide
    form_in = _date(facts.value(way.registration, "formulier_volledig_op"))
    received = _date(facts.value(way.received, "ontvangen_op"))
    extensions = [a for a in view.interim(way.decision) if a.payload.get("besluit") == EXTEND]
    extended_on = reason = None
    if extensions:
        extended_on = date.fromisoformat(str(extensions[0].payload["datum"]))
        reason = str(extensions[0].payload.get("reden", "")).strip() or "geen reden"
    waiting: str | None = None
    if way == ADMISSION_PRO_VSO and not facts.answered(way.decision):
        waiting = _tlv_pending(view)
    decided = _date(facts.value(way.decision, "datum"))
    if decided is not None and not facts.answered(way.letter):
        waiting = (
            f"het schriftelijke besluit aan de ouders (besloten op {dutch_date(decided)}, "
            "nog niet verstuurd)"
        )
    try:
        return deadlines.admission_decision(
            registered, form_in, received, extended_on, reason, waiting_for=waiting
        )
    except ValueError:
        pass
    # The answers were checked when they were given; dates that no longer fit together (an old
    # answer, a corrected dossier date) give the unextended term, or none, never an error.
    try:
        return deadlines.admission_decision(registered, form_in, received, waiting_for=waiting)
    except ValueError:
        return None


def oso_expiry_deadline(view: TrajectoryView, way: Admission) -> Deadline | None:
    """Bijlage I: the VO school fetches the complete dossier before the version expires."""
    ready = _date(view.facts.value(way.oso, "klaargezet_op"))
    if ready is None or view.facts.answered(way.received):
        return None
    return deadlines.oso_expiry(ready, get_settings().oso_valid_days)


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


def mpo_invited_on(view: TrajectoryView) -> date | None:
    """The day the invitation for an MPO went out (the initiative), once recorded."""
    days = [
        date.fromisoformat(str(a.payload["uitnodiging_op"]))
        for purpose in MPO_PURPOSES
        for a in view.answers_to(purpose)
        if a.accepted and a.payload.get("uitnodiging_op")
    ]
    return min(days) if days else None


def mpo_deadline(view: TrajectoryView) -> Deadline | None:
    """Ten working days after a decision not to place the pupil (chapter 3), while nobody has
    taken the initiative (sent the invitation) for the MPO."""
    decided = _negative_decision_on(view)
    if decided is None or mpo_invited_on(view) is not None:
        return None
    return deadlines.mpo(decided)


CATCH_UP_WEEKS = 4


def missed(view: TrajectoryView, step: Step) -> bool:
    """Whether the step's period had ended before the pupil was enrolled (chapter 2: the
    groep-7 exception follows the same steps with another timing; a pupil may come in late)."""
    return view.plan.window(step, view.trajectory.cohort).due < view.enrolled_on


def asked_after_late_entry(question: Question) -> bool:
    """A question of a missed step is still asked when later steps or rules read its answer."""
    return question.purpose in ASKED_AFTER_LATE_ENTRY


def catch_up_due(view: TrajectoryView) -> date:
    """The due date of a question whose own date lay before the enrolment: that of the first
    step with questions whose period had not ended at the enrolment (it is asked with the first
    question after the enrolment), else four weeks after the enrolment."""
    enrolled, cohort = view.enrolled_on, view.trajectory.cohort
    for step in view.plan.steps:
        if step.questions and view.plan.window(step, cohort).due >= enrolled:
            return view.plan.window(step, cohort).due
    return enrolled + timedelta(weeks=CATCH_UP_WEEKS)


def question_due(view: TrajectoryView, step: Step, question: Question) -> date:
    """The due date of a question: its legal term when the answers fix it, else the plan's (or,
    when that lay before the enrolment, the due date of the first question after it)."""
    planned = view.plan.question_due(step, question, view.trajectory.cohort)
    if planned < view.enrolled_on:
        planned = catch_up_due(view)
    deadline: Deadline | None = None
    way = admission_for(question.purpose)
    if question.deadline == "toelatingsbesluit" and way is not None:
        deadline = admission_deadline(view, way)
    elif question.deadline == "oso_ophalen" and way is not None:
        deadline = oso_expiry_deadline(view, way)
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
    if way is not None and not (facts.answered(way.decision) and facts.answered(way.letter)):
        add(admission_deadline(view, way))
    if way is not None and not facts.answered(way.decision):
        if not facts.answered(way.oso):
            calendar = view.plan.calendars.get(view.trajectory.cohort - 1)
            if calendar is not None:
                sent = _date(facts.value(way.registration, "formulier_volledig_op"))
                add(deadlines.oso_dossier(calendar.end("oso"), sent))
        add(oso_expiry_deadline(view, way))
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
    purpose = view.plan.purpose_of(step, question)
    facts = view.facts
    errors: list[str] = []
    if purpose in (Purpose.REGISTRATION, Purpose.REGISTRATION_PRO_VSO):
        errors += _registration_after_joint_consultation(view, values)
    way = admission_for(purpose)
    if way is not None and purpose == way.received:
        ready = _date(facts.value(way.oso, "klaargezet_op"))
        received = values.get("ontvangen_op")
        if ready is not None and isinstance(received, date) and received < ready:
            errors.append(
                f"Het dossier kan niet eerder ontvangen zijn ({dutch_date(received)}) dan de "
                f"PO-school het compleet klaarzette ({dutch_date(ready)})."
            )
    if way is not None and purpose == way.letter:
        decided = _date(facts.value(way.decision, "datum"))
        sent = values.get("verzonden_op")
        if decided is not None and isinstance(sent, date) and sent < decided:
            errors.append(
                f"Het schriftelijke besluit kan niet eerder verstuurd zijn ({dutch_date(sent)}) "
                f"dan het besluit ({dutch_date(decided)})."
            )
    if way is None or purpose != way.decision or values.get("besluit") != EXTEND:
        return errors
    current = admission_deadline(view, way)
    if current is None:
        return [
            *errors,
            "Er loopt nog geen beslistermijn (het volledige aanmeldformulier of het ontvangen "
            "OSO-dossier ontbreekt), dus verlengen kan nog niet.",
        ]
    try:
        deadlines.extend_admission_decision(
            current, on=values["datum"], reason=str(values.get("reden", ""))
        )
    except ValueError as exc:
        errors.append(str(exc))
    return errors


def _registration_after_joint_consultation(
    view: TrajectoryView, values: Mapping[str, Any]
) -> list[str]:
    """Chapter 2: a pupil who leaves from groep 7 is registered only after a joint consultation
    with a VO school ("dan vindt altijd eerst gezamenlijk overleg plaats met een VO-school,
    voordat de leerling wordt aangemeld")."""
    if view.trajectory.transfer_groep != 7:
        return []
    consulted = _date(view.facts.value(Purpose.VO_CONSULTATION, "overleg_op"))
    registered = values.get("aangemeld_op")
    if consulted is None:
        return [
            "Een leerling die vanuit groep 7 overstapt, wordt pas aangemeld na gezamenlijk "
            "overleg met een VO-school (hoofdstuk 2): leg dat overleg eerst vast."
        ]
    if isinstance(registered, date) and registered < consulted:
        return [
            f"Een leerling die vanuit groep 7 overstapt, wordt pas aangemeld na het gezamenlijk "
            f"overleg met een VO-school ({dutch_date(consulted)}), niet eerder "
            f"({dutch_date(registered)})."
        ]
    return []


GROUP_LABELS = {
    screening.TargetGroup.LWOO: "doelgroep LWOO",
    screening.TargetGroup.PRO: "doelgroep praktijkonderwijs (PRO)",
    screening.TargetGroup.GRENSGEBIED: "grensgebied PRO–VMBO met LWOO",
    screening.TargetGroup.GEEN: "geen LWOO- of PRO-doelgroep",
}
DLE_DOMAINS = {
    "dle_begrijpend_lezen": screening.Domain.BEGRIJPEND_LEZEN,
    "dle_technisch_lezen": screening.Domain.TECHNISCH_LEZEN,
    "dle_spellen": screening.Domain.SPELLEN,
    "dle_rekenen": screening.Domain.INZICHTELIJK_REKENEN,
}


@dataclass(frozen=True)
class Screening:
    """A screening answer read the way Bijlage II reads it."""

    tested_on: date
    dl: int
    dl_overridden: bool
    result: screening.ScreeningResult


def screen(
    values: Mapping[str, Any], *, cohort: int, transfer_groep: int, answered_on: date
) -> Screening:
    """The DL on the day of the test (an overriding DL when the PO school gave one; the day of
    filling in for an answer from before the test date was asked), the domains that were tested
    (a DLE of 0 is "niet getoetst"), and Bijlage II's classification."""
    tested = values.get("toetsdatum")
    if isinstance(tested, str):
        tested = date.fromisoformat(tested)
    tested_on = tested if isinstance(tested, date) else answered_on
    override = int(values.get("dl_afwijkend") or 0)
    dl = override or screening.didactic_age_on(cohort, transfer_groep, tested_on)
    dle = {
        domain: values[name]
        for name, domain in DLE_DOMAINS.items()
        if int(values.get(name) or 0) > 0
    }
    iq = int(values.get("iq") or 0) or None
    result = screening.classify(dl, dle, iq, bool(values.get("sociaal_emotioneel")))
    return Screening(tested_on, dl, override > 0, result)


def screening_summary(view: TrajectoryView) -> str | None:
    """Bijlage II for the intaker who chooses the route: LA per domain, target group, reasons."""
    answer = view.final_answer(Purpose.SCREENING)
    if answer is None:
        return None
    t = view.trajectory
    found = screen(
        answer.payload,
        cohort=t.cohort,
        transfer_groep=t.transfer_groep,
        answered_on=local_date(answer.answered_at),
    )
    result = found.result
    when = f"toets van {dutch_date(found.tested_on)}"
    if found.dl_overridden:
        when += ", afwijkende DL opgegeven door de PO-school (reden in `overstap show`)"
    lines = [
        f"**Screening (Bijlage II), DL {found.dl} ({when}):** "
        f"{GROUP_LABELS[result.target_group]}. De intaker beslist over de route."
    ]
    # The form's description is visible to every Prefect user: the leerachterstand and the
    # classification, but no IQ score and no social-emotional finding (`overstap show` has them).
    lines += [
        f"- {reason}"
        for reason in result.reasons
        if not IQ_SCORE.search(reason) and "sociaal" not in reason.lower()
    ]
    if result.iq_test_suggested:
        lines.append(
            "- **Intelligentieonderzoek:** de leerachterstanden liggen in het grensgebied tussen "
            "LWOO en PRO en er zijn geen IQ-gegevens; de commissie van toelating kan besluiten een "
            "intelligentietest te laten doen (Bijlage II)."
        )
    if int(answer.payload.get("iq") or 0):
        lines.append("- Er is een IQ bekend; de onderbouwing staat in `overstap show`.")
    return "\n".join(lines)


def interim_note(view: TrajectoryView, step: int, question: str) -> str:
    """What the last interim answer recorded, shown when the question comes back."""
    interim = view.interim_answers(step, question)
    if not interim:
        return ""
    last = interim[-1].payload
    form = view.plan.step(step).question(question).form
    if form == "oso_dossier":
        delivered = oso.delivered_count(last, view.trajectory.transfer_groep)
        return (
            f"> Vorige stand van het dossier ({last.get('klaargezet_op', '')}): "
            f"{delivered} onderdelen klaargezet of niet van toepassing; vul in wat nu compleet is."
        )
    if form == "mpo":
        return (
            f"> Initiatief vastgelegd: uitnodiging verstuurd op {last.get('uitnodiging_op', '')} "
            f"(gepland: {last.get('gehouden_op', '')}). Leg het MPO vast zodra het gehouden is."
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
    decided = view.facts.answered(way.decision)
    targets: dict[str, str] = {
        DeadlineKind.ADMISSION_DECISION: way.letter if decided else way.decision,
        DeadlineKind.CONSULT_PARENTS_AND_PO: way.decision,
        DeadlineKind.POSITION_AFTER_DOUBT: way.decision,
        DeadlineKind.OSO_DOSSIER: way.oso,
        DeadlineKind.OSO_EXPIRY: way.received,
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
