"""The OSO dossier (Bijlage I): its checklist, completeness, and the expiry of a version."""

from __future__ import annotations

from datetime import date

import pytest
from freezegun import freeze_time

from models.oso import (
    ITEM_KEYS,
    checklist,
    completed_on,
    fetch_deadline,
    is_complete,
    is_expired,
    missing,
)

SUPPORT_KEYS = [
    "ondersteuningsbehoefte_ouders",
    "ondersteuningsbehoefte_school",
    "onderzoeksverslagen",
    "handelingsplannen",
]


def test_checklist_with_support_needs_has_the_six_attachments_of_bijlage_i() -> None:
    """a. onderwijskundig rapport, b. Plaatsingswijzer, c-f. the four support documents."""
    items = checklist(8)
    assert [item.key for item in items] == [
        "onderwijskundig_rapport",
        "plaatsingswijzer",
        *SUPPORT_KEYS,
    ]
    assert [item.key for item in items if item.support_needs_only] == SUPPORT_KEYS
    assert items[1].label == "Uitdraai Plaatsingswijzer"
    assert "met toestemming van de ouders" in items[4].label
    assert "laatste twee schooljaren" in items[5].label


def test_checklist_without_support_needs_has_only_the_report_and_the_plaatsingswijzer() -> None:
    """Every pupil: the onderwijskundig rapport and the Plaatsingswijzer print."""
    assert [item.key for item in checklist(8, support_needs=False)] == [
        "onderwijskundig_rapport",
        "plaatsingswijzer",
    ]


@pytest.mark.parametrize(("groep", "years"), [(8, "groep 6 t/m 8"), (7, "groep 5 t/m 7")])
def test_the_report_covers_the_last_three_groepen(groep: int, years: str) -> None:
    """From groep 8: test results of groep 6 t/m 8; from groep 7 (the exception): 5 t/m 7."""
    label = checklist(groep)[0].label
    assert label.startswith("Onderwijskundig rapport met LA (leerachterstand)")
    assert label.endswith(years)


@pytest.mark.parametrize("groep", [6, 9])
def test_a_transfer_from_another_groep_is_refused(groep: int) -> None:
    """Pupils transfer from groep 8, or by exception from groep 7."""
    with pytest.raises(ValueError, match="vanuit groep 8, of bij uitzondering vanuit groep 7"):
        checklist(groep)


def test_missing_lists_what_is_not_delivered_in_checklist_order() -> None:
    """With the report and the parents' form in, four items are still missing."""
    items = checklist(8)
    left = missing(items, {"ondersteuningsbehoefte_ouders", "onderwijskundig_rapport"})
    assert [item.key for item in left] == [
        "plaatsingswijzer",
        "ondersteuningsbehoefte_school",
        "onderzoeksverslagen",
        "handelingsplannen",
    ]
    assert not is_complete(items, {"ondersteuningsbehoefte_ouders", "onderwijskundig_rapport"})
    assert is_complete(items, ITEM_KEYS)


def test_an_extra_known_item_is_ignored_and_an_unknown_key_refused() -> None:
    """A support document sent for a pupil without support needs does no harm; a typo does."""
    items = checklist(8, support_needs=False)
    assert is_complete(
        items, ["onderwijskundig_rapport", "plaatsingswijzer", "onderzoeksverslagen"]
    )
    with pytest.raises(ValueError, match="Onbekend onderdeel van het OSO-dossier: plaatsingwijzer"):
        missing(items, ["onderwijskundig_rapport", "plaatsingwijzer"])


def test_completed_on_is_the_last_delivery_of_a_complete_dossier() -> None:
    """The dossier is complete on the day its last item came in; incomplete, it has no date."""
    items = checklist(8, support_needs=False)
    delivered = {"onderwijskundig_rapport": date(2027, 3, 28), "plaatsingswijzer": date(2027, 4, 2)}
    assert completed_on(items, delivered) == date(2027, 4, 2)
    assert completed_on(items, {"onderwijskundig_rapport": date(2027, 3, 28)}) is None


def test_the_vo_school_fetches_a_version_before_it_expires() -> None:
    """Made ready on 25 March and available 7 days (25 March being the first): fetch by 31 March."""
    assert fetch_deadline(date(2027, 3, 25), valid_days=7) == date(2027, 3, 31)
    assert not is_expired(date(2027, 3, 25), valid_days=7, today=date(2027, 3, 31))
    assert is_expired(date(2027, 3, 25), valid_days=7, today=date(2027, 4, 1))


@freeze_time("2027-04-01 08:00:00")
def test_expiry_reads_the_one_clock() -> None:
    """Without an explicit today, the clock's today (1 April 2027) decides."""
    assert is_expired(date(2027, 3, 25), valid_days=7)
    assert not is_expired(date(2027, 3, 25), valid_days=8)


def test_a_version_is_available_at_least_one_day() -> None:
    """An expiry window of 0 days is a configuration error."""
    with pytest.raises(ValueError, match="minstens 1 dag beschikbaar"):
        fetch_deadline(date(2027, 3, 25), valid_days=0)
