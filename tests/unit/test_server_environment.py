"""The Prefect server we start reads our settings under the names Prefect knows them by."""

from __future__ import annotations

from datetime import timedelta

import pytest
from prefect.settings import Settings

from deployments.environment import server_environment
from models.settings import reset_settings


def _prefect_settings(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name, value in env.items():
        if name.startswith("PREFECT_"):
            monkeypatch.setenv(name, value)
    return Settings()


def test_the_server_marks_runs_late_after_an_hour_not_after_prefects_15_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS", raising=False)
    monkeypatch.setenv("OVERSTAP_PREFECT_RUN_RETENTION_DAYS", "45")
    reset_settings()
    services = _prefect_settings(server_environment(), monkeypatch).server.services

    assert services.late_runs.after_seconds == timedelta(hours=1)
    assert services.late_runs.enabled
    assert services.db_vacuum.retention_period == timedelta(days=45)


def test_an_operators_own_late_threshold_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS", "120")
    services = _prefect_settings(server_environment(), monkeypatch).server.services

    assert services.late_runs.after_seconds == timedelta(minutes=2)
