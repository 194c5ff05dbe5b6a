"""Screening for LWOO and PRO (Bijlage II): the leerachterstand per domain and the target group.

The leerachterstand (LA) of a domain is (DL - DLE) / DL: DL is the didactische leeftijd, the
months of education since groep 3 (a data table, `models/terms/data/didactische-leeftijd.toml`);
DLE is the didactische leeftijdsequivalent a test result is worth. The four domains are begrijpend
lezen, technisch lezen, spellen and inzichtelijk rekenen.

How Bijlage II is read here, boundaries included:

- "LA van 0,25 tot 0,50" is 0.25 <= LA < 0.50; "LA van 0,50 of meer" is LA >= 0.50. The LA is
  computed exactly (fractions, DLE taken as the decimal number it was written as) and never
  rounded before a comparison; a text shows it cut off at two decimals, so no text shows a
  boundary the value did not reach.
- "Op twee van de vier domeinen, waarbij minimaal één begrijpend lezen of inzichtelijk rekenen":
  at least two domains reach the threshold and begrijpend lezen or inzichtelijk rekenen is one
  of them. Technisch lezen with spellen alone is not enough.
- A domain with LA >= 0.50 also has an achterstand of at least 0.25, so it counts for the LWOO
  pattern; the LWOO area is the LWOO pattern without the PRO pattern. (Otherwise a pupil with
  0.60 and 0.30 would fall outside both groups while one with 0.30 and 0.30 is LWOO.)
- IQ is a whole number; every range is inclusive: PRO 55-80; LWOO 75-90, where 75-80 is the
  overgangsgebied; LWOO 91-120 only with leerbelemmerende sociaal-emotionele problematiek. An IQ
  only counts when one is known ("indien er een intelligentieonderzoek is gedaan").

The outcome, by LA area and IQ:

- PRO area: IQ 55-80 is pro (75-80 noted as overgangsgebied); IQ unknown is grensgebied, and the
  commissie may order an intelligence test (`iq_test_suggested`); IQ above 80 is grensgebied;
  IQ below 55 is geen.
- "Indien de leerachterstanden in het grensgebied tussen LWOO en PRO liggen kan de commissie van
  toelating (CCL), bij het ontbreken van IQ gegevens, besluiten een intelligentietest uit te laten
  voeren": without an IQ, the achterstanden lie in that border area when the PRO pattern holds,
  or when the LWOO pattern holds and at least one domain reaches 0,50. Then `iq_test_suggested`.
- LWOO area: IQ unknown or 75-90 is lwoo (75-80 noted as overgangsgebied); 91-120 is lwoo with
  leerbelemmerende sociaal-emotionele problematiek, else geen; 55-74 is grensgebied (the IQ in
  the PRO range, the achterstand in the LWOO range); below 55 or above 120 is geen.
- Neither pattern: geen, whatever the IQ.

The DL is the didactische leeftijd on the day of the test (`pupil_groep` gives the groep then),
not on the day the results are entered; a pupil who repeated or skipped a year has another DL,
which the PO school enters with a reason.

"Grensgebied" means the VO school, the PO school, the parents and the PRO school look together
for the best place. Whether a learning problem (dyslexia, say) explains the achterstand and can
be compensated in VMBO is for the commissie; a PRO result says so in its reasons.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import NoReturn

from models.datafiles import PlanFileError, read_toml

DIDACTIC_AGE_FILE = Path(__file__).resolve().parent / "data" / "didactische-leeftijd.toml"

GROEPEN = range(3, 9)
# Calendar month numbers in the order of a school year, by their Dutch names.
SCHOOL_YEAR_MONTHS: tuple[tuple[str, int], ...] = (
    ("augustus", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("december", 12),
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("april", 4),
    ("mei", 5),
    ("juni", 6),
    ("juli", 7),
)

LWOO_LA = Fraction(1, 4)
PRO_LA = Fraction(1, 2)
IQ_MIN, IQ_MAX = 30, 200
PRO_IQ = (55, 80)
LWOO_IQ = (75, 90)
OVERGANGSGEBIED_IQ = (75, 80)
LWOO_SEO_IQ = (91, 120)


class Domain(StrEnum):
    BEGRIJPEND_LEZEN = "begrijpend_lezen"
    TECHNISCH_LEZEN = "technisch_lezen"
    SPELLEN = "spellen"
    INZICHTELIJK_REKENEN = "inzichtelijk_rekenen"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


KEY_DOMAINS = frozenset({Domain.BEGRIJPEND_LEZEN, Domain.INZICHTELIJK_REKENEN})


class TargetGroup(StrEnum):
    LWOO = "lwoo"
    PRO = "pro"
    GRENSGEBIED = "grensgebied"
    GEEN = "geen"


@dataclass(frozen=True)
class ScreeningResult:
    """The outcome of one screening; `reasons` explain it in Dutch, in order."""

    dl: int
    la_per_domain: dict[Domain, float]
    target_group: TargetGroup
    reasons: list[str]
    iq_test_suggested: bool = False


# --- didactische leeftijd -------------------------------------------------------------------------


@lru_cache(maxsize=4)
def load_didactic_ages(path: Path = DIDACTIC_AGE_FILE) -> Mapping[tuple[int, int], int]:
    """The DL table of a data file by (groep, calendar month); a file that does not fit is refused.

    Every groep 3 to 8 has all twelve months; DL never decreases through the school years.
    """
    data, lines = read_toml(path)

    def fail(line: int | None, reason: str) -> NoReturn:
        raise PlanFileError(path, line, reason)

    unknown = set(data) - {"groep"}
    if unknown:
        key = sorted(unknown)[0]
        fail(lines.of("", 0, key), f"onbekende sleutel '{key}' (verwacht: tabellen [groep.N])")
    groepen = data.get("groep")
    if not isinstance(groepen, dict):
        fail(None, "de tabellen [groep.3] tot en met [groep.8] ontbreken")
    expected = {str(groep) for groep in GROEPEN}
    for name in sorted(set(groepen) - expected):
        fail(lines.of(f"groep.{name}"), f"onbekende groep '{name}' (alleen groep 3 tot en met 8)")
    for name in sorted(expected - set(groepen), key=int):
        fail(None, f"[groep.{name}] ontbreekt")
    ages: dict[tuple[int, int], int] = {}
    previous: tuple[str, int] | None = None
    for groep in GROEPEN:
        table = f"groep.{groep}"
        months = groepen[str(groep)]
        if not isinstance(months, dict):
            fail(lines.of("groep", 0, str(groep)), f"groep {groep} moet een tabel [{table}] zijn")
        for name in sorted(set(months) - {name for name, _ in SCHOOL_YEAR_MONTHS}):
            fail(lines.of(table, 0, name), f"groep {groep}: onbekende maand '{name}'")
        for name, number in SCHOOL_YEAR_MONTHS:
            if name not in months:
                fail(lines.of(table), f"groep {groep}: '{name}' ontbreekt")
            value = months[name]
            line = lines.of(table, 0, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                fail(line, f"groep {groep}, {name}: de DL moet een geheel getal van 0 of meer zijn")
            if previous is not None and value < previous[1]:
                fail(
                    line,
                    f"groep {groep}, {name}: DL {value} is kleiner dan {previous[1]} "
                    f"({previous[0]}); de DL neemt nooit af",
                )
            previous = (f"groep {groep}, {name}", value)
            ages[(groep, number)] = value
    return ages


def didactic_age(groep: int, month: int) -> int:
    """The DL of a pupil in `groep` (3 to 8) in calendar `month` (1 to 12), with an uninterrupted
    school career: e.g. januari groep 8 is 55."""
    if groep not in GROEPEN:
        raise ValueError(
            f"De didactische leeftijd bestaat alleen voor groep 3 tot en met 8 (gekregen: {groep})."
        )
    if not 1 <= month <= 12:
        raise ValueError(f"Een maand is een getal van 1 tot en met 12 (gekregen: {month}).")
    return load_didactic_ages()[(groep, month)]


def pupil_groep(cohort: int, transfer_groep: int, day: date) -> int:
    """The groep a pupil of `cohort` (the year they start in VO) who leaves PO from
    `transfer_groep` was in on `day`, with an uninterrupted school career."""
    school_year_end = day.year + 1 if day.month >= 8 else day.year
    return transfer_groep - (cohort - school_year_end)


def didactic_age_on(cohort: int, transfer_groep: int, day: date) -> int:
    """The DL on `day` (the date of a test) of a pupil of `cohort`; refused outside groep 3-8."""
    return didactic_age(pupil_groep(cohort, transfer_groep, day), day.month)


# --- classification -------------------------------------------------------------------------------


def _la_text(la: Fraction) -> str:
    """'0,25': cut off (not rounded) at two decimals."""
    hundredths = math.trunc(la * 100)
    sign = "-" if la < 0 else ""
    return f"{sign}{abs(hundredths) // 100},{abs(hundredths) % 100:02d}"


def _names(domains: list[Domain]) -> str:
    labels = [domain.label for domain in domains]
    if len(labels) <= 1:
        return "".join(labels) or "geen enkel domein"
    return ", ".join(labels[:-1]) + " en " + labels[-1]


def _in(iq: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= iq <= bounds[1]


def _parse_domains(
    dle_per_domain: Mapping[Domain, float] | Mapping[str, float],
) -> dict[Domain, Fraction]:
    if not dle_per_domain:
        raise ValueError("Geef voor minstens één domein de DLE (didactische leeftijdsequivalent).")
    known = ", ".join(domain.value for domain in Domain)
    parsed: dict[Domain, Fraction] = {}
    for key, value in dle_per_domain.items():
        try:
            domain = Domain(key)
        except ValueError:
            raise ValueError(f"Onbekend domein '{key}' (bekend: {known}).") from None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ValueError(
                f"De DLE voor {domain.label} moet een getal zijn (gekregen: {value!r})."
            )
        if value < 0:
            raise ValueError(
                f"De DLE voor {domain.label} kan niet negatief zijn (gekregen: {value})."
            )
        parsed[domain] = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    return parsed


def _meeting(la: Mapping[Domain, Fraction], threshold: Fraction) -> list[Domain]:
    return [domain for domain in Domain if domain in la and la[domain] >= threshold]


def _pattern_holds(domains: list[Domain]) -> bool:
    return len(domains) >= 2 and any(domain in KEY_DOMAINS for domain in domains)


def _pattern_text(domains: list[Domain], threshold: str, area: str) -> str:
    if _pattern_holds(domains):
        return (
            f"Leerachterstand van {threshold} of meer op {len(domains)} van de 4 domeinen "
            f"({_names(domains)}), waaronder begrijpend lezen of inzichtelijk rekenen: {area}."
        )
    if len(domains) >= 2:
        return (
            f"Leerachterstand van {threshold} of meer op {_names(domains)}, maar niet op "
            f"begrijpend lezen of inzichtelijk rekenen: dat is niet genoeg voor het {area}."
        )
    return (
        f"Leerachterstand van {threshold} of meer op {_names(domains)}: er zijn minstens twee "
        f"domeinen nodig voor het {area}."
    )


def classify(
    dl: int,
    dle_per_domain: Mapping[Domain, float] | Mapping[str, float],
    iq: int | None = None,
    social_emotional_problems: bool = False,
) -> ScreeningResult:
    """The leerachterstand per domain and the target group of Bijlage II, with the reasons.

    `dle_per_domain` maps a domain (`Domain` or its value, e.g. "begrijpend_lezen") to its DLE;
    domains without a test result may be left out. A DLE above the DL is allowed (no achterstand,
    a negative LA); a negative DLE, a DL of 0 or less, an unknown domain or an IQ outside 30-200
    is refused.
    """
    if isinstance(dl, bool) or not isinstance(dl, int) or dl <= 0:
        raise ValueError(
            f"De didactische leeftijd (DL) moet een geheel getal boven 0 zijn (gekregen: {dl!r})."
        )
    if iq is not None and (
        isinstance(iq, bool) or not isinstance(iq, int) or not IQ_MIN <= iq <= IQ_MAX
    ):
        raise ValueError(
            f"Een IQ is een geheel getal van {IQ_MIN} tot en met {IQ_MAX} (gekregen: {iq!r})."
        )
    dle = _parse_domains(dle_per_domain)
    la = {domain: (dl - value) / dl for domain, value in dle.items()}

    reasons = [
        f"Leerachterstand (DL {dl}): "
        + "; ".join(f"{domain.label} {_la_text(la[domain])}" for domain in Domain if domain in la)
        + "."
    ]
    untested = [domain for domain in Domain if domain not in la]
    if untested:
        reasons.append(f"Geen toetsgegevens voor {_names(untested)}.")

    pro_domains = _meeting(la, PRO_LA)
    lwoo_domains = _meeting(la, LWOO_LA)
    pro_area = _pattern_holds(pro_domains)
    lwoo_area = not pro_area and _pattern_holds(lwoo_domains)

    target, iq_test = TargetGroup.GEEN, False
    if pro_area:
        reasons.append(_pattern_text(pro_domains, "0,50", "PRO-gebied"))
        target, iq_test = _pro_area(iq, reasons)
    elif lwoo_area:
        if pro_domains:
            reasons.append(_pattern_text(pro_domains, "0,50", "PRO-gebied"))
        reasons.append(_pattern_text(lwoo_domains, "0,25", "LWOO-gebied"))
        target = _lwoo_area(iq, social_emotional_problems, reasons)
        if iq is None and pro_domains:
            reasons.append(
                "Een deel van de leerachterstanden ligt in het PRO-gebied en er is geen IQ "
                "bekend: de achterstanden liggen in het grensgebied tussen LWOO en PRO. De "
                "commissie van toelating kan een intelligentieonderzoek laten doen."
            )
            iq_test = True
    else:
        reasons.append(_pattern_text(lwoo_domains, "0,25", "LWOO-gebied"))
        reasons.append("De leerachterstanden passen niet bij de doelgroep LWOO of PRO.")
    return ScreeningResult(
        dl=dl,
        la_per_domain={domain: float(la[domain]) for domain in Domain if domain in la},
        target_group=target,
        reasons=reasons,
        iq_test_suggested=iq_test,
    )


def _pro_area(iq: int | None, reasons: list[str]) -> tuple[TargetGroup, bool]:
    if iq is None:
        reasons.append(
            "Er is geen IQ bekend: zonder IQ valt de doelgroep PRO niet vast te stellen "
            "(grensgebied PRO-VMBO met LWOO). De commissie van toelating kan een "
            "intelligentieonderzoek laten doen."
        )
        return TargetGroup.GRENSGEBIED, True
    if iq < PRO_IQ[0]:
        reasons.append(f"IQ {iq} ligt onder {PRO_IQ[0]}: buiten de criteria voor PRO en LWOO.")
        return TargetGroup.GEEN, False
    if _in(iq, PRO_IQ):
        reasons.append(f"IQ {iq} ligt tussen {PRO_IQ[0]} en {PRO_IQ[1]}: doelgroep PRO.")
        if _in(iq, OVERGANGSGEBIED_IQ):
            reasons.append(_overgangsgebied(iq))
        reasons.append(
            "Ligt er een leerprobleem (zoals dyslexie) aan de achterstanden ten grondslag dat op "
            "een VMBO-school te compenseren is, dan kan het VMBO het onderwijs bieden."
        )
        return TargetGroup.PRO, False
    reasons.append(
        f"IQ {iq} ligt boven {PRO_IQ[1]}: de leerresultaten liggen in het PRO-gebied, het IQ "
        "niet (grensgebied PRO-VMBO met LWOO). De VO-school gaat met de basisschool, de ouders "
        "en het praktijkonderwijs na wat de best passende plek is."
    )
    return TargetGroup.GRENSGEBIED, False


def _lwoo_area(iq: int | None, social_emotional_problems: bool, reasons: list[str]) -> TargetGroup:
    if iq is None:
        reasons.append(
            "Er is geen IQ bekend; het IQ-criterium geldt alleen als er een "
            "intelligentieonderzoek is gedaan: doelgroep LWOO."
        )
        return TargetGroup.LWOO
    if iq < PRO_IQ[0]:
        reasons.append(f"IQ {iq} ligt onder {PRO_IQ[0]}: buiten de criteria voor PRO en LWOO.")
        return TargetGroup.GEEN
    if iq < LWOO_IQ[0]:
        reasons.append(
            f"IQ {iq} ligt onder {LWOO_IQ[0]}, in het PRO-gebied, maar de leerachterstanden "
            "liggen in het LWOO-gebied (grensgebied PRO-VMBO met LWOO). De school van aanmelding "
            "gaat met de basisschool en een VMBO- of PRO-school na wat de best passende plek is."
        )
        return TargetGroup.GRENSGEBIED
    if _in(iq, LWOO_IQ):
        reasons.append(f"IQ {iq} ligt tussen {LWOO_IQ[0]} en {LWOO_IQ[1]}: doelgroep LWOO.")
        if _in(iq, OVERGANGSGEBIED_IQ):
            reasons.append(_overgangsgebied(iq))
        return TargetGroup.LWOO
    if _in(iq, LWOO_SEO_IQ):
        if social_emotional_problems:
            reasons.append(
                f"IQ {iq} ligt tussen {LWOO_SEO_IQ[0]} en {LWOO_SEO_IQ[1]} en er is "
                "leerbelemmerende sociaal-emotionele problematiek: doelgroep LWOO."
            )
            return TargetGroup.LWOO
        reasons.append(
            f"IQ {iq} ligt tussen {LWOO_SEO_IQ[0]} en {LWOO_SEO_IQ[1]}; dan is LWOO alleen "
            "mogelijk bij leerbelemmerende sociaal-emotionele problematiek, en die is niet "
            "aangegeven."
        )
        return TargetGroup.GEEN
    reasons.append(f"IQ {iq} ligt boven {LWOO_SEO_IQ[1]}: buiten de criteria voor LWOO.")
    return TargetGroup.GEEN


def _overgangsgebied(iq: int) -> str:
    return (
        f"IQ {iq} ligt in het overgangsgebied ({OVERGANGSGEBIED_IQ[0]} tot en met "
        f"{OVERGANGSGEBIED_IQ[1]}) tussen LWOO en PRO."
    )
