"""The OSO dossier (Bijlage I): its checklist."""

from __future__ import annotations

import pytest

from models.terms.oso import checklist

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
