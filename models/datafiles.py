"""Reading the data files a samenwerkingsverband edits (TOML), with line numbers for errors.

A file that does not fit is refused with its path, the line and the reason (`PlanFileError`), in
Dutch: the person who reads the message is the coordinator who edited the file.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any


class PlanFileError(ValueError):
    """A plan, calendar or other data file that cannot be used; says where and why."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


class TomlLines:
    """Line numbers of the tables and keys of a TOML file, for error messages.

    Handles the shapes our files use: `[table]`, `[[array]]`, `[[array.sub]]` and one
    `key = value` per line.
    """

    def __init__(self, text: str) -> None:
        self.tables: dict[str, list[dict[str, int]]] = {}
        current: dict[str, int] = {}
        self.tables[""] = [current]
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if line.startswith("["):
                name = line.split("#", 1)[0].strip().strip("[] ")
                current = {"": number}
                self.tables.setdefault(name, []).append(current)
            elif "=" in line and not line.startswith("#"):
                current.setdefault(line.split("=", 1)[0].strip(), number)

    def of(self, table: str, index: int = 0, key: str = "") -> int | None:
        """The line of `key` in the `index`-th `[table]` (or of the table header itself)."""
        entries = self.tables.get(table, [])
        if index >= len(entries):
            return None
        entry = entries[index]
        return entry.get(key) or entry.get("")


def read_toml(path: Path) -> tuple[dict[str, Any], TomlLines]:
    """The parsed file and its line numbers; `PlanFileError` when it cannot be read or parsed."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanFileError(path, None, f"kan het bestand niet lezen: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise PlanFileError(path, line, f"geen geldige TOML: {exc}") from None
    return data, TomlLines(text)
