"""Who takes part in a meer-partijen-overleg (MPO), chapter 3 of the agreements."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MpoParticipant:
    """Who takes part in a meer-partijen-overleg (chapter 3)."""

    key: str
    label: str
    optional: bool = False


MPO_PARTICIPANTS: tuple[MpoParticipant, ...] = (
    MpoParticipant("ouders", "de ouders"),
    MpoParticipant("vo_school_aanmelding", "de VO-school waar de leerling is aangemeld"),
    MpoParticipant(
        "vo_scholen_in_aanmerking",
        "de VO-scholen (inclusief eventueel VSO) waar de leerling volgens de school van "
        "aanmelding voor in aanmerking komt",
    ),
    MpoParticipant("school_van_herkomst", "de school van herkomst"),
    MpoParticipant(
        "deskundige_swv",
        "indien gewenst, een onafhankelijke deskundige van het samenwerkingsverband VO",
        optional=True,
    ),
)
