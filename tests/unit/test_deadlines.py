"""Terms of the transition: admission decision, chapter 3 terms, OSO, early registration."""

from __future__ import annotations

from datetime import date

import pytest

from models.settings import reset_settings
from models.terms.deadlines import (
    MPO_PARTICIPANTS,
    Deadline,
    DeadlineKind,
    admission_decision,
    consult_parents_and_po,
    extend_admission_decision,
    mpo,
    oso_dossier,
    position_after_doubt,
    tlv_early_registration,
)

REGISTERED = date(2027, 3, 25)
DOSSIER_COMPLETE = date(2027, 4, 2)


def _decision() -> Deadline:
    deadline = admission_decision(REGISTERED, REGISTERED, DOSSIER_COMPLETE)
    assert deadline is not None
    return deadline


# --- admission decision ---------------------------------------------------------------------------


def test_six_calendar_weeks_from_the_day_the_registration_is_complete() -> None:
    """Form on 25 March, dossier complete on 2 April 2027: six weeks after 2 April is 14 May,
    the meivakantie and the feestdagen in between included."""
    deadline = _decision()
    assert deadline.kind == DeadlineKind.ADMISSION_DECISION
    assert deadline.due == date(2027, 5, 14)
    assert deadline.basis == (
        "6 weken na 2 april 2027 "
        "(aanmelding compleet: aanmeldformulier 25 maart, OSO-dossier ontvangen 2 april)"
    )
    assert not deadline.extended
    assert not deadline.soft


def test_a_dossier_completed_late_moves_the_due_date() -> None:
    """A dossier that was ready before the registration lets the term run from the form
    (25 March + 6 weeks = 6 May); completed on 20 April it runs from then (1 June)."""
    early = admission_decision(REGISTERED, REGISTERED, date(2027, 3, 20))
    late = admission_decision(REGISTERED, REGISTERED, date(2027, 4, 20))
    assert early is not None
    assert late is not None
    assert early.due == date(2027, 5, 6)
    assert late.due == date(2027, 6, 1)
    assert late.basis.startswith("6 weken na 20 april 2027 ")


def test_a_form_completed_later_than_the_registration_starts_the_term() -> None:
    """Registered 25 March with an incomplete form, the complete form on 6 April: the term runs
    from 6 April (18 May), and the basis names the registration date too."""
    deadline = admission_decision(REGISTERED, date(2027, 4, 6), DOSSIER_COMPLETE)
    assert deadline is not None
    assert deadline.due == date(2027, 5, 18)
    assert deadline.basis == (
        "6 weken na 6 april 2027 (aangemeld 25 maart; aanmelding compleet: aanmeldformulier "
        "6 april, OSO-dossier ontvangen 2 april)"
    )


@pytest.mark.parametrize(
    ("form", "dossier"), [(None, DOSSIER_COMPLETE), (REGISTERED, None), (None, None)]
)
def test_no_term_runs_while_form_or_dossier_is_missing(
    form: date | None, dossier: date | None
) -> None:
    """Without the complete form and the complete dossier there is no due date yet: None."""
    assert admission_decision(REGISTERED, form, dossier) is None


def test_a_form_before_the_registration_is_refused() -> None:
    """The form is how parents register; it cannot come in before the registration."""
    with pytest.raises(ValueError, match="kan niet eerder zijn ontvangen dan de aanmelding"):
        admission_decision(REGISTERED, date(2027, 3, 24), DOSSIER_COMPLETE)


def test_one_extension_adds_four_weeks() -> None:
    """Extended on 10 May 2027: 14 May + 4 weeks = 11 June; the reason is part of the basis."""
    deadline = admission_decision(
        REGISTERED,
        REGISTERED,
        DOSSIER_COMPLETE,
        extended_on=date(2027, 5, 10),
        extension_reason="aanvullend onderzoek naar de ondersteuningsbehoefte",
    )
    assert deadline is not None
    assert deadline.due == date(2027, 6, 11)
    assert deadline.extended
    assert deadline.basis.endswith(
        ", verlengd met 4 weken op 10 mei 2027 "
        "(reden: aanvullend onderzoek naar de ondersteuningsbehoefte)"
    )


def test_a_second_extension_is_refused() -> None:
    """The term can be extended once; a second extension raises with a Dutch message."""
    extended = extend_admission_decision(_decision(), on=date(2027, 5, 1), reason="onderzoek")
    with pytest.raises(ValueError, match="al eens verlengd; een tweede verlenging"):
        extend_admission_decision(extended, on=date(2027, 6, 1), reason="nog meer onderzoek")


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_extension_without_reason_is_refused(reason: str) -> None:
    """An extension is recorded with its reason; an empty reason is no reason."""
    with pytest.raises(ValueError, match="Geef een reden"):
        extend_admission_decision(_decision(), on=date(2027, 5, 1), reason=reason)


def test_an_extension_needs_both_date_and_reason() -> None:
    """A date without a reason, or a reason without a date, is refused."""
    with pytest.raises(ValueError, match="zowel een datum als een reden"):
        admission_decision(REGISTERED, REGISTERED, DOSSIER_COMPLETE, extended_on=date(2027, 5, 1))
    with pytest.raises(ValueError, match="zowel een datum als een reden"):
        admission_decision(REGISTERED, REGISTERED, DOSSIER_COMPLETE, extension_reason="onderzoek")


def test_an_extension_is_possible_on_the_last_day_but_not_after() -> None:
    """On 14 May 2027, the due day, the term can still be extended; on 15 May it has run out."""
    assert extend_admission_decision(_decision(), on=date(2027, 5, 14), reason="x").due == date(
        2027, 6, 11
    )
    with pytest.raises(ValueError, match="liep af op 14 mei 2027"):
        extend_admission_decision(_decision(), on=date(2027, 5, 15), reason="x")


def test_an_extension_before_the_term_runs_is_refused() -> None:
    """No term runs while the dossier is missing, or before the registration is complete."""
    with pytest.raises(ValueError, match="nog geen beslistermijn"):
        admission_decision(REGISTERED, REGISTERED, None, date(2027, 4, 1), "onderzoek")
    with pytest.raises(ValueError, match="vóór het begin van de beslistermijn"):
        admission_decision(REGISTERED, REGISTERED, DOSSIER_COMPLETE, date(2027, 4, 1), "x")


def test_only_the_admission_decision_can_be_extended() -> None:
    """A chapter 3 term has no extension."""
    with pytest.raises(ValueError, match="Alleen de termijn voor het besluit over toelating"):
        extend_admission_decision(mpo(date(2027, 5, 20)), on=date(2027, 5, 21), reason="x")


# --- chapter 3: ten working days ------------------------------------------------------------------


def test_consulting_parents_and_po_within_ten_working_days_of_the_preliminary_decision() -> None:
    """Preliminary decision on 20 April 2027, Noord's school holidays skipped: 14 May; the basis
    lists what was skipped."""
    deadline = consult_parents_and_po(date(2027, 4, 20), skip_school_holidays=True, region="Noord")
    assert deadline.kind == DeadlineKind.CONSULT_PARENTS_AND_PO
    assert deadline.due == date(2027, 5, 14)
    assert deadline.basis == (
        "10 werkdagen na het voorlopig besluit van 20 april 2027, zonder weekenden, feestdagen "
        "en schoolvakanties (regio Noord); overgeslagen: meivakantie (26 t/m 30 april), "
        "Koningsdag (27 april), Bevrijdingsdag (5 mei), Hemelvaartsdag (6 mei), "
        "gelijkgestelde dag: vrijdag na Hemelvaartsdag (7 mei)"
    )


def test_mpo_initiative_within_ten_working_days_without_school_holidays() -> None:
    """Not placed on 20 April 2027, school holidays not skipped: 10 May."""
    deadline = mpo(date(2027, 4, 20), skip_school_holidays=False)
    assert deadline.kind == DeadlineKind.MPO
    assert deadline.due == date(2027, 5, 10)
    assert "zonder weekenden en feestdagen;" in deadline.basis
    assert "meivakantie" not in deadline.basis


def test_position_after_doubt_skips_easter() -> None:
    """Conversation on Monday 22 March 2027: Goede Vrijdag (26 March) and Tweede paasdag
    (29 March) are skipped, so the 10th working day is Wednesday 7 April."""
    deadline = position_after_doubt(date(2027, 3, 22), skip_school_holidays=True, region="Noord")
    assert deadline.kind == DeadlineKind.POSITION_AFTER_DOUBT
    assert deadline.due == date(2027, 4, 7)
    assert deadline.basis.endswith(
        "overgeslagen: Goede vrijdag (26 maart), Tweede paasdag (29 maart)"
    )


def test_a_skipped_holiday_across_the_year_end_names_the_year() -> None:
    """Not placed on 20 December 2027: the kerstvakantie runs into 2028, due 17 January 2028."""
    deadline = mpo(date(2027, 12, 20), skip_school_holidays=True, region="Noord")
    assert deadline.due == date(2028, 1, 17)
    assert "kerstvakantie (27 december t/m 7 januari 2028)" in deadline.basis


def test_chapter_3_terms_follow_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without overrides the settings decide whether school holidays count."""
    assert mpo(date(2027, 4, 20)).due == date(2027, 5, 14)
    monkeypatch.setenv("OVERSTAP_WORKDAYS_SKIP_SCHOOL_HOLIDAYS", "false")
    reset_settings()
    assert mpo(date(2027, 4, 20)).due == date(2027, 5, 10)


def test_mpo_participants_follow_chapter_3() -> None:
    """Parents, the VO school of registration, eligible VO schools (incl. VSO), the school of
    origin, and only if wanted an independent expert of the samenwerkingsverband."""
    assert [p.key for p in MPO_PARTICIPANTS] == [
        "ouders",
        "vo_school_aanmelding",
        "vo_scholen_in_aanmerking",
        "school_van_herkomst",
        "deskundige_swv",
    ]
    assert [p.key for p in MPO_PARTICIPANTS if p.optional] == ["deskundige_swv"]
    assert "VSO" in MPO_PARTICIPANTS[2].label


# --- OSO and early registration -------------------------------------------------------------------


def test_oso_dossier_by_the_calendar_date() -> None:
    """The PO school has the dossier ready by the end of the calendar's OSO period."""
    deadline = oso_dossier(date(2027, 3, 31))
    assert deadline.kind == DeadlineKind.OSO_DOSSIER
    assert deadline.due == date(2027, 3, 31)
    assert deadline.basis == "uiterlijk 31 maart 2027 (informatieoverdracht via OSO)"


def test_oso_dossier_ready_when_the_form_is_sent_earlier() -> None:
    """A form sent on 26 March makes the dossier due that day; a form sent after 31 March
    does not move the term past 31 March."""
    assert oso_dossier(date(2027, 3, 31), form_sent_on=date(2027, 3, 26)).due == date(2027, 3, 26)
    assert oso_dossier(date(2027, 3, 31), form_sent_on=date(2027, 4, 3)).due == date(2027, 3, 31)


def test_pro_vso_registration_preferably_before_1_december_of_groep_8() -> None:
    """Cohort 2027 (groep 8 in 2026-2027): on time up to 30 November 2026; a soft term."""
    deadline = tlv_early_registration(2027)
    assert deadline.kind == DeadlineKind.TLV_EARLY_REGISTRATION
    assert deadline.due == date(2026, 11, 30)
    assert deadline.soft
    assert deadline.basis == "bij voorkeur aangemeld vóór 1 december 2026 (groep 8)"


def test_every_kind_has_a_dutch_label() -> None:
    """Emails name the term by its label."""
    assert DeadlineKind.MPO.label == "initiatief tot een meer-partijen-overleg (MPO)"
    assert all(kind.label for kind in DeadlineKind)
