"""The command line speaks Dutch: every command's help page and usage errors, walked from the
command tree (so a new command is checked without being listed here).

Only invocations that Typer refuses before a command runs are used: nothing starts or changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import typer

from deployments.cli import app
from deployments.dutch_cli import run

# Words of Typer's and Click's own English (and of their type names) that must not show.
ENGLISH = re.compile(
    r"\b(Usage|Options|Arguments|Commands?|Missing|Error|Try|or|Invalid value|required|default"
    r"|Show this message|Got unexpected|No such|Did you mean|Input should|OPTIONS|COMMAND"
    r"|ARGS|TEXT|INTEGER|PATH|FILE)\b|<(int|str|bool|path)>"
)


def _commands() -> Iterator[tuple[list[str], typer.core.TyperCommand | typer.core.TyperGroup]]:
    def walk(path: list[str], command: object) -> Iterator[tuple[list[str], object]]:
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk([*path, name], sub)

    root = typer.main.get_command(app)
    yield from walk([], root)  # type: ignore[misc]


COMMANDS = list(_commands())
LEAVES = [(path, cmd) for path, cmd in COMMANDS if not hasattr(cmd, "commands")]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run(app, args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _english(text: str) -> list[str]:
    return sorted({m.group(0) for m in ENGLISH.finditer(text)})


def test_the_walk_finds_every_command() -> None:
    paths = {" ".join(path) for path, _ in COMMANDS}
    assert {"", "status", "answer", "schools", "schools import", "schools list", "db status"} <= (
        paths
    )
    assert len(LEAVES) >= 20


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "overstap")
def test_every_help_page_is_dutch(path: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    for flag in ("--help", "-h"):
        code, text = _run([*path, flag], capsys)
        assert code == 0, text
        assert text.startswith(f"Gebruik: overstap {' '.join(path)}".rstrip() + " [OPTIES]")
        assert "Toon deze uitleg en stop." in text
        assert _english(text) == [], text


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "overstap")
def test_an_unknown_option_is_a_dutch_usage_error(
    path: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = _run([*path, "--bestaat-niet"], capsys)
    assert code == 2
    assert f"Gebruik: overstap {' '.join(path)}".rstrip() in text
    assert f"Meer uitleg: 'overstap {' '.join(path)}".rstrip() + " --help'." in text
    assert "Fout: optie '--bestaat-niet' bestaat niet" in text
    assert _english(text) == [], text


@pytest.mark.parametrize(
    "path",
    [p for p, c in LEAVES if any(param.required for param in c.params)],
    ids=" ".join,
)
def test_a_missing_argument_or_option_is_named_in_dutch(
    path: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = _run(path, capsys)
    assert code == 2
    assert re.search(r"Fout: (argument [A-Z=]+|optie '--[a-z-]+') ontbreekt", text), text
    assert _english(text) == [], text


@pytest.mark.parametrize(
    "path",
    [p for p, c in LEAVES if not any(param.nargs == -1 for param in c.params)],
    ids=" ".join,
)
def test_too_many_arguments_is_a_dutch_usage_error(
    path: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    command = {tuple(p): c for p, c in LEAVES}[tuple(path)]
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    args = [*path, *("1" for _ in arguments), "teveel"]
    options = [
        o
        for p in command.params
        if p.required and p.param_type_name == "option"
        for o in p.opts[:1]
    ]
    for option in options:
        args += [option, "2027"]
    code, text = _run(args, capsys)
    assert code == 2
    assert "Fout: te veel argumenten: teveel" in text
    assert _english(text) == [], text


def test_bad_values_are_named_in_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    cases = {
        (
            "status",
            "--cohort",
            "abc",
        ): "Fout: ongeldige waarde voor '--cohort': verwacht een geheel getal",
        (
            "answer",
            "K7Q2",
            "veertien",
        ): "Fout: ongeldige waarde voor STAP: verwacht een geheel getal",
        ("status", "--cohort"): "Fout: optie '--cohort' heeft een waarde nodig",
        ("statuss",): "Fout: opdracht 'statuss' bestaat niet; bedoelt u 'status'?",
        ("schools", "lijst"): "Fout: opdracht 'lijst' bestaat niet",
        ("status", "--cohrt", "2027"): "Fout: optie '--cohrt' bestaat niet; bedoelt u --cohort?",
    }
    for args, expected in cases.items():
        code, text = _run(list(args), capsys)
        assert code == 2, text
        assert expected in text, text
        assert _english(text) == [], text


def test_a_group_without_a_command_shows_its_dutch_help(capsys: pytest.CaptureFixture[str]) -> None:
    for path in ([], ["schools"], ["db"]):
        code, text = _run(path, capsys)
        assert code == 2
        assert "Opdrachten:" in text
        assert _english(text) == [], text


def test_the_help_of_schools_import_names_the_roles(capsys: pytest.CaptureFixture[str]) -> None:
    _, text = _run(["schools", "import", "--help"], capsys)
    flat = " ".join(text.split())
    assert "PO: leerkracht_po, intern_begeleider_po, directie_po" in flat
    assert "VO: intaker_vo, mentor" in flat
    assert "PRO/VSO: intaker_vo, mentor, cvb_pro_vso" in flat
