"""How an email is sent: queue it in the outbox (tasks around `models.mail.notifications`), then
`send_pending_email` delivers the due outbox messages over SMTP with aiosmtplib.

Delivery, per batch: claim the due rows (a conditional UPDATE with a lease, committed), open
`SMTP_CONNECTIONS` connections (plain, STARTTLS or implicit TLS with verified certificates; login
when a username is configured), send each row once and commit `sent` right after the server
accepted its DATA, so a crash later never resends it. A refusal is recorded with backoff
(`models.mail.outbox.mark_failed`); a server that cannot be reached leaves every message pending.
Without `OVERSTAP_SMTP_HOST` the messages go to the local sink that `overstap up`/`demo` starts
(its address is in `<mail_dir>/sink.json`).

Logs carry counts only: Prefect shows logs to every UI user, and subjects name pupils.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import ssl
from collections import deque
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from email.charset import QP as QP_ENCODING
from email.charset import Charset
from email.generator import BytesGenerator
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import compat32
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from typing import Any, Literal, TypeVar
from uuid import UUID

import aiosmtplib
from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlmodel import Session

from models.enums import FailureKind, OutboxStatus
from models.mail import notifications
from models.mail.outbox import (
    claim_batch,
    due_messages,
    lease_for,
    mark_failed,
    mark_sent,
    next_attempt,
    release,
    requeue_interrupted,
)
from models.settings import Settings, get_settings
from models.store import clock
from models.store.db import session_scope
from models.store.tables import OutboxMessage
from tasks.taskdefs import idempotent_task

log = logging.getLogger("overstap.email")
T = TypeVar("T")

SINK_ADDRESS_FILE = "sink.json"
SMTP_CONNECTIONS = 2  # a batch overlaps the round trips of two connections
BATCH = 200  # messages claimed at once by the sender


# --- where to deliver ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    security: Literal["none", "starttls", "tls"]
    username: str
    password: str = field(repr=False)
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


# compat32 MIME classes: about twice as fast as EmailMessage, and just as correct for this.
_UTF8_QP = Charset("utf-8")
_UTF8_QP.header_encoding = QP_ENCODING
_UTF8_QP.body_encoding = QP_ENCODING
_WIRE = compat32.clone(linesep="\r\n")


def _address(text: str) -> tuple[str, str]:
    """(display name, address) of 'Naam <adres>' or a bare address."""
    name, addr = parseaddr(text)
    if "@" not in addr:
        raise ValueError(f"'{text}' is geen e-mailadres")
    return name, addr


def _format_address(name: str, addr: str) -> str:
    if not addr.isascii():
        raise ValueError(f"'{addr}' vraagt SMTPUTF8; dat gebruikt Overstap niet")
    # No line breaks from a contact's name into a header; non-ASCII names are RFC 2047 encoded.
    return formataddr((" ".join(name.split()), addr), charset=_UTF8_QP)


def _header(value: str) -> str | Header:
    value = " ".join(value.split())
    return value if value.isascii() else Header(value, _UTF8_QP)


def message_id(row_id: UUID, settings: Settings) -> str:
    """Stable per outbox row: a message sent twice is recognisable as the same one."""
    domain = _address(settings.mail_from)[1].rpartition("@")[2]
    return f"<{row_id}@{domain}>"


def build_mime(row: OutboxMessage, settings: Settings) -> Message:
    """multipart/alternative: text, HTML and, for an invitation, text/calendar (REQUEST).

    Quoted-printable UTF-8 keeps every part 7-bit clean for relays without 8BITMIME.
    """
    message = MIMEMultipart("alternative")
    # compat32 takes a Header for an encoded value (see the email docs); typeshed says str.
    message["Subject"] = _header(row.subject)  # type: ignore[assignment]
    message["From"] = _format_address(*_address(settings.mail_from))
    message["To"] = _format_address(row.recipient_name, row.recipient)
    if settings.coordinator_email.strip():
        message["Reply-To"] = _format_address(*_address(settings.coordinator_email))
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = message_id(row.id, settings)
    message["Content-Language"] = "nl"
    # RFC 3834: no vacation replies to an automatic message.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.attach(_text_part(row.text_body, "plain"))
    message.attach(_text_part(row.html_body, "html"))
    if row.ics:
        invitation = _text_part(row.ics, "calendar")
        invitation.set_param("method", "REQUEST")
        message.attach(invitation)
    return message


def _text_part(text: str, subtype: str) -> Message:
    part = MIMENonMultipart("text", subtype)
    part.set_payload(text, _UTF8_QP)
    return part


def mime_bytes(message: Message) -> bytes:
    """The message as it goes over the wire (CRLF line ends)."""
    buffer = io.BytesIO()
    BytesGenerator(buffer, mangle_from_=False, policy=_WIRE).flatten(message)
    return buffer.getvalue()


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
    await smtp.sendmail(
        _address(settings.mail_from)[1], [row.recipient], mime_bytes(build_mime(row, settings))
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


def _record(
    session: Session, row: OutboxMessage, settings: Settings, error: BaseException | None
) -> FailureKind | None:
    """Commit the outcome of one send at once: `sent`, or the failure and its backoff."""
    if error is None:
        mark_sent(session, row, clock.now())
        kind = None
    else:
        session.add(row)
        kind = classify(error)
        mark_failed(
            session, row, describe(error), clock.now(), settings.mail_max_attempts, kind=kind
        )
    session.commit()
    return kind


def _defer(rows: list[OutboxMessage], error: str, settings: Settings) -> None:
    """The server cannot be used: every claimed row goes back to pending with backoff."""
    with session_scope() as session:
        for row in rows:
            session.add(row)
            mark_failed(
                session,
                row,
                error,
                clock.now(),
                settings.mail_max_attempts,
                kind=FailureKind.SERVER,
            )


async def _close(smtp: aiosmtplib.SMTP) -> None:
    try:
        await smtp.quit()
    except Exception:
        smtp.close()


async def send_pending(
    limit: int = 100,
    *,
    settings: Settings | None = None,
    context: ssl.SSLContext | None = None,
    connections: int = SMTP_CONNECTIONS,
) -> dict[str, int]:
    """Send up to `limit` due messages over at most `connections` SMTP connections.

    The due rows are claimed in one transaction with a lease in real time; each outcome is
    committed right after the server answered. Rows not tried in time for the lease, or left
    when the server failed every connection, are released untried. Counts: due, sent, retry
    (pending again with backoff), failed (given up), skipped (claimed by another sender, or
    released untried), requeued (claims of a dead sender returned to pending first).
    """
    settings = settings or get_settings()
    counts = {"due": 0, "sent": 0, "retry": 0, "failed": 0, "skipped": 0, "requeued": 0}
    lease = lease_for(settings.smtp_timeout_seconds)
    one_send = timedelta(seconds=4 * settings.smtp_timeout_seconds)  # MAIL, RCPT, DATA, end
    with session_scope() as session:
        counts["requeued"] = requeue_interrupted(session, clock.wall_clock_utc())
        now = clock.now()
        due = due_messages(session, now, limit)
        claimed_at = clock.wall_clock_utc()
        rows = claim_batch(session, [r.id for r in due], now=now, lease_until=claimed_at + lease)
    counts["due"] = len(due)
    counts["skipped"] = len(due) - len(rows)
    if not rows:
        return counts
    target = smtp_target(settings)
    smtps: list[aiosmtplib.SMTP] = []
    problem = "Geen SMTP-server ingesteld (OVERSTAP_SMTP_HOST) en geen lokale mailbox actief."
    if target is not None:
        opened = await asyncio.gather(
            *(connect(target, context) for _ in range(max(1, min(connections, len(rows))))),
            return_exceptions=True,
        )
        smtps = [s for s in opened if isinstance(s, aiosmtplib.SMTP)]
        failures = [e for e in opened if not isinstance(e, aiosmtplib.SMTP)]
        if failures and not smtps:
            problem = f"SMTP-server {target.host}:{target.port}: {describe(failures[0])}"
    if not smtps:
        _defer(rows, problem, settings)
        counts["retry"] = len(rows)
        log.warning("E-mail wacht: %d berichten (%s).", len(rows), problem.split(":")[0])
        return counts
    waiting = deque(rows)
    with session_scope() as session:

        async def work(smtp: aiosmtplib.SMTP) -> None:
            # Database calls are synchronous and commit before the next await, so the
            # connections' workers can share one session without mixing their transactions.
            try:
                while waiting:
                    if clock.wall_clock_utc() + one_send > claimed_at + lease:
                        return
                    row = waiting.popleft()
                    error: BaseException | None = None
                    try:
                        await send_message(smtp, row, settings)
                    except Exception as exc:
                        error = exc
                    kind = _record(session, row, settings, error)
                    if kind is None:
                        counts["sent"] += 1
                    elif row.status == OutboxStatus.FAILED:
                        counts["failed"] += 1
                    else:
                        counts["retry"] += 1
                    if kind == FailureKind.SERVER:
                        return  # this connection is gone or refused: the others go on
            finally:
                await _close(smtp)

        await asyncio.gather(*(work(smtp) for smtp in smtps))
        if waiting:
            counts["skipped"] += release(session, [r.id for r in waiting], clock.now())
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


@task(task_run_name="email-versturen", cache_policy=NO_CACHE, persist_result=False)
def send_pending_email(limit: int = 100) -> dict[str, int]:
    """Send the due messages of the outbox."""
    return run_sync(send_pending(limit))


@task(task_run_name="email-later", cache_policy=NO_CACHE, persist_result=False)
def when_next_due() -> float | None:
    """Seconds until the earliest pending message may be tried again (None: nothing waits)."""
    with session_scope() as session:
        moment = next_attempt(session)
    if moment is None:
        return None
    return max(0.0, (moment - clock.now()).total_seconds())


def _summary(result: notifications.QueueResult) -> dict[str, int]:
    return {
        "queued": len(result.queued),
        "already_queued": result.already_queued,
        "missing": len(result.missing),
        "unreported": int(result.unreported),
    }


@idempotent_task("email-adressen-melden")
def report_failing_addresses() -> dict[str, int]:
    """Queue a report to the coordinator for each address that keeps failing."""
    with session_scope() as session:
        return _summary(notifications.queue_failing_address_reports(session))
