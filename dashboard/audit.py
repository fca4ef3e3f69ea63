"""The audit log: one JSON line per export and per view of a person-level list (who, when, what).

It lives in its own append-only file, `<warehouse>/audit.jsonl`, never inside the served snapshot
(a publish replaces the snapshot whole and would erase it). Each record is written with a
single `write` on a file opened for appending, so lines from concurrent sessions do not
interleave."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from pipelines.settings import warehouse_dir

AUDIT_FILE_NAME = "audit.jsonl"


def audit_path() -> Path:
    return warehouse_dir() / AUDIT_FILE_NAME


def record(username: str, role: str, action: str, what: dict[str, object], path: Path | None = None) -> dict:
    """Append one record and return it. `action` names the act (view_worklist, export_xlsx, ...);
    `what` says on which data (as_of, community, list, rows)."""
    entry = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "user": username,
        "role": role,
        "action": action,
        **{key: _plain(value) for key, value in what.items()},
    }
    target = path or audit_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
    return entry


def read_records(path: Path | None = None) -> list[dict]:
    target = path or audit_path()
    if not target.exists():
        return []
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines() if line.strip()]


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return value
