"""The audit log: one append-only row for every change to our records."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlmodel import Session

from models.store.clock import now
from models.store.tables import AuditEntry


def audit(
    session: Session,
    *,
    actor: str,
    action: str,
    trajectory_id: UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append an audit entry in the caller's transaction, so it commits with the change."""
    session.add(
        AuditEntry(
            at=now(),
            actor=actor,
            action=action,
            trajectory_id=trajectory_id,
            detail=detail or {},
        )
    )
