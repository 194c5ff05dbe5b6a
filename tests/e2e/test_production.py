"""Production mode, the way the runbook starts it: a Prefect server on PostgreSQL with an auth
string, our tables on PostgreSQL, `overstap deploy`, two `overstap worker`s, and the clock as a
deployment. Thirty pupils go through the aanmeldweek; one worker is killed with kill -9 half-way.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.conftest import POSTGRES_URL
from tests.e2e.cluster import OVERSTAP, Cluster, answer, free_port, production, seed

pytestmark = pytest.mark.e2e

PUPILS = 30


def test_a_public_address_without_an_auth_string_is_refused(tmp_path: Path) -> None:
    """`up --host 0.0.0.0` and `server --host 0.0.0.0` refuse to start an open UI, naming the
    setting that makes it safe; nothing is started."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OVERSTAP_", "PREFECT_"))}
    env.update(
        OVERSTAP_DATA_DIR=str(tmp_path / "data"),
        OVERSTAP_PREFECT_PORT=str(free_port()),
        PREFECT_HOME=str(tmp_path / "prefect"),
    )
    for command in (["up", "--host", "0.0.0.0"], ["server", "--host", "0.0.0.0"]):
        result = subprocess.run(
            [OVERSTAP, *command], env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 1, command
        assert "PREFECT_SERVER_API_AUTH_STRING" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "data" / "overstap.db").exists()


def _wait(cluster: Cluster, wanted: Any, timeout: float, tick_every: float = 0) -> list[Any]:
    deadline = time.monotonic() + timeout
    last_tick = time.monotonic()
    while time.monotonic() < deadline:
        rows = cluster.walks()
        if wanted(rows) and cluster.settled(rows):
            return rows
        if tick_every and time.monotonic() - last_tick > tick_every:
            cluster.cli("tick")  # repairs runs a killed worker left behind
            last_tick = time.monotonic()
        time.sleep(2)
    raise AssertionError(
        f"not settled: {[(r['code'], r['track'], r['waiting_for']) for r in cluster.walks()][:10]}"
        + cluster.log("w1")[-1500:]
        + cluster.log("w2")[-1500:]
    )


@pytest.mark.skipif(not POSTGRES_URL, reason="OVERSTAP_TEST_POSTGRES_URL is not set")
def test_two_workers_take_an_aanmeldweek_and_survive_a_kill(tmp_path: Path) -> None:
    """Thirty pupils walked to the eve of the aanmeldweek are started by the clock, asked to
    register and answered; one of the two workers is killed (kill -9) half-way through the
    answers. Every pupil ends where the records say, every question key shows one Suspended
    state, every answer is recorded once and removed from Prefect; the CLI, the workers and the
    clock all work with the auth string, and a client without it is refused."""
    with production(POSTGRES_URL, tmp_path, OVERSTAP_STUCK_AFTER_MINUTES="1") as cluster:
        cluster.start_server()
        unauthenticated = httpx.post(f"{cluster.api}/flow_runs/filter", json={}, timeout=10)
        assert unauthenticated.status_code == 401
        deployed = cluster.cli("deploy")
        assert "Work pool 'overstap' aangemaakt (type process)." in deployed
        assert "Prefect ruimt op: events,flow_runs" in deployed
        assert "Work pool 'overstap' bestaat al." in cluster.cli("deploy")  # idempotent
        upgraded = cluster.cli("db", "upgrade")
        assert "al actueel" in upgraded
        assert "al actueel" in cluster.cli("db", "upgrade")
        cluster.start("w1", "worker", "--name", "w1", "--limit", "2")
        cluster.start("w2", "worker", "--name", "w2", "--limit", "2")

        seed(cluster, PUPILS, "2027-03-24", answered_before="2027-03-25")
        # The aanmeldweek opens: the clock starts the 30 flow runs, each asks the registration.
        cluster.cli("tick", "--today", "2027-03-25")
        rows = _wait(
            cluster,
            lambda rows: all(
                (r["current_step"], r["current_question"]) == (21, "aanmelding") for r in rows
            ),
            timeout=600,
        )
        codes = sorted(r["code"] for r in rows)
        fields = {
            "vo_school": "Dr. Nassau College Penta",
            "aangemeld_op": "2027-03-25",
            "formulier_volledig_op": "2027-03-25",
            "nader_overleg_nodig": "ja",
        }
        answer(cluster, 21, codes[: PUPILS // 2], **fields)
        time.sleep(3)  # the first half is being resumed by both workers
        cluster.kill_only("w1")
        answer(cluster, 21, codes[PUPILS // 2 :], **fields)
        rows = _wait(
            cluster,
            lambda rows: (
                len(rows) == 2 * PUPILS and all(r["waiting_for"] == "answer" for r in rows)
            ),
            timeout=900,
            tick_every=30,
        )

        where = sorted((r["track"], r["current_step"], r["current_question"]) for r in rows)
        assert where == sorted(
            [("hoofd", 22, "overleg")] * PUPILS + [("toelating", 21, "oso")] * PUPILS
        )
        engine = sa.create_engine(cluster.env["OVERSTAP_DATABASE_URL"])
        with engine.connect() as connection:
            answers = connection.execute(
                sa.text(
                    "SELECT step, question, attempt, count(*) FROM answer WHERE step = 21 "
                    "GROUP BY step, question, attempt"
                )
            ).all()
            runs = connection.execute(
                sa.text(
                    "SELECT t.code, a.detail FROM auditentry a JOIN trajectory t "
                    "ON t.id = a.trajectory_id WHERE a.action = 'flow_run'"
                )
            ).all()
        engine.dispose()
        assert answers == [(21, "aanmelding", 1, PUPILS)]
        run_ids: dict[str, set[str]] = {}
        for code, detail in runs:
            run_ids.setdefault(code, set()).add(detail["flow_run_id"])
        for code in codes:
            keys: list[str] = []
            for run_id in run_ids[code]:
                keys += cluster.suspend_keys(run_id)
            questions = [k for k in keys if k.startswith("stap-")]
            assert sorted(questions) == sorted(set(questions)), (code, questions)
            assert "stap-21-aanmelding-1" in questions
            assert "stap-22-overleg-1" in questions
        # The recorded answers were removed from Prefect.
        main_runs = {r["code"]: str(r["flow_run_id"]) for r in rows if r["track"] == "hoofd"}
        left = [
            code
            for code in codes
            if httpx.get(
                f"{cluster.api}/flow_runs/{main_runs[code]}/input/suspended-stap-21-aanmelding-1-response",
                headers=cluster.headers(),
                timeout=10,
            ).status_code
            != 404
        ]
        assert left == []
        status = cluster.cli("status")
        assert status.count(" 22  antwoord") == PUPILS
