"""Typer in Dutch: the help pages and usage errors of the `overstap` command.

Typer (and the Click it carries) has no Dutch texts and no locale to switch to. Overstap's command
classes write the help page themselves (usage line, arguments, options, commands, the help
option), and `run` shows usage errors in Dutch, judged by the kind of error and the parameter it
names rather than by Typer's English message. `tests/unit/test_cli_dutch.py` walks every command
and fails on an English word, so a Typer upgrade that adds one is noticed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer
from typer import _click as click
from typer._click import exceptions as errors
from typer.core import TyperCommand, TyperGroup

HELP_OPTION_NAMES = ["-h", "--help"]
HELP_TEXT = "Toon deze uitleg en stop."
OPTIONS_METAVAR = "[OPTIES]"
COMMAND_METAVAR = "OPDRACHT [ARGUMENTEN]..."

# What a value of each Python type looks like, for the help page and for errors.
_TYPE_NAMES: dict[Any, tuple[str, str]] = {
    int: ("GETAL", "een geheel getal"),
    float: ("GETAL", "een getal"),
    str: ("TEKST", "tekst"),
    Path: ("BESTAND", "een bestandsnaam"),
    date: ("DATUM", "een datum (JJJJ-MM-DD of DD-MM-JJJJ)"),
    datetime: ("DATUM", "een datum (JJJJ-MM-DD of DD-MM-JJJJ)"),
}


def _annotation(param: click.Parameter) -> Any:
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    if getattr(annotation, "__origin__", None) in (list, tuple):
        return getattr(annotation, "__args__", (None,))[0]
    return annotation


def _value_name(param: click.Parameter) -> str:
    """The placeholder of a parameter's value: its metavar, or a Dutch name of its type."""
    if param.metavar:
        return param.metavar
    if param.param_type_name == "argument":
        return (param.name or "").upper()
    return _TYPE_NAMES.get(_annotation(param), ("WAARDE", ""))[0]


def _expected(param: click.Parameter | None) -> str:
    if param is None:
        return "een andere waarde"
    return _TYPE_NAMES.get(_annotation(param), ("", "een andere waarde"))[1]


def param_hint(param: click.Parameter | None) -> str:
    """How an error names a parameter: '--cohort' for an option, CODE for an argument."""
    if param is None:
        return "een waarde"
    if param.param_type_name == "argument":
        return _value_name(param)
    return " / ".join(f"'{name}'" for name in param.opts)


def _default_text(param: click.Parameter) -> str | None:
    default = param.default
    if not getattr(param, "show_default", True) or callable(default):
        return None
    if default is None or default is False or default == "" or default in ((), []):
        return None
    if default is True:
        return "aan"
    return str(default)


def help_record(param: click.Parameter) -> tuple[str, str] | None:
    """One line of the help page: the parameter's names and its Dutch explanation."""
    if getattr(param, "hidden", False):
        return None
    if param.param_type_name == "argument":
        name = _value_name(param) + ("..." if param.nargs != 1 else "")
    else:
        names = sorted([*param.opts, *param.secondary_opts], key=lambda n: n.startswith("--"))
        name = ", ".join(names)
        if not getattr(param, "is_flag", False):
            name += f" {_value_name(param)}" + ("..." if param.nargs != 1 else "")
    extra = []
    default = _default_text(param)
    if default is not None:
        extra.append(f"standaard: {default}")
    if param.required:
        extra.append("verplicht")
    text = getattr(param, "help", None) or ""
    if extra:
        text = f"{text}  [{'; '.join(extra)}]".strip()
    return name, text


def _usage_pieces(command: click.Command, ctx: click.Context) -> list[str]:
    pieces = [OPTIONS_METAVAR]
    for param in command.get_params(ctx):
        if param.param_type_name != "argument":
            continue
        name = _value_name(param)
        name = name if param.required else f"[{name}]"
        pieces.append(name + ("..." if param.nargs != 1 else ""))
    return pieces


def _format_usage(ctx: click.Context, formatter: click.HelpFormatter, pieces: list[str]) -> None:
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Gebruik: ")


def _format_params(
    command: click.Command, ctx: click.Context, formatter: click.HelpFormatter
) -> None:
    arguments: list[tuple[str, str]] = []
    options: list[tuple[str, str]] = []
    for param in command.get_params(ctx):
        record = help_record(param)
        if record is None:
            continue
        (arguments if param.param_type_name == "argument" else options).append(record)
    if arguments:
        with formatter.section("Argumenten"):
            formatter.write_dl(arguments)
    if options:
        with formatter.section("Opties"):
            formatter.write_dl(options)


def _dutch_help_option(option: click.Parameter | None) -> Any:
    if option is not None:
        option.help = HELP_TEXT  # type: ignore[attr-defined]
    return option


class DutchCommand(TyperCommand):
    """A command whose help page is Dutch."""

    def get_help_option(self, ctx: click.Context) -> Any:
        return _dutch_help_option(super().get_help_option(ctx))

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_usage(ctx, formatter, _usage_pieces(self, ctx))

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_params(self, ctx, formatter)


class DutchGroup(TyperGroup):
    """A group of commands whose help page is Dutch."""

    def get_help_option(self, ctx: click.Context) -> Any:
        return _dutch_help_option(super().get_help_option(ctx))

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_usage(ctx, formatter, [*_usage_pieces(self, ctx), COMMAND_METAVAR])

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_params(self, ctx, formatter)
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=200)))
        if rows:
            with formatter.section("Opdrachten"):
                formatter.write_dl(rows)


class DutchTyper(typer.Typer):
    """`typer.Typer` with Dutch help pages, `-h` beside `--help`, and no Rich boxes."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", DutchGroup)
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("add_completion", False)
        kwargs.setdefault("pretty_exceptions_enable", False)
        kwargs.setdefault("rich_markup_mode", None)
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", COMMAND_METAVAR)
        kwargs.setdefault("context_settings", {"help_option_names": HELP_OPTION_NAMES})
        super().__init__(**kwargs)

    def command(self, name: str | None = None, **kwargs: Any) -> Callable[[Any], Any]:
        kwargs.setdefault("cls", DutchCommand)
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("rich_help_panel", None)
        return super().command(name, **kwargs)


# --- usage errors ---------------------------------------------------------------------------------

# Usage errors that carry no parameter: Typer's English message, matched, and its Dutch text.
_MESSAGES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", re.S),
        lambda m: f"te veel argumenten: {m.group(1)}",
    ),
    (
        re.compile(r"No such command '(.*?)'\.(?: Did you mean (.*)\?)?$", re.S),
        lambda m: (
            f"opdracht '{m.group(1)}' bestaat niet"
            + (f"; bedoelt u {m.group(2).replace(', ', ' of ')}?" if m.group(2) else "")
        ),
    ),
    (re.compile(r"Missing command\."), lambda m: "geef een opdracht"),
    (
        re.compile(r"Argument '(.*)' takes (\d+) values\."),
        lambda m: f"argument {m.group(1).upper()} heeft {m.group(2)} waarden nodig",
    ),
)


def dutch_message(exc: errors.UsageError) -> str:
    """The Dutch text of a usage error."""
    if isinstance(exc, errors.MissingParameter):
        param = exc.param
        kind = "argument" if param is not None and param.param_type_name == "argument" else "optie"
        return f"{kind} {param_hint(param)} ontbreekt"
    if isinstance(exc, errors.NoSuchOption):
        text = f"optie '{exc.option_name}' bestaat niet"
        if exc.possibilities:
            text += "; bedoelt u " + " of ".join(exc.possibilities) + "?"
        return text
    if isinstance(exc, errors.BadOptionUsage):
        if "does not take a value" in exc.message:
            return f"optie '{exc.option_name}' krijgt geen waarde"
        return f"optie '{exc.option_name}' heeft een waarde nodig"
    if isinstance(exc, errors.BadParameter):
        return f"ongeldige waarde voor {param_hint(exc.param)}: verwacht {_expected(exc.param)}"
    for pattern, translate in _MESSAGES:
        match = pattern.search(exc.message)
        if match:
            return translate(match)
    return exc.message


def show_usage_error(exc: errors.UsageError) -> None:
    ctx = exc.ctx
    if isinstance(exc, errors.NoArgsIsHelpError) and ctx is not None:
        typer.echo(ctx.get_help(), err=True)
        return
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
        typer.echo(f"Meer uitleg: '{ctx.command_path} --help'.\n", err=True)
    typer.secho(f"Fout: {dutch_message(exc)}", err=True, fg=typer.colors.RED)


def run(app: typer.Typer, args: Sequence[str] | None = None, prog_name: str = "overstap") -> int:
    """Run the command line `args`; return its exit code. Usage errors are shown in Dutch."""
    command = typer.main.get_command(app)
    try:
        result = command.main(
            args=list(sys.argv[1:] if args is None else args),
            prog_name=prog_name,
            standalone_mode=False,
        )
    except errors.UsageError as exc:
        show_usage_error(exc)
        return exc.exit_code
    except errors.ClickException as exc:
        typer.secho(f"Fout: {exc.format_message()}", err=True, fg=typer.colors.RED)
        return exc.exit_code
    except typer.Abort:
        typer.echo("Afgebroken.", err=True)
        return 1
    # Without standalone mode Typer returns a command's exit code (typer.Exit, --help).
    return result if isinstance(result, int) else 0
