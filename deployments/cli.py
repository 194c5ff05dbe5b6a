"""The `overstap` command line. Every command has `--help`.

Prefect is imported only inside commands, after `prepare_environment()` has set its defaults.
Errors a user can cause (a bad CSV row, a wrong step, an unreachable server) are printed as one
clear Dutch line on stderr with exit code 1; nothing is changed when input is refused.
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import json
import logging
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import httpx
import typer

from deployments.dutch_cli import DutchTyper, run
from models.dutch import DATE_HINT
from models.enums import MAIN_TRACK, Role, school_roles_text
from models.settings import get_settings

app = DutchTyper(
    help="Overstap: het stappenplan van de overstap PO-VO, één Prefect flow run per leerling."
)
schools_app = DutchTyper(help="Scholen en contactpersonen.")
app.add_typer(schools_app, name="schools")

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("overstap")


class UserError(Exception):
    """A problem the user can fix; printed without a traceback."""


def _fail(message: str) -> None:
    typer.secho(f"Fout: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(1)


def friendly_errors(func: F) -> F:
    """Turn the errors a user can cause into one clear line and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from deployments.environment import PrefectServerError, UnsafeServerAddress
        from models.cases.answers import AnswerError
        from models.cases.enrolment import EnrollmentError
        from models.cases.view import UnknownCohortError
        from models.datafiles import PlanFileError
        from models.store.backup import BackupError
        from models.store.schools import CsvImportError

        try:
            return func(*args, **kwargs)
        except (EnrollmentError, AnswerError) as exc:
            for error in exc.errors:
                typer.secho(f"Fout: {error}", err=True, fg=typer.colors.RED)
            raise typer.Exit(1) from None
        except CsvImportError as exc:
            typer.secho(f"Fout in {exc.path}; er is niets ingelezen:", err=True, fg="red")
            for error in exc.errors:
                typer.secho(f"  {error}", err=True, fg=typer.colors.RED)
            raise typer.Exit(1) from None
        except (
            UserError,
            UnknownCohortError,
            PlanFileError,
            PermissionError,
            UnsafeServerAddress,
            PrefectServerError,
            BackupError,
        ) as exc:
            _fail(str(exc))
        except KeyError as exc:  # e.g. a plan version that does not exist
            _fail(str(exc.args[0]) if exc.args else "onbekende sleutel")
        except BrokenPipeError:
            raise  # the reader went away (`overstap mail | head`): nothing to report
        except OSError as exc:
            _fail(f"{exc.filename or 'bestand'}: {exc.strerror or exc}")
        except (httpx.ConnectError, httpx.ConnectTimeout):
            _unreachable()
        except RuntimeError as exc:
            if "reach API" not in str(exc):
                raise
            _unreachable()
        return None

    return wrapper  # type: ignore[return-value]


def _unreachable() -> None:
    from deployments.environment import prepare_environment

    _fail(
        f"de Prefect-server op {prepare_environment().api_url} is niet bereikbaar; "
        "start eerst 'overstap up' (of zet PREFECT_API_URL)"
    )


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _setup(*, migrate: bool = False) -> None:
    """Prepare Prefect's environment and our database: every command checks that the schema is
    current (a new, empty database gets its tables); `migrate` upgrades it first (up, deploy,
    worker, db upgrade), safely when several processes start at once."""
    from deployments.environment import prepare_environment
    from models.store import migrate as migrations

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    log.setLevel(get_settings().log_level)
    prepare_environment()
    try:
        if migrate:
            migrations.upgrade()
        else:
            migrations.ensure_current()
    except migrations.SchemaError as exc:
        raise UserError(str(exc)) from None


# --- up / demo ----------------------------------------------------------------------------------


def _run_services(after_start: Callable[[], None] | None = None, host: str = "127.0.0.1") -> None:
    from deployments.environment import LocalServer, prepare_environment, ui_url

    target = prepare_environment()
    server = LocalServer(target, host)
    typer.echo("Prefect-server starten..." if not target.external else f"Prefect: {target.api_url}")
    server.start()
    sink = None
    if not get_settings().smtp_host:
        from deployments.smtp_sink import SmtpSink

        sink = SmtpSink().start()
        typer.echo(
            f"Geen SMTP-server ingesteld: e-mail gaat naar {get_settings().mail_dir} "
            f"(127.0.0.1:{sink.port}); bekijk ze met 'overstap mail'."
        )
    try:
        from deployments.serve import apply_deployments, serve_forever

        apply_deployments()
        if after_start is not None:
            after_start()
        typer.secho(f"Overstap draait. Prefect UI: {ui_url(target)}", fg=typer.colors.GREEN)
        typer.echo("Stoppen met Ctrl-C.")
        serve_forever()
    finally:
        if sink is not None:
            sink.stop()
        server.stop()
        typer.echo("Overstap is gestopt.")


@app.command()
@friendly_errors
def up(
    host: Annotated[
        str,
        typer.Option(
            metavar="ADRES",
            help="Adres waarop de Prefect-server luistert. Alleen met "
            "PREFECT_SERVER_API_AUTH_STRING iets anders dan 127.0.0.1.",
        ),
    ] = "127.0.0.1",
) -> None:
    """Start Prefect (lokaal op SQLite, tenzij PREFECT_API_URL is gezet) en voer de flows uit."""
    from deployments.environment import check_server_address

    check_server_address(host)
    _setup(migrate=True)
    _run_services(host=host)


@app.command()
@friendly_errors
def demo() -> None:
    """Als 'up', plus scholen en fictieve leerlingen op verschillende punten van het plan."""
    _setup(migrate=True)

    def seed() -> None:
        from deployments.demo import seed_demo

        for line in seed_demo():
            typer.echo(line)

    _run_services(after_start=seed)


# --- production: server, deploy, worker, db ---------------------------------------------------

db_app = DutchTyper(help="Het databaseschema van Overstap (Alembic).")
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
@friendly_errors
def db_upgrade() -> None:
    """Breng de tabellen naar de nieuwste versie (veilig als er meer processen tegelijk starten)."""
    from deployments.environment import prepare_environment
    from models.store import migrate

    prepare_environment()
    result = migrate.upgrade()
    if result.stamped_first_release:
        typer.echo(f"Database van de eerste release gemarkeerd als {migrate.BASELINE}.")
    if result.changed or result.stamped_first_release:
        typer.echo(f"Databaseschema bijgewerkt: {result.before or 'leeg'} -> {result.after}.")
    else:
        typer.echo(f"Databaseschema is al actueel ({result.after}); niets gewijzigd.")


@db_app.command("status")
@friendly_errors
def db_status() -> None:
    """Toon de versie van het databaseschema en of die actueel is (exit 1 als dat niet zo is)."""
    from deployments.environment import prepare_environment
    from models.store import migrate

    prepare_environment()
    found = migrate.state()
    typer.echo(found.describe())
    if found.state != migrate.SchemaState.CURRENT:
        raise typer.Exit(1)


@app.command()
@friendly_errors
def server(
    host: Annotated[
        str, typer.Option(metavar="ADRES", help="Adres om op te luisteren.")
    ] = "127.0.0.1",
    port: Annotated[
        int | None,
        typer.Option(metavar="POORT", help="Poort (standaard OVERSTAP_PREFECT_PORT)."),
    ] = None,
) -> None:
    """Start de Prefect-server in de voorgrond (voor systemd), met de bewaartermijnen van Overstap.

    De database van Prefect komt uit PREFECT_API_DATABASE_CONNECTION_URL (PostgreSQL in
    productie).
    Een ander adres dan 127.0.0.1 vereist PREFECT_SERVER_API_AUTH_STRING.
    """
    import os

    from deployments.environment import (
        check_server_address,
        prepare_environment,
        server_environment,
    )

    check_server_address(host)
    prepare_environment()
    env = server_environment()
    port = port or get_settings().prefect_port
    env["PREFECT_SERVER_API_PORT"] = str(port)  # where the UI in the browser finds the API
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", host]
    command += ["--port", str(port)]
    sys.stdout.flush()
    os.execve(sys.executable, command, env)


@app.command()
@friendly_errors
def deploy(
    pool: Annotated[
        str | None,
        typer.Option(metavar="NAAM", help="Naam van de work pool (standaard OVERSTAP_WORK_POOL)."),
    ] = None,
) -> None:
    """Maak de process work pool en registreer de deployments erin (herhaalbaar)."""
    from deployments.serve import deploy_to_pool

    _setup(migrate=True)
    report = deploy_to_pool(pool or get_settings().work_pool)
    for line in report:
        typer.echo(line)


@app.command()
@friendly_errors
def worker(
    pool: Annotated[
        str | None,
        typer.Option(metavar="NAAM", help="Naam van de work pool (standaard OVERSTAP_WORK_POOL)."),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(metavar="AANTAL", help="Flow runs die deze worker tegelijk uitvoert."),
    ] = None,
    name: Annotated[str | None, typer.Option(metavar="NAAM", help="Naam van deze worker.")] = None,
) -> None:
    """Start een Prefect-worker voor de work pool, met de omgeving van Overstap (meerdere kan)."""
    import os

    _setup(migrate=True)
    command = [sys.executable, "-m", "prefect", "worker", "start", "--type", "process"]
    command += ["--pool", pool or get_settings().work_pool]
    command += ["--limit", str(limit or get_settings().runner_limit)]
    if name:
        command += ["--name", name]
    from deployments.engine import start_preloaded_engine

    # The flow runs start as forks of the preloaded engine (it ends when the worker does); the
    # deployments' command `overstap-engine` is found beside this Python.
    start_preloaded_engine()
    bin_dir = os.path.dirname(sys.executable)
    os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
    sys.stdout.flush()
    # The worker replaces this process: signals (systemd's stop, kill) reach Prefect directly.
    os.execve(sys.executable, command, dict(os.environ))


# --- plan ---------------------------------------------------------------------------------------


@app.command()
@friendly_errors
def plan(
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
    version: Annotated[
        str | None, typer.Option(metavar="VERSIE", help="Een andere versie van het plan.")
    ] = None,
    check: Annotated[
        Path | None,
        typer.Option(
            "--check",
            metavar="MAP",
            help="Controleer een map met stappenplan/*.toml en kalender/*.toml naast de "
            "meegeleverde bestanden (zoals OVERSTAP_PLAN_DIR hem zou laden).",
        ),
    ] = None,
) -> None:
    """Toon de stappen: nummer, periode, titel, rollen, wat er gevraagd wordt, voorwaarde."""
    from models.plan.conditions import describe
    from models.plan.library import check_folder, library

    if check is not None:
        _check_plan_folder(check, check_folder)
        return
    found = library()
    the_plan = found.plan(version)
    rows = [
        {
            "number": s.number,
            "purpose": s.purpose or None,
            "period": s.period,
            "title": s.title,
            "track": s.track,
            "roles": [r.value for r in s.roles],
            "ask": s.ask.value,
            "questions": [
                {
                    "key": q.key,
                    "purpose": q.purpose,
                    "form": q.form,
                    "ask": q.kind.value,
                    "track": q.track,
                    "condition": q.condition,
                }
                for q in s.questions
            ],
            "condition": s.condition,
            "condition_text": describe(s.condition),
            "stops_when": s.stops_when,
        }
        for s in the_plan.steps
    ]
    calendars = [
        {"school_year": c.school_year, "status": c.status, "source": c.source}
        for _, c in sorted(found.calendars.items())
    ]
    if as_json:
        document = {"version": the_plan.version, "steps": rows, "calendars": calendars}
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    typer.echo(f"Stappenplan {the_plan.version}")
    for step in the_plan.steps:
        roles = ", ".join(r.label for r in step.roles)
        typer.echo(f"{step.number:>2}. [{step.period}] {step.title}")
        line = f"    wie: {roles}; gevraagd: {step.ask.value}"
        if step.condition:
            line += f"; {describe(step.condition)}"
        if step.stops_when:
            line += f"; {describe(step.stops_when)}"
        typer.echo(line)
    typer.echo("")
    for calendar in calendars:
        mark = " (AFGELEID: nog niet vastgesteld)" if calendar["status"] == "afgeleid" else ""
        typer.echo(f"Kalender {calendar['school_year']}{mark}")


def _check_plan_folder(folder: Path, check_folder: Callable[[Path], Any]) -> None:
    """`plan --check`: load a folder beside the shipped files; report what it holds."""
    from models.datafiles import PlanFileError
    from models.plan.library import CALENDAR_SUBDIR, PLAN_SUBDIR

    try:
        found = check_folder(folder)
    except PlanFileError as exc:
        typer.secho(f"Fout: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    own = folder.resolve()
    for version, the_plan in sorted(found.plans.items()):
        where = "map" if the_plan.path and own in the_plan.path.resolve().parents else "meegeleverd"
        typer.echo(f"Stappenplan {version}: {len(the_plan.steps)} stappen ({where})")
    for _, calendar in sorted(found.calendars.items()):
        mark = ", afgeleid" if calendar.derived else ""
        typer.echo(f"Kalender {calendar.school_year}{mark}")
    for warning in found.warnings:
        typer.secho(f"Waarschuwing: {warning}", fg=typer.colors.YELLOW)
    plans = len(list((folder / PLAN_SUBDIR).glob("*.toml")))
    calendars = len(list((folder / CALENDAR_SUBDIR).glob("*.toml")))
    typer.secho(
        f"In orde: {plans} stappenplan(nen) en {calendars} kalender(s) in {folder}.",
        fg=typer.colors.GREEN,
    )


# --- schools ------------------------------------------------------------------------------------


@schools_app.command(
    "import",
    help="Lees scholen en contactpersonen in (één regel per contact); alles of niets, "
    "herhaalbaar.\n\n"
    "Kolommen: brin,name,kind,role,contact_name,email. kind is PO, VO, PRO of VSO; role en "
    "contact blijven leeg voor een school zonder contactpersoon.\n\n"
    f"Rollen per soort school: {school_roles_text()}. De CvA en de coördinator krijgen hun "
    "e-mail via OVERSTAP_CVA_EMAIL en OVERSTAP_COORDINATOR_EMAIL.",
)
@friendly_errors
def schools_import(
    file: Annotated[
        Path,
        typer.Argument(metavar="BESTAND", help="CSV: brin,name,kind,role,contact_name,email"),
    ],
) -> None:
    from models.store.db import session_scope
    from models.store.schools import import_schools_csv

    _setup()
    with session_scope() as session:
        result = import_schools_csv(session, file, actor=_actor())
    typer.echo(
        f"Scholen: {result.schools_created} nieuw, {result.schools_updated} gewijzigd. "
        f"Contacten: {result.contacts_created} nieuw, {result.contacts_updated} gewijzigd. "
        f"Ongewijzigd: {result.unchanged}."
    )


@schools_app.command("list")
@friendly_errors
def schools_list(
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON-lijst.")] = False,
) -> None:
    """Toon de scholen: BRIN, naam, soort en de contactpersonen per rol."""
    from models.store.db import session_scope
    from models.store.schools import list_schools

    _setup()
    with session_scope() as session:
        schools = list_schools(session)
    if as_json:
        typer.echo(json.dumps([s.as_json() for s in schools], ensure_ascii=False, indent=2))
        return
    if not schools:
        typer.echo("Nog geen scholen; lees ze in met 'overstap schools import BESTAND'.")
        return
    for school in schools:
        typer.echo(f"{school.brin or '-':<7} {school.name} ({school.kind})")
        for role, name, email in school.contacts:
            typer.echo(f"{'':<8}{role.label}: {name} <{email}>")
        if not school.contacts:
            typer.echo(f"{'':<8}geen contactpersonen")
    typer.echo(f"{len(schools)} scholen.")


# --- enroll -------------------------------------------------------------------------------------

ENROLL_COLUMNS = ("first_name", "last_name", "birth_date", "school", "groep", "cohort")


START_THREADS = 8  # flow runs created at once for a CSV: bounded, so the server keeps up


def _start_runs(trajectory_ids: list[Any]) -> dict[Any, Any]:
    """Start a flow run per trajectory, in parallel batches; when Prefect is away the clock
    starts the missing ones later."""
    from concurrent.futures import ThreadPoolExecutor

    from prefect.client.orchestration import get_client

    from tasks.prefect_api import RETRY_PAUSES, PrefectUnavailable, start_trajectory_run

    actor = _actor()

    with get_client(sync_client=True) as client:  # one client for all threads

        def start(trajectory_id: Any) -> tuple[Any, Any]:
            try:
                run = start_trajectory_run(
                    trajectory_id,
                    replaces=None,
                    reason="ingeschreven",
                    actor=actor,
                    client=client,
                )
                return trajectory_id, run
            except (httpx.HTTPError, PrefectUnavailable) as exc:
                return trajectory_id, exc

        with ThreadPoolExecutor(max_workers=START_THREADS) as pool:
            outcomes = list(pool.map(start, trajectory_ids))
            for pause in RETRY_PAUSES:
                # A busy Prefect server (503 on SQLite under a burst) gets the failed ones again.
                again = [tid for tid, run in outcomes if isinstance(run, Exception)]
                if not again:
                    break
                time.sleep(pause)
                retried = dict(pool.map(start, again))
                outcomes = [(tid, retried.get(tid, run)) for tid, run in outcomes]
    started = {tid: run for tid, run in outcomes if not isinstance(run, Exception)}
    failed = [run for _, run in outcomes if isinstance(run, Exception)]
    if failed:
        exc = failed[0]
        typer.secho(
            f"Let op: {len(failed)} flow run(s) niet gestart ({exc.__class__.__name__}: {exc}). "
            "De trajecten zijn opgeslagen; 'overstap tick' start de flow runs zodra Prefect "
            "bereikbaar is.",
            err=True,
            fg=typer.colors.YELLOW,
        )
    return started


# The PO school of `enroll` and `correct`.
PoSchoolOption = Annotated[
    str | None,
    typer.Option(
        "--school",
        metavar="SCHOOL",
        help="BRIN of naam van de PO-school (een deel van de naam is genoeg als het uniek is).",
    ),
]


@app.command()
@friendly_errors
def enroll(
    first_name: Annotated[
        str | None, typer.Option("--first-name", metavar="NAAM", help="Voornaam.")
    ] = None,
    last_name: Annotated[
        str | None, typer.Option("--last-name", metavar="NAAM", help="Achternaam.")
    ] = None,
    birth_date: Annotated[
        str | None, typer.Option("--birth-date", metavar="DATUM", help=f"{DATE_HINT}.")
    ] = None,
    school: PoSchoolOption = None,
    groep: Annotated[int | None, typer.Option("--groep", metavar="GROEP", help="7 of 8.")] = None,
    cohort: Annotated[
        int | None,
        typer.Option("--cohort", metavar="JAAR", help="Jaar waarin de leerling in het VO start."),
    ] = None,
    csv_file: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            metavar="BESTAND",
            help="CSV met kolommen " + ",".join(ENROLL_COLUMNS) + f"; datums {DATE_HINT}.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Toon trajectory_id, code en flow_run_id als JSON.")
    ] = False,
) -> None:
    """Schrijf een leerling in (met opties) of vele (met --csv) en start hun flow runs."""
    from models.cases.enrolment import EnrollmentError, EnrollmentInput, check_enrollment
    from models.cases.enrolment import enroll as enroll_pupil
    from models.plan.library import get_plan
    from models.store.db import session_scope
    from models.store.schools import CsvImportError, read_csv_rows

    _setup()
    options = (first_name, last_name, birth_date, school, groep, cohort)
    if csv_file is not None:
        if any(o is not None for o in options):
            raise UserError("gebruik --csv of de losse opties, niet allebei")
        inputs = [
            (line, EnrollmentInput(**{c: row[c] for c in ENROLL_COLUMNS}))
            for line, row in read_csv_rows(csv_file, ENROLL_COLUMNS)
        ]
    else:
        missing = [
            name
            for name, value in zip(
                ("--first-name", "--last-name", "--birth-date", "--school", "--groep", "--cohort"),
                options,
                strict=True,
            )
            if value is None
        ]
        if missing:
            raise UserError(f"ontbrekende opties: {', '.join(missing)} (of gebruik --csv)")
        inputs = [(0, EnrollmentInput(*options))]  # type: ignore[arg-type]
    the_plan = get_plan()
    with session_scope() as session:
        checked: list[Any] = []
        errors: list[str] = []
        for line, raw in inputs:
            try:
                checked.append(check_enrollment(session, raw, the_plan))
            except EnrollmentError as exc:
                prefix = f"regel {line}: " if line else ""
                errors.extend(prefix + e for e in exc.errors)
        keys = [(c.first_name, c.last_name, c.birth_date, c.school.id) for c in checked]
        if len(set(keys)) != len(keys):
            errors.append("dezelfde leerling staat twee keer in het bestand")
        if errors:
            if csv_file is not None:
                raise CsvImportError(csv_file, errors)
            raise EnrollmentError(errors)
        created = [enroll_pupil(session, c, plan=the_plan, actor=_actor()) for c in checked]
        result = [{"trajectory_id": t.id, "code": t.code} for t in created]
    started = _start_runs([r["trajectory_id"] for r in result])
    output = [
        {
            "trajectory_id": str(r["trajectory_id"]),
            "code": r["code"],
            "flow_run_id": str(started[r["trajectory_id"]])
            if r["trajectory_id"] in started
            else None,
        }
        for r in result
    ]
    if as_json:
        typer.echo(json.dumps(output[0] if csv_file is None else output, indent=2))
    else:
        for row in output:
            typer.echo(
                f"Ingeschreven: {row['code']} (flow run {row['flow_run_id'] or 'nog niet gestart'})"
            )


# --- status -------------------------------------------------------------------------------------


def _overlay_prefect_states(rows: list[Any]) -> None:
    """A run that left its Suspended state (resumed, crashed) is no longer waiting."""
    from prefect.client.schemas.objects import StateType

    from tasks.prefect_api import read_flow_runs

    ids = [r.flow_run_id for r in rows if r.flow_run_id]
    ids += [t.flow_run_id for r in rows for t in r.tracks if t.flow_run_id]
    runs = read_flow_runs(ids)

    def waiting(state: str, flow_run_id: Any) -> tuple[str, str | None]:
        run = runs.get(flow_run_id) if flow_run_id else None
        name = run.state.name if run is not None and run.state else None
        paused = run is not None and run.state is not None and run.state.type == StateType.PAUSED
        if state in ("date", "answer", "track") and not paused:
            return "running", name
        return state, name

    for row in rows:
        row.waiting_for, row.prefect_state = waiting(row.waiting_for, row.flow_run_id)
        for track in row.tracks:
            track.waiting_for, _ = waiting(track.waiting_for, track.flow_run_id)


@app.command()
@friendly_errors
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON-lijst.")] = False,
    cohort: Annotated[
        int | None, typer.Option(metavar="JAAR", help="Alleen dit cohort (jaar naar het VO).")
    ] = None,
    school: Annotated[
        str | None,
        typer.Option(
            metavar="SCHOOL",
            help="BRIN, naam of een uniek deel van de naam van de PO- of VO-school.",
        ),
    ] = None,
    route: Annotated[
        str | None, typer.Option(metavar="ROUTE", help="regulier, pro, vso of onbekend.")
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Alleen met een verlopen termijn.")
    ] = False,
    waiting_on: Annotated[
        str | None,
        typer.Option(
            "--waiting-on",
            metavar="ROL",
            help="Alleen wachtend op deze rol: " + ", ".join(Role) + ".",
        ),
    ] = None,
) -> None:
    """Eén regel per traject: huidige stap, waarop het wacht, uiterlijke datum en termijnen."""
    from models.cases.view import check_cohort
    from models.enums import WAITING_LABELS, Route
    from models.mail.notifications import missing_contacts
    from models.mail.outbox import failing_addresses
    from models.reports.status import StatusFilter, filtered, status_rows
    from models.store.db import session_scope
    from models.store.schools import find_school

    try:
        wanted_route = Route.parse(route).value if route is not None else None
        wanted_role = Role.parse(waiting_on).value if waiting_on is not None else None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    _setup()
    with session_scope() as session:
        if cohort is not None:
            check_cohort(session, cohort)
        wanted_school = None
        if school is not None:
            try:
                wanted_school = find_school(session, school).name
            except LookupError as exc:
                raise UserError(str(exc)) from None
        rows = status_rows(session)
        missing = missing_contacts(session)
        failing = failing_addresses(session)
    rows = filtered(rows, StatusFilter(cohort, wanted_school, wanted_route, overdue, wanted_role))
    for row in rows:
        row.missing_contacts = [
            {"step": m.step, "role": m.role.value, "reason": m.explanation}
            for m in missing
            if m.trajectory_id == row.trajectory_id
        ]
    try:
        _overlay_prefect_states(rows)
    except httpx.HTTPError:
        typer.secho(
            "Let op: Prefect is niet bereikbaar; de status komt alleen uit de eigen administratie.",
            err=True,
            fg=typer.colors.YELLOW,
        )
    if as_json:
        typer.echo(json.dumps([row.as_json() for row in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("Geen trajecten (met deze filters).")
        return
    typer.echo(
        f"{'code':<6} {'cohort':<6} {'route':<9} {'stap':>4}  {'wacht op':<10}"
        f"{'uiterlijk':<11} leerling, school"
    )
    for row in rows:
        detail = (
            f" (opent {row.wait_until:%d-%m})"
            if row.waiting_for == "date" and row.wait_until
            else ""
        )
        late = " TE LAAT" if row.overdue else ""
        typer.echo(
            f"{row.code:<6} {row.cohort:<6} {row.route:<9} {row.current_step or '-':>4}  "
            f"{WAITING_LABELS.get(row.waiting_for, row.waiting_for):<10}"
            f"{(row.due.isoformat() if row.due else '-'):<11} "
            f"{row.pupil_label}, {row.po_school}{detail}{late}"
        )
        for deadline in row.deadlines:
            if deadline.kind != "stap":
                typer.echo(f"{'':<28}termijn {deadline.due.isoformat()}: {deadline.basis}")
        for gap in row.missing_contacts:
            typer.echo(f"{'':<28}geen e-mailadres voor {gap['role']} (stap {gap['step']})")
    for address in failing:
        typer.secho(
            f"E-mail naar {address.recipient} mislukt ({address.failed}x): {address.last_error}",
            fg=typer.colors.YELLOW,
        )


# --- retention and backups ----------------------------------------------------------------------


@app.command()
@friendly_errors
def purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Toon alleen wat verwijderd zou worden.")
    ] = False,
) -> None:
    """Verwijder de persoonsgegevens van afgelopen trajecten na hun bewaartermijn.

    Namen, geboortedatum en wat mensen in formulieren typten gaan weg; code, cohort, scholen,
    route, data en keuzes blijven voor de evaluatie. De klok doet dit elke dag.
    """
    from models.cases.retention import purge_candidates, purge_due
    from models.store import clock
    from models.store.db import session_scope

    _setup()
    today = clock.today()
    with session_scope() as session:
        due = (
            purge_candidates(session, today)
            if dry_run
            else purge_due(session, today, actor=_actor())
        )
    verb = "zou verwijderd worden" if dry_run else "verwijderd"
    for candidate in due:
        typer.echo(
            f"{candidate.code}  cohort {candidate.cohort}  {candidate.status} op "
            f"{candidate.ended_on.isoformat()}  bewaard tot {candidate.purge_on.isoformat()}"
        )
    typer.echo(f"{len(due)} traject(en): persoonsgegevens {verb}.")


@app.command()
@friendly_errors
def backup(
    file: Annotated[
        Path, typer.Argument(metavar="BESTAND", help="Het backupbestand dat gemaakt wordt.")
    ],
) -> None:
    """Maak een backup van de database van Overstap (SQLite: backup-API; PostgreSQL: pg_dump)."""
    from models.store.backup import backup as make_backup

    _setup()
    typer.echo(make_backup(file))


@app.command()
@friendly_errors
def restore(
    file: Annotated[
        Path, typer.Argument(metavar="BESTAND", help="Een backup van 'overstap backup'.")
    ],
    yes: Annotated[
        bool, typer.Option("--yes", help="Overschrijf de huidige database zonder te vragen.")
    ] = False,
) -> None:
    """Zet een backup terug. Stop eerst 'up' en de workers; draai daarna 'overstap tick'."""
    from deployments.environment import prepare_environment
    from models.store.backup import restore as put_back

    prepare_environment()
    if not yes:
        raise UserError("dit overschrijft de huidige database; bevestig met --yes")
    typer.echo(put_back(file))
    typer.echo(
        "Draai nu 'overstap db upgrade' (als de backup ouder is) en 'overstap tick': de klok "
        "herstelt trajecten waarvan de flow run niet meer bestaat."
    )


# --- show / export / dashboard -----------------------------------------------------------------


@app.command()
@friendly_errors
def show(
    code: Annotated[
        str, typer.Argument(metavar="CODE", help="Code van het traject, bijvoorbeeld K7Q2.")
    ],
) -> None:
    """Toon de hele geschiedenis van één traject: elke stap, elk antwoord, elke e-mail."""
    from models.reports.history import (
        UnknownTrajectoryError,
        render_history_text,
        trajectory_history,
    )
    from models.store.db import session_scope

    _setup()
    try:
        with session_scope() as session:
            history = trajectory_history(session, code)
    except UnknownTrajectoryError as exc:
        raise UserError(str(exc)) from None
    typer.echo(render_history_text(history))


@app.command()
@friendly_errors
def export(
    cohort: Annotated[int, typer.Option(metavar="JAAR", help="Het cohort (jaar naar het VO).")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="BESTAND", help="CSV-bestand (anders naar het scherm)."
        ),
    ] = None,
    with_names: Annotated[
        bool, typer.Option("--with-names", help="Met voor- en achternaam (standaard zonder).")
    ] = False,
) -> None:
    """Schrijf een cohort als CSV voor de jaarlijkse evaluatie (hoofdstuk 4); nooit een BSN."""
    from models.cases.view import check_cohort, load_views
    from models.reports.evaluation import load_tlv_requests
    from models.reports.export import export_columns, export_rows, step_numbers, write_csv
    from models.store.db import session_scope

    _setup()
    with session_scope() as session:
        check_cohort(session, cohort)
        views = load_views(session)
        rows = export_rows(
            views, cohort, with_names=with_names, tlv_requests=load_tlv_requests(session)
        )
    columns = export_columns(with_names=with_names, steps=step_numbers(views, cohort))
    if output is None:
        write_csv(rows, sys.stdout, columns=columns)
        return
    count = write_csv(rows, output, columns=columns)
    typer.echo(f"{count} leerlingen van cohort {cohort} geschreven naar {output}.", err=True)


@app.command()
@friendly_errors
def dashboard(
    cohort: Annotated[int | None, typer.Option(metavar="JAAR", help="Alleen dit cohort.")] = None,
    show_markdown: Annotated[
        bool, typer.Option("--print", help="Toon het dashboard ook hier (Markdown).")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Toon ook de logregels van Prefect.")
    ] = False,
) -> None:
    """Ververs de cohortdashboards in de Prefect UI (artefacten, één per cohort)."""
    from deployments.environment import prepare_environment, ui_url
    from models.cases.view import check_cohort
    from models.reports.dashboard import load_cohort_dashboard, render_markdown, summary_line
    from models.store.db import session_scope

    _setup()
    if cohort is not None:
        with session_scope() as session:
            check_cohort(session, cohort)
    from flows.dashboards import dashboards_flow

    with _prefect_console(verbose):
        keys = dashboards_flow(cohort)
    for key in keys:
        year = int(key.rsplit("-", 1)[1])
        with session_scope() as session:
            board = load_cohort_dashboard(session, year)
        if show_markdown:
            typer.echo(render_markdown(board))
        typer.echo(summary_line(board))
        typer.echo(f"  {ui_url(prepare_environment())}/artifacts/key/{key}")
    if not keys:
        typer.echo("Nog geen trajecten, dus geen dashboards.")


# --- mail ---------------------------------------------------------------------------------------


@app.command()
@friendly_errors
def mail(
    number: Annotated[
        int | None,
        typer.Argument(
            metavar="N",
            help="Toon bericht N. Berichten zijn genummerd in volgorde van binnenkomst (1 = het "
            "oudste), dus een nummer blijft hetzelfde als er mail bijkomt.",
        ),
    ] = None,
) -> None:
    """Lijst de e-mails in de lokale mailbox (nummer, wanneer, aan, onderwerp), of toon er één."""
    from deployments.smtp_sink import list_messages, read_message

    _setup()
    messages = list_messages()  # oldest first: the number of a message never changes
    if number is None:
        if not messages:
            typer.echo(f"Geen berichten in {get_settings().mail_dir}.")
        for index, message in enumerate(messages, start=1):
            when = f"{message.date:%Y-%m-%d %H:%M}" if message.date else "-"
            typer.echo(f"{index:>4}  {when:<16}  {message.to:<40} {message.subject}")
        return
    if not 1 <= number <= len(messages):
        raise UserError(f"er is geen bericht {number} (er zijn er {len(messages)})")
    chosen = messages[number - 1]
    typer.echo(f"Aan: {chosen.to}\nOnderwerp: {chosen.subject}\nDatum: {chosen.date}\n")
    typer.echo(read_message(chosen.path))


# --- answer -------------------------------------------------------------------------------------


@app.command()
@friendly_errors
def answer(
    code: Annotated[
        str, typer.Argument(metavar="CODE", help="Code van het traject, bijvoorbeeld K7Q2.")
    ],
    step: Annotated[int, typer.Argument(metavar="STAP", help="Nummer van de stap.")],
    fields: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="VELD=WAARDE",
            help="De velden van het formulier. Zonder velden toont 'answer CODE STAP' welke "
            "velden de open vraag heeft en wat ze toelaten.",
        ),
    ] = None,
    by: Annotated[
        str, typer.Option("--by", metavar="'NAAM, FUNCTIE'", help="Uw naam en functie.")
    ] = "",
) -> None:
    """Geef hetzelfde antwoord als het formulier in de Prefect UI."""
    from models.cases.answers import open_question, prepare_cli_answer
    from models.store.db import session_scope
    from tasks.prefect_api import PrefectUnavailable, resume_with_answer

    _setup()
    if not fields:
        with session_scope() as session:
            question = open_question(session, code=code, step=step)
        _print_form(question)
        return
    values: dict[str, str] = {}
    for item in fields:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UserError(f"'{item}' is geen veld=waarde")
        values[name.strip()] = value
    with session_scope() as session:
        prepared = prepare_cli_answer(session, code=code, step=step, fields=values, answered_by=by)
    if prepared.flow_run_id is None:
        raise UserError(f"traject {prepared.code} heeft nog geen flow run; draai 'overstap tick'")
    try:
        resume_with_answer(prepared.flow_run_id, prepared.run_input)
    except PrefectUnavailable as exc:
        raise UserError(str(exc)) from None
    except Exception as exc:  # NotPausedError and friends from Prefect
        if exc.__class__.__name__ == "NotPausedError":
            raise UserError(
                f"de flow run van {prepared.code} wacht op dit moment niet op een antwoord; "
                "probeer het zo opnieuw"
            ) from None
        raise
    typer.echo(f"Antwoord verstuurd: {prepared.code}, stap {step}. De flow run gaat verder.")


def _print_form(question: Any) -> None:
    """`answer CODE STAP` without fields: the open question's fields, labels and values."""
    due = f", uiterlijk {question.due:%d-%m-%Y}" if question.due else ""
    typer.echo(f"Traject {question.code}, stap {question.step}: {question.title}{due}.")
    typer.echo("Velden (veld=waarde):")
    width = max(len(f.name) for f in question.fields)
    for spec in question.fields:
        need = "; verplicht" if spec.required and spec.kind != "bool" else ""
        typer.echo(f"  {spec.name:<{width}}  {spec.title}: {question.allowed(spec)}{need}")
    example = next(
        (f for f in question.fields if f.required and f.kind != "bool"), question.fields[0]
    )
    typer.echo(
        f"Bijvoorbeeld: overstap answer {question.code} {question.step} {example.name}=... "
        "--by 'J. de Vries, intern begeleider'"
    )


# --- tick ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _prefect_console(verbose: bool) -> Iterator[None]:
    """Without --verbose, the log lines of a flow run in this process (it began, its address,
    each task's end state) stay off the terminal: the terminal's handlers show warnings and
    errors only. The lines still reach the Prefect server and its UI (Prefect's API handler
    hangs on its own loggers, not on the root)."""
    handlers = list(logging.getLogger().handlers)
    levels = [handler.level for handler in handlers]
    if not verbose:
        for handler in handlers:
            handler.setLevel(max(handler.level, logging.WARNING))
    try:
        yield
    finally:
        for handler, level in zip(handlers, levels, strict=True):
            handler.setLevel(level)


# The clock's counts in the order and the words of its summary: (key, one, many).
CLOCK_COUNTS = (
    ("actief", "1 actief traject", "{n} actieve trajecten"),
    ("gewekt", "1 gewekt", "{n} gewekt"),
    ("hersteld", "1 hersteld", "{n} hersteld"),
    (
        "geannuleerd",
        "1 traject geannuleerd in Prefect (wacht op stop of herstart)",
        "{n} trajecten geannuleerd in Prefect (wachten op stop of herstart)",
    ),
    ("herinnerd", "1 herinnering", "{n} herinneringen"),
    ("overzichten", "1 dagoverzicht", "{n} dagoverzichten"),
    ("te_laat", "1 vraag te laat gemeld", "{n} vragen te laat gemeld"),
    ("termijn_verlopen", "1 verlopen termijn gemeld", "{n} verlopen termijnen gemeld"),
    ("verstuurd", "1 e-mail verstuurd", "{n} e-mails verstuurd"),
    ("dashboards", "1 dashboard ververst", "{n} dashboards ververst"),
    (
        "gegevens_verwijderd",
        "persoonsgegevens van 1 traject verwijderd",
        "persoonsgegevens van {n} trajecten verwijderd",
    ),
    ("fouten", "1 traject overgeslagen door een fout", "{n} trajecten overgeslagen door een fout"),
)


def clock_summary(day: date, counts: dict[str, int]) -> str:
    """One Dutch line about a run of the clock: the active trajectories and what it did."""
    from models.dutch import dutch_date

    parts = []
    for key, one, many in CLOCK_COUNTS:
        n = counts.get(key, 0)
        if n or key == "actief":
            parts.append(one if n == 1 else many.format(n=n))
    known = {key for key, _, _ in CLOCK_COUNTS}
    parts += [
        f"{key.replace('_', ' ')}: {n}" for key, n in counts.items() if n and key not in known
    ]
    return f"Klok {dutch_date(day)}: " + ", ".join(parts) + "."


@app.command()
@friendly_errors
def tick(
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            metavar="DATUM",
            help=f"Verzet de klok ({DATE_HINT}); alleen met OVERSTAP_SIMULATION=1.",
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Toon ook de logregels van Prefect.")
    ] = False,
) -> None:
    """Laat de klok één keer lopen: wek wachtende trajecten, herstel vastgelopen runs."""
    from models.dutch import parse_date
    from models.store import clock

    _setup()
    if today is not None:
        if not get_settings().simulation:
            raise UserError("--today mag alleen in een simulatie: zet OVERSTAP_SIMULATION=1")
        try:
            day = parse_date(today)
        except ValueError:
            raise UserError(f"'{today}' is geen datum ({DATE_HINT})") from None
        current = clock.simulated_date()
        if current is not None and day < current:
            raise UserError(
                f"de klok kan niet terug: het is in de simulatie al {current.isoformat()}"
            )
        from deployments.environment import api_healthy, prepare_environment

        if not api_healthy(prepare_environment().api_url):
            _unreachable()  # before the date moves: nothing changes when the clock cannot run
        clock.set_simulated_date(day)
        typer.echo(f"Gesimuleerde datum: {day.isoformat()}")
    from flows.clock import clock_flow

    with _prefect_console(verbose):
        counts = clock_flow()
    typer.echo(clock_summary(clock.today(), counts))


# --- a trajectory after its enrolment: correct, stop, restart -----------------------------------
# A refusal prints Dutch lines on stderr with exit code 1 and changes nothing.

CODE_HELP = "Code van het traject, bijvoorbeeld K7Q2."


@contextlib.contextmanager
def _refused() -> Iterator[None]:
    """A refusal of the records (`LifecycleError`) or of Prefect as Dutch lines, exit code 1."""
    from models.cases.lifecycle import LifecycleError
    from tasks.prefect_api import PrefectUnavailable

    try:
        yield
    except LifecycleError as exc:
        for error in exc.errors:
            typer.secho(f"Fout: {error}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    except PrefectUnavailable as exc:
        raise UserError(f"{exc}; er is niets gewijzigd. Start eerst 'overstap up'") from None


def _refresh_dashboards(cohorts: set[int]) -> None:
    """Refresh the cohorts' dashboards now; when Prefect is away the next clock run does it."""
    from flows.dashboards import dashboards_flow

    try:
        with _prefect_console(False):
            for cohort in sorted(cohorts):
                dashboards_flow(cohort)
    except (httpx.HTTPError, RuntimeError):
        typer.secho(
            "Let op: de dashboards worden bij de volgende klokronde ververst.",
            err=True,
            fg=typer.colors.YELLOW,
        )


@app.command()
@friendly_errors
def correct(
    code: Annotated[str, typer.Argument(metavar="CODE", help=CODE_HELP)],
    first_name: Annotated[
        str | None, typer.Option("--first-name", metavar="NAAM", help="Nieuwe voornaam.")
    ] = None,
    last_name: Annotated[
        str | None, typer.Option("--last-name", metavar="NAAM", help="Nieuwe achternaam.")
    ] = None,
    birth_date: Annotated[
        str | None,
        typer.Option("--birth-date", metavar="DATUM", help=f"Nieuwe geboortedatum ({DATE_HINT})."),
    ] = None,
    school: PoSchoolOption = None,
    groep: Annotated[
        int | None,
        typer.Option("--groep", metavar="GROEP", help="Groep bij de inschrijving: 7 of 8."),
    ] = None,
    cohort: Annotated[
        int | None,
        typer.Option(
            "--cohort",
            metavar="JAAR",
            help="Jaar waarin de leerling in het VO start; alleen zolang er nog niets is "
            "beantwoord (alle datums van het plan verschuiven mee).",
        ),
    ] = None,
) -> None:
    """Verbeter de inschrijving van een leerling: naam, geboortedatum, school, groep of cohort."""
    from models.cases.lifecycle import Correction
    from tasks.lifecycle import correct_trajectory

    _setup()
    wanted = Correction(first_name, last_name, birth_date, school, groep, cohort)
    with _refused():
        result, new_run = correct_trajectory(code, wanted, actor=_actor())
    typer.echo(f"Gecorrigeerd: {result.code} ({', '.join(result.changed)}).")
    if new_run is not None:
        typer.echo(f"De datums volgen het nieuwe cohort: nieuwe flow run {new_run}.")
    if result.retag or len(result.cohorts) > 1:
        _refresh_dashboards(result.cohorts)


@app.command()
@friendly_errors
def stop(
    code: Annotated[str, typer.Argument(metavar="CODE", help=CODE_HELP)],
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            metavar="REDEN",
            help="Waarom de leerling stopt (komt in het auditlog; geen medische gegevens).",
        ),
    ],
) -> None:
    """Stop het traject van een leerling: flow runs geannuleerd, open vragen ingetrokken."""
    from tasks.lifecycle import stop_trajectory

    _setup()
    with _refused():
        result = stop_trajectory(code, reason=reason, actor=_actor())
    typer.echo(
        f"Gestopt: {result.code}. Er worden geen vragen, herinneringen of meldingen meer "
        f"verstuurd; 'overstap restart {result.code}' zet het traject voort."
    )
    _refresh_dashboards({result.cohort})


@app.command()
@friendly_errors
def restart(
    code: Annotated[str, typer.Argument(metavar="CODE", help=CODE_HELP)],
) -> None:
    """Zet een gestopt traject, of een traject waarvan de flow run in Prefect is geannuleerd,
    voort waar het was: niets wordt opnieuw gevraagd of opnieuw gemaild."""
    from tasks.lifecycle import restart_trajectory

    _setup()
    with _refused():
        restart_info, started = restart_trajectory(code, actor=_actor())
    for track, flow_run in started.items():
        what = "" if track == MAIN_TRACK else f" (procedure {track})"
        typer.echo(f"Herstart: {restart_info.code}{what}, flow run {flow_run}.")
    _refresh_dashboards({restart_info.cohort})


def main() -> None:
    """Entry point of the `overstap` command."""
    from deployments.environment import prepare_environment

    # Prefect reads its settings once, when it is first imported: set them before any command.
    prepare_environment()
    try:
        code = run(app)
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    main()
