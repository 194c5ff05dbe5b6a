"""Named rules the plan file refers to: when a step applies, when a trajectory stops.

Each rule reads `Facts`: the accepted answers of one trajectory so far. The plan file names the
rules; the loader refuses a name that is not in `CONDITIONS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from models.tables import Route


@dataclass(frozen=True)
class Facts:
    """Accepted answers of one trajectory, by (step, question key)."""

    answers: Mapping[tuple[int, str], Mapping[str, Any]]

    def value(self, step: int, question: str, name: str) -> Any:
        answer = self.answers.get((step, question))
        return None if answer is None else answer.get(name)

    def answered(self, step: int, question: str) -> bool:
        return (step, question) in self.answers

    @property
    def route(self) -> Route:
        chosen = self.value(14, "evaluatie", "route")
        return Route(chosen) if chosen else Route.ONBEKEND

    @property
    def admission(self) -> str | None:
        """'toegelaten', 'niet toegelaten', or None while no school has decided."""
        decision = self.value(18, "toelating", "besluit") or self.value(21, "toelating", "besluit")
        return str(decision) if decision else None

    @property
    def negative_decision(self) -> bool:
        """A negative CvB advice, a refused TLV or a refused admission."""
        return (
            self.value(17, "onderzoek", "advies") == "negatief"
            or self.value(18, "tlv", "besluit") == "afgewezen"
            or self.admission == "niet toegelaten"
        )

    @property
    def vo_school_name(self) -> str | None:
        """The VO school the trajectory is heading for, the latest known choice first."""
        for step, question, name in (
            (25, "aanbod", "school"),
            (21, "aanmelding", "vo_school"),
            (16, "aanmelding", "school"),
            (8, "voorkeur", "vo_school"),
            (2, "overleg", "vo_school"),
        ):
            chosen = self.value(step, question, name)
            if chosen:
                return str(chosen)
        return None


Condition = Callable[[Facts], bool]

CONDITIONS: dict[str, tuple[str, Condition]] = {
    "vervolgplan_nodig": (
        "alleen als bij stap 14 een tweede deel van het plan van aanpak nodig is",
        lambda f: f.value(14, "evaluatie", "vervolgplan_nodig") is True,
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
        lambda f: f.value(17, "onderzoek", "advies") == "positief",
    ),
    "tlv_toegekend": (
        "alleen als de TLV is toegekend",
        lambda f: f.value(18, "tlv", "besluit") == "toegekend",
    ),
    "nog_niet_aangemeld": (
        "niet als de leerling al bij PRO of VSO is aangemeld (stap 16)",
        lambda f: not f.answered(16, "aanmelding"),
    ),
    "nader_overleg_nodig": (
        "alleen als bij de aanmelding nader overleg nodig is",
        lambda f: f.value(21, "aanmelding", "nader_overleg_nodig") is True,
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
        lambda f: f.negative_decision and not any(f.answered(step, "mpo") for step in (18, 21, 25)),
    ),
    "grensgebied_tlv": (
        "alleen als de VO-school na nader overleg zelf een TLV aanvraagt (grensgebied)",
        lambda f: str(f.value(22, "overleg", "uitkomst") or "").startswith("TLV"),
    ),
    "niet_in_stappenplan": (
        "het traject stopt als de leerling het stappenplan niet volgt",
        lambda f: f.value(5, "vaststelling", "in_stappenplan") == "nee",
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
