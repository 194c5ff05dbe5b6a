"""The OSO transfer dossier (Bijlage I): what goes in it, when it is complete, when it expires.

Every dossier holds the onderwijskundig rapport and the Plaatsingswijzer print; for a pupil with
support needs four more documents are added. The PO school has the dossier ready for the VO
school of the parents' choice when the registration form is sent, and at the latest on the OSO
date of the calendar (31 March): `models.deadlines.oso_dossier` gives that term, and
`completed_on` the day a dossier became complete, which also starts the term of the admission
decision (`models.deadlines.admission_decision`).

The VO school requests the dossier from OSO. A version that is not fetched in time expires, and
the PO school must make the dossier ready again. How long a version stays available is set by
OSO and the school's administration system, not by the agreements, so it is a parameter
(`valid_days`) here and not a number this module assumes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from models.clock import today as clock_today

TRANSFER_GROEPEN = (7, 8)


@dataclass(frozen=True)
class OsoItem:
    """One attachment of the OSO dossier; `support_needs_only` items are for pupils with support
    needs only."""

    key: str
    label: str
    support_needs_only: bool = False


def _onderwijskundig_rapport(transfer_groep: int) -> OsoItem:
    return OsoItem(
        "onderwijskundig_rapport",
        "Onderwijskundig rapport met LA (leerachterstand) en up-to-date toetsgegevens uit het "
        f"leerlingvolgsysteem van groep {transfer_groep - 2} t/m {transfer_groep}",
    )


_OTHER_ITEMS: tuple[OsoItem, ...] = (
    OsoItem("plaatsingswijzer", "Uitdraai Plaatsingswijzer"),
    OsoItem(
        "ondersteuningsbehoefte_ouders",
        "Formulier ondersteuningsbehoefte voor ouders",
        support_needs_only=True,
    ),
    OsoItem(
        "ondersteuningsbehoefte_school",
        "Formulier ondersteuningsbehoefte voor school",
        support_needs_only=True,
    ),
    OsoItem(
        "onderzoeksverslagen",
        "Onderzoeksverslagen en verklaringen, zoals intelligentie, dyslexie, dyscalculie, "
        "gedragsproblemen en -stoornissen (met toestemming van de ouders)",
        support_needs_only=True,
    ),
    OsoItem(
        "handelingsplannen",
        "Handelings- of begeleidingsplannen en/of ontwikkelingsperspectieven (OPP) met de "
        "evaluaties van de laatste twee schooljaren",
        support_needs_only=True,
    ),
)

ITEM_KEYS = frozenset({"onderwijskundig_rapport"} | {item.key for item in _OTHER_ITEMS})


def checklist(transfer_groep: int, support_needs: bool = True) -> list[OsoItem]:
    """The attachments the dossier needs, in the order of Bijlage I. A pupil who transfers from
    groep 7 (the exception) sends the test results of groep 5 t/m 7 instead of 6 t/m 8."""
    if transfer_groep not in TRANSFER_GROEPEN:
        raise ValueError(
            "Een leerling stapt over vanuit groep 8, of bij uitzondering vanuit groep 7 "
            f"(gekregen: groep {transfer_groep})."
        )
    items = [_onderwijskundig_rapport(transfer_groep), *_OTHER_ITEMS]
    return [item for item in items if support_needs or not item.support_needs_only]


def _known(keys: Iterable[str]) -> set[str]:
    keys = set(keys)
    unknown = keys - ITEM_KEYS
    if unknown:
        raise ValueError(
            f"Onbekend onderdeel van het OSO-dossier: {', '.join(sorted(unknown))} "
            f"(bekend: {', '.join(sorted(ITEM_KEYS))})."
        )
    return keys


def missing(items: Sequence[OsoItem], delivered_keys: Iterable[str]) -> list[OsoItem]:
    """The items of the checklist not delivered yet, in checklist order. A delivered key that is
    not on this checklist is ignored; a key no checklist knows is refused."""
    delivered = _known(delivered_keys)
    return [item for item in items if item.key not in delivered]


def is_complete(items: Sequence[OsoItem], delivered_keys: Iterable[str]) -> bool:
    """Whether every item of the checklist has been delivered."""
    return not missing(items, delivered_keys)


def completed_on(items: Sequence[OsoItem], delivered: Mapping[str, date]) -> date | None:
    """The day the dossier became complete (the last item's delivery), or None while it is not."""
    if missing(items, delivered):
        return None
    return max((delivered[item.key] for item in items), default=None)


def fetch_deadline(ready_on: date, *, valid_days: int) -> date:
    """The last day the VO school can fetch a version made ready on `ready_on` that stays
    available `valid_days` days (the day it was made ready is the first of them)."""
    if valid_days < 1:
        raise ValueError(
            "Een versie van het OSO-dossier is minstens 1 dag beschikbaar "
            f"(gekregen: {valid_days})."
        )
    return ready_on + timedelta(days=valid_days - 1)


def is_expired(ready_on: date, *, valid_days: int, today: date | None = None) -> bool:
    """Whether a version made ready on `ready_on` can no longer be fetched: when the VO school has
    not fetched it yet, the PO school must make the dossier ready again. `today` defaults to the
    clock's today."""
    last_day = fetch_deadline(ready_on, valid_days=valid_days)
    return (clock_today() if today is None else today) > last_day
