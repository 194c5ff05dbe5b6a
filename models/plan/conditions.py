"""Named rules the plan file refers to: when a step applies, when a trajectory stops.

Each rule reads `Facts`: the accepted answers of one trajectory so far, by the purpose of their
question (`models.plan.purposes`), never by step number. The plan file names the rules; the loader
refuses a name that is not in `CONDITIONS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from models.enums import Route
from models.plan.forms import ADMITTED, CHOICE_REGULAR, REFUSED
from models.plan.purposes import ADMISSION_PRO_VSO, ADMISSION_REGULAR, MPO_PURPOSES, Purpose

PRO_VSO = (Route.PRO, Route.VSO)
# Where the route chosen at the evaluation can change later, with a reason, because "formeel
# staat het de ouders vrij om een eigen andere keuze te maken" (chapter 2): at the PRO/VSO
# registration, at the advice steps and at the registration in the aanmeldweek. The change is
# always to a regular VO school (PRO or VSO later on goes through the grensgebied, step
# "nader overleg", or through PrO-Assen's own procedure).
ROUTE_CHANGES: tuple[tuple[str, str, str, object], ...] = (
    (Purpose.PRO_VSO_CHOICE, "keuze", "reden", CHOICE_REGULAR),
    (Purpose.PRELIMINARY_ADVICE, "ouders_kiezen_regulier", "reden_routewijziging", True),
    (Purpose.DEFINITIVE_ADVICE, "ouders_kiezen_regulier", "reden_routewijziging", True),
    (Purpose.REGISTRATION_CHOICE, "keuze", "reden", CHOICE_REGULAR),
)


@dataclass(frozen=True)
class Facts:
    """Accepted, final answers of one trajectory, by the purpose of their question."""

    answers: Mapping[str, Mapping[str, Any]]

    def value(self, purpose: str, name: str) -> Any:
        answer = self.answers.get(purpose)
        return None if answer is None else answer.get(name)

    def answered(self, purpose: str) -> bool:
        return purpose in self.answers

    @property
    def chosen_route(self) -> Route:
        """The route chosen at the evaluation of the plan."""
        chosen = self.value(Purpose.ROUTE_CHOICE, "route")
        return Route(chosen) if chosen else Route.ONBEKEND

    @property
    def route_change(self) -> tuple[str, str] | None:
        """(purpose, reason) of the answer in which the parents chose a regular school after
        all, when the chosen route was PRO or VSO."""
        if self.chosen_route not in PRO_VSO:
            return None
        for purpose, name, reason, value in ROUTE_CHANGES:
            if self.value(purpose, name) == value:
                return purpose, str(self.value(purpose, reason) or "").strip()
        return None

    @property
    def route(self) -> Route:
        """The route now: the chosen one, or regular after the parents' own choice."""
        return Route.REGULIER if self.route_change is not None else self.chosen_route

    @property
    def registered_pro_vso(self) -> bool:
        """Registered at a PRO or VSO school, and staying there."""
        return self.answered(Purpose.REGISTRATION_PRO_VSO) and self.route in PRO_VSO

    @property
    def admission(self) -> str | None:
        """'toegelaten', 'niet toegelaten', or None while the school of the route has not
        decided."""
        way = ADMISSION_PRO_VSO if self.route in PRO_VSO else ADMISSION_REGULAR
        decision = self.value(way.decision, "besluit")
        return str(decision) if decision else None

    @property
    def negative_decision(self) -> bool:
        """A negative CvB advice or a refused TLV (on the PRO/VSO route), or a refused
        admission."""
        pro_vso = self.route in PRO_VSO and (
            self.value(Purpose.CVB_ADVICE, "advies") == "negatief"
            or self.value(Purpose.TLV_DECISION, "besluit") == "afgewezen"
        )
        return pro_vso or self.admission == REFUSED

    @property
    def mpo_held(self) -> bool:
        return any(self.answered(p) for p in MPO_PURPOSES)

    @property
    def vo_school_name(self) -> str | None:
        """The VO school the trajectory is heading for, the latest known choice first."""
        registrations = [(Purpose.REGISTRATION, "vo_school")]
        if self.registered_pro_vso:
            registrations.append((Purpose.REGISTRATION_PRO_VSO, "school"))
        for purpose, name in (
            (Purpose.ALTERNATIVE_OFFER, "school"),
            *registrations,
            (Purpose.SCHOOL_PREFERENCE, "vo_school"),
            (Purpose.VO_CONSULTATION, "vo_school"),
        ):
            chosen = self.value(purpose, name)
            if chosen:
                return str(chosen)
        return None

    @property
    def grensgebied_tlv(self) -> str | None:
        """'PRO' or 'VSO' when a regular school requests a TLV itself after nader overleg."""
        outcome = str(self.value(Purpose.FURTHER_CONSULTATION, "uitkomst") or "")
        if not outcome.startswith("TLV"):
            return None
        return "PRO" if "PRO" in outcome else "VSO"


Condition = Callable[[Facts], bool]

CONDITIONS: dict[str, tuple[str, Condition]] = {
    "vervolgplan_nodig": (
        "alleen als bij de evaluatie een tweede deel van het plan van aanpak nodig is",
        lambda f: f.value(Purpose.ROUTE_CHOICE, "vervolgplan_nodig") is True,
    ),
    "route_pro_vso": (
        "alleen bij de route PRO of VSO",
        lambda f: f.route in PRO_VSO,
    ),
    "aangemeld_pro_vso": (
        "alleen als de leerling bij PRO of VSO is aangemeld en daar blijft",
        lambda f: f.registered_pro_vso,
    ),
    "route_regulier": (
        "alleen bij de reguliere route",
        lambda f: f.route in (Route.REGULIER, Route.ONBEKEND),
    ),
    "cvb_positief": (
        "alleen na een positief advies van de CvB",
        lambda f: f.value(Purpose.CVB_ADVICE, "advies") == "positief",
    ),
    "tlv_toegekend": (
        "alleen als de TLV is toegekend",
        lambda f: f.value(Purpose.TLV_DECISION, "besluit") == "toegekend",
    ),
    "nog_niet_aangemeld": (
        "niet als de leerling al bij PRO of VSO is aangemeld (en daar blijft)",
        lambda f: not f.registered_pro_vso,
    ),
    "besluit_pro_vso_genomen": (
        "alleen als de PRO- of VSO-school over de toelating heeft besloten",
        lambda f: f.value(Purpose.ADMISSION_DECISION_PRO_VSO, "besluit") in (ADMITTED, REFUSED),
    ),
    "besluit_regulier_genomen": (
        "alleen als de VO-school over de toelating heeft besloten",
        lambda f: f.value(Purpose.ADMISSION_DECISION, "besluit") in (ADMITTED, REFUSED),
    ),
    "nader_overleg_nodig": (
        "alleen als bij de aanmelding nader overleg nodig is",
        lambda f: f.value(Purpose.REGISTRATION, "nader_overleg_nodig") is True,
    ),
    "toegelaten": (
        "alleen als de leerling is toegelaten",
        lambda f: f.admission == ADMITTED,
    ),
    "negatief_besluit": (
        "alleen na een negatieve beschikking (TLV) of toelatingsbeslissing",
        lambda f: f.negative_decision,
    ),
    "mpo_nodig": (
        "alleen na een negatief besluit, zolang er nog geen MPO is vastgelegd",
        lambda f: f.negative_decision and not f.mpo_held,
    ),
    "mpo_nodig_regulier": (
        "alleen als de VO-school de leerling niet toelaat, zolang er nog geen MPO is vastgelegd",
        lambda f: f.value(Purpose.ADMISSION_DECISION, "besluit") == REFUSED and not f.mpo_held,
    ),
    "grensgebied_tlv": (
        "alleen als de VO-school na nader overleg zelf een TLV aanvraagt (grensgebied)",
        lambda f: f.grensgebied_tlv is not None,
    ),
    "niet_in_stappenplan": (
        "het traject stopt als de leerling het stappenplan niet volgt",
        lambda f: f.value(Purpose.DEFINITIVE_SELECTION, "in_stappenplan") == "nee",
    ),
}


def holds(name: str | None, facts: Facts) -> bool:
    """Whether the named condition holds; no condition always holds."""
    if name is None:
        return True
    return CONDITIONS[name][1](facts)


def describe(name: str | None) -> str:
    """The Dutch description of a condition, for `overstap plan`."""
    if name is None:
        return "altijd"
    return CONDITIONS[name][0]
