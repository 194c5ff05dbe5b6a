"""Email end to end through a real aiosmtpd server on loopback: who gets what, what arrives,
and that nothing is lost or sent twice when the server is down, refuses, or a sender dies."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections import Counter
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select, update

import tasks.email as email_task
from deployments.smtp_sink import SmtpSink, list_messages, read_message
from models.enums import OutboxStatus
from models.mail.messages import Meeting
from models.mail.notifications import (
    QueueResult,
    queue_failing_address_reports,
    queue_overdue,
    queue_reminder,
    queue_step_opened,
)
from models.mail.outbox import failing_addresses
from models.settings import get_settings, reset_settings
from models.store.db import session_scope
from models.store.tables import OutboxFailure, OutboxMessage
from tasks.email import send_pending, send_pending_email
from tests.email.conftest import (
    COORDINATOR,
    CVA,
    FLOW_RUN_ID,
    UI_URL,
    Certificates,
    RecordingHandler,
    Region,
    Sink,
    free_port,
    make_all_due,
    set_vo_school,
    use_smtp,
)

DUE = dt.date(2026, 3, 24)
NAME = "<b>Ö'Brien & Zn</b>"
IB = "ingrid.mulder@example.org"
TEACHER = "anouk.visser@example.org"
DIRECTOR = "peter.deboer@example.org"


def _open(region: Region, step: int, question: str | None) -> QueueResult:
    with session_scope() as session:
        return queue_step_opened(
            session, trajectory_id=region.trajectory_id, step=step, question=question, due=DUE
        )


def _send(**kwargs: Any) -> dict[str, int]:
    return asyncio.run(send_pending(**kwargs))


def _received(sink: Sink) -> list[EmailMessage]:
    messages = []
    for _, _, content in sink.handler.envelopes:
        parsed = message_from_bytes(content, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        messages.append(parsed)
    return messages


def _by_recipient(sink: Sink) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for (_, rcpts, _), message in zip(sink.handler.envelopes, _received(sink), strict=True):
        for rcpt in rcpts:
            result.setdefault(rcpt, []).append(str(message["Subject"]))
    return result


def _statuses() -> Counter[str]:
    with session_scope() as session:
        return Counter(row.status for row in session.exec(select(OutboxMessage)).all())


def test_po_step_tells_the_ib_to_answer_and_the_others_for_information(
    region: Region, sink: Sink
) -> None:
    """Step 20: the ib fills in the advice; leerkracht and directie are informed."""
    result = _open(region, 20, "advies")
    assert (len(result.queued), result.missing) == (3, [])
    assert _send()["sent"] == 3
    assert _by_recipient(sink) == {
        IB: [
            "Stap 20 (doorstroomtoets en definitief schooladvies): uw antwoord gevraagd "
            "voor Sanne <. van OBS De Regenboog"
        ],
        TEACHER: ["Stap 20 is begonnen voor Sanne <. van OBS De Regenboog"],
        DIRECTOR: ["Stap 20 is begonnen voor Sanne <. van OBS De Regenboog"],
    }


def test_vo_step_reports_the_missing_intaker_until_the_vo_school_is_known(
    region: Region, sink: Sink
) -> None:
    """Step 12 before a VO school: the coordinator hears who was not reached; after: the intaker."""
    before = _open(region, 12, "plan")
    assert [m.role.value for m in before.missing] == ["intaker_vo"]
    set_vo_school(region.trajectory_id, region.vo)
    after = _open(region, 12, "plan")
    assert [r.recipient for r in after.queued] == ["femke.smit@example.org"]
    _send()
    received = _by_recipient(sink)
    assert received == {
        COORDINATOR: ["Geen e-mailadres voor stap 12: code K7Q2, OBS De Regenboog"],
        "femke.smit@example.org": [
            "Stap 12 (plan van aanpak): uw antwoord gevraagd voor Sanne <. van OBS De Regenboog"
        ],
    }
    report = next(m for m in _received(sink) if str(m["To"]).endswith(f"<{COORDINATOR}>"))
    text = report.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "- intaker VO: nog geen VO-school bekend in dit traject" in text


def test_cva_step_asks_the_cva_and_informs_the_pro_school(region: Region, sink: Sink) -> None:
    """Step 18 on the PRO route: the CvA records the TLV, the CvB of PrO Assen is informed."""
    set_vo_school(region.trajectory_id, region.pro)
    _open(region, 18, "tlv")
    _send()
    assert _by_recipient(sink) == {
        CVA: [
            "Stap 18 (besluit over de toelaatbaarheidsverklaring): uw antwoord gevraagd "
            "voor Sanne <. van OBS De Regenboog"
        ],
        "karin.dijkstra@example.org": ["Stap 18 is begonnen voor Sanne <. van OBS De Regenboog"],
    }


def test_reminder_goes_to_who_fills_in_and_overdue_to_the_coordinator(
    region: Region, sink: Sink
) -> None:
    """A reminder reaches the ib only; an overdue step escalates to the coordinator, once."""
    with session_scope() as session:
        queue_reminder(
            session, trajectory_id=region.trajectory_id, step=20, question="advies", due=DUE
        )
        queue_overdue(
            session, trajectory_id=region.trajectory_id, step=20, question="advies", due=DUE
        )
    with session_scope() as session:
        again = queue_overdue(
            session, trajectory_id=region.trajectory_id, step=20, question="advies", due=DUE
        )
    assert (again.queued, again.already_queued) == ([], 1)
    _send()
    received = _by_recipient(sink)
    assert received[IB] == [
        "Herinnering stap 20 (doorstroomtoets en definitief schooladvies) "
        "voor Sanne <. van OBS De Regenboog: uiterlijk 24 maart 2026"
    ]
    assert received[COORDINATOR] == [
        "Te laat: stap 20 (doorstroomtoets en definitief schooladvies) "
        "voor Sanne <. van OBS De Regenboog, code K7Q2"
    ]
    assert set(received) == {IB, COORDINATOR}


def test_a_delivered_message_has_both_parts_in_dutch_with_the_link_and_a_stable_id(
    region: Region, sink: Sink
) -> None:
    """Text and HTML parts, a Dutch subject, the run link, the name escaped only in HTML."""
    _open(region, 20, "advies")
    _send()
    with session_scope() as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.recipient == IB)).one()
    message = next(
        m for m in _received(sink) if str(m["Message-ID"]) == f"<{row.id}@swv.example.org>"
    )
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert (
        message["Subject"]
        == "Stap 20 (doorstroomtoets en definitief schooladvies): uw antwoord gevraagd "
        "voor Sanne <. van OBS De Regenboog"
    )
    assert message["From"] == "Overstap <overstap@swv.example.org>"
    assert message["To"] == f"Ingrid Mulder <{IB}>"
    assert message["Reply-To"] == COORDINATOR
    assert message["Auto-Submitted"] == "auto-generated"
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    link = f"{UI_URL}/runs/flow-run/{FLOW_RUN_ID}"
    assert link in text
    assert link in html
    assert "Wilt u dit uiterlijk 24 maart 2026 doen?" in text
    assert f"Leerling:     Sanne {NAME} (code K7Q2)" in text
    assert "Sanne &lt;b&gt;Ö&#39;Brien &amp; Zn&lt;/b&gt;" in html
    assert NAME not in html


def test_a_conversation_with_a_time_carries_a_calendar_invitation(
    region: Region, sink: Sink
) -> None:
    """Step 9 with a planned meeting: a text/calendar REQUEST part next to text and HTML."""
    set_vo_school(region.trajectory_id, region.vo)
    meeting = Meeting(start=dt.datetime(2026, 3, 30, 14, 30, tzinfo=dt.UTC), minutes=45)
    with session_scope() as session:
        queue_step_opened(
            session,
            trajectory_id=region.trajectory_id,
            step=9,
            question="gesprek",
            due=DUE,
            meeting=meeting,
        )
    assert _send()["sent"] == 2
    uids = set()
    for message in _received(sink):
        parts = list(message.iter_parts())
        assert [p.get_content_type() for p in parts] == ["text/plain", "text/html", "text/calendar"]
        assert parts[2].get_param("method") == "REQUEST"
        ics = parts[2].get_content()
        assert "DTSTART;TZID=Europe/Amsterdam:20260330T163000" in ics
        uids.add(
            next(line for line in ics.replace("\r\n ", "").splitlines() if line.startswith("UID:"))
        )
    assert len(uids) == 1  # one meeting, one UID for every attendee


def test_smtp_down_loses_nothing_and_delivers_each_message_once_when_back(
    region: Region, mail_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Steps open while nobody listens: attempts and errors recorded; later, one copy each."""
    port = free_port()
    use_smtp(monkeypatch, port)
    _open(region, 20, "advies")
    first = _send()
    assert (first["due"], first["retry"], first["sent"]) == (3, 3, 0)
    _open(region, 7, "gesprek")  # opens while the server is still down
    make_all_due()
    second = _send()
    assert (second["due"], second["retry"]) == (4, 4)
    with session_scope() as session:
        rows = session.exec(select(OutboxMessage)).all()
        failures = session.exec(select(OutboxFailure)).all()
    assert {(r.status, r.attempts) for r in rows if r.step == 20} == {("pending", 2)}
    assert all(r.last_error and f"SMTP-server 127.0.0.1:{port}" in r.last_error for r in rows)
    assert len(failures) == 7
    assert {f.failure for f in failures} == {"server"}

    handler = RecordingHandler(tmp_path / "sink")
    with SmtpSink(tmp_path / "sink", port=port, handler=handler, publish=False):
        make_all_due()
        third = _send()
        assert (third["sent"], third["retry"]) == (4, 0)
        assert _send()["due"] == 0
    ids = [
        str(message_from_bytes(content, policy=default_policy)["Message-ID"])
        for _, _, content in handler.envelopes
    ]
    assert len(ids) == 4
    assert len(set(ids)) == 4
    assert handler.received == 4
    assert _statuses() == Counter({"sent": 4})


def test_a_busy_mailbox_fails_after_max_attempts_and_is_reported_once(
    region: Region, sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    """450 three times with max 3: failed, visible as failing address, coordinator told once."""
    monkeypatch.setenv("OVERSTAP_MAIL_MAX_ATTEMPTS", "3")
    reset_settings()
    sink.handler.refuse[IB] = "450 4.2.1 Mailbox tijdelijk niet beschikbaar"
    _open(region, 20, "advies")
    outcomes = []
    for _ in range(3):
        outcomes.append(_send())
        make_all_due()
    assert [(o["sent"], o["retry"], o["failed"]) for o in outcomes] == [
        (2, 1, 0),
        (0, 1, 0),
        (0, 0, 1),
    ]
    with session_scope() as session:
        failing = failing_addresses(session)
        first = queue_failing_address_reports(session)
    assert [(f.recipient, f.failed) for f in failing] == [(IB, 1)]
    assert "450" in failing[0].last_error
    assert len(first.queued) == 1
    with session_scope() as session:
        assert queue_failing_address_reports(session).queued == []
    _send()
    received = _by_recipient(sink)
    assert received[COORDINATOR] == [f"E-mail komt niet aan bij {IB}"]
    assert IB not in received
    assert sink.received == 3


def test_an_unknown_address_fails_at_once(region: Region, sink: Sink) -> None:
    """550: no retries for that message, the others are delivered in the same batch."""
    sink.handler.refuse[TEACHER] = "550 5.1.1 Onbekend adres"
    _open(region, 20, "advies")
    counts = _send()
    assert (counts["sent"], counts["failed"], counts["retry"]) == (2, 1, 0)
    with session_scope() as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.recipient == TEACHER)).one()
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "550 5.1.1 Onbekend adres")


def test_two_senders_at_once_send_every_message_exactly_once(region: Region, sink: Sink) -> None:
    """Two batches race over the same due rows: the claim lets only one send each."""
    set_vo_school(region.trajectory_id, region.vo)
    for step, question in [(19, "advies"), (20, "advies"), (7, "gesprek"), (23, "overdracht")]:
        _open(region, step, question)
    with session_scope() as session:
        total = len(session.exec(select(OutboxMessage)).all())
    start = threading.Barrier(2)
    results: list[dict[str, int]] = []

    def sender() -> None:
        start.wait()
        results.append(_send())

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r["sent"] for r in results) == total
    assert sink.received == total
    ids = Counter(str(m["Message-ID"]) for m in _received(sink))
    assert max(ids.values()) == 1
    assert _statuses() == Counter({"sent": total})


class ProcessDied(BaseException):
    """Stands for kill -9: not an Exception, so no handler in the sender catches it."""


def test_a_sender_that_dies_after_acceptance_does_not_resend_within_the_lease(
    region: Region, sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The documented limit: a crash between '250 accepted' and our commit leaves the batch's
    rows 'sending'; nobody sends them during the lease; after it they go (again), the one that
    had arrived with the same Message-ID, so that single duplicate is recognisable."""
    _open(region, 20, "advies")
    real_record = email_task._record
    calls = 0

    def crash_once(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ProcessDied  # nothing after this line runs
        return real_record(*args)

    monkeypatch.setattr(email_task, "_record", crash_once)
    with pytest.raises(ProcessDied):
        _send(connections=1)
    monkeypatch.setattr(email_task, "_record", real_record)
    assert sink.received == 1
    assert _statuses() == Counter({"sending": 3})
    within_lease = _send()
    assert (within_lease["due"], within_lease["sent"], within_lease["requeued"]) == (0, 0, 0)
    assert sink.received == 1
    with session_scope() as session:
        session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.status) == OutboxStatus.SENDING)
            .values(next_attempt_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        )
    after_lease = _send()
    assert (after_lease["requeued"], after_lease["sent"]) == (3, 3)
    ids = Counter(str(m["Message-ID"]) for m in _received(sink))
    assert sorted(ids.values()) == [1, 1, 2]
    assert _statuses() == Counter({"sent": 3})


def test_starttls_with_login_and_a_verified_certificate(
    region: Region,
    mail_env: None,
    certificates: Certificates,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """STARTTLS required, AUTH over TLS; an untrusted certificate is refused, a trusted works."""
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"overstap",
            b"geheim",
        )
        return AuthResult(success=ok)

    handler = RecordingHandler(tmp_path / "sink")
    server = SmtpSink(
        tmp_path / "sink",
        handler=handler,
        publish=False,
        tls_context=certificates.server_context(),
        require_starttls=True,
        authenticator=authenticator,
    ).start()
    try:
        use_smtp(monkeypatch, server.port, "starttls")
        monkeypatch.setenv("OVERSTAP_SMTP_USERNAME", "overstap")
        monkeypatch.setenv("OVERSTAP_SMTP_PASSWORD", "geheim")
        reset_settings()
        _open(region, 20, "advies")
        refused = _send()
        assert (refused["sent"], refused["retry"]) == (0, 3)
        with session_scope() as session:
            errors = {r.last_error for r in session.exec(select(OutboxMessage)).all()}
        assert len(errors) == 1
        assert "CERTIFICATE_VERIFY_FAILED" in str(errors.pop())
        make_all_due()
        trusted = _send(context=certificates.client_context())
        assert trusted["sent"] == 3
        assert handler.received == 3
    finally:
        server.stop()


def test_implicit_tls(
    region: Region,
    mail_env: None,
    certificates: Certificates,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """smtp_security=tls speaks TLS from the first byte (port 465 style)."""
    handler = RecordingHandler(tmp_path / "sink")
    with SmtpSink(
        tmp_path / "sink",
        handler=handler,
        publish=False,
        ssl_context=certificates.server_context(),
    ) as server:
        use_smtp(monkeypatch, server.port, "tls")
        _open(region, 20, "advies")
        assert _send(context=certificates.client_context())["sent"] == 3
    assert handler.received == 3


def test_without_smtp_host_the_local_sink_gets_the_mail_and_overstap_mail_reads_it(
    region: Region, mail_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No host configured: the running sink is found through its address file; .eml files."""
    monkeypatch.setenv("OVERSTAP_SMTP_HOST", "")
    reset_settings()
    mail_dir = get_settings().mail_dir
    with SmtpSink() as sink:
        assert (mail_dir / "sink.json").exists()
        _open(region, 20, "advies")
        assert _send()["sent"] == 3
        assert sink.handler.received == 3
    assert not (mail_dir / "sink.json").exists()
    listed = list_messages(mail_dir)
    assert len(listed) == 3
    assert {m.to for m in listed} == {
        f"Ingrid Mulder <{IB}>",
        f"Anouk Visser <{TEACHER}>",
        f"Peter de Boer <{DIRECTOR}>",
    }
    mine = next(m for m in listed if IB in m.to)
    assert (
        mine.subject
        == "Stap 20 (doorstroomtoets en definitief schooladvies): uw antwoord gevraagd "
        "voor Sanne <. van OBS De Regenboog"
    )
    assert mine.date is not None
    assert mine.date.tzinfo is not None
    text = read_message(mine.path)
    assert text.startswith("Beste Ingrid Mulder,")
    assert f"Sanne {NAME}" in text


def test_without_any_smtp_messages_wait_with_a_clear_reason(
    region: Region, mail_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No host and no sink running: nothing is lost, the reason is recorded in Dutch."""
    monkeypatch.setenv("OVERSTAP_SMTP_HOST", "")
    reset_settings()
    _open(region, 20, "advies")
    counts = _send()
    assert (counts["retry"], counts["sent"]) == (3, 0)
    with session_scope() as session:
        row = session.exec(select(OutboxMessage)).first()
    assert row is not None
    assert row.status == "pending"
    assert row.last_error is not None
    assert row.last_error.startswith("Geen SMTP-server ingesteld")


def test_the_prefect_task_sends_from_sync_and_from_a_running_loop(
    region: Region, sink: Sink
) -> None:
    """send_pending_email's function works in a plain thread and inside an event loop."""
    _open(region, 20, "advies")
    assert send_pending_email.fn(limit=1)["sent"] == 1

    async def inside_loop() -> dict[str, int]:
        return send_pending_email.fn(limit=10)

    assert asyncio.run(inside_loop())["sent"] == 2
    assert sink.received == 3
