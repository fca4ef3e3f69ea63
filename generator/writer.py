"""Writing a source folder: one CSV per table, then manifest.json last.

Values are written as text in the contract's spellings (YYYY-MM-DD, true/false, empty for
missing). UTF-8 files carry no BOM. A GB18030 export is what a government system produces:
every file in GB18030 and Chinese headers on the tables clerks work with.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from assets.ingest.contract import CHINESE_ALIASES
from generator.tables import ALIASED_TABLES, TABLE_COLUMNS

ENCODINGS = ("utf-8", "gb18030")


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Every column as text in the contract's spelling (nulls stay null)."""
    return frame.with_columns(pl.all().cast(pl.String))


def write_table(frame: pl.DataFrame, table: str, out_dir: Path, encoding: str) -> Path:
    """Write one table with the contract's column order; return its path."""
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}, not {encoding!r}")
    columns = TABLE_COLUMNS[table]
    frame = frame.select(columns)
    if encoding == "gb18030" and table in ALIASED_TABLES:
        frame = frame.rename({c: CHINESE_ALIASES[c] for c in columns if c in CHINESE_ALIASES})
    path = out_dir / f"{table}.csv"
    if encoding == "utf-8":
        frame.write_csv(path)
        return path
    data = frame.write_csv().encode("gb18030")
    if not data.isascii() and _decodes_as_utf8(data):
        raise ValueError(f"{table}: its GB18030 bytes also read as UTF-8; a reader would misdetect it")
    path.write_bytes(data)
    return path


def _decodes_as_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def write_manifest(out_dir: Path, manifest: dict[str, object]) -> Path:
    """manifest.json, written last so that its presence means the folder is complete."""
    path = out_dir / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return path
