"""Forms: Dutch errors for bad answers, the Prefect form schema, and stable pause keys."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from prefect._internal.pydantic.v2_schema import create_v2_schema
from prefect.types.names import raise_on_name_alphanumeric_dashes_only

from flows.forms import run_input_form
from models.cases.view import parse_pause_key, pause_key
from models.enums import SchoolKind
from models.plan.forms import (
    FORM_TITLES,
    FORMS,
    OUTSIDE_REGION,
    FormContext,
    FormError,
    allowed_values,
    form_title,
    parse_answer,
)
from models.plan.library import get_plan
from tasks.prefect_internals import UNCHECKED_KEYWORDS

CTX = FormContext(
    today=date(2027, 3, 28),
    route="vso",
    school_choices={
        SchoolKind.VO: ["Terra Assen", "Dr. Nassau College Penta"],
        SchoolKind.PRO: ["PrO Assen"],
        SchoolKind.VSO: ["VSO De Atlas"],
    },
)


def _errors(form: str, raw: dict[str, Any], ctx: FormContext = CTX) -> list[str]:
    with pytest.raises(FormError) as info:
        parse_answer(form, raw, ctx)
    return info.value.errors


def test_a_valid_answer_comes_back_typed() -> None:
    values = parse_answer(
        "aanmelding_vo",
        {
            "beantwoord_door": "F. Smit, intaker",
            "vo_school": "Terra Assen",
            "aangemeld_op": "2027-03-26",
            "formulier_volledig_op": "2027-03-27",
            "nader_overleg_nodig": True,
        },
        CTX,
    )
    assert values == {
        "beantwoord_door": "F. Smit, intaker",
        "vo_school": "Terra Assen",
        "aangemeld_op": date(2027, 3, 26),
        "formulier_volledig_op": date(2027, 3, 27),
        "nader_overleg_nodig": True,
    }


@pytest.mark.parametrize(
    ("form", "raw", "expected"),
    [
        ("bevestiging", {"uitgevoerd_op": "2027-03-01"}, "'Ingevuld door' ontbreekt."),
        (
            "bevestiging",
            {"beantwoord_door": "x", "uitgevoerd_op": "2027-03-01"},
            "Vul bij 'Ingevuld door' uw naam en functie in.",
        ),
        (
            "bevestiging",
            {"beantwoord_door": "Jan", "uitgevoerd_op": "gisteren"},
            "'Uitgevoerd op': geen geldige datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ).",
        ),
        (
            "bevestiging",
            {"beantwoord_door": "Jan", "uitgevoerd_op": "2027-04-01"},
            "'uitgevoerd op' ligt in de toekomst (01-04-2027); vul de datum in waarop",
        ),
        (
            "bevestiging",
            {"beantwoord_door": "Jan", "uitgevoerd_op": "2027-03-01", "bsn": "1"},
            "'bsn' is geen veld van dit formulier",
        ),
        (
            "schooladvies",
            {"beantwoord_door": "Jan", "advies": "gymnasium"},
            "'Schooladvies': kies een van",
        ),
        (
            "aanmelding_vo",
            {"beantwoord_door": "Jan", "vo_school": "Hogwarts", "aangemeld_op": "2027-03-26"},
            "'School van aanmelding': kies een van",
        ),
        (
            "definitieve_vaststelling",
            {"beantwoord_door": "Jan", "in_stappenplan": "nee"},
            "Geef een toelichting waarom de leerling het stappenplan niet volgt.",
        ),
        (
            "tlv_besluit",
            {
                "beantwoord_door": "CvA",
                "besluit": "toegekend",
                "categorie": "n.v.t.",
                "geldig_tot": "2031-08-01",
                "besluit_op": "2027-03-20",
            },
            "Een TLV voor het VSO heeft een categorie: laag, midden of hoog.",
        ),
        (
            "tlv_besluit",
            {
                "beantwoord_door": "CvA",
                "besluit": "afgewezen",
                "categorie": "n.v.t.",
                "geldig_tot": "2027-03-01",
                "besluit_op": "2027-03-01",
            },
            "Geef de reden van de afwijzing.",
        ),
        (
            "toelatingsbesluit",
            {
                "beantwoord_door": "Jan",
                "besluit": "niet toegelaten",
                "datum": "2027-03-20",
                "plaatsing": "n.v.t.",
            },
            "Geef de reden waarom de leerling niet wordt toegelaten.",
        ),
        (
            "plan_van_aanpak",
            {"beantwoord_door": "Jan", "doelen": "  ", "acties": "a", "evaluatie_op": "2027-11-01"},
            "'Doelen' is leeg.",
        ),
    ],
)
def test_bad_answers_get_a_clear_dutch_error(form: str, raw: dict[str, Any], expected: str) -> None:
    errors = _errors(form, raw)
    assert any(expected in error for error in errors), errors


def test_schools_outside_the_region_can_be_chosen() -> None:
    values = parse_answer(
        "alternatief_aanbod",
        {
            "beantwoord_door": "Jan",
            "school": OUTSIDE_REGION,
            "gesprek_op": "2027-03-20",
            "toelichting": "Aanbod in Groningen.",
            "bezwaar": "geen bezwaar",
        },
        CTX,
    )
    assert values["school"] == OUTSIDE_REGION


def test_the_prefect_form_has_dutch_labels_dropdowns_and_no_optional_types() -> None:
    """The UI renders titles as labels, Literals as dropdowns; `X | None` would show a toggle."""
    schema = run_input_form("aanmelding_vo", CTX).model_json_schema()
    properties = schema["properties"]
    assert properties["vo_school"]["title"] == "School van aanmelding"
    assert properties["vo_school"]["enum"] == [
        "Dr. Nassau College Penta",
        "PrO Assen",
        "Terra Assen",
        "VSO De Atlas",
        OUTSIDE_REGION,
    ]
    assert properties["aangemeld_op"]["format"] == "date"
    assert properties["nader_overleg_nodig"]["type"] == "boolean"
    assert sorted(schema["required"]) == [
        "aangemeld_op",
        "beantwoord_door",
        "formulier_volledig_op",
        "vo_school",
    ]
    for form in FORMS:
        for name, prop in run_input_form(form, CTX).model_json_schema()["properties"].items():
            assert "anyOf" not in prop, (form, name)
            assert prop["title"][0].isupper(), (form, name)


def test_pause_keys_are_valid_prefect_input_keys_and_round_trip() -> None:
    """Prefect allows only lowercase letters, digits and dashes in input keys."""
    for step in get_plan().steps:
        for question in step.questions:
            key = pause_key(step.number, question.key, 3)
            for suffix in ("response", "schema", "description"):
                raise_on_name_alphanumeric_dashes_only(f"suspended-{key}-{suffix}", "key")
            assert parse_pause_key(key) == (step.number, question.key, 3)
    assert pause_key(3, "open_dagen", 1) == "stap-3-open-dagen-1"
    assert parse_pause_key("wacht-4") is None


def test_the_schema_prefect_checks_leaves_ranges_and_lengths_to_the_dutch_check() -> None:
    """Prefect's server refuses an answer that breaks the stored schema with an English toast
    naming the field's code. The stored schema has no ranges or lengths, so the answer reaches
    our check, which asks again with the reason in Dutch; types, choices and required stay."""
    for form in FORMS:
        model = run_input_form(form, CTX).with_initial_data(description="stap")
        schema = create_v2_schema(model.__name__, model_base=model)  # what Prefect stores
        for name, prop in schema["properties"].items():
            assert not set(prop) & set(UNCHECKED_KEYWORDS), (form, name, prop)
    screening = run_input_form("screening", CTX).with_initial_data(description="stap")
    schema = create_v2_schema(screening.__name__, model_base=screening)
    assert schema["properties"]["dle_spellen"]["type"] == "integer"
    assert "dle_spellen" in schema["required"]
    assert "beantwoord_door" in schema["required"]
    advies = run_input_form("schooladvies", CTX).with_initial_data(description="stap")
    assert (
        "vwo"
        in create_v2_schema(advies.__name__, model_base=advies)["properties"]["advies"]["enum"]
    )


def test_an_out_of_range_number_is_refused_in_dutch_with_the_range() -> None:
    raw = {
        "beantwoord_door": "I. Mulder, ib",
        "toetsdatum": "2026-06-15",
        "dle_begrijpend_lezen": 200,
        "dle_technisch_lezen": 40,
        "dle_spellen": 0,  # 0: not tested, allowed
        "dle_rekenen": 81,
        "dl_afwijkend": 0,
        "iq": 0,
    }
    assert _errors("screening", raw) == [
        "'DLE begrijpend lezen': 200 ligt buiten het toegestane bereik; vul een getal van 0 tot "
        "en met 80 in.",
        "'DLE inzichtelijk rekenen': 81 ligt buiten het toegestane bereik; vul een getal van 0 "
        "tot en met 80 in.",
    ]
    too_long = {"beantwoord_door": "Jan", "uitgevoerd_op": "2027-03-01", "toelichting": "x" * 2001}
    assert _errors("bevestiging", too_long) == ["'Toelichting' is te lang (hoogstens 2000 tekens)."]


def test_a_date_is_iso_or_dutch_day_month_year() -> None:
    for typed in ("2027-03-01", "01-03-2027", "1-3-2027"):
        values = parse_answer(
            "bevestiging", {"beantwoord_door": "Jan", "uitgevoerd_op": typed}, CTX
        )
        assert values["uitgevoerd_op"] == date(2027, 3, 1), typed
    assert _errors("bevestiging", {"beantwoord_door": "Jan", "uitgevoerd_op": "31-02-2027"}) == [
        "'Uitgevoerd op': geen geldige datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ)."
    ]


def test_what_a_field_allows_in_dutch() -> None:
    fields = {f.name: f for f in FORMS["screening"].fields}
    assert allowed_values(fields["iq"], CTX) == "een heel getal van 0 tot en met 200"
    assert allowed_values(fields["sociaal_emotioneel"], CTX) == "ja of nee (standaard nee)"
    route = next(f for f in FORMS["evaluatie_plan"].fields if f.name == "route")
    assert allowed_values(route, CTX) == "een van: 'regulier', 'pro', 'vso'"
    school = next(f for f in FORMS["aanmelding_pro_vso"].fields if f.name == "school")
    assert allowed_values(school, CTX) == (
        f"een van: 'PrO Assen', 'VSO De Atlas', '{OUTSIDE_REGION}'"
    )
    done = next(f for f in FORMS["bevestiging"].fields if f.name == "uitgevoerd_op")
    assert allowed_values(done, CTX) == "een datum (JJJJ-MM-DD of DD-MM-JJJJ)"
    assert form_title("screening") == "didactische gegevens voor de screening"
    assert set(FORM_TITLES) == set(FORMS)  # every form has a Dutch name
