"""How an email is sent: queue it in the outbox (tasks around `models.notifications`), then
`send_pending_email` delivers the due outbox messages over SMTP with aiosmtplib.

Delivery, per batch: one SMTP connection (plain, STARTTLS or implicit TLS with verified
certificates; login when a username is configured). Per message: claim the row (a conditional
UPDATE, committed), send it, and commit `sent` right after the server accepted the DATA, so a
crash later never resends it. A refusal is recorded with backoff (`models.outbox.mark_failed`); a
server that cannot be reached leaves every message pending. Without `OVERSTAP_SMTP_HOST` the
messages go to the local sink that `overstap up`/`demo` starts (its address is in
`<mail_dir>/sink.json`).

Logs carry counts only: Prefect shows logs to every UI user, and subjects name pupils.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import ssl
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any, Literal, ParamSpec, TypeVar
from uuid import UUID

import aiosmtplib
from prefect import Task, task
from prefect.cache_policies import NO_CACHE

from models import clock, notifications
from models.db import session_scope
from models.outbox import (
    FailureKind,
    OutboxMessage,
    claim,
    due_messages,
    lease_for,
    mark_failed,
    mark_sent,
    requeue_interrupted,
)
from models.settings import Settings, get_settings

log = logging.getLogger("overstap.email")
T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")

SINK_ADDRESS_FILE = "sink.json"


# --- where to deliver ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    security: Literal["none", "starttls", "tls"]
    username: str
    password: str
    timeout: float
    local_sink: bool = False


def sink_address_path(mail_dir: Path) -> Path:
    return mail_dir / SINK_ADDRESS_FILE


def write_sink_address(mail_dir: Path, host: str, port: int) -> Path:
    """Publish the local sink's address for every process that sends (atomic replace)."""
    mail_dir.mkdir(parents=True, exist_ok=True)
    path = sink_address_path(mail_dir)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"host": host, "port": port, "pid": os.getpid()}), "utf-8")
    tmp.replace(path)
    return path


def read_sink_address(mail_dir: Path) -> tuple[str, int] | None:
    """The local sink's (host, port), when one has published its address."""
    try:
        data = json.loads(sink_address_path(mail_dir).read_text("utf-8"))
        return str(data["host"]), int(data["port"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def smtp_target(settings: Settings | None = None) -> SmtpTarget | None:
    """The configured SMTP server, else the running local sink, else None."""
    settings = settings or get_settings()
    if settings.smtp_host:
        return SmtpTarget(
            host=settings.smtp_host,
            port=settings.smtp_port,
            security=settings.smtp_security,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value(),
            timeout=settings.smtp_timeout_seconds,
        )
    sink = read_sink_address(settings.mail_dir)
    if sink is None:
        return None
    return SmtpTarget(
        host=sink[0],
        port=sink[1],
        security="none",
        username="",
        password="",
        timeout=settings.smtp_timeout_seconds,
        local_sink=True,
    )


# --- MIME ----------------------------------------------------------------------------------------


def _address(text: str) -> Address:
    name, addr = parseaddr(text)
    if "@" not in addr:
        raise ValueError(f"'{text}' is geen e-mailadres")
    user, _, domain = addr.rpartition("@")
    return Address(display_name=name, username=user, domain=domain)


def message_id(row_id: UUID, settings: Settings) -> str:
    """Stable per outbox row: a message sent twice is recognisable as the same one."""
    return f"<{row_id}@{_address(settings.mail_from).domain}>"


def build_mime(row: OutboxMessage, settings: Settings) -> EmailMessage:
    """multipart/alternative: text, HTML and, for an invitation, text/calendar (REQUEST)."""
    message = EmailMessage(policy=SMTP_POLICY)
    message["Subject"] = row.subject
    message["From"] = _address(settings.mail_from)
    user, _, domain = row.recipient.rpartition("@")
    message["To"] = Address(display_name=row.recipient_name, username=user, domain=domain)
    if settings.coordinator_email.strip():
        message["Reply-To"] = _address(settings.coordinator_email)
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = message_id(row.id, settings)
    message["Content-Language"] = "nl"
    # RFC 3834: no vacation replies to an automatic message.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(row.text_body, subtype="plain", charset="utf-8")
    message.add_alternative(row.html_body, subtype="html", charset="utf-8")
    if row.ics:
        message.add_alternative(
            row.ics, subtype="calendar", charset="utf-8", params={"method": "REQUEST"}
        )
    return message


# --- sending -------------------------------------------------------------------------------------


def tls_context() -> ssl.SSLContext:
    """Certificates and host names verified against the system's trust store.

    A private CA can be trusted with SSL_CERT_FILE (read by OpenSSL when the context is made).
    """
    return ssl.create_default_context()


async def connect(target: SmtpTarget, context: ssl.SSLContext | None = None) -> aiosmtplib.SMTP:
    """Open one SMTP connection for a batch, with TLS and login as configured."""
    secure = target.security != "none"
    smtp = aiosmtplib.SMTP(
        hostname=target.host,
        port=target.port,
        timeout=target.timeout,
        use_tls=target.security == "tls",
        # None would upgrade opportunistically; "none" means plain, "starttls" means required.
        start_tls=target.security == "starttls",
        tls_context=(context or tls_context()) if secure else None,
    )
    await smtp.connect()
    try:
        if target.username:
            await smtp.login(target.username, target.password)
    except BaseException:
        smtp.close()
        raise
    return smtp


async def send_message(smtp: aiosmtplib.SMTP, row: OutboxMessage, settings: Settings) -> None:
    """Send one outbox row over an open connection; raises what the server refused."""
    mime = build_mime(row, settings)
    await smtp.send_message(
        mime, sender=_address(settings.mail_from).addr_spec, recipients=[row.recipient]
    )


def classify(exc: BaseException) -> FailureKind:
    """Whose fault a failure is: the server's (retry), the message's (backoff) or final."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        return FailureKind.PERMANENT if codes and min(codes) >= 500 else FailureKind.MESSAGE
    if isinstance(exc, aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError):
        return FailureKind.PERMANENT if exc.code >= 500 else FailureKind.MESSAGE
    if isinstance(exc, aiosmtplib.SMTPSenderRefused | aiosmtplib.SMTPAuthenticationError):
        return FailureKind.SERVER
    if isinstance(
        exc,
        aiosmtplib.SMTPServerDisconnected
        | aiosmtplib.SMTPTimeoutError
        | aiosmtplib.SMTPConnectError
        | aiosmtplib.SMTPHeloError
        | aiosmtplib.SMTPNotSupported
        | OSError,
    ):
        return FailureKind.SERVER
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return FailureKind.MESSAGE
    if isinstance(exc, ValueError):  # an address or header that cannot be written
        return FailureKind.PERMANENT
    return FailureKind.SERVER


def describe(exc: BaseException) -> str:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        first = exc.recipients[0]
        return f"{first.code} {first.message}".strip()
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return f"{exc.code} {exc.message}".strip()
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _defer_all(rows: list[OutboxMessage], error: str, settings: Settings) -> int:
    """Record a server-side failure on every due row that this sender could claim."""
    deferred = 0
    now = clock.now()
    lease = lease_for(settings.smtp_timeout_seconds)
    with session_scope() as session:
        for stale in rows:
            row = session.get(OutboxMessage, stale.id)
            if row is not None and claim(session, row, now, lease):
                mark_failed(
                    session, row, error, now, settings.mail_max_attempts, kind=FailureKind.SERVER
                )
                deferred += 1
    return deferred


def _claim(row_id: UUID, settings: Settings) -> OutboxMessage | None:
    with session_scope() as session:
        row = session.get(OutboxMessage, row_id)
        if row is None:
            return None
        if not claim(session, row, clock.now(), lease_for(settings.smtp_timeout_seconds)):
            return None
        return row


def _record(row_id: UUID, settings: Settings, error: BaseException | None) -> FailureKind | None:
    with session_scope() as session:
        row = session.get(OutboxMessage, row_id)
        assert row is not None
        if error is None:
            mark_sent(session, row, clock.now())
            return None
        kind = classify(error)
        mark_failed(
            session, row, describe(error), clock.now(), settings.mail_max_attempts, kind=kind
        )
        return kind


async def send_pending(
    limit: int = 100,
    *,
    settings: Settings | None = None,
    context: ssl.SSLContext | None = None,
) -> dict[str, int]:
    """Send up to `limit` due messages over one connection; counts by outcome.

    Counts: due, sent, retry (back to pending), failed (given up), skipped (another sender had
    claimed it), requeued (claims of a dead sender returned to pending).
    """
    settings = settings or get_settings()
    counts = {"due": 0, "sent": 0, "retry": 0, "failed": 0, "skipped": 0, "requeued": 0}
    with session_scope() as session:
        counts["requeued"] = requeue_interrupted(session, clock.now())
        due = due_messages(session, clock.now(), limit)
    counts["due"] = len(due)
    if not due:
        return counts
    target = smtp_target(settings)
    if target is None:
        counts["retry"] = _defer_all(
            due,
            "Geen SMTP-server ingesteld (OVERSTAP_SMTP_HOST) en geen lokale mailbox actief.",
            settings,
        )
        counts["skipped"] = counts["due"] - counts["retry"]
        log.warning("Geen SMTP-server: %d berichten wachten.", counts["retry"])
        return counts
    try:
        smtp = await connect(target, context)
    except Exception as exc:
        counts["retry"] = _defer_all(
            due, f"SMTP-server {target.host}:{target.port}: {describe(exc)}", settings
        )
        counts["skipped"] = counts["due"] - counts["retry"]
        log.warning(
            "SMTP-server %s:%d onbereikbaar (%s): %d berichten wachten.",
            target.host,
            target.port,
            type(exc).__name__,
            counts["retry"],
        )
        return counts
    try:
        for index, pending in enumerate(due):
            row = _claim(pending.id, settings)
            if row is None:
                counts["skipped"] += 1
                continue
            error: BaseException | None = None
            try:
                await send_message(smtp, row, settings)
            except Exception as exc:
                error = exc
            kind = _record(row.id, settings, error)
            if kind is None:
                counts["sent"] += 1
            elif kind == FailureKind.MESSAGE and row.attempts < settings.mail_max_attempts:
                counts["retry"] += 1
            elif kind == FailureKind.SERVER:
                counts["retry"] += 1
                # The connection is gone or the server refuses us: the rest waits, unclaimed.
                counts["skipped"] += len(due) - index - 1
                break
            else:
                counts["failed"] += 1
    finally:
        try:
            await smtp.quit()
        except Exception:
            smtp.close()
    log.info(
        "E-mail: %d verstuurd, %d later opnieuw, %d mislukt, %d overgeslagen.",
        counts["sent"],
        counts["retry"],
        counts["failed"],
        counts["skipped"],
    )
    return counts


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from sync code, also when this thread already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# --- tasks ---------------------------------------------------------------------------------------


def _queue_task(run_name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    """A task that queues messages; idempotent by the outbox's natural key, so retries are safe."""
    return task(
        task_run_name=run_name,
        cache_policy=NO_CACHE,
        persist_result=False,
        retries=3,
        retry_delay_seconds=[1, 5, 20],
        log_prints=False,
    )


@task(task_run_name="email-versturen", cache_policy=NO_CACHE, persist_result=False)
def send_pending_email(limit: int = 100) -> dict[str, int]:
    """Send the due messages of the outbox."""
    return run_sync(send_pending(limit))


def _summary(result: notifications.QueueResult) -> dict[str, int]:
    return {
        "queued": len(result.queued),
        "already_queued": result.already_queued,
        "missing": len(result.missing),
        "unreported": int(result.unreported),
    }


@_queue_task("stap-{step}-email-open")
def queue_step_email(
    trajectory_id: UUID, step: int, question: str | None, due: date
) -> dict[str, int]:
    """Queue the emails that tell the responsible roles a step (question) is open."""
    with session_scope() as session:
        result = notifications.queue_step_opened(
            session, trajectory_id=trajectory_id, step=step, question=question, due=due
        )
        return _summary(result)


@_queue_task("stap-{step}-email-herinnering")
def queue_reminder_email(
    trajectory_id: UUID, step: int, question: str, due: date
) -> dict[str, int]:
    """Queue the reminder before a question's deadline."""
    with session_scope() as session:
        result = notifications.queue_reminder(
            session, trajectory_id=trajectory_id, step=step, question=question, due=due
        )
        return _summary(result)


@_queue_task("stap-{step}-email-te-laat")
def queue_overdue_email(
    trajectory_id: UUID, step: int, question: str | None, due: date
) -> dict[str, int]:
    """Queue the escalation of an overdue step to the coordinator."""
    with session_scope() as session:
        result = notifications.queue_overdue(
            session, trajectory_id=trajectory_id, step=step, question=question, due=due
        )
        return _summary(result)


@_queue_task("email-adressen-melden")
def report_failing_addresses() -> dict[str, int]:
    """Queue a report to the coordinator for each address that keeps failing."""
    with session_scope() as session:
        return _summary(notifications.queue_failing_address_reports(session))
