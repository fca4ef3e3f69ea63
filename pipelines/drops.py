"""Source drops in the inbox folder, and the as_of dates the schedules evaluate.

A drop is a sub-folder of the inbox holding the source tables and a `manifest.json` that the
sender writes last: a folder without its manifest is still being copied and is left alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"


class ManifestError(ValueError):
    """A manifest that cannot drive a run; reported once, never retried."""


@dataclass(frozen=True)
class Drop:
    name: str
    folder: Path
    year: int
    as_of: dt.date
    extracted_on: dt.date
    ruleset: str | None


def read_manifest(folder: Path) -> Drop:
    path = folder / MANIFEST
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ManifestError(f"{path}: not readable JSON ({err})") from None
    if not isinstance(doc, dict):
        raise ManifestError(f"{path}: must be a JSON object")
    try:
        year = int(doc["year"])
        as_of = dt.date.fromisoformat(str(doc["as_of"]))
        extracted_on = dt.date.fromisoformat(str(doc["extracted_on"]))
    except KeyError as err:
        raise ManifestError(f"{path}: missing key {err.args[0]}") from None
    except (TypeError, ValueError) as err:
        raise ManifestError(f"{path}: {err}") from None
    ruleset = doc.get("ruleset")
    return Drop(folder.name, folder, year, as_of, extracted_on, str(ruleset) if ruleset else None)


def scan_inbox(inbox: Path, seen: set[str]) -> tuple[list[Drop], list[tuple[str, str]]]:
    """Drops not seen before whose manifest has arrived, oldest name first, and the malformed ones."""
    ready: list[Drop] = []
    malformed: list[tuple[str, str]] = []
    if not inbox.is_dir():
        return ready, malformed
    for folder in sorted(p for p in inbox.iterdir() if p.is_dir()):
        if folder.name in seen or not (folder / MANIFEST).exists():
            continue
        try:
            ready.append(read_manifest(folder))
        except ManifestError as err:
            malformed.append((folder.name, str(err)))
    return ready, malformed


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month_end(day: dt.date) -> dt.date:
    return day.replace(day=1) - dt.timedelta(days=1)


def month_ends(year: int) -> list[dt.date]:
    return [month_end(dt.date(year, month, 1)) for month in range(1, 13)]
