"""Mail leaves the pupils' runs: a run only queues, the sender deployment sends, exactly once,
also through an SMTP outage during a burst."""

from __future__ import annotations

import socket
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterName,
    FlowRunFilter,
    FlowRunFilterId,
)
from prefect.client.schemas.objects import StateType
from sqlmodel import select

from deployments.demo import DEMO_SCHOOLS
from deployments.smtp_sink import SmtpSink
from models.enums import OutboxStatus
from models.settings import reset_settings
from models.store.clock import set_simulated_date, today
from models.store.db import session_scope
from models.store.schools import import_schools_csv
from models.store.tables import OutboxMessage
from tasks.prefect_api import request_sending
from tests.flow.driver import execute, make_pupil, run_clock_at, send_mail, view_of

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_server", "simulation")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, Path]:
    port = _free_port()
    monkeypatch.setenv("OVERSTAP_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("OVERSTAP_SMTP_PORT", str(port))
    monkeypatch.setenv("OVERSTAP_SMTP_TIMEOUT_SECONDS", "3")
    reset_settings()
    with session_scope() as session:
        import_schools_csv(session, DEMO_SCHOOLS, actor="test")
    return port, tmp_path / "ontvangen"


def _outbox() -> list[OutboxMessage]:
    with session_scope() as session:
        return list(session.exec(select(OutboxMessage)))


def _received(mail_dir: Path) -> list[str]:
    return [str(message_from_bytes(p.read_bytes())["Message-ID"]) for p in mail_dir.glob("*.eml")]


def _assert_each_sent_once(mail_dir: Path) -> None:
    outbox = _outbox()
    received = _received(mail_dir)
    assert {m.status for m in outbox} == {OutboxStatus.SENT}
    assert len(received) == len(outbox) == len(set(received))


def _task_names(flow_run_id: UUID) -> Counter[str]:
    with get_client(sync_client=True) as client:
        tasks = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return Counter(t.name for t in tasks)


def _sender_runs() -> list[str]:
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["verzenden"]))
        )
    return [r.state.type.value for r in runs if r.state is not None]


def test_a_pupils_run_only_queues_and_the_sender_sends_once(smtp: tuple[int, Path]) -> None:
    """The pupil's run queues its emails and asks for a sender run; it sends nothing itself.
    The sender run sends each message once; another sender run sends nothing again."""
    port, mail_dir = smtp
    server = SmtpSink(mail_dir, port=port, publish=False).start()
    try:
        send_mail()  # sender runs other tests asked for and never ran
        before = Counter(_sender_runs())
        trajectory_id = make_pupil(brin="99PA")
        execute(trajectory_id, mail=False)
        run_id = view_of(trajectory_id).trajectory.flow_run_id
        assert run_id is not None
        queued = _outbox()
        assert queued, "asking step 1 queued emails"
        assert {m.status for m in queued} == {OutboxStatus.PENDING}
        assert _received(mail_dir) == []
        names = _task_names(run_id)
        assert "email-versturen" not in names
        waiting = Counter(_sender_runs()) - before
        assert waiting == Counter({"SCHEDULED": 1})  # one sender run for the slot

        assert send_mail() == 1
        sent = _outbox()
        assert {m.status for m in sent} == {OutboxStatus.SENT}
        received = _received(mail_dir)
        assert len(received) == len(sent)
        request_sending(after_seconds=120)  # a later slot: a new sender run
        assert send_mail() == 1
        assert sorted(_received(mail_dir)) == sorted(received)
    finally:
        server.stop()


def test_an_smtp_outage_during_a_burst_delivers_everything_once(smtp: tuple[int, Path]) -> None:
    """Three pupils ask at once while SMTP is down: the sender keeps every message, asks for a
    run of its own when they are due again, and that run delivers each exactly once."""
    port, mail_dir = smtp
    send_mail()  # sender runs other tests asked for and never ran
    pupils = [make_pupil(f"Pupil{name}", brin="99PA") for name in ("Anne", "Bert", "Carla")]
    for trajectory_id in pupils:
        execute(trajectory_id, mail=False)
    assert send_mail() >= 1  # SMTP is down
    waiting = _outbox()
    assert waiting
    assert all(m.status == OutboxStatus.PENDING and m.attempts >= 1 for m in waiting)
    assert _sender_runs().count("SCHEDULED") >= 1, "the sender asked for a later run"

    server = SmtpSink(mail_dir, port=port, publish=False).start()
    try:
        set_simulated_date(today() + timedelta(days=1))  # past every backoff
        assert send_mail() >= 1
    finally:
        server.stop()
    _assert_each_sent_once(mail_dir)


def _service_unavailable() -> Exception:
    import httpx

    request = httpx.Request("POST", "http://prefect/api/deployments/create_flow_run")
    response = httpx.Response(503, request=request)
    return httpx.HTTPStatusError("busy", request=request, response=response)


def test_a_sender_run_that_cannot_ask_for_its_retry_run_ends_well_and_the_clock_asks(
    smtp: tuple[int, Path],
) -> None:
    """SMTP is down and Prefect answers 503 when the sender asks for a run at the messages'
    retry time (seen in the 1,000-pupil burst, where the sender run then failed): the run ends
    Completed, the messages wait, and the clock's daily check asks for the run that sends them."""
    from tasks import prefect_api

    port, mail_dir = smtp
    send_mail()  # sender runs other tests asked for and never ran
    trajectory_id = make_pupil(brin="99PA")
    execute(trajectory_id, mail=False)
    asked: list[float] = []

    def busy_server(after_seconds: float = 0.0) -> UUID | None:
        asked.append(after_seconds)
        raise _service_unavailable()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(prefect_api, "request_sending", busy_server)
        patch.setattr(prefect_api.time, "sleep", lambda _seconds: None)
        assert send_mail() == 1  # SMTP is down
    assert len(asked) == prefect_api.BOOKKEEPING_ATTEMPTS
    assert all(seconds > 0 for seconds in asked), "it asked for the retry time, not now"
    assert "FAILED" not in _sender_runs()
    assert "SCHEDULED" not in _sender_runs()
    waiting = _outbox()
    assert waiting
    assert all(m.status == OutboxStatus.PENDING and m.attempts == 1 for m in waiting)

    server = SmtpSink(mail_dir, port=port, publish=False).start()
    try:
        counts = run_clock_at(today() + timedelta(days=1))  # past every backoff
        assert counts.get("post_gevraagd") == 1, counts
        assert send_mail() >= 1
    finally:
        server.stop()
    _assert_each_sent_once(mail_dir)


def test_a_pupils_run_goes_on_when_prefect_fails_to_take_its_request_for_a_sender(
    smtp: tuple[int, Path],
) -> None:
    """Prefect on SQLite answers 503 under a burst: the run asks four times, logs it and walks
    on to its question; the queued mail waits in the outbox and the clock's daily check asks
    for the sender that sends it."""

    from tasks import prefect_api

    port, mail_dir = smtp
    server = SmtpSink(mail_dir, port=port, publish=False).start()
    try:
        send_mail()  # sender runs other tests asked for and never ran
        asked: list[int] = []

        def busy_server(after_seconds: float = 0.0) -> UUID | None:
            asked.append(1)
            raise _service_unavailable()

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(prefect_api, "request_sending", busy_server)
            patch.setattr(prefect_api.time, "sleep", lambda _seconds: None)
            trajectory_id = make_pupil(brin="99PB")
            assert execute(trajectory_id, mail=False) == StateType.PAUSED
        assert view_of(trajectory_id).trajectory.waiting_for == "answer"
        assert len(asked) == prefect_api.BOOKKEEPING_ATTEMPTS
        assert {m.status for m in _outbox()} == {OutboxStatus.PENDING}
        counts = run_clock_at(today())
        assert counts.get("post_gevraagd") == 1, counts
        assert send_mail() >= 1
        assert {m.status for m in _outbox()} == {OutboxStatus.SENT}
        assert len(_received(mail_dir)) == len(_outbox())
    finally:
        server.stop()
