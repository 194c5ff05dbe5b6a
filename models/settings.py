"""Settings: one `Settings` object read from the environment and an optional `.env` file.

Prefect reads its own settings (`PREFECT_API_URL`, `PREFECT_HOME`); ours carry the `OVERSTAP_`
prefix. Tests swap the cached instance with `reset_settings()` after changing the environment.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration of one Overstap installation."""

    model_config = SettingsConfigDict(
        env_prefix="OVERSTAP_",
        env_file=".env",  # in the working folder: the checkout, or an install's own folder
        env_file_encoding="utf-8",
        extra="ignore",
    )

    data_dir: Path = Field(
        default_factory=lambda: Path.cwd() / "data",
        description="Folder for local state (default: data/ in the working folder).",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL of our tables; empty means a SQLite file in data_dir.",
    )
    simulation: bool = Field(
        default=False,
        description="Allow `overstap tick --today` to move the shared clock.",
    )
    timezone: str = "Europe/Amsterdam"
    plan_version: str = Field(
        default="",
        description="Plan version for new trajectories; empty means the newest plan file.",
    )
    plan_dir: Path | None = Field(
        default=None,
        description="A folder with stappenplan/*.toml and kalender/*.toml, loaded beside the "
        "shipped plans and calendars.",
    )
    prefect_port: int = 4200
    ui_url: str = Field(default="", description="Address users reach the Prefect UI at.")
    stuck_after_minutes: int = Field(
        default=30,
        description="A trajectory run that stays Running this long is treated as crashed.",
    )
    runner_limit: int = Field(default=5, description="Flow runs `overstap up` runs at once.")
    wake_lead_seconds: float = Field(
        default=2.0,
        ge=0,
        description="The clock schedules the resume of runs whose date has come this many "
        "seconds ahead (plus 0.05 s per run), so that it has woken them all before the first "
        "one starts.",
    )
    preload: bool = Field(
        default=True,
        description="Flow runs of `overstap up` and `overstap worker` start as forks of a process "
        "that imported Prefect and Overstap once (deployments/engine.py); 0: a new Python each.",
    )
    prefect_run_retention_days: int = Field(
        default=90, description="Prefect deletes flow runs this long after they ended."
    )
    prefect_event_retention_days: int = Field(
        default=7, description="Prefect deletes its events after this many days."
    )
    work_pool: str = Field(default="overstap", description="The process work pool of workers.")
    retention_extra_days: int = Field(
        default=0,
        description="Days after the end of the school year in which a trajectory ended before "
        "its personal data is purged.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # Working days (Algemene termijnenwet, and by default the school holidays of region Noord)
    workdays_skip_school_holidays: bool = True
    school_holiday_region: Literal["Noord", "Midden", "Zuid"] = "Noord"

    # Email
    smtp_host: str = Field(default="", description="Empty: `up` and `demo` start a local sink.")
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_timeout_seconds: float = 30.0
    mail_from: str = "Overstap <overstap@example.org>"
    coordinator_email: str = Field(
        default="", description="Coordinator of the samenwerkingsverband."
    )
    cva_email: str = Field(default="", description="Secretary of the Commissie van Advies (CvA).")
    leerplicht_email: str = Field(
        default="",
        description="The leerplichtambtenaar who receives a report that parents demonstrably do "
        "not cooperate (chapter 1).",
    )
    oso_valid_days: int = Field(
        default=90,
        ge=1,
        description="Days a complete OSO dossier stays available after the PO school put it "
        "ready; the agreements give no number (Bijlage I: an unfetched version expires).",
    )
    reminder_workdays: int = Field(default=3, description="Reminder this many working days early.")
    digest: bool = Field(
        default=True,
        description="A daily digest (the clock) for a contact with more than one open question, "
        "instead of a reminder per question; OVERSTAP_DIGEST=0 turns it off.",
    )
    mail_max_attempts: int = Field(default=8, description="Attempts before an address is failed.")
    mail_slot_seconds: int = Field(
        default=15,
        description="Queued mail is sent by one sender run per slot of this many seconds.",
    )

    @property
    def mail_dir(self) -> Path:
        """Where the local SMTP sink stores messages as .eml files."""
        return self.data_dir / "mail"

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'overstap.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings."""
    return Settings()


def reset_settings() -> None:
    """Forget cached settings so the next `get_settings()` reads the environment again."""
    get_settings.cache_clear()
