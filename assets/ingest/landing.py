"""Landing: every source file located, its header checked, and made readable for staging.

UTF-8 CSV and Parquet files are read where they lie, by staging, once: a city's residents file
is parsed once per run rather than parsed, copied into the warehouse and parsed again (at three
million residents that copy was about a fifth of the whole run). A file in any other form (a
GB18030 CSV, an .xlsx workbook) is transcoded here, once, into a Parquet file of trimmed text
in the build folder, so staging reads one fast format.

Which CSV files are UTF-8 is decided from their first MiB; the reader still checks the whole
file as it parses, and a file that turns out not to be UTF-8 further on takes the reader's
careful path in staging (contract §1: GB18030, or fatal when cut or undecodable).

A landed file records its size and modification time: staging refuses a source file that
changed after it was landed, so one run never mixes two versions of a file.
"""

from __future__ import annotations

import codecs
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

from assets.ingest.contract import TABLES, TableSpec
from assets.ingest.errors import FatalInputError
from assets.ingest.reader import RawTable, locate_table_files, map_header, parse_header_line, read_table

SAMPLE_BYTES = 1 << 20
LANDED_SCHEMA = {
    "table": pl.String,
    "file": pl.String,
    "source": pl.String,
    "landed": pl.String,
    "encoding": pl.String,
    "size": pl.Int64,
    "mtime_ns": pl.Int64,
    "rows": pl.Int64,
    "blank_records": pl.Int64,
}


@dataclass(frozen=True)
class LandedFile:
    """Where staging finds one table and what landing learnt of it."""

    table: str
    file: str = ""  # the file's name in the source folder; "" when an optional table is absent
    source: str = ""  # its absolute path
    landed: str = ""  # the transcoded Parquet staging reads instead ("" = staging reads the source)
    encoding: str = ""  # utf-8 (decided from the first MiB), gb18030, xlsx or parquet
    size: int = 0
    mtime_ns: int = 0
    rows: int | None = None  # records of a transcoded file (None: staging counts them)
    blank_records: int = 0  # blank records of a transcoded file

    @property
    def in_place(self) -> bool:
        return bool(self.file) and not self.landed


def land_source(source_dir: Path, folder: Path) -> list[LandedFile]:
    """Land every table of a source folder, in contract order; fatal on a missing or doubled
    file (before any file is read) and on a file whose header or bytes cannot be taken."""
    files = locate_table_files(source_dir)
    return [land_table(spec, files.get(spec.name), folder) for spec in TABLES]


def land_table(spec: TableSpec, path: Path | None, folder: Path) -> LandedFile:
    if path is None:
        return LandedFile(spec.name)
    stat = path.stat()
    fingerprint = {"file": path.name, "source": str(path.resolve()), "size": stat.st_size,
                   "mtime_ns": stat.st_mtime_ns}
    if path.suffix == ".parquet":
        _check_parquet_header(spec, path)
        return LandedFile(spec.name, encoding="parquet", **fingerprint)
    if path.suffix == ".csv" and _starts_as_utf8(path, stat.st_size):
        _check_csv_header(spec, path)
        return LandedFile(spec.name, encoding="utf-8", **fingerprint)
    raw = read_table(spec, path)
    folder.mkdir(parents=True, exist_ok=True)
    landed = folder / f"raw_{spec.name}.parquet"
    raw.frame.write_parquet(landed, compression="lz4", statistics=False)
    return LandedFile(spec.name, landed=str(landed), encoding=raw.encoding, rows=raw.frame.height,
                      blank_records=raw.blank_records, **fingerprint)


def read_landed(spec: TableSpec, landed: LandedFile) -> RawTable:
    """The table as staging reads it: trimmed text under contract names, row numbers kept."""
    if not landed.file:
        return read_table(spec, None)
    if landed.landed:
        frame = pl.read_parquet(landed.landed)
        return RawTable(spec.name, landed.file, landed.encoding, frame, landed.blank_records)
    path = Path(landed.source)
    try:
        stat = path.stat()
    except OSError:
        raise FatalInputError(landed.file, "disappeared from the source folder during the run") from None
    if (stat.st_size, stat.st_mtime_ns) != (landed.size, landed.mtime_ns):
        raise FatalInputError(
            landed.file, "changed in the source folder during the run (size or modification time); "
            "evaluate again once the drop is complete",
        )
    return read_table(spec, path)


def landed_frame(landed: list[LandedFile]) -> pl.DataFrame:
    return pl.DataFrame([asdict(f) for f in landed], schema=LANDED_SCHEMA)


def landed_from_frame(frame: pl.DataFrame) -> dict[str, LandedFile]:
    return {row["table"]: LandedFile(**row) for row in frame.iter_rows(named=True)}


def _starts_as_utf8(path: Path, size: int) -> bool:
    """Whether the first MiB is UTF-8 (a character cut by the end of the sample is no defect; a
    file cut mid-character is, and goes to the reader, which reports it)."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    whole_file = len(sample) == size
    if sample.startswith(codecs.BOM_UTF8):
        sample = sample[len(codecs.BOM_UTF8):]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.reason == "unexpected end of data" and err.end == len(sample) and not whole_file
    return True


def _check_csv_header(spec: TableSpec, path: Path) -> None:
    with path.open("rb") as handle:
        first_line = handle.readline()
    if first_line.startswith(codecs.BOM_UTF8):
        first_line = first_line[len(codecs.BOM_UTF8):]
    try:
        header_text = first_line.rstrip(b"\n").decode("utf-8")
    except UnicodeDecodeError:
        raise FatalInputError(path.name, "the header row is not valid UTF-8") from None
    map_header(spec, parse_header_line(header_text, path.name), path.name)


def _check_parquet_header(spec: TableSpec, path: Path) -> None:
    try:
        names = list(pl.read_parquet_schema(path))
    except (pl.exceptions.PolarsError, OSError, ValueError) as err:
        raise FatalInputError(path.name, f"cannot be read as parquet: {err}".splitlines()[0]) from None
    map_header(spec, names, path.name)

