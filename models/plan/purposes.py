"""The names the code uses for the parts of a plan, instead of step numbers.

Every question in a plan file has a `purpose`: a stable name for what it means, such as
`route_choice` or `tlv_decision`. A step may have one too (steps without questions do, so every
step can be named). The code reads answers by purpose (`Facts.value(Purpose.ROUTE_CHOICE,
"route")`), never by step number, so a samenwerkingsverband may insert, remove or renumber steps
in next year's plan without a code change. Purposes are unique within a plan.

`REQUIRED` lists the purposes the code relies on, with the form each must ask (the code reads that
form's fields). Loading a plan refuses a file in which one of them is missing, appears twice, or
asks another form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

PURPOSE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class Purpose(StrEnum):
    """Questions whose answers a rule, a term, a report or the demo reads."""

    VO_CONSULTATION = "vo_consultation"
    DEFINITIVE_SELECTION = "definitive_selection"
    SCHOOL_PREFERENCE = "school_preference"
    SCREENING = "screening"
    ROUTE_CHOICE = "route_choice"
    PRO_VSO_CHOICE = "pro_vso_choice"
    REGISTRATION_PRO_VSO = "registration_pro_vso"
    OSO_DOSSIER_PRO_VSO = "oso_dossier_pro_vso"
    OSO_RECEIVED_PRO_VSO = "oso_received_pro_vso"
    CVB_ADVICE = "cvb_advice"
    TLV_DECISION = "tlv_decision"
    ADMISSION_DECISION_PRO_VSO = "admission_decision_pro_vso"
    DECISION_LETTER_PRO_VSO = "decision_letter_pro_vso"
    MPO_PRO_VSO = "mpo_pro_vso"
    PRELIMINARY_ADVICE = "preliminary_advice"
    DEFINITIVE_ADVICE = "definitive_advice"
    REGISTRATION_CHOICE = "registration_choice"
    REGISTRATION = "registration"
    OSO_DOSSIER = "oso_dossier"
    OSO_RECEIVED = "oso_received"
    ADMISSION_DECISION = "admission_decision"
    DECISION_LETTER = "decision_letter"
    MPO = "mpo"
    FURTHER_CONSULTATION = "further_consultation"
    TLV_DECISION_GRENSGEBIED = "tlv_decision_grensgebied"
    MPO_AFTER_REFUSAL = "mpo_after_refusal"
    ALTERNATIVE_OFFER = "alternative_offer"


REQUIRED: dict[str, str] = {
    Purpose.VO_CONSULTATION: "overleg_vo",
    Purpose.DEFINITIVE_SELECTION: "definitieve_vaststelling",
    Purpose.SCHOOL_PREFERENCE: "schoolvoorkeur",
    Purpose.SCREENING: "screening",
    Purpose.ROUTE_CHOICE: "evaluatie_plan",
    Purpose.PRO_VSO_CHOICE: "keuze_ouders",
    Purpose.REGISTRATION_PRO_VSO: "aanmelding_pro_vso",
    Purpose.OSO_DOSSIER_PRO_VSO: "oso_dossier",
    Purpose.OSO_RECEIVED_PRO_VSO: "oso_ontvangst",
    Purpose.CVB_ADVICE: "onderzoek_cvb",
    Purpose.TLV_DECISION: "tlv_besluit",
    Purpose.ADMISSION_DECISION_PRO_VSO: "toelatingsbesluit",
    Purpose.DECISION_LETTER_PRO_VSO: "besluit_verzonden",
    Purpose.MPO_PRO_VSO: "mpo",
    Purpose.PRELIMINARY_ADVICE: "schooladvies",
    Purpose.DEFINITIVE_ADVICE: "definitief_schooladvies",
    Purpose.REGISTRATION_CHOICE: "keuze_ouders",
    Purpose.REGISTRATION: "aanmelding_vo",
    Purpose.OSO_DOSSIER: "oso_dossier",
    Purpose.OSO_RECEIVED: "oso_ontvangst",
    Purpose.ADMISSION_DECISION: "toelatingsbesluit",
    Purpose.DECISION_LETTER: "besluit_verzonden",
    Purpose.MPO: "mpo",
    Purpose.FURTHER_CONSULTATION: "nader_overleg",
    Purpose.TLV_DECISION_GRENSGEBIED: "tlv_besluit",
    Purpose.MPO_AFTER_REFUSAL: "mpo",
    Purpose.ALTERNATIVE_OFFER: "alternatief_aanbod",
}


@dataclass(frozen=True)
class Admission:
    """One way into a VO school: the registration, its OSO dossier (put ready by the PO school,
    received by the VO school), the school's decision on admission and the written decision to
    the parents (chapter 1's term) and the MPO after a refusal (chapter 3)."""

    registration: Purpose
    oso: Purpose
    received: Purpose
    decision: Purpose
    letter: Purpose
    mpo: Purpose


# PRO and VSO: registered early (the PRO/VSO registration), decided after the TLV.
ADMISSION_PRO_VSO = Admission(
    Purpose.REGISTRATION_PRO_VSO,
    Purpose.OSO_DOSSIER_PRO_VSO,
    Purpose.OSO_RECEIVED_PRO_VSO,
    Purpose.ADMISSION_DECISION_PRO_VSO,
    Purpose.DECISION_LETTER_PRO_VSO,
    Purpose.MPO_PRO_VSO,
)
# A regular VO school: registered in the aanmeldweek, decided beside nader overleg.
ADMISSION_REGULAR = Admission(
    Purpose.REGISTRATION,
    Purpose.OSO_DOSSIER,
    Purpose.OSO_RECEIVED,
    Purpose.ADMISSION_DECISION,
    Purpose.DECISION_LETTER,
    Purpose.MPO,
)
ADMISSIONS = (ADMISSION_PRO_VSO, ADMISSION_REGULAR)
# A pupil enrolled after a step's period (the groep-7 exception, a late enrolment) is not asked
# that step's questions, except those whose answers the code reads later: these are asked at the
# first question after the enrolment.
ASKED_AFTER_LATE_ENTRY = frozenset(REQUIRED)
MPO_PURPOSES = (Purpose.MPO_PRO_VSO, Purpose.MPO, Purpose.MPO_AFTER_REFUSAL)
TLV_DECISIONS = (Purpose.TLV_DECISION, Purpose.TLV_DECISION_GRENSGEBIED)
