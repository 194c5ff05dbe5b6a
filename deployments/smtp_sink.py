"""The local SMTP sink: when no SMTP host is configured, `overstap up` and `overstap demo` run
this aiosmtpd server on 127.0.0.1 and every message lands as an .eml file in the mail folder.

The sink publishes its address in `<mail_dir>/sink.json`, so every process that sends (served
flow runs, the clock, the CLI) finds it without configuration. `list_messages` and
`read_message` are what `overstap mail` shows.
"""

from __future__ import annotations

import asyncio
import os
import signal
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from uuid import uuid4

from aiosmtpd.controller import Controller

from models.settings import get_settings
from models.store.clock import wall_clock_utc
from tasks.email import read_sink_address, sink_address_path, write_sink_address


class MailFolderHandler:
    """aiosmtpd handler that stores each accepted message as `<UTC time>-<uuid>.eml`.

    The file is written under a temporary name and renamed, so a reader never sees half a
    message. The envelope is kept in `X-Envelope-From` / `X-Envelope-To` headers.
    """

    def __init__(self, mail_dir: Path) -> None:
        self.mail_dir = mail_dir
        self.received = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        name = f"{wall_clock_utc():%Y%m%dT%H%M%S%fZ}-{uuid4().hex}"
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        header = (
            f"X-Envelope-From: {envelope.mail_from}\r\n"
            f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        tmp = self.mail_dir / f".{name}.tmp"
        tmp.write_bytes(header + content)
        tmp.replace(self.mail_dir / f"{name}.eml")
        with self._lock:
            self.received += 1
        return "250 Message accepted for delivery"


class _Controller(Controller):
    """aiosmtpd's threaded controller, able to listen on a port the OS picks (port 0)."""

    def _trigger_server(self) -> None:
        if self.port == 0 and isinstance(self.server, asyncio.Server):
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]  # aiosmtpd leaves it untyped


class SmtpSink:
    """A local SMTP server writing to `mail_dir`; port 0 picks a free port.

    `tls_context` offers STARTTLS, `ssl_context` makes it implicit TLS (for tests); with
    `publish` its address is written for senders (`tasks.email.smtp_target`).
    """

    def __init__(
        self,
        mail_dir: Path | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        handler: Any = None,
        publish: bool = True,
        tls_context: ssl.SSLContext | None = None,
        require_starttls: bool = False,
        ssl_context: ssl.SSLContext | None = None,
        authenticator: Any = None,
    ) -> None:
        self.mail_dir = mail_dir or get_settings().mail_dir
        self.handler = handler or MailFolderHandler(self.mail_dir)
        self.host = host
        self.publish = publish
        kwargs: dict[str, Any] = {"server_hostname": "overstap-sink", "ready_timeout": 10.0}
        if tls_context is not None:
            kwargs["tls_context"] = tls_context
            kwargs["require_starttls"] = require_starttls
        if ssl_context is not None:
            kwargs["ssl_context"] = ssl_context
        if authenticator is not None:
            kwargs["authenticator"] = authenticator
            kwargs["auth_required"] = True
        self._controller = _Controller(self.handler, hostname=host, port=port, **kwargs)

    @property
    def port(self) -> int:
        return int(self._controller.port)

    def start(self) -> SmtpSink:
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self._controller.start()
        if self.publish:
            write_sink_address(self.mail_dir, self.host, self.port)
        return self

    def stop(self) -> None:
        self._controller.stop()
        if self.publish and read_sink_address(self.mail_dir) == (self.host, self.port):
            sink_address_path(self.mail_dir).unlink(missing_ok=True)

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


# --- reading the folder (overstap mail) ----------------------------------------------------------


@dataclass(frozen=True)
class SinkMessage:
    path: Path
    to: str
    subject: str
    date: datetime | None


def _parse(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=default_policy)
    assert isinstance(message, EmailMessage)
    return message


def list_messages(mail_dir: Path | None = None) -> list[SinkMessage]:
    """Every stored message, oldest first: to, subject and the Date header."""
    folder = mail_dir or get_settings().mail_dir
    if not folder.is_dir():
        return []
    messages = []
    for path in sorted(folder.glob("*.eml")):
        parsed = _parse(path)
        try:
            when = parsedate_to_datetime(str(parsed["Date"])) if parsed["Date"] else None
        except (TypeError, ValueError):
            when = None
        messages.append(
            SinkMessage(
                path=path,
                to=str(parsed["To"] or parsed["X-Envelope-To"] or "").strip(),
                # Python folds some long subjects right after "Subject:"; unfold that space.
                subject=str(parsed["Subject"] or "").strip(),
                date=when,
            )
        )
    return messages


def read_message(path: Path) -> str:
    """The plain-text part of a stored message (what a recipient reads without HTML)."""
    parsed = _parse(path)
    body = parsed.get_body(preferencelist=("plain",))
    if body is None or not isinstance(body, EmailMessage):
        return ""
    return str(body.get_content())


def main() -> None:  # pragma: no cover - manual use: python -m deployments.smtp_sink
    """Run a sink in the foreground until Ctrl-C or SIGTERM."""
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    sink = SmtpSink(port=int(os.environ.get("OVERSTAP_SINK_PORT", "0"))).start()
    print(f"SMTP-mailbox op {sink.host}:{sink.port}; berichten in {sink.mail_dir}", flush=True)
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        sink.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
