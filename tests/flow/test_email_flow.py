"""Email from real trajectory runs: each message once, whatever replays, retries and repairs do.

A real SMTP server (aiosmtpd on loopback) receives the mail; the pupil's runs execute against a
real Prefect server. The SMTP server goes down while steps open and comes back later.
"""

from __future__ import annotations

import socket
from collections import Counter
from datetime import date
from email import message_from_bytes
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.states import Crashed
from sqlmodel import select

from deployments.demo import DEMO_SCHOOLS, REGULIER, answer_source
from deployments.smtp_sink import SmtpSink
from models.enums import OutboxStatus
from models.settings import reset_settings
from models.store.db import session_scope
from models.store.schools import import_schools_csv
from models.store.tables import OutboxMessage
from tests.flow import driver
from tests.flow.driver import drive, execute, make_pupil, run_clock_at, view_of

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_server", "simulation")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _received(mail_dir: Path) -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(mail_dir.glob("*.eml")):
        message = message_from_bytes(path.read_bytes())
        found.append((message["X-Envelope-To"], message["Subject"], message["Message-ID"]))
    return found


def _outbox() -> list[OutboxMessage]:
    with session_scope() as session:
        return list(session.exec(select(OutboxMessage)))


def test_each_message_arrives_once_through_replays_repairs_and_an_smtp_outage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every resume replays the run from the top, a crash brings a new run, SMTP goes away and
    comes back: each outbox message reaches its recipient exactly once."""
    port = _free_port()
    mail_dir = tmp_path / "ontvangen"
    monkeypatch.setenv("OVERSTAP_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("OVERSTAP_SMTP_PORT", str(port))
    monkeypatch.setenv("OVERSTAP_SMTP_TIMEOUT_SECONDS", "3")
    monkeypatch.setenv("OVERSTAP_COORDINATOR_EMAIL", "coordinator@example.org")
    monkeypatch.setattr(driver, "SEND_MAIL", True)  # the sender deployment runs after each step
    reset_settings()
    with session_scope() as session:
        import_schools_csv(session, DEMO_SCHOOLS, actor="test")
    server = SmtpSink(mail_dir, port=port, publish=False).start()
    answers = answer_source(REGULIER)
    try:
        trajectory_id = make_pupil(cohort=2027, brin="99PA")
        drive(trajectory_id, answers, stop_before_step=3)
        # A crash after the step-3 question was asked (and its emails sent): the clock repairs.
        old = view_of(trajectory_id).trajectory.flow_run_id
        assert old is not None
        with get_client(sync_client=True) as client:
            client.set_flow_run_state(old, Crashed(message="weg"), force=True)
        assert run_clock_at(date(2025, 11, 1))["hersteld"] == 1
        execute(trajectory_id)  # the new run replays steps 1-3 from the records
        sent_before_outage = len(_received(mail_dir))
        assert sent_before_outage > 0
    finally:
        server.stop()

    # SMTP is down while steps 3 to 6 open: nothing is lost, everything waits in the outbox.
    drive(trajectory_id, answers, stop_before_step=7)
    waiting = [m for m in _outbox() if m.status != OutboxStatus.SENT]
    assert waiting, "messages queued during the outage"
    assert all(m.status == OutboxStatus.PENDING and m.attempts >= 1 for m in waiting)
    assert all(m.last_error for m in waiting)

    server = SmtpSink(mail_dir, port=port, publish=False).start()
    try:
        view = view_of(trajectory_id)
        later = view.trajectory.wait_until or date(2026, 3, 1)
        run_clock_at(later)  # the clock sends what is due (backoff has passed by then)
        run_clock_at(later)  # and a second clock run sends nothing twice
    finally:
        server.stop()

    outbox = _outbox()
    received = _received(mail_dir)
    assert all(m.status == OutboxStatus.SENT for m in outbox), [
        (m.kind, m.status, m.last_error) for m in outbox if m.status != OutboxStatus.SENT
    ]
    assert len(received) == len(outbox)
    assert len({message_id for _, _, message_id in received}) == len(received)
    per_key = Counter(m.dedup_key for m in outbox)
    assert all(n == 1 for n in per_key.values())
    recipients = {to for to, _, _ in received}
    assert "ingrid.mulder@example.org" in recipients  # intern begeleider of OBS De Regenboog
    assert "anouk.visser@example.org" in recipients  # leerkracht
    subjects = [subject for _, subject, _ in received]
    assert any("Stap 1" in s or "stap 1" in s for s in subjects)
