"""The terms of the transition, as pure functions that return a `Deadline`.

- The admission decision (chapter 1): the VO school (also PRO and VSO) decides within six
  calendar weeks, counted from the day both the complete registration form and the complete OSO
  dossier are in (the day the VO school received the dossier); it may extend the term once, by
  four weeks, with a reason. The parents receive the written decision within the same term.
- Chapter 3, each ten working days (`models.terms.workdays`): consulting parents and PO school
  when the VO school cannot offer the support needed; taking the initiative for a
  meer-partijen-overleg (MPO) after not placing a pupil (met by the invitation, not by the
  meeting); a definitive position after a conversation about doubt on the school advice.
- Bijlage I: the PO school has the OSO dossier ready by the OSO date of the calendar (31 March);
  the VO school fetches it before the version put ready expires (a setting: the agreements give
  no number of days).
- Chapter 2: pupils for PRO or VSO are preferably registered before 1 December of groep 8; a soft
  term that is reminded of, never escalated.

`due` is the last day that still counts as on time: a term is overdue from the next day on.
`basis` says in Dutch how the date was found, for emails, forms and the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from models.dutch import MONTHS, dutch_date
from models.terms.participants import MPO_PARTICIPANTS as MPO_PARTICIPANTS
from models.terms.participants import MpoParticipant as MpoParticipant
from models.terms.workdays import Region, add_working_days, effective_rules, non_working_weekdays

ADMISSION_WEEKS = 6
EXTENSION_WEEKS = 4
CHAPTER_3_WORKING_DAYS = 10


class DeadlineKind(StrEnum):
    """Which term a deadline is."""

    ADMISSION_DECISION = "besluit_toelating"
    CONSULT_PARENTS_AND_PO = "overleg_ouders_po"
    MPO = "mpo"
    POSITION_AFTER_DOUBT = "standpunt_na_twijfel"
    OSO_DOSSIER = "oso_dossier"
    OSO_EXPIRY = "oso_ophalen"
    TLV_EARLY_REGISTRATION = "aanmelding_pro_vso"

    @property
    def label(self) -> str:
        """What must happen by the due date, in Dutch."""
        return KIND_LABELS[self]


KIND_LABELS: dict[DeadlineKind, str] = {
    DeadlineKind.ADMISSION_DECISION: "besluit over toelating en plaatsing",
    DeadlineKind.CONSULT_PARENTS_AND_PO: "overleg met ouders en PO-school over de ondersteuning",
    DeadlineKind.MPO: "initiatief tot een meer-partijen-overleg (MPO)",
    DeadlineKind.POSITION_AFTER_DOUBT: "definitief standpunt na het gesprek over het schooladvies",
    DeadlineKind.OSO_DOSSIER: "OSO-dossier klaarzetten",
    DeadlineKind.OSO_EXPIRY: "OSO-dossier ophalen voordat het verloopt",
    DeadlineKind.TLV_EARLY_REGISTRATION: "aanmelding bij PRO of VSO",
}


@dataclass(frozen=True)
class Deadline:
    """A term: what (`kind`), the last day on time (`due`), and how that day was found (`basis`).

    A `soft` term is a preference ("bij voorkeur"): remind, never escalate. `extended` marks an
    admission decision whose term has had its one extension.
    """

    kind: DeadlineKind
    due: date
    basis: str
    soft: bool = False
    extended: bool = False


def _day_month(day: date, reference_year: int) -> str:
    """'25 maart', with the year only when it differs from the year the text is about."""
    if day.year != reference_year:
        return dutch_date(day)
    return f"{day.day} {MONTHS[day.month - 1]}"


# --- admission decision (chapter 1) ---------------------------------------------------------------


def admission_decision(
    registered_on: date,
    form_received_on: date | None,
    dossier_complete_on: date | None,
    extended_on: date | None = None,
    extension_reason: str | None = None,
    *,
    waiting_for: str | None = None,
) -> Deadline | None:
    """The term for the decision on admission and placement, or None while no term runs.

    The six weeks run from the later of the day the complete registration form came in and the
    day the VO school received the complete OSO dossier; while either is missing there is no due
    date yet (None). PRO and VSO too ("daar waar staat VO wordt ook VSO en PRO bedoeld"): a TLV
    that is not granted yet does not move the term; `waiting_for` names it (or anything else the
    decision still waits for) in the basis, as the reason the term may run out.
    A registration form cannot come in before the registration itself. An extension needs both
    its date and its reason, and must fall within the running term.
    """
    if (extended_on is None) != (extension_reason is None):
        raise ValueError(
            "Een verlenging van de beslistermijn heeft zowel een datum als een reden nodig."
        )
    if form_received_on is not None and form_received_on < registered_on:
        raise ValueError(
            f"Het aanmeldformulier ({dutch_date(form_received_on)}) kan niet eerder zijn "
            f"ontvangen dan de aanmelding ({dutch_date(registered_on)})."
        )
    if form_received_on is None or dossier_complete_on is None:
        if extended_on is not None:
            raise ValueError(
                "Er loopt nog geen beslistermijn (het aanmeldformulier of het complete "
                "OSO-dossier ontbreekt), dus verlengen kan nog niet."
            )
        return None
    start = max(form_received_on, dossier_complete_on)
    year = start.year
    received = []
    if registered_on < form_received_on:
        received.append(f"aangemeld {_day_month(registered_on, year)}")
    received.append(
        f"aanmelding compleet: aanmeldformulier {_day_month(form_received_on, year)}, "
        f"OSO-dossier ontvangen {_day_month(dossier_complete_on, year)}"
    )
    deadline = Deadline(
        kind=DeadlineKind.ADMISSION_DECISION,
        due=start + timedelta(weeks=ADMISSION_WEEKS),
        basis=f"{ADMISSION_WEEKS} weken na {dutch_date(start)} ({'; '.join(received)})",
    )
    if extended_on is not None and extension_reason is not None:
        if extended_on < start:
            raise ValueError(
                f"De verlenging ({dutch_date(extended_on)}) ligt vóór het begin van de "
                f"beslistermijn ({dutch_date(start)})."
            )
        deadline = extend_admission_decision(deadline, on=extended_on, reason=extension_reason)
    if waiting_for:
        deadline = replace(deadline, basis=f"{deadline.basis}; wacht nog op: {waiting_for}")
    return deadline


def extend_admission_decision(deadline: Deadline, *, on: date, reason: str) -> Deadline:
    """The admission term extended by four weeks; refused a second time, without a reason, or
    once the term has run out."""
    if deadline.kind != DeadlineKind.ADMISSION_DECISION:
        raise ValueError("Alleen de termijn voor het besluit over toelating kan worden verlengd.")
    if deadline.extended:
        raise ValueError(
            "De beslistermijn is al eens verlengd; een tweede verlenging is niet mogelijk "
            f"(de termijn kan één keer met {EXTENSION_WEEKS} weken worden verlengd)."
        )
    if not reason.strip():
        raise ValueError("Geef een reden voor de verlenging van de beslistermijn.")
    if on > deadline.due:
        raise ValueError(
            f"De beslistermijn liep af op {dutch_date(deadline.due)}; verlengen kan alleen "
            "zolang de termijn loopt."
        )
    return replace(
        deadline,
        due=deadline.due + timedelta(weeks=EXTENSION_WEEKS),
        basis=(
            f"{deadline.basis}, verlengd met {EXTENSION_WEEKS} weken op {dutch_date(on)} "
            f"(reden: {reason.strip()})"
        ),
        extended=True,
    )


# --- chapter 3: ten working days ------------------------------------------------------------------


def _span(days: list[date], reference_year: int) -> str:
    first, last = days[0], days[-1]
    if first == last:
        return _day_month(first, reference_year)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} t/m {_day_month(last, reference_year)}"
    return f"{_day_month(first, reference_year)} t/m {_day_month(last, reference_year)}"


def _working_day_term(
    kind: DeadlineKind,
    start: date,
    event: str,
    skip_school_holidays: bool | None,
    region: Region | None,
) -> Deadline:
    """Ten working days after `start`; `event` names it, with `{date}` where its date goes."""
    skip, area = effective_rules(skip_school_holidays, region)
    due = add_working_days(start, CHAPTER_3_WORKING_DAYS, skip_school_holidays=skip, region=area)
    excluded = (
        f"weekenden, feestdagen en schoolvakanties (regio {area})"
        if skip
        else "weekenden en feestdagen"
    )
    basis = (
        f"{CHAPTER_3_WORKING_DAYS} werkdagen na {event.format(date=dutch_date(start))}, "
        f"zonder {excluded}"
    )
    skipped: dict[str, list[date]] = {}
    for day, reason in non_working_weekdays(start, due, skip_school_holidays=skip, region=area):
        skipped.setdefault(reason, []).append(day)
    if skipped:
        basis += "; overgeslagen: " + ", ".join(
            f"{reason} ({_span(days, start.year)})" for reason, days in skipped.items()
        )
    return Deadline(kind=kind, due=due, basis=basis)


def consult_parents_and_po(
    preliminary_decision_on: date,
    *,
    skip_school_holidays: bool | None = None,
    region: Region | None = None,
) -> Deadline:
    """The VO school cannot offer the support needed: within ten working days after its
    preliminary decision it consults the parents and the PO school."""
    return _working_day_term(
        DeadlineKind.CONSULT_PARENTS_AND_PO,
        preliminary_decision_on,
        "het voorlopig besluit van {date}",
        skip_school_holidays,
        region,
    )


def mpo_initiative_on_time(term: Deadline, invited_on: date) -> bool:
    """Whether the MPO term is met by an invitation sent on `invited_on`: the initiative counts,
    not the day the MPO is held."""
    if term.kind != DeadlineKind.MPO:
        raise ValueError("Alleen de MPO-termijn wordt gehaald met een uitnodiging.")
    return invited_on <= term.due


def mpo(
    not_placed_on: date,
    *,
    skip_school_holidays: bool | None = None,
    region: Region | None = None,
) -> Deadline:
    """The VO school does not place the pupil because it cannot offer the support: within ten
    working days it takes the initiative for an MPO (participants: `MPO_PARTICIPANTS`)."""
    return _working_day_term(
        DeadlineKind.MPO,
        not_placed_on,
        "het besluit van {date} om de leerling niet te plaatsen",
        skip_school_holidays,
        region,
    )


def position_after_doubt(
    conversation_on: date,
    *,
    skip_school_holidays: bool | None = None,
    region: Region | None = None,
) -> Deadline:
    """After the conversation with the PO school about doubt on the advice, the VO school takes a
    definitive position within ten working days and informs the parents and the PO school."""
    return _working_day_term(
        DeadlineKind.POSITION_AFTER_DOUBT,
        conversation_on,
        "het gesprek van {date} met de PO-school over de twijfel aan het schooladvies",
        skip_school_holidays,
        region,
    )


# --- OSO dossier (Bijlage I) and early registration for PRO/VSO (chapter 2) -----------------------


def oso_dossier(oso_end: date, form_sent_on: date | None = None) -> Deadline:
    """The PO school has the OSO dossier ready when the registration form is sent, and at the
    latest on `oso_end`: the end of the calendar's `oso` period (31 March), e.g.
    `load_calendars()[cohort - 1].end("oso")`."""
    if form_sent_on is not None and form_sent_on < oso_end:
        return Deadline(
            kind=DeadlineKind.OSO_DOSSIER,
            due=form_sent_on,
            basis=(
                f"klaar bij verzending van het aanmeldformulier op {dutch_date(form_sent_on)} "
                f"(en uiterlijk {dutch_date(oso_end)})"
            ),
        )
    return Deadline(
        kind=DeadlineKind.OSO_DOSSIER,
        due=oso_end,
        basis=f"uiterlijk {dutch_date(oso_end)} (informatieoverdracht via OSO)",
    )


def oso_expiry(ready_on: date, valid_days: int) -> Deadline:
    """Bijlage I: "indien de VO-school het OSO-dossier niet binnen de termijn ophaalt, dan
    verloopt de versie en moet de PO-school het OSO-dossier opnieuw klaarzetten". The validity
    (`valid_days` after the dossier was put ready) is a setting: the agreements give no number."""
    if valid_days < 1:
        raise ValueError("Een klaargezet OSO-dossier is minstens één dag geldig.")
    due = ready_on + timedelta(days=valid_days)
    return Deadline(
        kind=DeadlineKind.OSO_EXPIRY,
        due=due,
        basis=(
            f"het complete OSO-dossier staat klaar sinds {dutch_date(ready_on)}; een klaargezette "
            f"versie verloopt na {valid_days} dagen: ophalen uiterlijk {dutch_date(due)}, anders "
            "moet de PO-school het opnieuw klaarzetten"
        ),
    )


def tlv_early_registration(cohort: int) -> Deadline:
    """PRO and VSO: preferably registered before 1 December of groep 8 (a soft term), so there is
    time for the school's research and the toelaatbaarheidsverklaring. `cohort` is the year the
    pupil starts in VO; due is 30 November of the year before."""
    first_late_day = date(cohort - 1, 12, 1)
    return Deadline(
        kind=DeadlineKind.TLV_EARLY_REGISTRATION,
        due=first_late_day - timedelta(days=1),
        basis=f"bij voorkeur aangemeld vóór {dutch_date(first_late_day)} (groep 8)",
        soft=True,
    )
