"""Benchmark: render, queue and send 1,000 emails to a local SMTP server (aiosmtpd on loopback).

Run on demand, never in CI. It makes a fresh data folder and SQLite database, enrols one pupil per
message at a PO school whose intern begeleider is also teacher and director (so step 20 gives one
message per pupil), queues the step-20 message of every pupil (render + outbox insert) and sends
the outbox with `tasks.email.send_pending` as the task does: one claim for the batch, a `sent`
commit per message, `SMTP_CONNECTIONS` connections. The sink (`python -m deployments.smtp_sink`)
runs in its own process, as it does beside `overstap up`, and writes every message as an .eml
file. Printed last: messages per second from the first render to the last message accepted by
the server.

    .venv/bin/python bench/email_throughput.py [--messages 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000, help="messages to send")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="overstap-mailbench-"))
    os.environ.update(
        OVERSTAP_DATA_DIR=str(work / "data"),
        OVERSTAP_DATABASE_URL=f"sqlite:///{work / 'data' / 'overstap.db'}",
        OVERSTAP_SIMULATION="0",
        OVERSTAP_SMTP_HOST="",
        OVERSTAP_COORDINATOR_EMAIL="coordinator@swv.example.org",
        OVERSTAP_UI_URL="http://127.0.0.1:4200",
    )

    from sqlmodel import SQLModel

    from models.mail.notifications import queue_step_opened
    from models.plan.library import get_plan
    from models.settings import get_settings
    from models.store.db import get_engine, session_scope
    from models.store.migrate import upgrade
    from models.store.tables import Contact, Pupil, School, Trajectory
    from tasks.email import SMTP_CONNECTIONS, read_sink_address, send_pending

    upgrade()
    SQLModel.metadata.create_all(get_engine())
    t0 = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
    plan_version = get_plan().version
    with session_scope() as session:
        school = School(name="OBS De Regenboog", kind="PO", created_at=t0)
        session.add(school)
        session.flush()
        for role in ("leerkracht_po", "intern_begeleider_po", "directie_po"):
            session.add(
                Contact(
                    school_id=school.id,
                    role=role,
                    name="Ingrid Mulder",
                    email="ingrid.mulder@example.org",
                )
            )
        trajectory_ids = []
        for n in range(args.messages):
            pupil = Pupil(
                first_name=f"Leerling{n}",
                last_name="van der Berg",
                birth_date=date(2014, 3, 17),
                po_school_id=school.id,
                groep=8,
                created_at=t0,
            )
            session.add(pupil)
            session.flush()
            trajectory = Trajectory(
                pupil_id=pupil.id,
                code=f"B{n:05d}",
                cohort=2026,
                plan_version=plan_version,
                started_at=t0,
            )
            session.add(trajectory)
            session.flush()
            trajectory_ids.append(trajectory.id)

    mail_dir = get_settings().mail_dir
    sink = subprocess.Popen(
        [sys.executable, "-m", "deployments.smtp_sink"], cwd=ROOT, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while read_sink_address(mail_dir) is None:
            if time.monotonic() > deadline or sink.poll() is not None:
                raise SystemExit("de SMTP-mailbox start niet")
            time.sleep(0.05)
        start = time.perf_counter()
        with session_scope() as session:
            queued = 0
            for trajectory_id in trajectory_ids:
                result = queue_step_opened(
                    session,
                    trajectory_id=trajectory_id,
                    step=20,
                    question="advies",
                    due=date(2026, 3, 24),
                )
                queued += len(result.queued)
        rendered = time.perf_counter()
        counts = asyncio.run(send_pending(limit=args.messages))
        sent = time.perf_counter()
    finally:
        sink.terminate()
        sink.wait(timeout=30)
    received = len(list(mail_dir.glob("*.eml")))

    render_s = rendered - start
    send_s = sent - rendered
    total_s = sent - start
    print(f"data folder:               {work}")
    print(f"load average (1 min):      {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"messages queued:           {queued}")
    print(f"messages sent / received:  {counts['sent']} / {received}")
    print(f"render + queue:            {render_s:.2f} s ({queued / render_s:.0f}/s)")
    print(
        f"send ({SMTP_CONNECTIONS} connections):     {send_s:.2f} s "
        f"({counts['sent'] / send_s:.0f}/s)"
    )
    print(f"total:                     {total_s:.2f} s")
    print(f"messages per second: {received / total_s:.0f}")


if __name__ == "__main__":
    main()
