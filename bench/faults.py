"""Fault runs of the production layout, on loopback only (`make faults`, never in CI).

Each scenario starts its own production layout (`tests/e2e/cluster.py`: a Prefect server on
PostgreSQL with an auth string, our tables on PostgreSQL, `overstap deploy`, two workers) on a
private PostgreSQL cluster made with initdb (so it may be restarted without touching anything
else), puts N pupils (default 100) in the aanmeldweek and breaks something:

- worker:   kill -9 of one worker in the middle of a burst of resumes (N answers);
- server:   a restart of the Prefect server with N suspended pupils, and once more mid-burst;
- postgres: a restart of PostgreSQL during a clock run that wakes N pupils;
- smtp:     SMTP down for the whole aanmeldweek (25 to 31 March), then back.

Each ends by checking that nothing is lost, asked twice or sent twice: every answer recorded once,
every question key suspended once in Prefect, every pupil where its records say, every queued
email delivered exactly once. It prints one line per scenario with the numbers.

    .venv/bin/python bench/faults.py [--pupils 100] [--scenario worker server postgres smtp]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from tests.e2e.cluster import Cluster, answer, free_port, production, seed  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
REGISTRATION = {
    "vo_school": "Dr. Nassau College Penta",
    "aangemeld_op": "2027-03-25",
    "formulier_volledig_op": "2027-03-25",
    "nader_overleg_nodig": "ja",
}


@dataclass
class PrivatePostgres:
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def ctl(self, *args: str) -> None:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                f"-p {self.port} -k /tmp",
                "-l",
                str(self.data / "log"),
                "-w",
                *args,
            ],
            check=True,
            capture_output=True,
        )


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A throwaway PostgreSQL cluster on a free loopback port (trust auth)."""
    base = Path(tempfile.mkdtemp(prefix="overstap-pg-"))
    shutil.chown(base, "postgres", "postgres")
    data = base / "data"
    subprocess.run(
        [
            "runuser",
            "-u",
            "postgres",
            "--",
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    pg = PrivatePostgres(data, free_port())
    pg.ctl("start")
    try:
        yield pg
    finally:
        pg.ctl("stop", "-m", "immediate")
        shutil.rmtree(base, ignore_errors=True)


def wait_until(
    cluster: Cluster, wanted: Callable[[list[dict[str, Any]]], bool], timeout: float = 3600
) -> float:
    """Seconds until every walk is suspended where its records say and `wanted` holds; the clock
    runs every 30 s meanwhile (it repairs what broke)."""
    started = last_tick = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            found = cluster.walks()
            if wanted(found) and cluster.settled(found):
                return time.monotonic() - started
        except Exception as exc:  # a restarting database or server: try again
            print(f"  (wachten: {type(exc).__name__})", flush=True)
        if time.monotonic() - last_tick > 30:
            cluster.cli("tick", check=False)
            last_tick = time.monotonic()
        time.sleep(2)
    raise SystemExit("niet tot rust gekomen binnen de tijd")


def everyone(step: int, question: str) -> Callable[[list[dict[str, Any]]], bool]:
    return lambda found: all(
        (r["current_step"], r["current_question"]) == (step, question)
        for r in found
        if r["track"] == "hoofd"
    )


def checks(cluster: Cluster, pupils: int) -> dict[str, Any]:
    """Nothing lost, asked twice or sent twice."""
    engine = sa.create_engine(cluster.env["OVERSTAP_DATABASE_URL"])
    with engine.connect() as connection:
        answers = connection.execute(
            sa.text(
                "SELECT step, question, attempt, count(*) FROM answer WHERE step >= 21 "
                "GROUP BY step, question, attempt"
            )
        ).all()
        runs = connection.execute(
            sa.text(
                "SELECT t.code, a.detail FROM auditentry a JOIN trajectory t "
                "ON t.id = a.trajectory_id WHERE a.action = 'flow_run'"
            )
        ).all()
        outbox = Counter(
            s for (s,) in connection.execute(sa.text("SELECT status FROM outboxmessage")).all()
        )
    engine.dispose()
    per_code: dict[str, set[str]] = {}
    repairs = 0
    for code, detail in runs:
        per_code.setdefault(code, set()).add(detail["flow_run_id"])
        repairs += detail.get("vorige") is not None
    twice = 0
    for run_ids in per_code.values():
        keys = [k for run in run_ids for k in cluster.suspend_keys(run) if k.startswith("stap-")]
        twice += len(keys) - len(set(keys))
    return {
        "answers": {f"{s}/{q}/{a}": n for s, q, a, n in answers},
        "answers_twice": sum(1 for *_, n in answers if n != pupils),
        "keys_suspended_twice": twice,
        "repaired_runs": repairs,
        "outbox": dict(outbox),
    }


def start(cluster: Cluster, pupils: int) -> None:
    cluster.start_server()
    cluster.cli("deploy")
    cluster.start("w1", "worker", "--name", "w1", "--limit", "5")
    cluster.start("w2", "worker", "--name", "w2", "--limit", "5")
    seed(cluster, pupils, "2027-03-24", answered_before="2027-03-25")
    cluster.cli("tick", "--today", "2027-03-24")
    wait_until(cluster, lambda found: all(r["waiting_for"] == "date" for r in found))


def codes(cluster: Cluster) -> list[str]:
    return sorted(r["code"] for r in cluster.walks() if r["track"] == "hoofd")


def scenario_worker(cluster: Cluster, pupils: int) -> dict[str, Any]:
    start(cluster, pupils)
    cluster.cli("tick", "--today", "2027-03-25")
    wait_until(cluster, everyone(21, "aanmelding"))
    all_codes = codes(cluster)
    answer(cluster, 21, all_codes[: pupils // 2], **REGISTRATION)
    cluster.kill_only("w1")
    began = time.monotonic()
    answer(cluster, 21, all_codes[pupils // 2 :], **REGISTRATION)
    took = wait_until(cluster, everyone(22, "overleg")) + (time.monotonic() - began)
    return {"recovered_s": round(took, 1), **checks(cluster, pupils)}


def scenario_server(cluster: Cluster, pupils: int) -> dict[str, Any]:
    start(cluster, pupils)
    cluster.stop("server")  # restart with every pupil suspended
    time.sleep(3)
    cluster.start_server()
    cluster.cli("tick", "--today", "2027-03-25")
    time.sleep(5)  # mid-burst: the wakes are being executed
    cluster.stop("server")
    time.sleep(3)
    cluster.start_server()
    took = wait_until(cluster, everyone(21, "aanmelding"))
    answer(cluster, 21, codes(cluster), **REGISTRATION)
    wait_until(cluster, everyone(22, "overleg"))
    return {"recovered_s": round(took, 1), **checks(cluster, pupils)}


def scenario_postgres(cluster: Cluster, pupils: int, pg: PrivatePostgres) -> dict[str, Any]:
    start(cluster, pupils)
    tick = subprocess.Popen(
        [str(Path(sys.executable).parent / "overstap"), "tick", "--today", "2027-03-25"],
        env=cluster.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    time.sleep(4)  # the clock is waking pupils one after another
    pg.ctl("restart", "-m", "fast")
    tick_exit = tick.wait(timeout=600)
    began = time.monotonic()
    took = wait_until(cluster, everyone(21, "aanmelding"))
    answer(cluster, 21, codes(cluster), **REGISTRATION)
    wait_until(cluster, everyone(22, "overleg"))
    return {
        "tick_during_restart_exit": tick_exit,
        "recovered_s": round(took, 1),
        "since_restart_s": round(time.monotonic() - began, 1),
        **checks(cluster, pupils),
    }


def scenario_smtp(cluster: Cluster, pupils: int) -> dict[str, Any]:
    start(cluster, pupils)
    for day in ("2027-03-25", "2027-03-26"):
        cluster.cli("tick", "--today", day)
    wait_until(cluster, everyone(21, "aanmelding"))
    answer(cluster, 21, codes(cluster), **REGISTRATION)
    wait_until(cluster, everyone(22, "overleg"))
    for day in ("2027-03-27", "2027-03-28", "2027-03-29", "2027-03-30", "2027-03-31"):
        cluster.cli("tick", "--today", day)
    before = checks(cluster, pupils)["outbox"]
    mail_dir = cluster.workdir / "mail-back"
    sink = subprocess.Popen(
        [sys.executable, "-c", SINK, cluster.env["OVERSTAP_SMTP_PORT"], str(mail_dir)],
        env=cluster.env,
    )
    try:
        time.sleep(2)
        cluster.cli("tick", "--today", "2027-04-01")
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            outbox = checks(cluster, pupils)["outbox"]
            if not outbox.get("pending") and not outbox.get("sending"):
                break
            cluster.cli("tick", check=False)
            time.sleep(5)
    finally:
        sink.send_signal(signal.SIGTERM)
        sink.wait(timeout=30)
    received = [message_from_bytes(p.read_bytes()) for p in mail_dir.glob("*.eml")]
    ids = Counter(m["Message-ID"] for m in received)
    after = checks(cluster, pupils)
    return {
        "outbox_while_down": before,
        "received": len(received),
        "duplicate_message_ids": sum(n - 1 for n in ids.values()),
        **after,
    }


SINK = """
import asyncio, sys
from pathlib import Path
from aiosmtpd.controller import Controller
port, folder = int(sys.argv[1]), Path(sys.argv[2])
folder.mkdir(parents=True, exist_ok=True)
class Handler:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Handler.count += 1
        (folder / f"{Handler.count:06d}.eml").write_bytes(envelope.original_content)
        return "250 OK"
controller = Controller(Handler(), hostname="127.0.0.1", port=port)
controller.start()
import signal, threading
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: stop.set())
stop.wait()
controller.stop()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=100)
    parser.add_argument("--scenario", nargs="*", default=["worker", "server", "postgres", "smtp"])
    args = parser.parse_args()
    print(f"faults: {args.pupils} pupils per scenario, 2 workers, loopback", flush=True)
    with private_postgres() as pg:
        for name in args.scenario:
            workdir = Path(tempfile.mkdtemp(prefix=f"overstap-fault-{name}-"))
            extra = {"OVERSTAP_STUCK_AFTER_MINUTES": "1"}
            if name == "smtp":
                extra |= {"OVERSTAP_SMTP_HOST": "127.0.0.1", "OVERSTAP_SMTP_PORT": str(free_port())}
            started = time.monotonic()
            with production(pg.url, workdir, **extra) as cluster:
                if name == "postgres":
                    result = scenario_postgres(cluster, args.pupils, pg)
                else:
                    result = {
                        "worker": scenario_worker,
                        "server": scenario_server,
                        "smtp": scenario_smtp,
                    }[name](cluster, args.pupils)
            result["total_s"] = round(time.monotonic() - started, 1)
            print(f"{name}: {json.dumps(result, sort_keys=True)}", flush=True)
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
