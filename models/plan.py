"""The stappenplan and the regional calendar as data, loaded from TOML and checked strictly.

A plan file (`models/data/stappenplan/*.toml`) holds the 28 steps with their windows, roles, forms
and conditions, and a version; a trajectory keeps the version it started with. A calendar file
(`models/data/kalender/YYYY-YYYY.toml`) holds the "Belangrijke data" of one school year. A file
that does not fit is refused at load with its path, line and reason (`PlanFileError`).
"""

from __future__ import annotations

import calendar as _calendar
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

from models.conditions import CONDITIONS
from models.forms import FORMS, AskKind
from models.tables import Role

DATA_DIR = Path(__file__).resolve().parent / "data"
PLAN_DIR = DATA_DIR / "stappenplan"
CALENDAR_DIR = DATA_DIR / "kalender"

CALENDAR_EVENTS = (
    "aanmelden_doorstroomtoets",
    "voorlopig_advies",
    "doorstroomtoets",
    "uitslag_doorstroomtoets",
    "definitief_advies",
    "aanmeldweek",
    "oso",
    "besluit",
    "kennismaking",
)
PHASES = {"g7": -2, "g8": -1, "bk": 0}  # school year of each phase, relative to the cohort
_PHASE_REF = re.compile(r"^(g7|g8|bk):(\d{2})-(\d{2}|end)$")
_CALENDAR_REF = re.compile(r"^kalender:([a-z_]+)\.(start|end)$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class PlanFileError(ValueError):
    """A plan or calendar file that cannot be used; says where and why."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


class _Lines:
    """Line numbers of the tables and keys of a TOML file, for error messages.

    Handles the shapes our files use: `[table]`, `[[array]]`, `[[array.sub]]` and one
    `key = value` per line.
    """

    def __init__(self, text: str) -> None:
        self.tables: dict[str, list[dict[str, int]]] = {}
        current: dict[str, int] = {}
        self.tables[""] = [current]
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if line.startswith("[[") or line.startswith("["):
                name = line.strip("[] ")
                current = {"": number}
                self.tables.setdefault(name, []).append(current)
            elif "=" in line and not line.startswith("#"):
                current.setdefault(line.split("=", 1)[0].strip(), number)

    def of(self, table: str, index: int = 0, key: str = "") -> int | None:
        entries = self.tables.get(table, [])
        if index >= len(entries):
            return None
        entry = entries[index]
        return entry.get(key) or entry.get("")


def _read_toml(path: Path) -> tuple[dict[str, Any], _Lines]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanFileError(path, None, f"kan het bestand niet lezen: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise PlanFileError(path, line, f"geen geldige TOML: {exc}") from None
    return data, _Lines(text)


# --- calendar -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolYearCalendar:
    """The regional "Belangrijke data" of one school year (groep 8 of one cohort)."""

    school_year: str
    start_year: int
    dates: Mapping[str, tuple[date, date]]
    source: str

    def start(self, event: str) -> date:
        return self.dates[event][0]

    def end(self, event: str) -> date:
        return self.dates[event][1]


def load_calendar_file(path: Path) -> SchoolYearCalendar:
    """Load and check one calendar file."""
    data, lines = _read_toml(path)
    unknown = set(data) - {"school_year", "source", "dates"}
    if unknown:
        key = sorted(unknown)[0]
        raise PlanFileError(path, lines.of("", 0, key), f"onbekende sleutel '{key}'")
    school_year = data.get("school_year")
    match = re.fullmatch(r"(\d{4})-(\d{4})", str(school_year or ""))
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise PlanFileError(
            path, lines.of("", 0, "school_year"), "'school_year' moet de vorm 2025-2026 hebben"
        )
    if path.stem != school_year:
        raise PlanFileError(
            path, lines.of("", 0, "school_year"), f"bestandsnaam past niet bij '{school_year}'"
        )
    start_year = int(match.group(1))
    first, last = date(start_year, 8, 1), date(start_year + 1, 7, 31)
    raw_dates = data.get("dates")
    if not isinstance(raw_dates, dict):
        raise PlanFileError(path, None, "de tabel [dates] ontbreekt")
    dates: dict[str, tuple[date, date]] = {}
    for name, value in raw_dates.items():
        line = lines.of("dates", 0, name)
        if name not in CALENDAR_EVENTS:
            raise PlanFileError(path, line, f"onbekende datum '{name}'")
        if not isinstance(value, dict) or set(value) != {"start", "end"}:
            raise PlanFileError(path, line, f"'{name}' moet {{ start = ..., end = ... }} zijn")
        start, end = value["start"], value["end"]
        if not all(isinstance(d, date) and not hasattr(d, "hour") for d in (start, end)):
            raise PlanFileError(path, line, f"'{name}': start en end moeten datums zijn")
        if start > end:
            raise PlanFileError(path, line, f"'{name}': start ligt na end")
        if start < first or end > last:
            raise PlanFileError(path, line, f"'{name}' ligt niet in schooljaar {school_year}")
        dates[name] = (start, end)
    missing = [name for name in CALENDAR_EVENTS if name not in dates]
    if missing:
        raise PlanFileError(path, lines.of("dates"), f"ontbrekende datums: {', '.join(missing)}")
    return SchoolYearCalendar(school_year, start_year, dates, str(data.get("source", "")))


@lru_cache(maxsize=4)
def load_calendars(directory: Path = CALENDAR_DIR) -> dict[int, SchoolYearCalendar]:
    """All calendar files, by the first calendar year of their school year."""
    calendars = {}
    for path in sorted(directory.glob("*.toml")):
        cal = load_calendar_file(path)
        calendars[cal.start_year] = cal
    return calendars


# --- dates relative to a cohort -----------------------------------------------------------------


class MissingCalendarError(LookupError):
    """No calendar for the school year a date needs."""


@dataclass(frozen=True)
class DateRef:
    """A date relative to a cohort: `g8:03-end` or `kalender:aanmeldweek.start`."""

    text: str

    @staticmethod
    def parse(text: Any) -> DateRef:
        if not isinstance(text, str):
            raise ValueError("een datumverwijzing is tekst, zoals 'g8:03-end'")
        phase = _PHASE_REF.match(text)
        if phase:
            month, day = int(phase.group(2)), phase.group(3)
            if not 1 <= month <= 12:
                raise ValueError(f"'{text}': maand {month} bestaat niet")
            if day != "end" and not 1 <= int(day) <= 31:
                raise ValueError(f"'{text}': dag {day} bestaat niet")
            if day != "end" and int(day) > _calendar.monthrange(2024, month)[1]:
                raise ValueError(f"'{text}': dag {day} bestaat niet in maand {month}")
            return DateRef(text)
        cal = _CALENDAR_REF.match(text)
        if cal:
            if cal.group(1) not in CALENDAR_EVENTS:
                raise ValueError(f"'{text}': onbekende kalenderdatum '{cal.group(1)}'")
            return DateRef(text)
        raise ValueError(
            f"'{text}' is geen datumverwijzing (voorbeelden: 'g7:10-01', 'g8:02-end', "
            "'bk:11-30', 'kalender:aanmeldweek.start')"
        )

    def resolve(self, cohort: int, calendars: Mapping[int, SchoolYearCalendar]) -> date:
        """The date this reference means for pupils who start in VO in August of `cohort`."""
        phase = _PHASE_REF.match(self.text)
        if phase:
            first_year = cohort + PHASES[phase.group(1)]
            month = int(phase.group(2))
            year = first_year if month >= 8 else first_year + 1
            day_text = phase.group(3)
            last_day = _calendar.monthrange(year, month)[1]
            day = last_day if day_text == "end" else min(int(day_text), last_day)
            return date(year, month, day)
        cal_match = _CALENDAR_REF.match(self.text)
        assert cal_match is not None  # parse() accepted only the two shapes
        school_year = calendars.get(cohort - 1)
        if school_year is None:
            raise MissingCalendarError(
                f"geen kalender voor schooljaar {cohort - 1}-{cohort} "
                f"(voeg models/data/kalender/{cohort - 1}-{cohort}.toml toe)"
            )
        event, edge = cal_match.group(1), cal_match.group(2)
        return school_year.start(event) if edge == "start" else school_year.end(event)


# --- the plan -----------------------------------------------------------------------------------


QUESTION_DEADLINES = ("toelatingsbesluit", "mpo")


@dataclass(frozen=True)
class Question:
    key: str
    form: str
    roles: tuple[Role, ...]
    recorded_by: Role | None
    condition: str | None
    due: DateRef | None
    deadline: str | None = None  # a legal term (models.casework) that sets the due date when known
    track: str = "hoofd"  # a track other than the step's: asked by that track's run

    @property
    def kind(self) -> AskKind:
        return FORMS[self.form].kind


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    period: str
    opens: DateRef
    due: DateRef
    roles: tuple[Role, ...]
    condition: str | None
    stops_when: str | None
    questions: tuple[Question, ...]
    track: str = "hoofd"
    after: tuple[str, ...] = ()

    @property
    def ask(self) -> AskKind:
        return self.questions[0].kind if self.questions else AskKind.NOTHING

    def question(self, key: str) -> Question:
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(f"stap {self.number} heeft geen vraag '{key}'")


@dataclass(frozen=True)
class Window:
    opens: date
    due: date


@dataclass(frozen=True)
class Plan:
    version: str
    title: str
    source: str
    steps: tuple[Step, ...]

    def step(self, number: int) -> Step:
        if not 1 <= number <= len(self.steps):
            raise KeyError(f"het stappenplan heeft geen stap {number}")
        return self.steps[number - 1]

    @property
    def tracks(self) -> tuple[str, ...]:
        """The parallel tracks besides the main walk ("hoofd"), in plan order."""
        names = [s.track for s in self.steps] + [q.track for s in self.steps for q in s.questions]
        return tuple(dict.fromkeys(n for n in names if n != "hoofd"))

    @property
    def question_tracks(self) -> frozenset[str]:
        """Tracks made of questions of main-walk steps (asked while the main walk goes on)."""
        return frozenset(q.track for s in self.steps for q in s.questions if q.track != s.track)

    def window(
        self,
        step: Step,
        cohort: int,
        calendars: Mapping[int, SchoolYearCalendar] | None = None,
    ) -> Window:
        cals = load_calendars() if calendars is None else calendars
        return Window(step.opens.resolve(cohort, cals), step.due.resolve(cohort, cals))

    def question_due(
        self,
        step: Step,
        question: Question,
        cohort: int,
        calendars: Mapping[int, SchoolYearCalendar] | None = None,
    ) -> date:
        cals = load_calendars() if calendars is None else calendars
        ref = question.due or step.due
        return ref.resolve(cohort, cals)


Fail = Callable[[str], NoReturn]

_STEP_KEYS = {
    "number",
    "title",
    "period",
    "opens",
    "due",
    "roles",
    "condition",
    "stops_when",
    "track",
    "after",
}
_QUESTION_KEYS = {"key", "form", "roles", "recorded_by", "condition", "due", "deadline", "track"}


def _roles(value: Any, fail: Fail) -> tuple[Role, ...]:
    if not isinstance(value, list) or not value:
        fail("'roles' moet een niet-lege lijst zijn")
    roles = []
    for item in value:
        try:
            roles.append(Role(item))
        except ValueError:
            fail(f"onbekende rol '{item}' (bekend: {', '.join(r.value for r in Role)})")
    return tuple(roles)


def _condition(value: Any, fail: Fail) -> str | None:
    if value is None:
        return None
    if value not in CONDITIONS:
        fail(f"onbekende voorwaarde '{value}' (bekend: {', '.join(sorted(CONDITIONS))})")
    return str(value)


def _date_ref(value: Any, fail: Fail) -> DateRef:
    try:
        return DateRef.parse(value)
    except ValueError as exc:
        fail(str(exc))


def _parse_question(
    raw: Any, step_roles: tuple[Role, ...], step_track: str, fail_for: Callable[[str], Fail]
) -> Question:
    if not isinstance(raw, dict):
        fail_for("")("een vraag moet een tabel [[step.questions]] zijn")
    unknown = set(raw) - _QUESTION_KEYS
    if unknown:
        key = sorted(unknown)[0]
        fail_for(key)(f"onbekende sleutel '{key}' in een vraag")
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        fail_for("key")("'key' van een vraag moet een naam zijn zoals 'aanmelding'")
    form = raw.get("form")
    if form not in FORMS:
        fail_for("form")(f"onbekend formulier '{form}' (bekend: {', '.join(sorted(FORMS))})")
    roles = _roles(raw["roles"], fail_for("roles")) if "roles" in raw else step_roles
    recorded_by = None
    if "recorded_by" in raw:
        recorded_by = _roles([raw["recorded_by"]], fail_for("recorded_by"))[0]
    due = _date_ref(raw["due"], fail_for("due")) if "due" in raw else None
    condition = _condition(raw.get("condition"), fail_for("condition"))
    deadline = raw.get("deadline")
    if deadline is not None and deadline not in QUESTION_DEADLINES:
        fail_for("deadline")(
            f"onbekende termijn '{deadline}' (bekend: {', '.join(QUESTION_DEADLINES)})"
        )
    track = raw.get("track", step_track)
    if not isinstance(track, str) or not _KEY.match(track):
        fail_for("track")("'track' van een vraag moet een naam zijn zoals 'toelating'")
    if track != step_track and step_track != "hoofd":
        fail_for("track")(
            "alleen een vraag van een stap in de hoofdroute kan een eigen track hebben"
        )
    return Question(str(key), str(form), roles, recorded_by, condition, due, deadline, track)


def load_plan_file(path: Path, calendars: Mapping[int, SchoolYearCalendar] | None = None) -> Plan:
    """Load and check one plan file; windows are checked against every known calendar."""
    data, lines = _read_toml(path)

    def fail_at(line: int | None) -> Fail:
        def fail(reason: str) -> NoReturn:
            raise PlanFileError(path, line, reason)

        return fail

    unknown = set(data) - {"version", "title", "source", "step"}
    if unknown:
        key = sorted(unknown)[0]
        fail_at(lines.of("", 0, key))(f"onbekende sleutel '{key}'")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        fail_at(lines.of("", 0, "version"))("'version' ontbreekt of is leeg")
    raw_steps = data.get("step")
    if not isinstance(raw_steps, list) or not raw_steps:
        fail_at(None)("het plan heeft geen stappen ([[step]])")
    steps: list[Step] = []
    question_index = 0
    for index, raw in enumerate(raw_steps):
        step_line = lines.of("step", index)

        def fail_key(key: str, index: int = index) -> Fail:
            return fail_at(lines.of("step", index, key))

        unknown = set(raw) - _STEP_KEYS - {"questions"}
        if unknown:
            key = sorted(unknown)[0]
            fail_key(key)(f"onbekende sleutel '{key}'")
        number = raw.get("number")
        if number != index + 1:
            fail_key("number")(f"stap {index + 1} verwacht, '{number}' gevonden")
        for key in ("title", "period"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                fail_key(key)(f"stap {number}: '{key}' ontbreekt of is leeg")
        for key in ("opens", "due"):
            if key not in raw:
                fail_at(step_line)(f"stap {number}: '{key}' ontbreekt")
        roles = _roles(raw.get("roles"), fail_key("roles"))
        questions = []
        keys_seen: set[str] = set()
        for raw_question in raw.get("questions", []):

            def fail_for(key: str, at: int = question_index) -> Fail:
                return fail_at(lines.of("step.questions", at, key))

            question_index += 1
            question = _parse_question(raw_question, roles, raw.get("track", "hoofd"), fail_for)
            if question.key in keys_seen:
                fail_for("key")(f"stap {number}: vraag '{question.key}' komt twee keer voor")
            keys_seen.add(question.key)
            questions.append(question)
        track = raw.get("track", "hoofd")
        if not isinstance(track, str) or not _KEY.match(track):
            fail_key("track")("'track' moet een naam zijn zoals 'tlv'")
        after = raw.get("after", [])
        if not isinstance(after, list) or not all(isinstance(t, str) for t in after):
            fail_key("after")("'after' moet een lijst van tracks zijn, zoals [\"tlv\"]")
        if track != "hoofd" and (after or raw.get("stops_when")):
            fail_key("track")(
                f"stap {number}: een stap in track '{track}' kan niet wachten of stoppen"
            )
        steps.append(
            Step(
                number=int(number),
                title=raw["title"].strip(),
                period=raw["period"].strip(),
                opens=_date_ref(raw["opens"], fail_key("opens")),
                due=_date_ref(raw["due"], fail_key("due")),
                roles=roles,
                condition=_condition(raw.get("condition"), fail_key("condition")),
                stops_when=_condition(raw.get("stops_when"), fail_key("stops_when")),
                questions=tuple(questions),
                track=track,
                after=tuple(after),
            )
        )
    plan = Plan(
        str(version).strip(), str(data.get("title", "")), str(data.get("source", "")), tuple(steps)
    )
    _check_windows(plan, path, lines, load_calendars() if calendars is None else calendars)
    return plan


def _check_windows(
    plan: Plan, path: Path, lines: _Lines, calendars: Mapping[int, SchoolYearCalendar]
) -> None:
    for start_year in calendars:
        cohort = start_year + 1
        for step in plan.steps:
            window = plan.window(step, cohort, calendars)
            if window.opens > window.due:
                raise PlanFileError(
                    path,
                    lines.of("step", step.number - 1, "due"),
                    f"stap {step.number}: de periode eindigt ({window.due}) voor ze begint "
                    f"({window.opens}) voor cohort {cohort}",
                )


@lru_cache(maxsize=4)
def load_plans(directory: Path = PLAN_DIR) -> dict[str, Plan]:
    """Every plan file, by version."""
    plans: dict[str, Plan] = {}
    for path in sorted(directory.glob("*.toml")):
        plan = load_plan_file(path)
        if plan.version in plans:
            raise PlanFileError(path, None, f"versie '{plan.version}' bestaat al")
        plans[plan.version] = plan
    if not plans:
        raise PlanFileError(directory, None, "geen stappenplan gevonden")
    return plans


def get_plan(version: str | None = None) -> Plan:
    """The plan of `version`, or the current one (setting or newest file)."""
    from models.settings import get_settings

    plans = load_plans()
    wanted = version or get_settings().plan_version
    if wanted:
        if wanted not in plans:
            raise KeyError(f"stappenplan versie '{wanted}' bestaat niet (wel: {', '.join(plans)})")
        return plans[wanted]
    return plans[sorted(plans)[-1]]
