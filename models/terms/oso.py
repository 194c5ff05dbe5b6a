"""The OSO transfer dossier (Bijlage I): what goes in it.

Every dossier holds the onderwijskundig rapport and the Plaatsingswijzer print; for a pupil with
support needs four more documents are added. The PO school has the dossier ready for the VO
school of the parents' choice when the registration form is sent, and at the latest on the OSO
date of the calendar (31 March): `models.terms.deadlines.oso_dossier` gives that term. The form
`oso_dossier` (`models.plan.forms`) asks this checklist until every item is delivered (or, for
the research reports and support plans, marked "niet van toepassing": a pupil may have none).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

TRANSFER_GROEPEN = (7, 8)
DELIVERED = "klaargezet"
ABSENT = "niet van toepassing"
PENDING = "nog niet klaargezet"
# The answers for an item that may be absent: a pupil without research reports or support plans
# has a complete dossier without them ("zoals ...", "en/of": Bijlage I lists them where they exist).
OSO_STATES = (DELIVERED, ABSENT, PENDING)


@dataclass(frozen=True)
class OsoItem:
    """One attachment of the OSO dossier; `support_needs_only` items are for pupils with support
    needs only; an item that `may_be_absent` can be answered "niet van toepassing"."""

    key: str
    label: str
    support_needs_only: bool = False
    may_be_absent: bool = False

    def complete(self, value: Any) -> bool:
        """Whether the answer for this item leaves nothing to deliver."""
        if value is True or value == DELIVERED:
            return True
        return self.may_be_absent and value == ABSENT


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
        may_be_absent=True,
    ),
    OsoItem(
        "handelingsplannen",
        "Handelings- of begeleidingsplannen en/of ontwikkelingsperspectieven (OPP) met de "
        "evaluaties van de laatste twee schooljaren",
        support_needs_only=True,
        may_be_absent=True,
    ),
)


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


def dossier_complete(answer: Mapping[str, Any], transfer_groep: int) -> bool:
    """Whether an answer to the OSO checklist leaves nothing to deliver."""
    return all(item.complete(answer.get(item.key)) for item in checklist(transfer_groep))


def delivered_count(answer: Mapping[str, Any], transfer_groep: int) -> int:
    """How many items of the checklist an answer has delivered or marked not applicable."""
    return sum(1 for item in checklist(transfer_groep) if item.complete(answer.get(item.key)))
