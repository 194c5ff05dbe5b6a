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
from models.plan.purposes import ADMISSIONS, MPO_PURPOSES, Purpose


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
    def route(self) -> Route:
        chosen = self.value(Purpose.ROUTE_CHOICE, "route")
        return Route(chosen) if chosen else Route.ONBEKEND

    @property
    def admission(self) -> str | None:
        """'toegelaten', 'niet toegelaten', or None while no school has decided."""
        for way in ADMISSIONS:
            decision = self.value(way.decision, "besluit")
            if decision:
                return str(decision)
        return None

    @property
    def negative_decision(self) -> bool:
        """A negative CvB advice, a refused TLV or a refused admission."""
        return (
            self.value(Purpose.CVB_ADVICE, "advies") == "negatief"
            or self.value(Purpose.TLV_DECISION, "besluit") == "afgewezen"
            or self.admission == "niet toegelaten"
        )

    @property
    def mpo_held(self) -> bool:
        return any(self.answered(p) for p in MPO_PURPOSES)

    @property
    def vo_school_name(self) -> str | None:
        """The VO school the trajectory is heading for, the latest known choice first."""
        for purpose, name in (
            (Purpose.ALTERNATIVE_OFFER, "school"),
            (Purpose.REGISTRATION, "vo_school"),
            (Purpose.REGISTRATION_PRO_VSO, "school"),
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
        lambda f: f.route in (Route.PRO, Route.VSO),
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
        "niet als de leerling al bij PRO of VSO is aangemeld",
        lambda f: not f.answered(Purpose.REGISTRATION_PRO_VSO),
    ),
    "nader_overleg_nodig": (
        "alleen als bij de aanmelding nader overleg nodig is",
        lambda f: f.value(Purpose.REGISTRATION, "nader_overleg_nodig") is True,
    ),
    "toegelaten": (
        "alleen als de leerling is toegelaten",
        lambda f: f.admission == "toegelaten",
    ),
    "negatief_besluit": (
        "alleen na een negatieve beschikking (TLV) of toelatingsbeslissing",
        lambda f: f.negative_decision,
    ),
    "mpo_nodig": (
        "alleen na een negatief besluit, zolang er nog geen MPO is vastgelegd",
        lambda f: f.negative_decision and not f.mpo_held,
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
