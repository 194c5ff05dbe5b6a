"""End to end: `overstap up` with its real processes, driven through the CLI like an operator.

Fifty pupils are enrolled; once they all wait, no flow process is alive. An answer from the command
line moves one pupil on; bad input gets a Dutch error and no traceback; Ctrl-C stops everything.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import string
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

pytestmark = pytest.mark.e2e

OVERSTAP = str(Path(sys.executable).parent / "overstap")
DEMO_SCHOOLS = Path(__file__).resolve().parents[2] / "deployments" / "demo_data" / "scholen.csv"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_", "OVERSTAP_"))
    }
    environment.update(
        OVERSTAP_DATA_DIR=str(tmp_path / "data"),
        OVERSTAP_DATABASE_URL=f"sqlite:///{tmp_path / 'data' / 'overstap.db'}",
        OVERSTAP_PREFECT_PORT=str(_free_port()),
        OVERSTAP_SIMULATION="1",
        OVERSTAP_RUNNER_LIMIT="6",
        PREFECT_HOME=str(tmp_path / "prefect"),
        PREFECT_RUNNER_POLL_FREQUENCY="1",
    )
    return environment


def cli(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [OVERSTAP, *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"overstap {' '.join(args)}: {result.stdout}\n{result.stderr}")
    return result


def status(env: dict[str, str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(cli(env, "status", "--json").stdout)
    return rows


def wait_until(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def running(env: dict[str, str], tmp_path: Path) -> Iterator[psutil.Process]:
    log = (tmp_path / "up.log").open("wb")
    process = subprocess.Popen(
        [OVERSTAP, "up"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_until(
            lambda: b"Overstap draait" in (tmp_path / "up.log").read_bytes(), 120, "overstap up"
        )
        yield psutil.Process(process.pid)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        log.close()


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
    cli(env, "tick", "--today", "2026-09-15")
    back = cli(env, "tick", "--today", "2026-09-01", check=False)
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
    csv_text = cli(env, "export", "--cohort", "2027").stdout
    assert csv_text.startswith("\ufeffcode;cohort;plan;po_school;")
    assert "voornaam" not in csv_text.splitlines()[0]
    named = cli(env, "export", "--cohort", "2027", "--with-names").stdout
    assert named.startswith("\ufeffcode;voornaam;achternaam;")
    commands = ("up", "demo", "plan", "enroll", "status", "answer", "tick", "schools", "show")
    for command in (*commands, "export", "dashboard", "mail"):
        assert cli(env, command, "--help").returncode == 0
