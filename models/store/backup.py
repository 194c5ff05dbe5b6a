"""Backups of our database: SQLite's online backup API, or PostgreSQL's pg_dump and pg_restore.

A backup is one file. `restore` puts it back in place of the current data (stop `up` and the
workers first); the audit log then records the restore. After a restore the Prefect side may not
match our records any more: the clock's next run repairs every trajectory whose flow run no
longer exists (`docs/production.md`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import unquote

from models.store.audit import audit
from models.store.db import dispose_engines, get_engine, session_scope


class BackupError(RuntimeError):
    """A backup or restore that did not work; the message says why, in Dutch."""


def _sqlite_path() -> Path | None:
    url = get_engine().url
    if url.get_backend_name() != "sqlite":
        return None
    assert url.database
    return Path(url.database)


def _postgres() -> tuple[list[str], dict[str, str], str | None]:
    """libpq connection arguments, environment and our schema (from the URL's search_path)."""
    url = get_engine().url
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    args = ["--host", url.host or "localhost", "--port", str(url.port or 5432)]
    if url.username:
        args += ["--username", url.username]
    args += ["--dbname", url.database or "postgres"]
    schema = None
    options = url.query.get("options")
    for option in options if isinstance(options, tuple) else [options or ""]:
        text = unquote(str(option))
        if "search_path=" in text:
            schema = text.split("search_path=", 1)[1].split()[0].split(",")[0]
    return args, env, schema


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"'{command[0]}' is niet geïnstalleerd (PostgreSQL-clientprogramma's)")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} mislukte: {result.stderr.strip()[:500]}")


def backup(target: Path) -> str:
    """Write a backup of our database to `target`; return a Dutch line saying what was done."""
    if target.exists():
        raise BackupError(f"{target} bestaat al; kies een nieuwe bestandsnaam")
    target.parent.mkdir(parents=True, exist_ok=True)
    path = _sqlite_path()
    if path is not None:
        with sqlite3.connect(path) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return f"Backup van {path} geschreven naar {target} ({target.stat().st_size} bytes)."
    args, env, schema = _postgres()
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)]
    if schema:
        command += ["--schema", schema]
    _run(command + args, env)
    return f"Backup (pg_dump) geschreven naar {target} ({target.stat().st_size} bytes)."


def restore(source: Path) -> str:
    """Replace our database's contents with the backup in `source`."""
    if not source.is_file():
        raise BackupError(f"{source} bestaat niet")
    path = _sqlite_path()
    if path is not None:
        try:
            with sqlite3.connect(source) as backup_db:
                backup_db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is geen SQLite-backup: {exc}") from None
        dispose_engines()
        with sqlite3.connect(source) as backup_db, sqlite3.connect(path) as live:
            backup_db.backup(live)
    else:
        args, env, schema = _postgres()
        dispose_engines()
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
        if schema:
            command += ["--schema", schema]
        _run([*command, *args, str(source)], env)
    with session_scope() as session:
        audit(session, actor="systeem", action="backup_teruggezet", detail={"bestand": source.name})
    return f"Backup {source} teruggezet."
