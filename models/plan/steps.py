"""The stappenplan as data: steps, their questions and windows, loaded from TOML and checked.

A plan file (`stappenplan/*.toml`) holds the steps of chapter 2 with their windows, roles, forms,
conditions and the purpose of every question (`models.plan.purposes`), and a version; a
trajectory keeps the version it started with. A file that does not fit is refused at load with
its path, line and reason (`PlanFileError`). `docs/plan-files.md` describes the format for the
coordinator who edits it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from models.datafiles import PlanFileError, TomlLines, read_toml
from models.enums import MAIN_TRACK, Role
from models.plan.calendar import DateRef, SchoolYearCalendar
from models.plan.conditions import CONDITIONS
from models.plan.forms import FORMS, AskKind
from models.plan.purposes import PURPOSE_NAME, REQUIRED, Purpose

QUESTION_DEADLINES = ("toelatingsbesluit", "mpo", "oso_ophalen")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Question:
    key: str
    form: str
    roles: tuple[Role, ...]
    recorded_by: Role | None
    condition: str | None
    due: DateRef | None
    deadline: str | None = None  # a legal term (models.cases.casework) that sets the due date
    track: str = MAIN_TRACK  # a track other than the step's: asked by that track's run
    purpose: str = ""

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
    track: str = MAIN_TRACK
    after: tuple[str, ...] = ()
    purpose: str = ""

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
    calendars: Mapping[int, SchoolYearCalendar] = field(default_factory=dict, compare=False)
    path: Path | None = field(default=None, compare=False)

    def step(self, number: int) -> Step:
        if not 1 <= number <= len(self.steps):
            raise KeyError(f"het stappenplan heeft geen stap {number}")
        return self.steps[number - 1]

    def find(self, purpose: str) -> tuple[Step, Question]:
        """The step and question with this purpose (`KeyError` when the plan has none)."""
        for step in self.steps:
            for question in step.questions:
                if question.purpose == purpose:
                    return step, question
        raise KeyError(f"het stappenplan {self.version} heeft geen vraag met doel '{purpose}'")

    def step_of(self, purpose: str) -> Step:
        """The step with this purpose, or the step of the question with it."""
        for step in self.steps:
            if step.purpose == purpose:
                return step
        return self.find(purpose)[0]

    def purpose_of(self, step: int, question: str) -> str:
        return self.step(step).question(question).purpose

    @property
    def tracks(self) -> tuple[str, ...]:
        """The parallel tracks besides the main walk, in plan order."""
        names = [s.track for s in self.steps] + [q.track for s in self.steps for q in s.questions]
        return tuple(dict.fromkeys(n for n in names if n != MAIN_TRACK))

    @property
    def question_tracks(self) -> frozenset[str]:
        """Tracks made of questions of main-walk steps (asked while the main walk goes on)."""
        return frozenset(q.track for s in self.steps for q in s.questions if q.track != s.track)

    def steps_of_track(self, track: str) -> tuple[Step, ...]:
        """The steps a track walks (for a track of questions: the steps it asks questions of)."""
        return tuple(
            s for s in self.steps if s.track == track or any(q.track == track for q in s.questions)
        )

    def window(self, step: Step, cohort: int) -> Window:
        return Window(
            step.opens.resolve(cohort, self.calendars), step.due.resolve(cohort, self.calendars)
        )

    def question_due(self, step: Step, question: Question, cohort: int) -> date:
        ref = question.due or step.due
        return ref.resolve(cohort, self.calendars)


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
    "purpose",
}
_QUESTION_KEYS = {
    "key",
    "form",
    "roles",
    "recorded_by",
    "condition",
    "due",
    "deadline",
    "track",
    "purpose",
}


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


def _purpose(value: Any, fail: Fail, *, required: bool) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not PURPOSE_NAME.match(value):
        fail(
            "'purpose' moet een naam zijn zoals 'route_choice' (kleine letters, cijfers en _)"
            if value is not None
            else "een vraag heeft een 'purpose' nodig, een vaste naam voor wat ze betekent"
        )
    return value


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
    if track != step_track and step_track != MAIN_TRACK:
        fail_for("track")(
            "alleen een vraag van een stap in de hoofdroute kan een eigen track hebben"
        )
    # A missing purpose is reported at the question's key: the line the coordinator looks at.
    purpose = _purpose(
        raw.get("purpose"), fail_for("purpose" if "purpose" in raw else "key"), required=True
    )
    return Question(
        str(key), str(form), roles, recorded_by, condition, due, deadline, track, purpose
    )


def load_plan_file(path: Path, calendars: Mapping[int, SchoolYearCalendar]) -> Plan:
    """Load and check one plan file; windows are checked against every calendar given."""
    data, lines = read_toml(path)

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
    purposes: dict[str, int | None] = {}  # purpose -> line where it was first named
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
        step_purpose = _purpose(raw.get("purpose"), fail_key("purpose"), required=False)
        if step_purpose:
            if step_purpose in purposes:
                fail_key("purpose")(
                    f"stap {number}: doel '{step_purpose}' staat al op regel "
                    f"{purposes[step_purpose]}"
                )
            purposes[step_purpose] = lines.of("step", index, "purpose")
        questions = []
        keys_seen: set[str] = set()
        for raw_question in raw.get("questions", []):

            def fail_for(key: str, at: int = question_index) -> Fail:
                return fail_at(lines.of("step.questions", at, key))

            at = question_index
            question_index += 1
            question = _parse_question(raw_question, roles, raw.get("track", MAIN_TRACK), fail_for)
            if question.key in keys_seen:
                fail_for("key")(f"stap {number}: vraag '{question.key}' komt twee keer voor")
            keys_seen.add(question.key)
            if question.purpose in purposes:
                fail_for("purpose")(
                    f"stap {number}: doel '{question.purpose}' staat al op regel "
                    f"{purposes[question.purpose]}; elk doel komt één keer voor"
                )
            purposes[question.purpose] = lines.of("step.questions", at, "purpose")
            required_form = REQUIRED.get(question.purpose)
            if required_form is not None and question.form != required_form:
                fail_for("form")(
                    f"stap {number}: een vraag met doel '{question.purpose}' vraagt formulier "
                    f"'{required_form}', niet '{question.form}'"
                )
            questions.append(question)
        track = raw.get("track", MAIN_TRACK)
        if not isinstance(track, str) or not _KEY.match(track):
            fail_key("track")("'track' moet een naam zijn zoals 'tlv'")
        after = raw.get("after", [])
        if not isinstance(after, list) or not all(isinstance(t, str) for t in after):
            fail_key("after")("'after' moet een lijst van tracks zijn, zoals [\"tlv\"]")
        if track != MAIN_TRACK and (after or raw.get("stops_when")):
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
                purpose=step_purpose,
            )
        )
    missing = [p.value for p in Purpose if p.value not in purposes]
    if missing:
        fail_at(None)(
            "deze doelen ontbreken (de regels van Overstap lezen ze): " + ", ".join(missing)
        )
    plan = Plan(
        str(version).strip(),
        str(data.get("title", "")),
        str(data.get("source", "")),
        tuple(steps),
        calendars,
        path,
    )
    _check_tracks(plan, path, lines)
    _check_windows(plan, path, lines)
    return plan


def _check_tracks(plan: Plan, path: Path, lines: TomlLines) -> None:
    known = set(plan.tracks)
    for step in plan.steps:
        for waited in step.after:
            if waited not in known:
                raise PlanFileError(
                    path,
                    lines.of("step", step.number - 1, "after"),
                    f"stap {step.number}: wacht op track '{waited}', maar geen stap of vraag "
                    f"hoort bij die track (bekend: {', '.join(sorted(known)) or 'geen'})",
                )


def _check_windows(plan: Plan, path: Path, lines: TomlLines) -> None:
    for start_year in plan.calendars:
        cohort = start_year + 1
        for step in plan.steps:
            window = plan.window(step, cohort)
            if window.opens > window.due:
                raise PlanFileError(
                    path,
                    lines.of("step", step.number - 1, "due"),
                    f"stap {step.number}: de periode eindigt ({window.due}) voor ze begint "
                    f"({window.opens}) voor cohort {cohort}",
                )
