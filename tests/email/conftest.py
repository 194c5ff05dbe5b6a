"""Fixtures for email: our tables with the outbox, a region with contacts, a real SMTP sink.

The sink is aiosmtpd on 127.0.0.1 (a port the OS picks); senders reach it through
OVERSTAP_SMTP_HOST/PORT like any SMTP server. Certificates for the TLS tests are made here with
`cryptography`: a CA and a server certificate for 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlmodel import Session, SQLModel, col, update

import models.mail.outbox
from deployments.smtp_sink import MailFolderHandler, SmtpSink
from models.plan.library import get_plan
from models.settings import reset_settings
from models.store.db import get_engine, session_scope
from models.store.tables import Contact, Pupil, School, Trajectory

UI_URL = "http://overstap.test:4200"
COORDINATOR = "coordinator@swv.example.org"
CVA = "cva@swv.example.org"
FLOW_RUN_ID = UUID("7b0c5a7e-3a52-4c8e-9f3e-2a4a6a9d1c11")
BIRTH_DATE = dt.date(2014, 3, 17)
T0 = dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def outbox_db(db: str) -> str:
    """Our tables plus the outbox: SQLite, and PostgreSQL when OVERSTAP_TEST_POSTGRES_URL is set."""
    SQLModel.metadata.create_all(get_engine())  # models.mail.outbox is imported: its tables too
    return db


@pytest.fixture
def mail_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Coordinator, CvA and UI address configured; quick retries."""
    monkeypatch.setenv("OVERSTAP_COORDINATOR_EMAIL", COORDINATOR)
    monkeypatch.setenv("OVERSTAP_CVA_EMAIL", CVA)
    monkeypatch.setenv("OVERSTAP_UI_URL", UI_URL)
    monkeypatch.setenv("OVERSTAP_MAIL_FROM", "Overstap <overstap@swv.example.org>")
    monkeypatch.setenv("OVERSTAP_SMTP_TIMEOUT_SECONDS", "5")
    reset_settings()


@dataclass
class Region:
    po: School
    vo: School
    pro: School
    bare_vo: School
    trajectory_id: UUID
    pupil_id: UUID


def _school(session: Session, name: str, kind: str, contacts: list[tuple[str, str, str]]) -> School:
    school = School(name=name, kind=kind, created_at=T0)
    session.add(school)
    session.flush()
    for role, person, email in contacts:
        session.add(Contact(school_id=school.id, role=role, name=person, email=email))
    return school


@pytest.fixture
def region(outbox_db: None, mail_env: None) -> Region:
    """A PO school, a VO school, a PRO school and a VO school without contacts; one pupil."""
    with session_scope() as session:
        po = _school(
            session,
            "OBS De Regenboog",
            "PO",
            [
                ("leerkracht_po", "Anouk Visser", "Anouk.Visser@example.org"),
                ("intern_begeleider_po", "Ingrid Mulder", "ingrid.mulder@example.org"),
                ("directie_po", "Peter de Boer", "peter.deboer@example.org"),
            ],
        )
        vo = _school(
            session,
            "Dr. Nassau College Penta",
            "VO",
            [
                ("intaker_vo", "Femke Smit", "femke.smit@example.org"),
                ("mentor", "Ruben Bos", "ruben.bos@example.org"),
            ],
        )
        pro = _school(
            session,
            "PrO Assen",
            "PRO",
            [
                ("intaker_vo", "Lisa Postma", "lisa.postma@example.org"),
                ("cvb_pro_vso", "Karin Dijkstra", "karin.dijkstra@example.org"),
            ],
        )
        bare = _school(session, "Esdal College", "VO", [])
        pupil = Pupil(
            first_name="Sanne",
            last_name="<b>Ö'Brien & Zn</b>",
            birth_date=BIRTH_DATE,
            po_school_id=po.id,
            groep=8,
            created_at=T0,
        )
        session.add(pupil)
        session.flush()
        trajectory = Trajectory(
            pupil_id=pupil.id,
            code="K7Q2",
            cohort=2026,
            plan_version=get_plan().version,
            flow_run_id=FLOW_RUN_ID,
            started_at=T0,
        )
        session.add(trajectory)
        session.flush()
        return Region(po, vo, pro, bare, trajectory.id, pupil.id)


def set_vo_school(trajectory_id: UUID, school: School | None) -> None:
    with session_scope() as session:
        trajectory = session.get(Trajectory, trajectory_id)
        assert trajectory is not None
        trajectory.vo_school_id = school.id if school else None
        session.add(trajectory)


def make_all_due() -> None:
    """Let every backoff elapse (the outbox's clock is the row's next_attempt_at)."""
    with session_scope() as session:
        session.exec(
            update(models.mail.outbox.OutboxMessage)
            .where(col(models.mail.outbox.OutboxMessage.status) == "pending")
            .values(next_attempt_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RecordingHandler(MailFolderHandler):
    """The sink's handler that also keeps each envelope and can refuse recipients."""

    def __init__(self, mail_dir: Path, refuse: dict[str, str] | None = None) -> None:
        super().__init__(mail_dir)
        self.refuse = refuse or {}
        self.envelopes: list[tuple[str, list[str], bytes]] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address.lower() in self.refuse:
            return self.refuse[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(
            (envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content))
        )
        return await super().handle_DATA(server, session, envelope)


@dataclass
class Sink:
    sink: SmtpSink
    handler: RecordingHandler
    mail_dir: Path

    @property
    def received(self) -> int:
        return self.handler.received


def use_smtp(monkeypatch: pytest.MonkeyPatch, port: int, security: str = "none") -> None:
    monkeypatch.setenv("OVERSTAP_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("OVERSTAP_SMTP_PORT", str(port))
    monkeypatch.setenv("OVERSTAP_SMTP_SECURITY", security)
    reset_settings()


@pytest.fixture
def sink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mail_env: None) -> Iterator[Sink]:
    """A real aiosmtpd server on loopback, configured as our SMTP host."""
    mail_dir = tmp_path / "sink"
    handler = RecordingHandler(mail_dir)
    server = SmtpSink(mail_dir, handler=handler, publish=False).start()
    use_smtp(monkeypatch, server.port)
    yield Sink(server, handler, mail_dir)
    server.stop()


# --- certificates --------------------------------------------------------------------------------


@dataclass
class Certificates:
    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """A throwaway CA and a server certificate for 127.0.0.1 and localhost."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder = tmp_path_factory.mktemp("certs")
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    end = start + dt.timedelta(days=30)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Overstap test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = folder / "ca.pem"
    ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_file = folder / "server.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file = folder / "server.key"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificates(ca_file, cert_file, key_file)
