"""The `overstap` command line. Every command has `--help`.

Prefect is imported only inside commands, after `prepare_environment()` has set its defaults.
Errors a user can cause (a bad CSV row, a wrong step, an unreachable server) are printed as one
clear Dutch line on stderr with exit code 1; nothing is changed when input is refused.
"""

from __future__ import annotations

import functools
import getpass
import json
import logging
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import httpx
import typer

from models.settings import get_settings

app = typer.Typer(
    help="Overstap: het stappenplan van de overstap PO-VO, één Prefect flow run per leerling.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
schools_app = typer.Typer(help="Scholen en contactpersonen.", no_args_is_help=True)
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
            PlanFileError,
            PermissionError,
            UnsafeServerAddress,
            PrefectServerError,
            BackupError,
        ) as exc:
            _fail(str(exc))
        except KeyError as exc:  # e.g. a plan version that does not exist
            _fail(str(exc.args[0]) if exc.args else "onbekende sleutel")
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
            help="Adres waarop de Prefect-server luistert. Alleen met "
            "PREFECT_SERVER_API_AUTH_STRING iets anders dan 127.0.0.1."
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

db_app = typer.Typer(help="Het databaseschema van Overstap (Alembic).", no_args_is_help=True)
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
    host: Annotated[str, typer.Option(help="Adres om op te luisteren.")] = "127.0.0.1",
    port: Annotated[
        int | None, typer.Option(help="Poort (standaard OVERSTAP_PREFECT_PORT).")
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
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", host]
    command += ["--port", str(port or get_settings().prefect_port)]
    sys.stdout.flush()
    os.execve(sys.executable, command, env)


@app.command()
@friendly_errors
def deploy(
    pool: Annotated[
        str | None, typer.Option(help="Naam van de work pool (standaard OVERSTAP_WORK_POOL).")
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
        str | None, typer.Option(help="Naam van de work pool (standaard OVERSTAP_WORK_POOL).")
    ] = None,
    limit: Annotated[
        int | None, typer.Option(help="Flow runs die deze worker tegelijk uitvoert.")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Naam van deze worker.")] = None,
) -> None:
    """Start een Prefect-worker voor de work pool, met de omgeving van Overstap (meerdere kan)."""
    import os

    _setup(migrate=True)
    command = [sys.executable, "-m", "prefect", "worker", "start", "--type", "process"]
    command += ["--pool", pool or get_settings().work_pool]
    command += ["--limit", str(limit or get_settings().runner_limit)]
    if name:
        command += ["--name", name]
    sys.stdout.flush()
    # The worker replaces this process: signals (systemd's stop, kill) reach Prefect directly.
    os.execve(sys.executable, command, dict(os.environ))


# --- plan ---------------------------------------------------------------------------------------


@app.command()
@friendly_errors
def plan(
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
    version: Annotated[str | None, typer.Option(help="Een andere versie van het plan.")] = None,
    check: Annotated[
        Path | None,
        typer.Option(
            "--check",
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


@schools_app.command("import")
@friendly_errors
def schools_import(
    file: Annotated[Path, typer.Argument(help="CSV: brin,name,kind,role,contact_name,email")],
) -> None:
    """Lees scholen en contactpersonen in (één regel per contact); alles of niets, herhaalbaar."""
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


# --- enroll -------------------------------------------------------------------------------------

ENROLL_COLUMNS = ("first_name", "last_name", "birth_date", "school", "groep", "cohort")


START_THREADS = 8  # flow runs created at once for a CSV: bounded, so the server keeps up


def _start_runs(trajectory_ids: list[Any]) -> dict[Any, Any]:
    """Start a flow run per trajectory, in parallel batches; when Prefect is away the clock
    starts the missing ones later."""
    from concurrent.futures import ThreadPoolExecutor

    from tasks.prefect_api import PrefectUnavailable, start_trajectory_run

    actor = _actor()

    def start(trajectory_id: Any) -> tuple[Any, Any]:
        try:
            run = start_trajectory_run(
                trajectory_id, replaces=None, reason="ingeschreven", actor=actor
            )
            return trajectory_id, run
        except (httpx.HTTPError, PrefectUnavailable) as exc:
            return trajectory_id, exc

    with ThreadPoolExecutor(max_workers=START_THREADS) as pool:
        outcomes = list(pool.map(start, trajectory_ids))
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


@app.command()
@friendly_errors
def enroll(
    first_name: Annotated[str | None, typer.Option("--first-name", help="Voornaam.")] = None,
    last_name: Annotated[str | None, typer.Option("--last-name", help="Achternaam.")] = None,
    birth_date: Annotated[str | None, typer.Option("--birth-date", help="JJJJ-MM-DD.")] = None,
    school: Annotated[
        str | None, typer.Option("--school", help="BRIN of naam van de PO-school.")
    ] = None,
    groep: Annotated[int | None, typer.Option("--groep", help="7 of 8.")] = None,
    cohort: Annotated[
        int | None, typer.Option("--cohort", help="Jaar waarin de leerling in het VO start.")
    ] = None,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="CSV met kolommen " + ",".join(ENROLL_COLUMNS))
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
        int | None, typer.Option(help="Alleen dit cohort (jaar naar het VO).")
    ] = None,
    school: Annotated[
        str | None, typer.Option(help="BRIN of naam van de PO- of VO-school.")
    ] = None,
    route: Annotated[str | None, typer.Option(help="regulier, pro, vso of onbekend.")] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Alleen met een verlopen termijn.")
    ] = False,
    waiting_on: Annotated[
        str | None,
        typer.Option("--waiting-on", help="Alleen wachtend op deze rol, bv. intaker_vo of cva."),
    ] = None,
) -> None:
    """Eén regel per traject: huidige stap, waarop het wacht, uiterlijke datum en termijnen."""
    from models.enums import WAITING_LABELS, Role, Route
    from models.mail.notifications import missing_contacts
    from models.mail.outbox import failing_addresses
    from models.reports.status import StatusFilter, filtered, status_rows
    from models.store.db import session_scope

    if route is not None and route not in {r.value for r in Route}:
        raise UserError(
            f"route '{route}' bestaat niet (kies uit {', '.join(r.value for r in Route)})"
        )
    if waiting_on is not None and waiting_on not in {r.value for r in Role}:
        raise UserError(
            f"rol '{waiting_on}' bestaat niet (kies uit {', '.join(r.value for r in Role)})"
        )
    _setup()
    with session_scope() as session:
        rows = status_rows(session)
        missing = missing_contacts(session)
        failing = failing_addresses(session)
    rows = filtered(rows, StatusFilter(cohort, school, route, overdue, waiting_on))
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
    file: Annotated[Path, typer.Argument(help="Het backupbestand dat gemaakt wordt.")],
) -> None:
    """Maak een backup van de database van Overstap (SQLite: backup-API; PostgreSQL: pg_dump)."""
    from models.store.backup import backup as make_backup

    _setup()
    typer.echo(make_backup(file))


@app.command()
@friendly_errors
def restore(
    file: Annotated[Path, typer.Argument(help="Een backup van 'overstap backup'.")],
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
    code: Annotated[str, typer.Argument(help="Code van het traject, bijvoorbeeld K7Q2.")],
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
    cohort: Annotated[int, typer.Option(help="Het cohort (jaar naar het VO).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="CSV-bestand (anders naar het scherm).")
    ] = None,
    with_names: Annotated[
        bool, typer.Option("--with-names", help="Met voor- en achternaam (standaard zonder).")
    ] = False,
) -> None:
    """Schrijf een cohort als CSV voor de jaarlijkse evaluatie (hoofdstuk 4); nooit een BSN."""
    from models.cases.view import load_views
    from models.reports.evaluation import load_tlv_requests
    from models.reports.export import export_columns, export_rows, step_numbers, write_csv
    from models.store.db import session_scope

    _setup()
    with session_scope() as session:
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
    cohort: Annotated[int | None, typer.Option(help="Alleen dit cohort.")] = None,
    show_markdown: Annotated[
        bool, typer.Option("--print", help="Toon het dashboard ook hier (Markdown).")
    ] = False,
) -> None:
    """Ververs de cohortdashboards in de Prefect UI (artefacten, één per cohort)."""
    from deployments.environment import prepare_environment, ui_url
    from flows.dashboards import dashboards_flow
    from models.reports.dashboard import load_cohort_dashboard, render_markdown
    from models.store.db import session_scope

    _setup()
    keys = dashboards_flow(cohort)
    for key in keys:
        year = int(key.rsplit("-", 1)[1])
        if show_markdown:
            with session_scope() as session:
                typer.echo(render_markdown(load_cohort_dashboard(session, year)))
        typer.echo(f"Cohort {year}: {ui_url(prepare_environment())}/artifacts/key/{key}")
    if not keys:
        typer.echo("Nog geen trajecten, dus geen dashboards.")


# --- mail ---------------------------------------------------------------------------------------


@app.command()
@friendly_errors
def mail(
    number: Annotated[
        int | None, typer.Argument(help="Toon bericht nummer N uit de lijst (1 = nieuwste).")
    ] = None,
) -> None:
    """Lijst de e-mails in de lokale mailbox (aan, onderwerp, wanneer), of toon er één."""
    from deployments.smtp_sink import list_messages, read_message

    _setup()
    messages = sorted(list_messages(), key=lambda m: m.path.name, reverse=True)
    if number is None:
        if not messages:
            typer.echo(f"Geen berichten in {get_settings().mail_dir}.")
        for index, message in enumerate(messages, start=1):
            typer.echo(
                f"{index:>4}  {message.date:%Y-%m-%d %H:%M}  {message.to:<40} {message.subject}"
            )
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
    code: Annotated[str, typer.Argument(help="Code van het traject, bijvoorbeeld K7Q2.")],
    step: Annotated[int, typer.Argument(help="Nummer van de stap.")],
    fields: Annotated[list[str] | None, typer.Argument(help="veld=waarde ...")] = None,
    by: Annotated[str, typer.Option("--by", help="Uw naam en functie.")] = "",
) -> None:
    """Geef hetzelfde antwoord als het formulier in de Prefect UI."""
    from models.cases.answers import prepare_cli_answer
    from models.store.db import session_scope
    from tasks.prefect_api import PrefectUnavailable, resume_with_answer

    _setup()
    values: dict[str, str] = {}
    for item in fields or []:
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


# --- tick ---------------------------------------------------------------------------------------


@app.command()
@friendly_errors
def tick(
    today: Annotated[
        str | None,
        typer.Option(
            "--today", help="Verzet de klok (JJJJ-MM-DD); alleen met OVERSTAP_SIMULATION=1."
        ),
    ] = None,
) -> None:
    """Laat de klok één keer lopen: wek wachtende trajecten, herstel vastgelopen runs."""
    from models.store import clock

    _setup()
    if today is not None:
        if not get_settings().simulation:
            raise UserError("--today mag alleen in een simulatie: zet OVERSTAP_SIMULATION=1")
        try:
            day = date.fromisoformat(today)
        except ValueError:
            raise UserError(f"'{today}' is geen datum (JJJJ-MM-DD)") from None
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

    counts = clock_flow()
    typer.echo(
        f"Klok {clock.today().isoformat()}: {counts.get('actief', 0)} actief, "
        f"{counts.get('gewekt', 0)} gewekt, {counts.get('hersteld', 0)} hersteld, "
        f"{counts.get('gestopt', 0)} gestopt."
    )


def main() -> None:
    """Entry point of the `overstap` command."""
    from deployments.environment import prepare_environment

    # Prefect reads its settings once, when it is first imported: set them before any command.
    prepare_environment()
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
