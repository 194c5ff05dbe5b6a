"""The stappenplan and the calendar as data: content, windows per cohort, refusal of bad files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.datafiles import PlanFileError
from models.enums import Role
from models.plan.calendar import DateRef, MissingCalendarError, load_calendar_file
from models.plan.conditions import CONDITIONS
from models.plan.forms import AskKind
from models.plan.library import SHIPPED_DIR, get_plan, load_calendars
from models.plan.steps import load_plan_file

PLAN_DIR = SHIPPED_DIR / "stappenplan"
CALENDAR_DIR = SHIPPED_DIR / "kalender"
PLAN_FILE = PLAN_DIR / "2025-2026.toml"


def test_plan_has_the_28_steps_of_the_table() -> None:
    """All 28 rows of chapter 2, numbered 1 to 28, with the document's titles and periods."""
    plan = get_plan()
    assert plan.version == "2025-2026.1"
    assert [s.number for s in plan.steps] == list(range(1, 29))
    assert plan.step(1).period == "sept/okt groep 7"
    assert plan.step(14).title.startswith("Evaluatie van het plan van aanpak")
    assert plan.step(21).period == "tussen 25 maart en 31 maart groep 8"
    assert plan.step(28).period == "november brugklas"


def test_plan_roles_asks_and_conditions_follow_the_document() -> None:
    """Roles, what is asked, and the conditions the issue names for steps 5, 15-18, 22, 25."""
    plan = get_plan()
    assert plan.step(2).roles == (Role.LEERKRACHT_PO, Role.INTERN_BEGELEIDER_PO, Role.INTAKER_VO)
    assert plan.step(4).ask == AskKind.NOTHING
    assert plan.step(8).ask == AskKind.SCHOOL_CHOICE
    assert plan.step(12).ask == AskKind.PLAN
    assert plan.step(14).ask == AskKind.DECISION
    assert plan.step(5).stops_when == "niet_in_stappenplan"
    assert plan.step(15).condition == "vervolgplan_nodig"
    assert {plan.step(n).condition for n in (16, 17, 18)} == {"route_pro_vso"}
    assert plan.step(22).condition == "nader_overleg_nodig"
    assert plan.step(25).condition == "negatief_besluit"
    assert plan.step(18).question("tlv").roles == (Role.CVA,)
    conditions = {s.condition for s in plan.steps} | {s.stops_when for s in plan.steps}
    assert conditions - {None} <= set(CONDITIONS)


@pytest.mark.parametrize(
    ("step", "cohort", "opens", "due"),
    [
        (1, 2027, date(2025, 9, 1), date(2025, 10, 31)),
        (5, 2027, date(2026, 1, 1), date(2026, 2, 28)),
        (5, 2028, date(2027, 1, 1), date(2027, 2, 28)),
        (20, 2026, date(2026, 3, 15), date(2026, 3, 24)),
        (21, 2027, date(2027, 3, 25), date(2027, 3, 31)),
        (18, 2028, date(2028, 1, 1), date(2028, 5, 12)),
        (28, 2027, date(2027, 11, 1), date(2027, 11, 30)),
    ],
)
def test_windows_follow_the_cohort_and_the_calendar(
    step: int, cohort: int, opens: date, due: date
) -> None:
    """Windows are dates of the cohort's school years; calendar steps use that year's dates."""
    plan = get_plan()
    window = plan.window(plan.step(step), cohort)
    assert (window.opens, window.due) == (opens, due)


def test_leap_year_end_of_february() -> None:
    """'g7:02-end' is 29 February in a leap year (groep 7 of cohort 2029 is 2027-2028)."""
    assert DateRef.parse("g7:02-end").resolve(2029, {}) == date(2028, 2, 29)
    assert DateRef.parse("g7:02-end").resolve(2028, {}) == date(2027, 2, 28)


def test_calendars_hold_three_school_years_with_the_documents_dates() -> None:
    """2025-2026 as in the document; the next two years by the same day and month."""
    calendars = load_calendars()
    assert sorted(calendars) == [2025, 2026, 2027]
    first = calendars[2025]
    assert first.end("definitief_advies") == date(2026, 3, 24)
    assert (first.start("aanmeldweek"), first.end("aanmeldweek")) == (
        date(2026, 3, 25),
        date(2026, 3, 31),
    )
    assert first.end("oso") == date(2026, 3, 31)
    assert first.start("besluit") == date(2026, 5, 12)
    assert first.start("kennismaking") == date(2026, 6, 17)
    assert calendars[2026].start("besluit") == date(2027, 5, 12)
    assert calendars[2027].start("kennismaking") == date(2028, 6, 17)


def test_calendar_date_without_calendar_file_is_a_clear_error() -> None:
    """Cohort 2030 needs the 2029-2030 calendar, which is not there."""
    with pytest.raises(MissingCalendarError, match="2029-2030"):
        DateRef.parse("kalender:besluit.start").resolve(2030, load_calendars())


def _broken_copy(tmp_path: Path, source: Path, old: str, new: str, name: str = "") -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    target = tmp_path / (name or source.name)
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def _line_of(path: Path, needle: str) -> int:
    """The line of the first occurrence of `needle` (of its last line, when it spans lines)."""
    text = path.read_text(encoding="utf-8")
    at = text.find(needle)
    assert at >= 0, needle
    return text.count("\n", 0, at + len(needle.rstrip("\n"))) + 1


@pytest.mark.parametrize(
    ("old", "new", "bad_line", "reason"),
    [
        (
            'roles = ["ouders", "leerling"]',
            'roles = ["ouders", "opa"]',
            'roles = ["ouders", "opa"]',
            "onbekende rol 'opa'",
        ),
        (
            'condition = "vervolgplan_nodig"',
            'condition = "als_het_regent"',
            'condition = "als_het_regent"',
            "onbekende voorwaarde 'als_het_regent'",
        ),
        ('opens = "g8:11-01"', 'opens = "g8:13-01"', 'opens = "g8:13-01"', "maand 13 bestaat niet"),
        (
            'due = "g7:06-end"',
            'due = "g7:05-end"',
            'due = "g7:05-end"',
            "stap 12: de periode eindigt",
        ),
        (
            'form = "plan_van_aanpak"',
            'form = "plan_b"',
            'form = "plan_b"',
            "onbekend formulier 'plan_b'",
        ),
        ("number = 7\n", "number = 8\n", "number = 8", "stap 7 verwacht"),
        (
            'period = "februari groep 7"\nopens',
            'period = "februari groep 7"\ncolour = "rood"\nopens',
            'colour = "rood"',
            "onbekende sleutel 'colour'",
        ),
        (
            'title = "Bezoeken open dagen scholen."',
            'title = "Bezoeken open dagen',
            'title = "Bezoeken open dagen',
            "geen geldige TOML",
        ),
        (
            'purpose = "open_days_notice"',
            'purpose = "Open dagen"',
            'purpose = "Open dagen"',
            "'purpose' moet een naam zijn",
        ),
        (
            'key = "plan"\npurpose = "action_plan"\n',
            'key = "plan"\n',
            'key = "plan"',
            "een vraag heeft een 'purpose' nodig",
        ),
        (
            'key = "evaluatie"\npurpose = "route_choice"\nform = "evaluatie_plan"',
            'key = "evaluatie"\npurpose = "route_choice"\nform = "gesprek"',
            'purpose = "route_choice"\nform = "gesprek"',
            "een vraag met doel 'route_choice' vraagt formulier 'evaluatie_plan', niet 'gesprek'",
        ),
        (
            'after = ["tlv", "toelating_pro_vso", "toelating"]',
            'after = ["tlv", "toelating_pro_vso", "toelatingen"]',
            'after = ["tlv", "toelating_pro_vso", "toelatingen"]',
            "wacht op track 'toelatingen'",
        ),
    ],
)
def test_malformed_plan_is_refused_with_file_line_and_reason(
    tmp_path: Path, old: str, new: str, bad_line: str, reason: str
) -> None:
    """Each mistake names the file, the line it is on and what is wrong."""
    broken = _broken_copy(tmp_path, PLAN_FILE, old, new)
    with pytest.raises(PlanFileError) as info:
        load_plan_file(broken, load_calendars())
    assert info.value.path == broken
    assert info.value.line == _line_of(broken, bad_line)
    assert reason in info.value.reason
    assert str(info.value).startswith(f"{broken}:{info.value.line}: ")


@pytest.mark.parametrize(
    ("old", "new", "bad_line", "reason"),
    [
        (
            "besluit = { start = 2026-05-12, end = 2026-05-12 }",
            "besluit = { start = 2026-09-12, end = 2026-09-12 }",
            "besluit =",
            "'besluit' ligt niet in schooljaar 2025-2026",
        ),
        (
            "oso = { start = 2026-03-25, end = 2026-03-31 }",
            "oso = { start = 2026-03-31, end = 2026-03-25 }",
            "oso =",
            "'oso': start ligt na end",
        ),
        (
            "kennismaking = { start = 2026-06-17, end = 2026-06-17 }",
            "kennismakingsdag = { start = 2026-06-17, end = 2026-06-17 }",
            "kennismakingsdag",
            "onbekende datum 'kennismakingsdag'",
        ),
        (
            "voorlopig_advies = { start = 2026-01-01, end = 2026-01-31 }",
            'voorlopig_advies = "januari"',
            "voorlopig_advies",
            "moet { start = ..., end = ... }",
        ),
    ],
)
def test_malformed_calendar_is_refused_with_file_line_and_reason(
    tmp_path: Path, old: str, new: str, bad_line: str, reason: str
) -> None:
    broken = _broken_copy(tmp_path, CALENDAR_DIR / "2025-2026.toml", old, new)
    with pytest.raises(PlanFileError) as info:
        load_calendar_file(broken)
    assert info.value.line == _line_of(broken, bad_line)
    assert reason in info.value.reason


def test_calendar_missing_a_date_and_wrong_file_name(tmp_path: Path) -> None:
    missing = _broken_copy(
        tmp_path,
        CALENDAR_DIR / "2025-2026.toml",
        "besluit = { start = 2026-05-12, end = 2026-05-12 }\n",
        "",
    )
    with pytest.raises(PlanFileError, match="ontbrekende datums: besluit"):
        load_calendar_file(missing)
    renamed = _broken_copy(
        tmp_path, CALENDAR_DIR / "2025-2026.toml", "#", "#", name="2030-2031.toml"
    )
    with pytest.raises(PlanFileError, match="bestandsnaam past niet"):
        load_calendar_file(renamed)


def _lines_of(path: Path, needle: str) -> list[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, start=1) if needle in line]


def test_a_purpose_named_twice_is_refused_at_its_second_line(tmp_path: Path) -> None:
    """Each purpose means one question: the second one is refused, naming the first's line."""
    broken = _broken_copy(
        tmp_path, PLAN_FILE, 'purpose = "definitive_advice"', 'purpose = "preliminary_advice"'
    )
    first, second = _lines_of(broken, 'purpose = "preliminary_advice"')
    with pytest.raises(PlanFileError) as info:
        load_plan_file(broken, load_calendars())
    assert info.value.line == second
    assert f"doel 'preliminary_advice' staat al op regel {first}" in info.value.reason


def test_a_plan_without_a_purpose_the_code_reads_is_refused(tmp_path: Path) -> None:
    """The rules read the route choice by its purpose; a plan that lost it cannot be used."""
    broken = _broken_copy(
        tmp_path, PLAN_FILE, 'purpose = "route_choice"', 'purpose = "keuze_route"'
    )
    with pytest.raises(PlanFileError) as info:
        load_plan_file(broken, load_calendars())
    assert info.value.reason == (
        "deze doelen ontbreken (de regels van Overstap lezen ze): route_choice"
    )


def test_every_question_of_the_shipped_plan_has_a_unique_purpose() -> None:
    """What step 14 asks is found by name, and the code's names are all there."""
    plan = get_plan()
    purposes = [q.purpose for s in plan.steps for q in s.questions]
    assert len(purposes) == len(set(purposes)) == 38
    step, question = plan.find("route_choice")
    assert (step.number, question.key, question.form) == (14, "evaluatie", "evaluatie_plan")
    assert plan.step_of("action_plan_second_part").number == 15
    assert plan.purpose_of(21, "toelating") == "admission_decision"
