"""The rules of issue 11, each against a frozen clock: the screening on the date of the test, the
OSO dossier with items that do not apply, the MPO term met by the invitation, the doorstroomtoets
and the advice, the placement level, the admission term of PRO and VSO. `docs/agreements.md`
quotes the sentence of the agreements each rule comes from."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from freezegun import freeze_time
from typer.testing import CliRunner

from deployments.cli import app
from models.cases.casework import screen
from models.enums import SchoolKind
from models.plan.forms import (
    NOT_REVISED,
    REVISED,
    FormContext,
    FormError,
    is_interim,
    parse_answer,
)
from models.store import clock
from models.terms.deadlines import DeadlineKind, admission_decision, mpo, mpo_initiative_on_time
from models.terms.deadlines import oso_expiry as oso_expiry_term
from models.terms.oso import dossier_complete
from models.terms.screening import TargetGroup, didactic_age, pupil_groep

COHORT = 2027  # in groep 7 in 2025-2026, groep 8 in 2026-2027
BY = {"beantwoord_door": "I. Mulder, intern begeleider"}


def _ctx(**extra: Any) -> FormContext:
    """What `models.cases.view.form_context` gives a pupil of COHORT, on the frozen day."""
    values: dict[str, Any] = {
        "today": clock.today(),
        "route": "regulier",
        "cohort": COHORT,
        "transfer_groep": 8,
        "school_choices": {SchoolKind.VO: ["Terra Assen"]},
    }
    return FormContext(**(values | extra))


def _errors(form: str, raw: dict[str, Any], ctx: FormContext) -> list[str]:
    with pytest.raises(FormError) as info:
        parse_answer(form, BY | raw, ctx)
    return info.value.errors


# --- the screening on the date of the test (Bijlage II) -------------------------------------------


def _screening(toetsdatum: str, **dle: int) -> dict[str, Any]:
    fields = {
        "dle_begrijpend_lezen": 0,
        "dle_technisch_lezen": 0,
        "dle_spellen": 0,
        "dle_rekenen": 0,
        "dl_afwijkend": 0,
        "reden_dl": "",
        "iq": 0,
        "sociaal_emotioneel": False,
    }
    return {"toetsdatum": toetsdatum, **fields, **dle}


def test_the_dl_table_gives_50_in_june_groep_7_and_53_in_november_groep_8() -> None:
    """The numbers the next test relies on, from models/terms/data/didactische-leeftijd.toml:
    June of groep 7 is DL 50, November of groep 8 is DL 53; a pupil of cohort 2027 is in groep 7
    in June 2026 and in groep 8 in November 2026."""
    assert (didactic_age(7, 6), didactic_age(8, 11)) == (50, 53)
    assert pupil_groep(COHORT, 8, date(2026, 6, 10)) == 7
    assert pupil_groep(COHORT, 8, date(2026, 11, 16)) == 8


@freeze_time("2026-11-16 10:00:00")
@pytest.mark.parametrize(
    ("dle", "iq", "at_test", "at_filling_in"),
    [
        # LA (50-26)/50 = 0,48: LWOO area; (53-26)/53 = 0,509: PRO area. IQ 78 fits both groups.
        (26, 78, TargetGroup.LWOO, TargetGroup.PRO),
        # LA (50-38)/50 = 0,24: no area; (53-38)/53 = 0,283: LWOO area (no IQ known: LWOO).
        (38, 0, TargetGroup.GEEN, TargetGroup.LWOO),
    ],
)
def test_a_june_groep_7_test_entered_in_november_groep_8_is_screened_at_dl_50(
    dle: int, iq: int, at_test: TargetGroup, at_filling_in: TargetGroup
) -> None:
    """The DL is that of the day of the test (10 June 2026, groep 7: DL 50), not of the day the
    form is filled in (16 November 2026, groep 8: DL 53), which would give another group."""
    ctx = _ctx()
    raw = _screening("2026-06-10", dle_begrijpend_lezen=dle, dle_rekenen=dle, iq=iq)
    values = parse_answer("screening", BY | raw, ctx)
    found = screen(values, cohort=COHORT, transfer_groep=8, answered_on=clock.today())
    assert (found.tested_on, found.dl, found.dl_overridden) == (date(2026, 6, 10), 50, False)
    assert found.result.target_group == at_test
    filled_in = screen(
        values | {"toetsdatum": None}, cohort=COHORT, transfer_groep=8, answered_on=clock.today()
    )
    assert (filled_in.dl, filled_in.result.target_group) == (53, at_filling_in)


@freeze_time("2026-11-16 10:00:00")
def test_a_pupil_who_repeated_a_year_gets_the_dl_the_school_gives_with_a_reason() -> None:
    """DL 60 instead of the table's 50 (a repeated groep): LA (60-26)/60 = 0,57, the PRO area;
    without a reason the override is refused."""
    raw = _screening("2026-06-10", dle_begrijpend_lezen=26, dle_rekenen=26, dl_afwijkend=60)
    assert _errors("screening", raw, _ctx()) == [
        "Geef de reden van de afwijkende DL (een overgedane of overgeslagen groep)."
    ]
    values = parse_answer("screening", BY | raw | {"reden_dl": "groep 4 overgedaan"}, _ctx())
    found = screen(values, cohort=COHORT, transfer_groep=8, answered_on=clock.today())
    assert (found.dl, found.dl_overridden) == (60, True)
    assert found.result.target_group == TargetGroup.GRENSGEBIED  # PRO area, no IQ known
    assert found.result.iq_test_suggested


@freeze_time("2026-11-16 10:00:00")
@pytest.mark.parametrize(
    ("tested", "ok"),
    [
        ({"dle_begrijpend_lezen": 30}, False),  # one domain
        ({"dle_technisch_lezen": 30, "dle_spellen": 30}, False),  # neither key domain
        ({"dle_begrijpend_lezen": 30, "dle_spellen": 30}, True),
        ({"dle_rekenen": 30, "dle_technisch_lezen": 30}, True),
    ],
)
def test_at_least_two_tested_domains_with_begrijpend_lezen_or_rekenen(
    tested: dict[str, int], ok: bool
) -> None:
    """A DLE of 0 marks a domain as not tested; Bijlage II needs two of the four domains, one of
    them begrijpend lezen or inzichtelijk rekenen."""
    raw = _screening("2026-10-01", **tested)
    if ok:
        values = parse_answer("screening", BY | raw, _ctx())
        found = screen(values, cohort=COHORT, transfer_groep=8, answered_on=clock.today())
        assert len(found.result.la_per_domain) == 2
        assert "Geen toetsgegevens voor" in found.result.reasons[1]
    else:
        assert _errors("screening", raw, _ctx())[0].startswith(
            "Bijlage II kijkt naar twee van de vier domeinen"
        )


@freeze_time("2027-09-10 10:00:00")
def test_a_test_date_outside_the_pupils_primary_school_years_is_refused() -> None:
    """In the brugklas, a test of 20 August 2027 is not one of primary school (groep 3 to 8); a
    date in the future and one more than three years back are refused too."""
    after_po = _screening("2027-08-20", dle_begrijpend_lezen=30, dle_rekenen=30)
    assert _errors("screening", after_po, _ctx())[0].startswith(
        "De toetsdatum (20-08-2027) valt niet in groep 3 tot en met 8 van deze leerling"
    )
    future = _screening("2027-09-11", dle_begrijpend_lezen=30, dle_rekenen=30)
    assert "ligt in de toekomst" in _errors("screening", future, _ctx())[0]
    old = _screening("2024-09-01", dle_begrijpend_lezen=30, dle_rekenen=30)
    assert _errors("screening", old, _ctx()) == ["'toetsdatum' ligt meer dan drie jaar terug."]


@freeze_time("2026-11-16 10:00:00")
def test_an_iq_test_is_suggested_in_the_border_area_between_lwoo_and_pro() -> None:
    """Without an IQ: LA 0,60 on begrijpend lezen and 0,30 on spellen lies between LWOO and PRO
    (an IQ test is suggested); 0,30 and 0,30 lies in the LWOO area only (no suggestion)."""
    border = _screening("2026-11-02", dle_begrijpend_lezen=21, dle_spellen=37)  # DL 53
    lwoo = _screening("2026-11-02", dle_begrijpend_lezen=37, dle_spellen=37)
    found = [
        screen(
            parse_answer("screening", BY | raw, _ctx()),
            cohort=COHORT,
            transfer_groep=8,
            answered_on=clock.today(),
        ).result
        for raw in (border, lwoo)
    ]
    assert [(r.target_group, r.iq_test_suggested) for r in found] == [
        (TargetGroup.LWOO, True),
        (TargetGroup.LWOO, False),
    ]
    assert "grensgebied tussen LWOO en PRO" in found[0].reasons[-1]


# --- the OSO dossier (Bijlage I) ------------------------------------------------------------------


def _dossier(**items: Any) -> dict[str, Any]:
    values = {
        "onderwijskundig_rapport": True,
        "plaatsingswijzer": True,
        "ondersteuningsbehoefte_ouders": True,
        "ondersteuningsbehoefte_school": True,
        "onderzoeksverslagen": "klaargezet",
        "handelingsplannen": "klaargezet",
        "klaargezet_op": "2027-03-26",
    }
    return values | items


@freeze_time("2027-03-26 14:00:00")
def test_a_dossier_without_research_reports_or_support_plans_is_complete() -> None:
    """Items e and f "niet van toepassing": complete (a final answer); "nog niet klaargezet":
    incomplete (an interim answer, asked again)."""
    ctx = _ctx()
    absent = parse_answer(
        "oso_dossier",
        BY
        | _dossier(
            onderzoeksverslagen="niet van toepassing", handelingsplannen="niet van toepassing"
        ),
        ctx,
    )
    assert dossier_complete(absent, 8)
    assert not is_interim("oso_dossier", absent, ctx)
    pending = parse_answer(
        "oso_dossier", BY | _dossier(handelingsplannen="nog niet klaargezet"), ctx
    )
    assert not dossier_complete(pending, 8)
    assert is_interim("oso_dossier", pending, ctx)


@freeze_time("2027-03-26 14:00:00")
def test_only_items_e_and_f_may_be_not_applicable() -> None:
    """The onderwijskundig rapport is a switch (delivered or not): 'niet van toepassing' is not
    one of its answers, and a missing rapport leaves the dossier incomplete."""
    errors = _errors("oso_dossier", _dossier(onderwijskundig_rapport="niet van toepassing"), _ctx())
    assert errors == [
        "'Onderwijskundig rapport met LA (leerachterstand) en up-to-date "
        "toetsgegevens uit het leerlingvolgsysteem van groep 6 t/m 8': vul ja of nee in."
    ]
    values = parse_answer("oso_dossier", BY | _dossier(onderwijskundig_rapport=False), _ctx())
    assert is_interim("oso_dossier", values, _ctx())


def test_an_unfetched_dossier_expires_after_the_set_number_of_days() -> None:
    """Ready on 26 March 2027 with a validity of 90 days (the default setting): fetch by
    24 June 2027."""
    term = oso_expiry_term(date(2027, 3, 26), 90)
    assert (term.kind, term.due) == (DeadlineKind.OSO_EXPIRY, date(2027, 6, 24))
    assert "verloopt na 90 dagen" in term.basis
    with pytest.raises(ValueError, match="minstens één dag"):
        oso_expiry_term(date(2027, 3, 26), 0)


# --- the MPO: the initiative meets the term (chapter 3) -------------------------------------------


def _mpo(**fields: Any) -> dict[str, Any]:
    values = {
        "uitnodiging_op": "2027-03-04",
        "gehouden": False,
        "gehouden_op": "2027-03-18",
        "ouders": False,
        "vo_school_aanmelding": False,
        "vo_scholen_in_aanmerking": False,
        "school_van_herkomst": False,
        "deskundige_swv": False,
        "uitkomst": "",
    }
    return values | fields


@freeze_time("2027-03-04 16:00:00")
def test_the_mpo_term_is_met_by_the_invitation_and_the_meeting_is_recorded_later() -> None:
    """Refused on Friday 12 February 2027: ten working days (voorjaarsvakantie Noord skipped)
    end on 5 March. An invitation sent on 4 March meets the term although the MPO is planned for
    18 March; that answer is interim (the question comes back for the meeting)."""
    term = mpo(date(2027, 2, 12))
    assert term.due == date(2027, 3, 5)
    assert mpo_initiative_on_time(term, date(2027, 3, 4))
    assert not mpo_initiative_on_time(term, date(2027, 3, 8))
    invited = parse_answer("mpo", BY | _mpo(), _ctx())
    assert invited["gehouden_op"] == date(2027, 3, 18)  # a planned day may lie ahead
    assert is_interim("mpo", invited, _ctx())


@freeze_time("2027-03-18 16:00:00")
def test_a_held_mpo_needs_its_date_participants_and_outcome() -> None:
    """Recorded as held: not in the future, not before the invitation, everyone of chapter 3
    there, an outcome; then the answer is final."""
    errors = _errors("mpo", _mpo(gehouden=True, gehouden_op="2027-03-19"), _ctx())
    assert errors[0].startswith("De datum van het MPO (19-03-2027) ligt in de toekomst")
    assert "Vul de uitkomst en de afspraken van het MPO in." in errors
    assert any(e.startswith("Bij een MPO zijn in ieder geval betrokken") for e in errors)
    before = _errors("mpo", _mpo(gehouden_op="2027-03-01"), _ctx())
    assert before == ["De datum van het MPO ligt vóór de datum van de uitnodiging."]
    everyone = {
        "ouders": True,
        "vo_school_aanmelding": True,
        "vo_scholen_in_aanmerking": True,
        "school_van_herkomst": True,
    }
    held = parse_answer(
        "mpo", BY | _mpo(gehouden=True, uitkomst="Aanbod: Terra Assen.", **everyone), _ctx()
    )
    assert not is_interim("mpo", held, _ctx())


@freeze_time("2027-03-04 16:00:00")
def test_an_invitation_in_the_future_is_refused() -> None:
    """The initiative is recorded once taken: 5 March is tomorrow."""
    errors = _errors("mpo", _mpo(uitnodiging_op="2027-03-05", gehouden_op="2027-03-18"), _ctx())
    assert errors == [
        "'uitnodiging op' ligt in de toekomst (05-03-2027); vul de datum in waarop het gebeurd is."
    ]


# --- the doorstroomtoets and the definitive advice (chapter 1) ------------------------------------


def _advice(**fields: Any) -> dict[str, Any]:
    values = {
        "toetsuitslag": "havo",
        "uitslag_op": "2027-03-15",
        "advies": "vmbo-gt",
        "bijstelling": "geen bijstelling: de toetsuitslag is niet hoger",
        "reden_bijstelling": "",
        "toelichting": "",
    }
    return values | fields


ADVICE_CTX: dict[str, Any] = {
    "preliminary_advice": "vmbo-gt",
    "test_period": (date(2027, 1, 27), date(2027, 2, 16)),
}


@freeze_time("2027-03-20 11:00:00")
def test_a_better_test_result_revises_the_advice_upward_unless_not_in_the_pupils_interest() -> None:
    """Voorlopig vmbo-gt, doorstroomtoets havo: the advice goes up (vmbo-gt/havo or havo), or
    stays with the reason that revising is not in the pupil's interest."""
    ctx = _ctx(**ADVICE_CTX)
    assert _errors("definitief_schooladvies", _advice(), ctx) == [
        "De doorstroomtoets (havo) is beter gemaakt dan het voorlopige advies (vmbo-gt): stel "
        f"het advies naar boven bij, of kies '{NOT_REVISED}' en geef de reden."
    ]
    revised = parse_answer(
        "definitief_schooladvies", BY | _advice(advies="havo", bijstelling=REVISED), ctx
    )
    assert revised["advies"] == "havo"
    assert _errors("definitief_schooladvies", _advice(bijstelling=NOT_REVISED), ctx) == [
        "Geef de reden waarom bijstellen van het advies niet in het belang van de leerling is."
    ]
    kept = _advice(bijstelling=NOT_REVISED, reden_bijstelling="Veel begeleiding nodig.")
    assert parse_answer("definitief_schooladvies", BY | kept, ctx)["advies"] == "vmbo-gt"


@freeze_time("2027-03-20 11:00:00")
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"advies": "vmbo-kb"}, "is lager dan het voorlopige advies (vmbo-gt)"),
        ({"advies": "havo"}, f"kies '{REVISED}'"),
        (
            {"toetsuitslag": "vmbo-gt", "bijstelling": NOT_REVISED, "reden_bijstelling": "x"},
            "geldt alleen als de toetsuitslag hoger is",
        ),
        ({"uitslag_op": "2027-01-10"}, "ligt vóór de doorstroomtoets (vanaf 27-01-2027)"),
    ],
)
def test_the_definitive_advice_follows_the_agreements(fields: dict[str, Any], message: str) -> None:
    """Never below the voorlopige advies; a higher advice is a revision; 'not in the interest'
    only after a better test; a result cannot come before the test period of the calendar."""
    errors = _errors("definitief_schooladvies", _advice(**fields), _ctx(**ADVICE_CTX))
    assert any(message in e for e in errors), errors


# --- the placement: the advice is leading (chapter 1 and 3) ---------------------------------------


@freeze_time("2027-04-20 11:00:00")
def test_a_placement_below_the_advice_needs_a_reason() -> None:
    """Advice havo: placed at havo is fine; at vmbo-gt only with a reason; admitted without a
    level is refused."""
    ctx = _ctx(advice="havo")
    decision = {"besluit": "toegelaten", "datum": "2027-04-20", "reden": ""}
    assert parse_answer("toelatingsbesluit", BY | decision | {"plaatsing": "havo"}, ctx)
    assert _errors("toelatingsbesluit", decision | {"plaatsing": "vmbo-gt"}, ctx) == [
        "De plaatsing (vmbo-gt) ligt onder het schooladvies (havo); het advies van de basisschool "
        "is leidend voor het minimale niveau: geef de reden."
    ]
    assert parse_answer(
        "toelatingsbesluit",
        BY | decision | {"plaatsing": "vmbo-gt", "reden": "Ouders en school samen gekozen."},
        ctx,
    )
    assert _errors("toelatingsbesluit", decision | {"plaatsing": "n.v.t."}, ctx) == [
        "Kies bij 'toegelaten' het niveau waarop de leerling wordt geplaatst."
    ]


# --- the admission term of PRO and VSO (chapter 1, footnote 1) ------------------------------------


def test_the_pro_vso_term_runs_from_the_complete_registration_and_names_the_pending_tlv() -> None:
    """Registered at PrO Assen on 1 December 2026, the dossier received on 2 December: due six
    weeks later, 13 January 2027, whatever the TLV; the pending TLV is named as the reason."""
    term = admission_decision(
        date(2026, 12, 1),
        date(2026, 12, 1),
        date(2026, 12, 2),
        waiting_for="de TLV: aangevraagd bij de CvA op 15 december 2026, nog geen besluit",
    )
    assert term is not None
    assert term.due == date(2027, 1, 13)
    assert term.basis == (
        "6 weken na 2 december 2026 (aanmelding compleet: aanmeldformulier 1 december, "
        "OSO-dossier ontvangen 2 december); wacht nog op: de TLV: aangevraagd bij de CvA op "
        "15 december 2026, nog geen besluit"
    )


# --- `overstap plan --json` shows the new questions; the derived calendars are marked ----------


def test_overstap_plan_json_lists_the_new_questions_and_marks_derived_calendars() -> None:
    """The questions issue 11 added, with their forms and tracks, and the calendars' status."""
    result = CliRunner().invoke(app, ["plan", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    questions = {
        q["purpose"]: (step["number"], q["key"], q["form"], q["track"])
        for step in document["steps"]
        for q in step["questions"]
    }
    assert questions["pro_vso_choice"] == (16, "keuze", "keuze_ouders", "hoofd")
    assert questions["oso_received_pro_vso"] == (
        16,
        "oso_ontvangst",
        "oso_ontvangst",
        "toelating_pro_vso",
    )
    assert questions["decision_letter_pro_vso"] == (18, "brief", "besluit_verzonden", "tlv")
    assert questions["definitive_advice"] == (20, "advies", "definitief_schooladvies", "hoofd")
    assert questions["registration_choice"] == (21, "keuze", "keuze_ouders", "hoofd")
    assert questions["oso_received"] == (21, "oso_ontvangst", "oso_ontvangst", "toelating")
    assert questions["decision_letter"] == (21, "brief", "besluit_verzonden", "toelating")
    assert {c["school_year"]: c["status"] for c in document["calendars"]} == {
        "2025-2026": "vastgesteld",
        "2026-2027": "afgeleid",
        "2027-2028": "afgeleid",
    }
    text = CliRunner().invoke(app, ["plan"]).stdout
    assert "Kalender 2026-2027 (AFGELEID: nog niet vastgesteld)" in text
    assert "Kalender 2025-2026\n" in text
