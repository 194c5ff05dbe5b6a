"""End to end: `overstap up` with its real processes, driven through the CLI like an operator.

Fifty pupils are enrolled; once they all wait, no flow process is alive. An answer from the command
line moves one pupil on; bad input gets a Dutch error and no traceback; Ctrl-C stops everything.
"""

from __future__ import annotations

import csv
import json
import signal
import string
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.e2e.local import DEMO_SCHOOLS, cli, overstap_up, status, up_environment, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return up_environment(tmp_path)


@pytest.fixture
def running(env: dict[str, str], tmp_path: Path) -> Iterator[psutil.Process]:
    with overstap_up(env, tmp_path / "up.log") as process:
        yield process


def _flow_processes(up: psutil.Process, runs: set[str] | None = None) -> list[psutil.Process]:
    """The flow processes under `up` (of the flow runs `runs` only, when given: the mail
    sender's runs come and go whatever the pupils do)."""
    found = []
    for child in up.children(recursive=True):
        try:
            if "prefect.engine" not in " ".join(child.cmdline()):
                continue
            if runs is None or child.environ().get("PREFECT__FLOW_RUN_ID") in runs:
                found.append(child)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def test_fifty_waiting_pupils_hold_no_process(
    env: dict[str, str], running: psutil.Process, tmp_path: Path
) -> None:
    cli(env, "schools", "import", str(DEMO_SCHOOLS))
    pupils = tmp_path / "leerlingen.csv"
    with pupils.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["first_name", "last_name", "birth_date", "school", "groep", "cohort"])
        for n in range(50):
            letters = string.ascii_uppercase[n // 26] + string.ascii_lowercase[n % 26]
            writer.writerow([f"Kind {letters}", "Testpersoon", "2014-05-01", "99PA", "8", "2027"])
    ticked = cli(env, "tick", "--today", "2026-09-15")
    # One Dutch summary; Prefect's own lines (a flow run began, where to view it) stay away.
    assert ticked.stdout == (
        "Gesimuleerde datum: 2026-09-15\nKlok 15 september 2026: 0 actieve trajecten.\n"
    )
    assert "flow run" not in ticked.stderr.lower()
    back = cli(env, "tick", "--today", "01-09-2026", check=False)  # as Dutch users type a date
    assert back.returncode == 1
    assert "de klok kan niet terug: het is in de simulatie al 2026-09-15" in back.stderr
    enrolled = json.loads(cli(env, "enroll", "--csv", str(pupils), "--json").stdout)
    assert len(enrolled) == 50
    assert all(set(row) == {"trajectory_id", "code", "flow_run_id"} for row in enrolled)
    assert all(row["flow_run_id"] for row in enrolled)

    def all_waiting() -> bool:
        rows = status(env)
        return len(rows) == 50 and all(
            r["waiting_for"] == "answer" and r["prefect_state"] == "Suspended" for r in rows
        )

    wait_until(all_waiting, 420, "50 suspended runs")
    # A suspended run's process exits right after it reported Suspended (log flush, teardown).
    pupil_runs = {row["flow_run_id"] for row in enrolled}
    wait_until(lambda: _flow_processes(running, pupil_runs) == [], 60, "the flow processes to exit")
    time.sleep(5)
    assert _flow_processes(running, pupil_runs) == [], "a waiting pupil holds no process"
    rows = {r["code"]: r for r in status(env)}
    sample = rows[enrolled[0]["code"]]
    # Enrolled in September of groep 8: the steps of groep 7 were missed. Those nobody reads
    # later are recorded as such (step 1 so far); the consultation with a VO school (step 2) is
    # still asked, due with the first question after the enrolment (step 14, November).
    assert sample["current_step"] == 2
    assert sample["cohort"] == 2027
    assert sample["steps_done"] == []
    assert sample["steps_late_entry"] == [1]
    assert sample["due"] == "2026-11-30"

    code = enrolled[0]["code"]
    school = "vo_school=Andere school (buiten de regio)"
    export = cli(env, "export", "--cohort", "2027").stdout
    assert export.startswith("\ufeffcode;cohort;plan;po_school;")
    assert "voornaam" not in export.splitlines()[0]
    named = cli(env, "export", "--cohort", "2027", "--with-names").stdout
    assert named.startswith("\ufeffcode;voornaam;achternaam;")
    dashboard = cli(env, "dashboard", "--cohort", "2027")
    assert dashboard.stdout.startswith("Cohort 2027: 50 leerlingen — 50 actief, 0 afgerond")
    assert "/artifacts/key/overstap-cohort-2027\n" in dashboard.stdout
    assert "flow run" not in (dashboard.stdout + dashboard.stderr).lower()
    form = cli(env, "answer", code, "2").stdout  # no fields: what the open question asks
    assert "Komt de leerling volgens het VO in aanmerking?" in form
    assert "in_aanmerking" in form
    bad = cli(
        env,
        "answer",
        code,
        "2",
        school,
        "in_aanmerking=misschien",
        "--by",
        "J. Jansen, ib",
        check=False,
    )
    assert bad.returncode == 1
    assert "'Komt de leerling volgens het VO in aanmerking?': kies een van" in bad.stderr
    assert "Traceback" not in bad.stderr + bad.stdout
    wrong_step = cli(env, "answer", code, "3", "--by", "J. Jansen, ib", check=False)
    assert "wacht op een antwoord bij stap 2, niet bij stap 3" in wrong_step.stderr

    good = cli(env, "answer", code, "2", school, "in_aanmerking=ja", "--by", "J. Jansen, ib")
    assert "Antwoord verstuurd" in good.stdout
    wait_until(
        lambda: (
            {r["code"]: r for r in status(env)}[code]["steps_done"] == [2]
            and {r["code"]: r for r in status(env)}[code]["prefect_state"] == "Suspended"
        ),
        120,
        "the answered pupil to move on",
    )
    moved = {r["code"]: r for r in status(env)}[code]
    assert moved["current_step"] == 5
    assert moved["steps_late_entry"] == [1, 3, 4]
    wait_until(lambda: _flow_processes(running, pupil_runs) == [], 60, "the flow process to exit")

    children = running.children(recursive=True)
    assert any("server" in " ".join(c.cmdline()) for c in children), "the Prefect server"
    running.send_signal(signal.SIGINT)  # Ctrl-C
    running.wait(timeout=60)
    wait_until(lambda: not any(c.is_running() for c in children), 30, "all processes to stop")


def test_cli_refuses_bad_input_without_a_traceback(env: dict[str, str], tmp_path: Path) -> None:
    """No server needed for these: every refusal is one Dutch line and exit code 1."""
    result = cli(env, "tick", "--today", "2026-13-01", check=False)
    assert result.returncode == 1
    assert "is geen datum" in result.stderr
    no_sim = {**env, "OVERSTAP_SIMULATION": "0"}
    refused = cli(no_sim, "tick", "--today", "2026-12-01", check=False)
    assert "--today mag alleen in een simulatie" in refused.stderr
    missing = cli(env, "enroll", "--first-name", "Anna", check=False)
    assert "ontbrekende opties: --last-name" in missing.stderr
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("brin,name,kind,role,contact_name,email\n12AB,X,PO,rector,A,a@example.org\n")
    refused_csv = cli(env, "schools", "import", str(bad_csv), check=False)
    assert "regel 2: rol 'rector' bestaat niet" in refused_csv.stderr
    assert "er is niets ingelezen" in refused_csv.stderr
    for result in (refused, missing, refused_csv):
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
    plan = json.loads(cli(env, "plan", "--json").stdout)
    assert [s["number"] for s in plan["steps"]] == list(range(1, 29))
    unknown = cli(env, "show", "ZZZZ", check=False)
    assert unknown.returncode == 1
    assert "ZZZZ" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    nobody = "Fout: cohort 2027 heeft geen trajecten: er is nog niemand ingeschreven"
    for command in ("export", "status", "dashboard"):
        unknown_cohort = cli(env, command, "--cohort", "2027", check=False)
        assert (unknown_cohort.returncode, unknown_cohort.stderr.strip()) == (1, nobody)
    bad_date = cli(env, "tick", "--today", "31-02-2027", check=False)
    assert "Fout: '31-02-2027' is geen datum (JJJJ-MM-DD of DD-MM-JJJJ)" in bad_date.stderr
    # Typer's own refusals, through the real entry point, are Dutch too.
    usage = cli(env, "export", check=False)
    assert usage.returncode == 2
    assert usage.stderr == (
        "Gebruik: overstap export [OPTIES]\nMeer uitleg: 'overstap export --help'.\n\n"
        "Fout: optie '--cohort' ontbreekt\n"
    )
    cli(env, "schools", "import", str(DEMO_SCHOOLS))
    listed = cli(env, "schools", "list").stdout
    assert "99PA    OBS De Regenboog (PO)\n        leerkracht PO: Anouk Visser" in listed
    schools = json.loads(cli(env, "schools", "list", "--json").stdout)
    assert {s["brin"] for s in schools} >= {"99PA", "99PB", "99VA", "99VC", "99VD"}
    filtered = cli(
        env, "status", "--route", "PRO", "--waiting-on", "Intaker_VO", "--school", "regenb"
    )
    assert filtered.stdout == "Geen trajecten (met deze filters).\n"
    ambiguous = cli(env, "status", "--school", "nassau", check=False)
    assert "'nassau' past bij meer dan één school: Dr. Nassau College Penta (99VA)" in (
        ambiguous.stderr
    )


def test_mail_numbers_stay_when_mail_arrives(env: dict[str, str], tmp_path: Path) -> None:
    """Messages are numbered by arrival, the oldest 1: a new one gets the next number."""
    mail_dir = tmp_path / "data" / "mail"
    mail_dir.mkdir(parents=True)

    def arrive(stamp: str, subject: str) -> None:
        message = f"To: ib@example.org\r\nSubject: {subject}\r\n\r\nTekst van {subject}.\r\n"
        (mail_dir / f"{stamp}-x.eml").write_text(message, encoding="utf-8")

    arrive("20270325T080000000000Z", "Eerste")
    arrive("20270325T090000000000Z", "Tweede")
    before = cli(env, "mail").stdout.splitlines()
    arrive("20270326T080000000000Z", "Derde")
    after = cli(env, "mail").stdout.splitlines()
    assert after[:2] == before
    assert [line.split()[0] for line in after] == ["1", "2", "3"]
    assert after[2].endswith("Derde")
    assert "Tekst van Eerste." in cli(env, "mail", "1").stdout
    assert "Onderwerp: Derde" in cli(env, "mail", "3").stdout
