"""The forms a step asks, as data: fields with Dutch titles, and the domain rules on answers.

A form becomes a pydantic model with `build_form_model`; the flow layer passes Prefect's
`RunInput` as the base so the same model is the typed form in the Prefect UI, and the CLI uses it
to validate `overstap answer`. Field choices that depend on our data (the region's schools) are
filled in when the form is built.

Forms avoid optional fields: the Prefect UI renders `X | None` as a type toggle. A field without a
default is required; decisions never have a default, so nobody confirms one by accident.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict

from models.dutch import DATE_HINT, parse_date
from models.enums import SchoolKind
from models.terms.oso import OSO_STATES, dossier_complete
from models.terms.oso import checklist as oso_checklist
from models.terms.participants import MPO_PARTICIPANTS
from models.terms.screening import pupil_groep

ANSWERED_BY = "beantwoord_door"


class AskKind(StrEnum):
    """What a step asks, as `overstap plan` shows it."""

    NOTHING = "niets"
    CONFIRM = "bevestigen"
    DECISION = "besluit"
    SCHOOL_CHOICE = "schoolkeuze"
    PLAN = "plan"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    title: str
    kind: Literal["text", "date", "bool", "choice", "school", "int", "oso_items"]
    description: str = ""
    required: bool = True
    choices: tuple[str, ...] = ()
    school_kinds: tuple[SchoolKind, ...] = ()
    max_length: int = 2000
    minimum: int = 0
    maximum: int = 0
    # A field only some pupils' forms have: those leaving PO from this groep (0: every pupil),
    # or on one of these routes (empty: every route).
    only_groep: int = 0
    only_routes: tuple[str, ...] = ()

    def applies(self, ctx: FormContext) -> bool:
        if self.only_groep and ctx.transfer_groep != self.only_groep:
            return False
        return not self.only_routes or ctx.route in self.only_routes


@dataclass(frozen=True)
class FormSpec:
    name: str
    kind: AskKind
    intro: str
    fields: tuple[FieldSpec, ...]
    rules: tuple[Callable[[Mapping[str, Any], FormContext], list[str]], ...] = ()
    # An interim answer is recorded (an extension, a partial dossier) and the question is asked
    # again; only a final answer completes the question.
    interim: Callable[[Mapping[str, Any], FormContext], bool] | None = None


@dataclass(frozen=True)
class FormContext:
    """What domain validation needs to know besides the answer itself."""

    today: date
    route: str = "onbekend"
    school_choices: Mapping[SchoolKind, Sequence[str]] = field(default_factory=dict)
    transfer_groep: int = 8
    cohort: int = 0  # the year the pupil starts in VO (0: unknown, rules on it are left out)
    preliminary_advice: str = ""  # the PO school's voorlopig schooladvies, once given
    advice: str = ""  # the latest schooladvies: the definitive one, else the voorlopige
    test_period: tuple[date, date] | None = None  # the calendar's doorstroomtoets period


_ANSWERED_BY_FIELD = FieldSpec(
    name=ANSWERED_BY,
    title="Ingevuld door",
    kind="text",
    description=(
        "Uw naam en functie, bijvoorbeeld 'J. de Vries, intern begeleider'. "
        "De Prefect-omgeving kent geen gebruikers; zo blijft vastgelegd wie antwoordde."
    ),
    max_length=200,
)


def _text(name: str, title: str, description: str = "", *, required: bool = False) -> FieldSpec:
    return FieldSpec(name, title, "text", description, required=required)


def _date(name: str, title: str, description: str = "") -> FieldSpec:
    return FieldSpec(name, title, "date", description)


def _school(name: str, title: str, kinds: tuple[SchoolKind, ...], description: str) -> FieldSpec:
    return FieldSpec(name, title, "school", description, school_kinds=kinds)


def _choice(name: str, title: str, choices: tuple[str, ...], description: str = "") -> FieldSpec:
    return FieldSpec(name, title, "choice", description, choices=choices)


ALL_VO_KINDS = (SchoolKind.VO, SchoolKind.PRO, SchoolKind.VSO)
# The levels of a schooladvies, lowest first: a later one is a higher advice (a double advice
# lies between its two levels).
SCHOOLADVIEZEN = (
    "praktijkonderwijs",
    "vmbo-bb",
    "vmbo-bb/kb",
    "vmbo-kb",
    "vmbo-kb/gt",
    "vmbo-gt",
    "vmbo-gt/havo",
    "havo",
    "havo/vwo",
    "vwo",
)
NOT_TAKEN = "niet gemaakt (vrijgesteld)"
TEST_RESULTS = (*SCHOOLADVIEZEN, NOT_TAKEN)
NO_REVISION = "geen bijstelling: de toetsuitslag is niet hoger"
REVISED = "naar boven bijgesteld"
NOT_REVISED = "niet bijgesteld: niet in het belang van de leerling"
REVISIONS = (NO_REVISION, REVISED, NOT_REVISED)
NOT_APPLICABLE = "n.v.t."
VSO_PROFILES = ("vso: uitstroomprofiel arbeidsmarkt", "vso: uitstroomprofiel dagbesteding")
PLACEMENTS = (NOT_APPLICABLE, *SCHOOLADVIEZEN, *VSO_PROFILES)
PRO_VSO_ROUTES = ("pro", "vso")
FURTHER_CONSULTATION_OUTCOMES = (
    "regulier verder",
    "TLV VSO aanvragen",
    "aanmelding bij praktijkonderwijs (procedure PrO-Assen)",
)
CHOICE_PRO_VSO = "PRO of VSO"
CHOICE_REGULAR = "reguliere VO-school"
PARENTS_CHOICES = (CHOICE_PRO_VSO, CHOICE_REGULAR)


def advice_rank(level: str) -> int | None:
    """The position of a level among the schooladviezen (None for another value)."""
    return SCHOOLADVIEZEN.index(level) if level in SCHOOLADVIEZEN else None


# --- domain rules: each returns Dutch error messages, empty when the answer is fine -------------


def _dates_not_in_future(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
    errors = []
    for name in (
        "uitgevoerd_op",
        "gesprek_op",
        "aangemeld_op",
        "formulier_volledig_op",
        "klaargezet_op",
        "besluit_op",
        "datum",
        "overleg_op",
        "toetsdatum",
        "uitslag_op",
        "ontvangen_op",
        "verzonden_op",
        "uitnodiging_op",
    ):
        value = answer.get(name)
        if isinstance(value, date) and value > ctx.today:
            errors.append(
                f"'{name.replace('_', ' ')}' ligt in de toekomst ({value:%d-%m-%Y}); "
                "vul de datum in waarop het gebeurd is."
            )
        if isinstance(value, date) and value < ctx.today - timedelta(days=3 * 366):
            errors.append(f"'{name.replace('_', ' ')}' ligt meer dan drie jaar terug.")
    return errors


def _form_after_registration(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
    registered, complete = answer.get("aangemeld_op"), answer.get("formulier_volledig_op")
    if isinstance(registered, date) and isinstance(complete, date) and complete < registered:
        return [
            "'Aanmeldformulier volledig ontvangen op' kan niet vóór 'Aangemeld op' liggen: het "
            "volledige formulier komt op of na de dag van aanmelding binnen."
        ]
    return []


def _reason_when_not_in_plan(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
    if answer.get("in_stappenplan") == "nee" and not str(answer.get("toelichting", "")).strip():
        return ["Geef een toelichting waarom de leerling het stappenplan niet volgt."]
    return []


def _tlv_rules(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
    errors = []
    granted = answer.get("besluit") == "toegekend"
    category = answer.get("categorie")
    if granted and ctx.route == "vso" and category == "n.v.t.":
        errors.append("Een TLV voor het VSO heeft een categorie: laag, midden of hoog.")
    if ctx.route == "pro" and category != "n.v.t.":
        errors.append("Een TLV voor het praktijkonderwijs heeft geen categorie; kies 'n.v.t.'.")
    valid_until = answer.get("geldig_tot")
    if granted and isinstance(valid_until, date) and valid_until <= ctx.today:
        errors.append("'geldig tot' moet na vandaag liggen.")
    if not granted and not str(answer.get("reden", "")).strip():
        errors.append("Geef de reden van de afwijzing.")
    return errors


ADMITTED, REFUSED = "toegelaten", "niet toegelaten"
EXTEND = "termijn verlengen (4 weken)"
PRELIMINARY = "voorlopig besluit: ondersteuning niet te bieden"
CONSULTED = "overleg met ouders en PO gevoerd"
DOUBT = "twijfel over advies PO: gesprek gevoerd"
ADMISSION_CHOICES = (ADMITTED, REFUSED, EXTEND, PRELIMINARY, CONSULTED, DOUBT)


def _reason_when_refused(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
    reason = str(answer.get("reden", "")).strip()
    if answer.get("besluit") == REFUSED and not reason:
        return ["Geef de reden waarom de leerling niet wordt toegelaten."]
    if answer.get("besluit") == EXTEND and not reason:
        return ["Geef de reden van de verlenging van de termijn."]
    return []


def _admission_interim(answer: Mapping[str, Any], ctx: FormContext) -> bool:
    return answer.get("besluit") not in (ADMITTED, REFUSED)


def _oso_incomplete(answer: Mapping[str, Any], ctx: FormContext) -> bool:
    return not dossier_complete(answer, ctx.transfer_groep)


def _iq_range(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
    iq = answer.get("iq")
    if isinstance(iq, int) and 0 < iq < 30:
        return ["Vul bij IQ 0 in als het niet bekend is, of een IQ van 30 tot 200."]
    return []


def _mpo_participants(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
    absent = [p.label for p in MPO_PARTICIPANTS if not p.optional and answer.get(p.key) is not True]
    if absent:
        return ["Bij een MPO zijn in ieder geval betrokken: " + "; ".join(absent) + "."]
    return []


def _int(
    name: str, title: str, description: str, minimum: int, maximum: int, *, required: bool = True
) -> FieldSpec:
    """A whole number; an optional one is 0 unless the user fills it in."""
    return FieldSpec(
        name, title, "int", description, required=required, minimum=minimum, maximum=maximum
    )


def _evaluation_date_ahead(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
    value = answer.get("evaluatie_op")
    if isinstance(value, date) and value < ctx.today:
        return ["De evaluatiedatum van het plan van aanpak ligt in het verleden."]
    return []


Rule = Callable[[Mapping[str, Any], "FormContext"], list[str]]


def _reason_when(flag: str, value: Any, reason: str, message: str) -> Rule:
    """A rule: when field `flag` holds `value`, the text field `reason` may not be empty."""

    def rule(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
        if answer.get(flag) == value and not str(answer.get(reason, "")).strip():
            return [message]
        return []

    return rule


# --- the screening (Bijlage II) -------------------------------------------------------------------

DLE_FIELDS = ("dle_begrijpend_lezen", "dle_technisch_lezen", "dle_spellen", "dle_rekenen")
KEY_DLE_FIELDS = ("dle_begrijpend_lezen", "dle_rekenen")
NOT_TESTED = 0


def _two_domains_tested(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
    tested = [name for name in DLE_FIELDS if (answer.get(name) or NOT_TESTED) != NOT_TESTED]
    if len(tested) >= 2 and any(name in tested for name in KEY_DLE_FIELDS):
        return []
    return [
        "Bijlage II kijkt naar twee van de vier domeinen, waarvan minimaal één begrijpend lezen "
        "of inzichtelijk rekenen: vul voor minstens twee getoetste domeinen de DLE in, waaronder "
        "begrijpend lezen of inzichtelijk rekenen (0 = niet getoetst)."
    ]


_DLE_HELP = "In maanden (1-80); 0 als dit domein niet getoetst is."


def _dl_override_reason(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
    if (answer.get("dl_afwijkend") or 0) > 0 and not str(answer.get("reden_dl", "")).strip():
        return ["Geef de reden van de afwijkende DL (een overgedane of overgeslagen groep)."]
    return []


def _test_date_in_school_career(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
    day = answer.get("toetsdatum")
    if not isinstance(day, date) or not ctx.cohort or (answer.get("dl_afwijkend") or 0) > 0:
        return []
    groep = pupil_groep(ctx.cohort, ctx.transfer_groep, day)
    if 3 <= groep <= ctx.transfer_groep:
        return []
    return [
        f"De toetsdatum ({day:%d-%m-%Y}) valt niet in groep 3 tot en met {ctx.transfer_groep} van "
        "deze leerling; vul de datum van de toets in, of een afwijkende DL met de reden."
    ]


# --- the doorstroomtoets and the schooladvies (chapter 1) -----------------------------------------


def _definitive_advice(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
    """The definitive advice against the voorlopige and the doorstroomtoets: only upward, and
    upward after a better test unless that is not in the pupil's interest (with a reason)."""
    errors: list[str] = []
    result, revision = str(answer.get("toetsuitslag", "")), answer.get("bijstelling")
    received = answer.get("uitslag_op")
    if (
        result != NOT_TAKEN
        and isinstance(received, date)
        and ctx.test_period is not None
        and received < ctx.test_period[0]
    ):
        errors.append(
            f"'Uitslag ontvangen op' ({received:%d-%m-%Y}) ligt vóór de doorstroomtoets "
            f"(vanaf {ctx.test_period[0]:%d-%m-%Y})."
        )
    preliminary = advice_rank(ctx.preliminary_advice)
    given = advice_rank(str(answer.get("advies", "")))
    if preliminary is None or given is None:
        return errors
    prelim = ctx.preliminary_advice
    if given < preliminary:
        errors.append(
            f"Het definitieve advies ({answer.get('advies')}) is lager dan het voorlopige advies "
            f"({prelim}); de afspraken kennen alleen bijstellen naar boven."
        )
        return errors
    test = advice_rank(result)
    better = test is not None and test > preliminary
    if given > preliminary and revision != REVISED:
        errors.append(
            f"Het definitieve advies is hoger dan het voorlopige advies ({prelim}): kies "
            f"'{REVISED}'."
        )
    elif revision == REVISED and given == preliminary:
        errors.append(
            f"Bij '{REVISED}' is het definitieve advies hoger dan het voorlopige advies ({prelim})."
        )
    elif better and given == preliminary and revision != NOT_REVISED:
        errors.append(
            f"De doorstroomtoets ({result}) is beter gemaakt dan het voorlopige advies ({prelim}): "
            f"stel het advies naar boven bij, of kies '{NOT_REVISED}' en geef de reden."
        )
    if revision == NOT_REVISED and not better:
        errors.append(
            f"'{NOT_REVISED}' geldt alleen als de toetsuitslag hoger is dan het voorlopige advies "
            f"({prelim}); kies '{NO_REVISION}'."
        )
    return errors


def _placement(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
    """'Het schooladvies van het PO is leidend': a pupil is placed at a level, and below the
    advice only with a reason."""
    if answer.get("besluit") != ADMITTED:
        return []
    placement = str(answer.get("plaatsing", ""))
    if placement == NOT_APPLICABLE:
        return ["Kies bij 'toegelaten' het niveau waarop de leerling wordt geplaatst."]
    placed, advised = advice_rank(placement), advice_rank(ctx.advice)
    below = placed is not None and advised is not None and placed < advised
    if below and not str(answer.get("reden", "")).strip():
        return [
            f"De plaatsing ({placement}) ligt onder het schooladvies ({ctx.advice}); het "
            "advies van de basisschool is leidend voor het minimale niveau: geef de reden."
        ]
    return []


# --- the MPO (chapter 3) --------------------------------------------------------------------------


def _mpo_rules(answer: Mapping[str, Any], ctx: FormContext) -> list[str]:
    """The initiative (the invitation) meets the term; once held, the MPO's date, participants
    and outcome are recorded."""
    errors: list[str] = []
    invited, held_on = answer.get("uitnodiging_op"), answer.get("gehouden_op")
    if isinstance(invited, date) and isinstance(held_on, date) and held_on < invited:
        errors.append("De datum van het MPO ligt vóór de datum van de uitnodiging.")
    if answer.get("gehouden") is not True:
        return errors
    if isinstance(held_on, date) and held_on > ctx.today:
        errors.append(
            f"De datum van het MPO ({held_on:%d-%m-%Y}) ligt in de toekomst: leg nu alleen de "
            "uitnodiging vast, en het MPO zodra het gehouden is."
        )
    if not str(answer.get("uitkomst", "")).strip():
        errors.append("Vul de uitkomst en de afspraken van het MPO in.")
    return errors + _mpo_participants(answer, ctx)


def _mpo_interim(answer: Mapping[str, Any], ctx: FormContext) -> bool:
    return answer.get("gehouden") is not True


# --- parts several forms share --------------------------------------------------------------------

ROUTE_CHANGE_FIELDS = (
    FieldSpec(
        "ouders_kiezen_regulier",
        "Ouders kiezen toch een reguliere VO-school (de route PRO/VSO stopt)",
        "bool",
        "Formeel staat het de ouders vrij een andere keuze te maken (hoofdstuk 2). De "
        "TLV-procedure stopt dan; de leerling volgt de reguliere route.",
        required=False,
        only_routes=PRO_VSO_ROUTES,
    ),
    FieldSpec(
        "reden_routewijziging",
        "Reden van de routewijziging",
        "text",
        "Verplicht als de ouders toch een reguliere VO-school kiezen.",
        required=False,
        only_routes=PRO_VSO_ROUTES,
    ),
)
_route_change_reason = _reason_when(
    "ouders_kiezen_regulier",
    True,
    "reden_routewijziging",
    "Geef de reden waarom de route verandert (de keuze van de ouders).",
)
TRUANCY_FIELDS = (
    FieldSpec(
        "melding_leerplicht",
        "Melding bij de leerplichtambtenaar: ouders werken aantoonbaar niet mee",
        "bool",
        "Alleen na pogingen tot overleg (hoofdstuk 1). Overstap legt de melding vast en stuurt "
        "de leerplichtambtenaar een bericht.",
        required=False,
    ),
    FieldSpec(
        "reden_melding",
        "Toelichting bij de melding",
        "text",
        "Verplicht bij een melding: welke pogingen tot overleg zijn gedaan?",
        required=False,
    ),
)
_truancy_reason = _reason_when(
    "melding_leerplicht",
    True,
    "reden_melding",
    "Geef bij een melding aan de leerplichtambtenaar de pogingen tot overleg aan.",
)


FORMS: dict[str, FormSpec] = {
    spec.name: spec
    for spec in (
        FormSpec(
            name="bevestiging",
            kind=AskKind.CONFIRM,
            intro="Bevestig dat deze stap is uitgevoerd.",
            fields=(
                _date("uitgevoerd_op", "Uitgevoerd op", "De datum waarop de stap is gedaan."),
                _text("toelichting", "Toelichting", "Optioneel: wat is er afgesproken?"),
            ),
            rules=(_dates_not_in_future,),
        ),
        FormSpec(
            name="gesprek",
            kind=AskKind.CONFIRM,
            intro="Leg vast dat het gesprek heeft plaatsgevonden en wat er is afgesproken.",
            fields=(
                _date("gesprek_op", "Datum gesprek"),
                _text("aanwezig", "Aanwezig", "Wie waren erbij (functies, geen namen van ouders)?"),
                _text("afspraken", "Afspraken", "De belangrijkste afspraken."),
            ),
            rules=(_dates_not_in_future,),
        ),
        FormSpec(
            name="overleg_vo",
            kind=AskKind.DECISION,
            intro="Leg vast met welke VO-school is overlegd en of die school de leerling ook "
            "in aanmerking vindt komen voor het stappenplan.",
            fields=(
                _school(
                    "vo_school",
                    "VO-school",
                    ALL_VO_KINDS,
                    "De school voor voortgezet onderwijs waarmee is overlegd.",
                ),
                _choice(
                    "in_aanmerking",
                    "Komt de leerling volgens het VO in aanmerking?",
                    ("ja", "nee"),
                ),
                FieldSpec(
                    "overleg_op",
                    "Datum gezamenlijk overleg over de overstap vanuit groep 7",
                    "date",
                    "Een leerling die vanuit groep 7 overstapt, wordt pas aangemeld na gezamenlijk "
                    "overleg met een VO-school (hoofdstuk 2).",
                    only_groep=7,
                ),
                _text("toelichting", "Toelichting"),
            ),
            rules=(_dates_not_in_future,),
        ),
        FormSpec(
            name="definitieve_vaststelling",
            kind=AskKind.DECISION,
            intro="Stel definitief vast of de leerling het stappenplan volgt. Bij 'nee' eindigt "
            "het traject in Overstap.",
            fields=(
                _choice("in_stappenplan", "Volgt de leerling het stappenplan?", ("ja", "nee")),
                _text("toelichting", "Toelichting", "Verplicht bij 'nee'."),
            ),
            rules=(_reason_when_not_in_plan,),
        ),
        FormSpec(
            name="schoolvoorkeur",
            kind=AskKind.SCHOOL_CHOICE,
            intro="Leg de voorlopige voorkeur van de ouders voor een VO-school vast.",
            fields=(
                _school("vo_school", "Voorkeursschool", ALL_VO_KINDS, "De school van voorkeur."),
                _text("toelichting", "Toelichting"),
            ),
        ),
        FormSpec(
            name="plan_van_aanpak",
            kind=AskKind.PLAN,
            intro="Leg het plan van aanpak vast dat met ouders (en zo mogelijk de leerling) en "
            "de leraar of intern begeleider is opgesteld.",
            fields=(
                _text("doelen", "Doelen", "Wat moet het plan opleveren?", required=True),
                _text("acties", "Acties en interventies", "Wie doet wat?", required=True),
                _date("evaluatie_op", "Evaluatie op", "Wanneer wordt het plan geëvalueerd?"),
            ),
            rules=(_evaluation_date_ahead,),
        ),
        FormSpec(
            name="evaluatie_plan",
            kind=AskKind.DECISION,
            intro="Evalueer het plan van aanpak en kies de route naar het VO. Bij PRO of VSO "
            "volgt een aanmelding en een TLV-aanvraag bij de CvA.",
            fields=(
                _choice(
                    "route",
                    "Route",
                    ("regulier", "pro", "vso"),
                    "regulier = VO-school; pro = praktijkonderwijs; vso = voortgezet speciaal "
                    "onderwijs.",
                ),
                FieldSpec(
                    "vervolgplan_nodig",
                    "Is een tweede deel van het plan van aanpak nodig?",
                    "bool",
                    required=False,
                ),
                _text("evaluatie", "Evaluatie", "Korte samenvatting.", required=True),
            ),
        ),
        FormSpec(
            name="aanmelding_pro_vso",
            kind=AskKind.SCHOOL_CHOICE,
            intro="Leg vast bij welke school voor praktijkonderwijs of VSO de leerling is "
            "aangemeld (bij voorkeur voor 1 december).",
            fields=(
                _school(
                    "school",
                    "School",
                    (SchoolKind.PRO, SchoolKind.VSO),
                    "De PRO- of VSO-school van aanmelding.",
                ),
                _date("aangemeld_op", "Aangemeld op"),
                _date(
                    "formulier_volledig_op",
                    "Aanmeldformulier volledig ontvangen op",
                    "De beslistermijn telt vanaf het volledige aanmeldformulier én OSO-dossier.",
                ),
                FieldSpec(
                    "tussengroep",
                    "Aanmelding voor de tussengroep PRO-VMBO?",
                    "bool",
                    "Ook voor de tussengroep is een TLV PRO nodig.",
                    required=False,
                ),
            ),
            rules=(_dates_not_in_future, _form_after_registration),
        ),
        FormSpec(
            name="onderzoek_cvb",
            kind=AskKind.DECISION,
            intro="Leg het advies van de Commissie van Begeleiding (of de Centrale Commissie "
            "Leerlingenzorg van PrO-Assen) vast. Bij een positief advies vraagt de school een TLV "
            "aan bij de CvA.",
            fields=(
                _choice("advies", "Advies", ("positief", "negatief")),
                _text("toelichting", "Toelichting"),
            ),
        ),
        FormSpec(
            name="tlv_besluit",
            kind=AskKind.DECISION,
            intro="Leg het besluit van de Commissie van Advies (CvA) over de "
            "toelaatbaarheidsverklaring vast.",
            fields=(
                _choice("besluit", "Besluit", ("toegekend", "afgewezen")),
                _choice(
                    "categorie",
                    "Categorie (VSO)",
                    ("n.v.t.", "laag", "midden", "hoog"),
                    "Alleen bij een TLV voor het VSO; bij PRO 'n.v.t.'.",
                ),
                _date("besluit_op", "Datum besluit"),
                _date("geldig_tot", "Geldig tot", "Bij een afwijzing: de datum van het besluit."),
                _text("reden", "Reden", "Verplicht bij een afwijzing."),
            ),
            rules=(_tlv_rules,),
        ),
        FormSpec(
            name="toelatingsbesluit",
            kind=AskKind.DECISION,
            intro="Leg het besluit van de school over toelating en plaatsing vast (binnen zes "
            "weken na de volledige aanmelding; eenmaal verlengbaar met vier weken). Een "
            "verlenging, een voorlopig besluit of een gesprek over twijfel aan het advies legt u "
            "hier ook vast: de termijnen van hoofdstuk 3 lopen dan, en de vraag komt terug.",
            fields=(
                _choice("besluit", "Besluit of tussenstap", ADMISSION_CHOICES),
                _date("datum", "Datum", "De datum van het besluit, de verlenging of het gesprek."),
                _choice(
                    "plaatsing",
                    "Geplaatst op niveau",
                    PLACEMENTS,
                    "Bij 'toegelaten': het niveau van plaatsing. Het schooladvies van het PO is "
                    "leidend; een plaatsing onder het advies vraagt een reden. Anders 'n.v.t.'.",
                ),
                _text(
                    "reden",
                    "Reden",
                    "Verplicht bij niet toegelaten, bij verlengen en bij een plaatsing onder het "
                    "schooladvies.",
                ),
                *TRUANCY_FIELDS,
            ),
            rules=(_dates_not_in_future, _reason_when_refused, _placement, _truancy_reason),
            interim=_admission_interim,
        ),
        FormSpec(
            name="schooladvies",
            kind=AskKind.DECISION,
            intro="Leg het schooladvies van de basisschool vast.",
            fields=(
                _choice("advies", "Schooladvies", SCHOOLADVIEZEN),
                _text("toelichting", "Toelichting"),
                *ROUTE_CHANGE_FIELDS,
            ),
            rules=(_route_change_reason,),
        ),
        FormSpec(
            name="definitief_schooladvies",
            kind=AskKind.DECISION,
            intro="Leg de uitslag van de doorstroomtoets en het definitieve schooladvies vast. "
            "Heeft de leerling de doorstroomtoets beter gemaakt dan het voorlopige advies, dan "
            "wordt het advies naar boven bijgesteld, tenzij uit een nadere afweging blijkt dat "
            "bijstellen niet in het belang van de leerling is (hoofdstuk 1).",
            fields=(
                _choice(
                    "toetsuitslag",
                    "Uitslag doorstroomtoets (niveau)",
                    TEST_RESULTS,
                    "Het niveau van de uitslag; 'niet gemaakt' bij een vrijstelling.",
                ),
                _date(
                    "uitslag_op",
                    "Uitslag ontvangen op",
                    "De dag waarop de school de uitslag ontving (bij 'niet gemaakt': vandaag).",
                ),
                _choice("advies", "Definitief schooladvies", SCHOOLADVIEZEN),
                _choice(
                    "bijstelling",
                    "Bijstelling van het voorlopige advies",
                    REVISIONS,
                    "Naar boven bijgesteld, of niet bijgesteld omdat dat niet in het belang van de "
                    "leerling is (met reden), of geen bijstelling omdat de uitslag niet hoger is.",
                ),
                _text(
                    "reden_bijstelling",
                    "Reden om niet bij te stellen",
                    "Verplicht bij 'niet in het belang van de leerling': de nadere afweging.",
                ),
                _text("toelichting", "Toelichting"),
                *ROUTE_CHANGE_FIELDS,
                *TRUANCY_FIELDS,
            ),
            rules=(
                _dates_not_in_future,
                _definitive_advice,
                _reason_when(
                    "bijstelling",
                    NOT_REVISED,
                    "reden_bijstelling",
                    "Geef de reden waarom bijstellen van het advies niet in het belang van de "
                    "leerling is.",
                ),
                _route_change_reason,
                _truancy_reason,
            ),
        ),
        FormSpec(
            name="keuze_ouders",
            kind=AskKind.DECISION,
            intro="Formeel staat het de ouders vrij om een eigen andere keuze te maken voor de "
            "school waar zij hun kind aanmelden (hoofdstuk 2). Leg vast of de leerling bij PRO of "
            "VSO (aangemeld) blijft, of dat de ouders toch een reguliere VO-school kiezen: dan "
            "stopt de TLV-procedure en volgt de leerling de reguliere route.",
            fields=(
                _choice("keuze", "Keuze van de ouders", PARENTS_CHOICES),
                _text("reden", "Reden", "Verplicht als de ouders een reguliere VO-school kiezen."),
            ),
            rules=(
                _reason_when(
                    "keuze",
                    CHOICE_REGULAR,
                    "reden",
                    "Geef de reden waarom de ouders toch een reguliere VO-school kiezen.",
                ),
            ),
        ),
        FormSpec(
            name="aanmelding_vo",
            kind=AskKind.SCHOOL_CHOICE,
            intro="Leg de officiële aanmelding bij de school voor voortgezet onderwijs vast.",
            fields=(
                _school("vo_school", "School van aanmelding", ALL_VO_KINDS, ""),
                _date("aangemeld_op", "Aangemeld op"),
                _date(
                    "formulier_volledig_op",
                    "Aanmeldformulier volledig ontvangen op",
                    "De beslistermijn telt vanaf het volledige aanmeldformulier én OSO-dossier.",
                ),
                FieldSpec(
                    "nader_overleg_nodig",
                    "Is nader overleg nodig?",
                    "bool",
                    "Zet aan als de school eerst nader overleg wil (de stap 'nader overleg').",
                    required=False,
                ),
            ),
            rules=(_dates_not_in_future, _form_after_registration),
        ),
        FormSpec(
            name="afspraken_opstart",
            kind=AskKind.CONFIRM,
            intro="Leg de afspraken van ouders en VO over de start in het VO vast.",
            fields=(
                _date("gesprek_op", "Datum gesprek"),
                _text("mentor", "Beoogde mentor", "Naam van de beoogde mentor."),
                _text("afspraken", "Afspraken", required=True),
            ),
            rules=(_dates_not_in_future,),
        ),
        FormSpec(
            name="screening",
            kind=AskKind.DECISION,
            intro="Vul de didactische gegevens in (Bijlage II): de datum van de toets, de "
            "didactische leeftijdsequivalent (DLE) per domein uit het leerlingvolgsysteem (0 als "
            "een domein niet getoetst is; minstens twee domeinen, waaronder begrijpend lezen of "
            "inzichtelijk rekenen), en het IQ als dat bekend is. Overstap berekent de didactische "
            "leeftijd (DL) op de datum van de toets en de leerachterstand, en toont de uitkomst "
            "aan de intaker die de route kiest.",
            fields=(
                _date(
                    "toetsdatum",
                    "Datum van de toets",
                    "De DL geldt op de dag van de toets, niet op de dag van invullen.",
                ),
                _int("dle_begrijpend_lezen", "DLE begrijpend lezen", _DLE_HELP, 0, 80),
                _int("dle_technisch_lezen", "DLE technisch lezen", _DLE_HELP, 0, 80),
                _int("dle_spellen", "DLE spellen", _DLE_HELP, 0, 80),
                _int("dle_rekenen", "DLE inzichtelijk rekenen", _DLE_HELP, 0, 80),
                _int(
                    "dl_afwijkend",
                    "Afwijkende DL",
                    "Alleen als de leerling een groep heeft overgedaan of overgeslagen: de DL op "
                    "de toetsdatum in maanden. 0 = de DL uit de tabel.",
                    0,
                    80,
                    required=False,
                ),
                _text(
                    "reden_dl",
                    "Reden afwijkende DL",
                    "Verplicht bij een afwijkende DL: welke groep is overgedaan of overgeslagen?",
                ),
                _int("iq", "IQ", "0 als er geen intelligentieonderzoek is gedaan.", 0, 200),
                FieldSpec(
                    "sociaal_emotioneel",
                    "Leerbelemmerende sociaal-emotionele problematiek?",
                    "bool",
                    required=False,
                ),
            ),
            rules=(
                _dates_not_in_future,
                _iq_range,
                _two_domains_tested,
                _test_date_in_school_career,
                _dl_override_reason,
            ),
        ),
        FormSpec(
            name="oso_dossier",
            kind=AskKind.CONFIRM,
            intro="Vink aan wat in het OSO-dossier voor de VO-school klaarstaat (Bijlage I). "
            "Onderzoeksverslagen en handelingsplannen zijn 'niet van toepassing' als de leerling "
            "ze niet heeft. Het dossier moet uiterlijk 31 maart compleet zijn; zolang er iets "
            "ontbreekt, vraagt Overstap het opnieuw. Daarna bevestigt de VO-school wanneer zij "
            "het complete dossier heeft ontvangen: dan begint haar beslistermijn.",
            fields=(
                FieldSpec("items", "", "oso_items"),
                _date("klaargezet_op", "Klaargezet op", "De datum van deze stand van het dossier."),
                *TRUANCY_FIELDS,
            ),
            rules=(_dates_not_in_future, _truancy_reason),
            interim=_oso_incomplete,
        ),
        FormSpec(
            name="oso_ontvangst",
            kind=AskKind.CONFIRM,
            intro="Bevestig wanneer de VO-school het complete OSO-dossier heeft ontvangen "
            "(opgehaald in OSO). De beslistermijn van zes weken begint pas als het volledige "
            "aanmeldformulier én het complete dossier ontvangen zijn (hoofdstuk 1). Haal het "
            "dossier op voordat de klaargezette versie verloopt (Bijlage I): anders moet de "
            "PO-school het opnieuw klaarzetten.",
            fields=(
                _date("ontvangen_op", "Complete dossier ontvangen op"),
                _text("toelichting", "Toelichting"),
            ),
            rules=(_dates_not_in_future,),
        ),
        FormSpec(
            name="besluit_verzonden",
            kind=AskKind.CONFIRM,
            intro="De ouder ontvangt binnen zes weken (met eventueel vier weken verlenging) van "
            "de VO-school schriftelijk het toelatings- en plaatsingsbesluit (hoofdstuk 1). Leg "
            "vast wanneer het schriftelijke besluit naar de ouders is verstuurd.",
            fields=(
                _date("verzonden_op", "Schriftelijk besluit verstuurd op"),
                _text("toelichting", "Toelichting"),
            ),
            rules=(_dates_not_in_future,),
        ),
        FormSpec(
            name="nader_overleg",
            kind=AskKind.CONFIRM,
            intro="Leg het nader overleg na de aanmelding vast. Komt de school tot de slotsom dat "
            "VSO de best passende plek is (grensgebied), dan vraagt zij zelf een TLV aan bij de "
            "CvA. Past PRO beter, dan gaat zij in overleg met de basisschool, de ouders en "
            "PrO-Assen: de aanmelding bij PrO-Assen volgt dan de eigen procedure van PrO-Assen.",
            fields=(
                _date("gesprek_op", "Datum overleg"),
                _text("afspraken", "Afspraken", required=True),
                _choice(
                    "uitkomst",
                    "Uitkomst",
                    FURTHER_CONSULTATION_OUTCOMES,
                    "VSO: de school vraagt zelf de TLV aan. PRO: de leerling wordt aangemeld bij "
                    "PrO-Assen, dat zijn eigen onderzoek en TLV-aanvraag doet (hoofdstuk 2).",
                ),
            ),
            rules=(_dates_not_in_future,),
        ),
        FormSpec(
            name="mpo",
            kind=AskKind.CONFIRM,
            intro="De school plaatst de leerling niet en heeft zorgplicht: binnen tien werkdagen "
            "neemt zij het initiatief tot een meer-partijen-overleg (MPO) en doet daarna een "
            "passend aanbod (hoofdstuk 3). De termijn is gehaald met de uitnodiging: leg die "
            "eerst vast (de vraag komt terug), en het MPO zelf zodra het gehouden is.",
            fields=(
                _date(
                    "uitnodiging_op",
                    "Uitnodiging verstuurd op",
                    "Het initiatief: de dag waarop de uitnodiging voor het MPO is verstuurd.",
                ),
                FieldSpec("gehouden", "Het MPO is gehouden", "bool", required=False),
                _date(
                    "gehouden_op",
                    "Datum MPO",
                    "De dag van het MPO (zolang het niet gehouden is: de geplande dag).",
                ),
                *(
                    FieldSpec(p.key, p.label[0].upper() + p.label[1:], "bool", required=False)
                    for p in MPO_PARTICIPANTS
                ),
                _text("uitkomst", "Uitkomst en afspraken", "Verplicht als het MPO is gehouden."),
            ),
            rules=(_dates_not_in_future, _mpo_rules),
            interim=_mpo_interim,
        ),
        FormSpec(
            name="alternatief_aanbod",
            kind=AskKind.SCHOOL_CHOICE,
            intro="De school heeft zorgplicht: leg het alternatieve passende onderwijsaanbod vast "
            "en het gesprek waarin het met ouders en de leraar PO (of ib) is toegelicht.",
            fields=(
                _school("school", "School van het aanbod", ALL_VO_KINDS, ""),
                _date("gesprek_op", "Datum gesprek met ouders en PO"),
                _text("toelichting", "Toelichting", required=True),
                _choice(
                    "bezwaar",
                    "Bezwaar van ouders",
                    ("geen bezwaar", "bezwaar gestart"),
                    "Ouders kunnen bezwaar maken tegen de afwijzing, volgens de regeling van de "
                    "VO-school.",
                ),
            ),
            rules=(_dates_not_in_future,),
        ),
    )
}


# What each form asks, in a few words: how `overstap show` and `answer` name a question.
FORM_TITLES: dict[str, str] = {
    "bevestiging": "bevestiging dat de stap is uitgevoerd",
    "gesprek": "verslag van het gesprek",
    "overleg_vo": "overleg met de VO-school",
    "definitieve_vaststelling": "definitieve vaststelling",
    "schoolvoorkeur": "voorkeur voor een VO-school",
    "plan_van_aanpak": "plan van aanpak",
    "evaluatie_plan": "evaluatie en keuze van de route",
    "aanmelding_pro_vso": "aanmelding bij PRO of VSO",
    "onderzoek_cvb": "advies van de Commissie van Begeleiding",
    "tlv_besluit": "besluit over de toelaatbaarheidsverklaring",
    "toelatingsbesluit": "toelatingsbesluit van de school",
    "schooladvies": "schooladvies",
    "aanmelding_vo": "aanmelding bij de VO-school",
    "afspraken_opstart": "afspraken over de start in het VO",
    "screening": "didactische gegevens voor de screening",
    "oso_dossier": "OSO-dossier",
    "nader_overleg": "nader overleg",
    "mpo": "meer-partijen-overleg (MPO)",
    "alternatief_aanbod": "alternatief passend aanbod",
    "definitief_schooladvies": "doorstroomtoets en definitief schooladvies",
    "keuze_ouders": "keuze van de ouders",
    "oso_ontvangst": "ontvangst van het OSO-dossier",
    "besluit_verzonden": "verzending van het schriftelijke besluit aan de ouders",
}


def form_title(form_name: str) -> str:
    """The Dutch name of a form (its code with spaces for a form without one)."""
    return FORM_TITLES.get(form_name, form_name.replace("_", " "))


def allowed_values(spec: FieldSpec, ctx: FormContext) -> str:
    """What a field accepts, in Dutch, as `overstap answer CODE STEP` lists it."""
    if spec.kind == "int":
        allowed = f"een heel getal van {spec.minimum} tot en met {spec.maximum}"
        return allowed if spec.required else f"{allowed} (standaard 0)"
    if spec.kind == "date":
        return f"een datum ({DATE_HINT})"
    if spec.kind == "bool":
        return "ja of nee (standaard nee)"
    if spec.kind in ("choice", "school"):
        options = spec.choices if spec.kind == "choice" else tuple(school_options(spec, ctx))
        return "een van: " + ", ".join(f"'{o}'" for o in options)
    if spec.required:
        return f"tekst (hoogstens {spec.max_length} tekens)"
    return f"tekst, mag leeg blijven (hoogstens {spec.max_length} tekens)"


class FormError(ValueError):
    """An answer that does not fit its form; `errors` are Dutch messages for the user."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


# Looked up through a dict on purpose: freezegun swaps module-level `date` for its FakeDate while
# time is frozen, and pydantic cannot build a schema for FakeDate.
_TYPES: dict[str, type] = {"date": date}


def _field_definition(spec: FieldSpec, ctx: FormContext) -> tuple[Any, Any]:
    info: dict[str, Any] = {"title": spec.title}
    if spec.description:
        info["description"] = spec.description
    if spec.kind == "text":
        if spec.required:
            return str, pydantic.Field(min_length=1, max_length=spec.max_length, **info)
        return str, pydantic.Field(default="", max_length=spec.max_length, **info)
    if spec.kind == "date":
        return _TYPES["date"], pydantic.Field(**info)
    if spec.kind == "bool":
        return bool, pydantic.Field(default=False, **info)
    if spec.kind == "int":
        if not spec.required:
            info["default"] = 0
        return int, pydantic.Field(ge=spec.minimum, le=spec.maximum, **info)
    if spec.kind == "choice":
        return Literal[spec.choices], pydantic.Field(**info)
    names = school_options(spec, ctx)
    return Literal[tuple(names)], pydantic.Field(**info)


OUTSIDE_REGION = "Andere school (buiten de regio)"


def expand_fields(spec: FormSpec, ctx: FormContext) -> list[FieldSpec]:
    """The form's fields for this pupil: the OSO checklist depends on the transfer groep, and
    some fields are for a groep-7 leaver or a PRO/VSO route only."""
    fields: list[FieldSpec] = []
    for field_spec in spec.fields:
        if not field_spec.applies(ctx):
            continue
        if field_spec.kind == "oso_items":
            fields.extend(
                FieldSpec(item.key, item.label, "choice", choices=OSO_STATES)
                if item.may_be_absent
                else FieldSpec(item.key, item.label, "bool", required=False)
                for item in oso_checklist(ctx.transfer_groep)
            )
        else:
            fields.append(field_spec)
    return fields


def school_options(spec: FieldSpec, ctx: FormContext) -> list[str]:
    """The school names a school field offers, in a stable order.

    Parents may register outside the region (chapter 1), so every school field also offers
    `OUTSIDE_REGION`.
    """
    names: set[str] = set()
    for kind in spec.school_kinds:
        names.update(ctx.school_choices.get(kind, ()))
    return [*sorted(names), OUTSIDE_REGION]


class FormModel(BaseModel):
    """Base of a form without Prefect: unknown fields are errors, as in the Prefect UI."""

    model_config = ConfigDict(extra="forbid")


def build_form_model(form_name: str, ctx: FormContext, base: type[BaseModel] = FormModel) -> Any:
    """The pydantic model of form `form_name`, with `base` as its base class."""
    spec = FORMS[form_name]
    fields: dict[str, Any] = {ANSWERED_BY: _field_definition(_ANSWERED_BY_FIELD, ctx)}
    for field_spec in expand_fields(spec, ctx):
        fields[field_spec.name] = _field_definition(field_spec, ctx)
    class_name = "".join(part.capitalize() for part in form_name.split("_"))
    return pydantic.create_model(class_name, __base__=base, **fields)


def _dutch_pydantic_error(error: Mapping[str, Any], spec: FormSpec, ctx: FormContext) -> str:
    location = error.get("loc", ())
    name = str(location[0]) if location else ""
    titles = {f.name: f.title for f in expand_fields(spec, ctx)}
    titles[ANSWERED_BY] = _ANSWERED_BY_FIELD.title
    title = titles.get(name, name)
    kind = error.get("type", "")
    if kind == "missing":
        return f"'{title}' ontbreekt."
    if kind == "extra_forbidden":
        return f"'{name}' is geen veld van dit formulier (velden: {', '.join(titles)})."
    if kind == "literal_error":
        field_spec = {f.name: f for f in expand_fields(spec, ctx)}.get(name)
        if field_spec is not None and field_spec.kind in ("choice", "school"):
            # pydantic's own list ends in "... or 'x'": English inside a Dutch sentence.
            return f"'{title}': kies {allowed_values(field_spec, ctx)}."
        return f"'{title}': kies een andere waarde."
    if kind.startswith("date"):
        return f"'{title}': geen geldige datum (gebruik {DATE_HINT})."
    if kind.startswith("bool"):
        return f"'{title}': vul ja of nee in."
    if kind == "string_too_short":
        return f"'{title}' is leeg."
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return f"'{title}' is te lang" + (f" (hoogstens {limit} tekens)." if limit else ".")
    if kind.startswith("int"):
        return f"'{title}': vul een heel getal in."
    if kind in ("greater_than_equal", "less_than_equal"):
        spec_of = {f.name: f for f in expand_fields(spec, ctx)}.get(name)
        allowed = (
            f"; vul een getal van {spec_of.minimum} tot en met {spec_of.maximum} in"
            if spec_of is not None and spec_of.kind == "int"
            else ""
        )
        return f"'{title}': {error.get('input')} ligt buiten het toegestane bereik{allowed}."
    return f"'{title}': {error.get('msg', 'ongeldige waarde')}."


def parse_answer(form_name: str, raw: Mapping[str, Any], ctx: FormContext) -> dict[str, Any]:
    """Check `raw` against the form's fields and domain rules; return it as Python values.

    Raises `FormError` with Dutch messages; nothing is changed anywhere.
    """
    spec = FORMS[form_name]
    model = build_form_model(form_name, ctx)
    given = dict(raw)
    for field_spec in expand_fields(spec, ctx):
        value = given.get(field_spec.name)
        if field_spec.kind == "date" and isinstance(value, str):
            with contextlib.suppress(ValueError):
                given[field_spec.name] = parse_date(value)  # the one date rule: ISO or Dutch
    try:
        parsed = model.model_validate(given)
    except pydantic.ValidationError as exc:
        raise FormError([_dutch_pydantic_error(e, spec, ctx) for e in exc.errors()]) from None
    values: dict[str, Any] = parsed.model_dump()
    errors = validate_answer(form_name, values, ctx)
    if errors:
        raise FormError(errors)
    return values


def validate_answer(form_name: str, values: Mapping[str, Any], ctx: FormContext) -> list[str]:
    """Domain rules on an answer that already has the right types."""
    spec = FORMS[form_name]
    errors: list[str] = []
    if len(str(values.get(ANSWERED_BY, "")).strip()) < 2:
        errors.append("Vul bij 'Ingevuld door' uw naam en functie in.")
    for field_spec in expand_fields(spec, ctx):
        value = values.get(field_spec.name)
        if field_spec.kind == "text" and field_spec.required and not str(value or "").strip():
            errors.append(f"'{field_spec.title}' is leeg.")
        if field_spec.kind == "school":
            options = school_options(field_spec, ctx)
            if value not in options:
                errors.append(f"'{field_spec.title}': '{value}' is geen bekende school.")
    for rule in spec.rules:
        errors.extend(rule(values, ctx))
    return errors


def is_interim(form_name: str, values: Mapping[str, Any], ctx: FormContext) -> bool:
    """Whether a valid answer is an interim one, after which the question is asked again."""
    interim = FORMS[form_name].interim
    return interim is not None and interim(values, ctx)


def to_json(values: Mapping[str, Any]) -> dict[str, Any]:
    """An answer as JSON-compatible values (dates as ISO strings) for storage."""
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}


def from_json(form_name: str, stored: Mapping[str, Any]) -> dict[str, Any]:
    """A stored answer with dates turned back into `date` objects."""
    spec = FORMS[form_name]
    dates = {f.name for f in spec.fields if f.kind == "date"}
    return {
        k: (date.fromisoformat(v) if k in dates and isinstance(v, str) else v)
        for k, v in stored.items()
    }
