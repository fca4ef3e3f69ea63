"""Read one source file into a frame of trimmed text columns named as the contract names them.

Every value stays text here (typing is staging's job, where a bad value becomes a quarantined
row, not an exception). Each record keeps its `_row_number` (1 = first record after the header,
blank records counted) so a quarantined row can be found in the file it came from.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import mmap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from assets.ingest.contract import TABLES, TableSpec
from assets.ingest.encoding import decode_csv_bytes
from assets.ingest.errors import FatalInputError

ROW_NUMBER = "_row_number"
ROW_DEFECT = "_row_defect"
SUFFIXES = (".csv", ".parquet", ".xlsx")


@dataclass(frozen=True)
class RawTable:
    """One table as read: text columns in contract order plus `_row_number` and `_row_defect`."""

    table: str
    file: str  # file name as found in the source folder, "" when the table is absent
    encoding: str
    frame: pl.DataFrame
    blank_records: int = 0


def locate_table_files(source_dir: Path) -> dict[str, Path]:
    """Map each contract table to its file; fatal on a missing required table or two files."""
    if not source_dir.is_dir():
        raise FatalInputError(str(source_dir), "the source folder does not exist")
    found: dict[str, Path] = {}
    for spec in TABLES:
        candidates = [source_dir / f"{spec.name}{suffix}" for suffix in SUFFIXES]
        present = [p for p in candidates if p.is_file()]
        if len(present) > 1:
            names = " and ".join(p.name for p in present)
            raise FatalInputError(present[0].name, f"two files for table {spec.name}: {names}")
        if present:
            found[spec.name] = present[0]
        elif spec.required:
            raise FatalInputError(
                f"{spec.name}.csv",
                f"required table {spec.name} ({spec.chinese_name}) is missing from {source_dir} "
                f"(expected {spec.name}.csv, .parquet or .xlsx)",
            )
    return found


def map_header(spec: TableSpec, header: list[str], file_name: str) -> dict[int, str]:
    """Position in the file → contract column. Unknown columns are ignored; fatal on a column
    named twice (English and alias) or a required column that is absent."""
    by_label: dict[str, str] = {}
    for col in spec.columns:
        by_label[col.name] = col.name
        if col.alias:
            by_label[col.alias] = col.name
    mapping: dict[int, str] = {}
    seen: dict[str, str] = {}
    for position, label in enumerate(header):
        label = label.strip().lstrip("\ufeff").strip()
        column = by_label.get(label)
        if column is None:
            continue
        if column in seen:
            raise FatalInputError(
                file_name, f"column {column} is given twice (as '{seen[column]}' and '{label}')", column
            )
        seen[column] = label
        mapping[position] = column
    for col in spec.columns:
        if col.required and col.name not in seen:
            alias = f" (alias {col.alias} not found either)" if col.alias else ""
            raise FatalInputError(file_name, f"required column {col.name} is missing{alias}", col.name)
    return mapping


def check_communities_present(raw: RawTable) -> RawTable:
    """Contract §1: an empty communities table is fatal (there is nothing to evaluate)."""
    if raw.table == "communities" and raw.frame.height == 0:
        raise FatalInputError(raw.file or "communities.csv", "communities is empty: there is no community to evaluate")
    return raw


def read_table(spec: TableSpec, path: Path | None) -> RawTable:
    """Read the file for `spec` (None: the optional table is absent and reads as empty)."""
    if path is None:
        return RawTable(spec.name, "", "", _finish(spec, pl.DataFrame(), {}))
    try:
        if path.suffix == ".csv":
            return _read_csv(spec, path)
        if path.suffix == ".parquet":
            return _read_parquet(spec, path)
        return _read_xlsx(spec, path)
    except FatalInputError:
        raise
    except (pl.exceptions.PolarsError, OSError, ValueError, KeyError, zipfile.BadZipFile) as err:
        # a library's failure on a broken file is a fatal input error, not a traceback
        raise FatalInputError(path.name, f"cannot be read as {path.suffix[1:]}: {err}".splitlines()[0]) from None


def _read_csv(spec: TableSpec, path: Path) -> RawTable:
    """UTF-8 files go straight from disk to Polars, which validates UTF-8 as it parses, so a
    large file is never copied into or decoded by Python; anything Polars refuses takes the
    careful path: decode per the contract (GB18030, cut or undecodable files), then parse."""
    with path.open("rb") as handle:
        first_line = handle.readline()
    start = len(codecs.BOM_UTF8) if first_line.startswith(codecs.BOM_UTF8) else 0
    try:
        header_text = first_line[start:].rstrip(b"\n").decode("utf-8")
    except UnicodeDecodeError:
        header_text = None
    if header_text is not None:
        header = parse_header_line(header_text, path.name)
        mapping = map_header(spec, header, path.name)
        try:
            frame = _polars_csv(path, len(header))
            padding = scan_padding(path)
            return _numbered(spec, path.name, "utf-8", frame, mapping, unpadded_columns(padding, path, frame),
                             quoted=padding.quotes)
        except pl.exceptions.PolarsError:
            pass  # not UTF-8 after all, or records Polars cannot split: the careful path decides
    text, encoding = decode_csv_bytes(path.read_bytes(), path.name)
    header = parse_header_line(text.split("\n", 1)[0], path.name)
    mapping = map_header(spec, header, path.name)
    try:
        frame = _polars_csv(text.encode("utf-8"), len(header))
    except pl.exceptions.PolarsError:
        frame = _read_csv_slowly(text, len(header))
    return _numbered(spec, path.name, encoding, frame, mapping)


# ASCII white space that can pad a value (a newline can pad a value only inside quotes: between
# records it separates them)
ASCII_PADDING = (b" ", b"\t", b"\r", b"\x0b", b"\x0c")
# The first byte, in UTF-8, of every other character trimming removes (U+0085 and U+00A0: C2;
# U+1680: E1; U+2000-U+200A, U+2028, U+2029, U+202F, U+205F: E2; U+3000: E3). Chinese characters
# begin with E4-E9, so a file of ASCII and Chinese characters holds none of them; CJK punctuation
# (、。「」, E3) and curly quotes or dashes (“”—, E2) do begin with them.
UNICODE_SPACE_LEADS = (b"\xc2", b"\xe1", b"\xe2", b"\xe3")


@dataclass(frozen=True)
class Padding:
    """What a CSV file's bytes allow its values to hold at their edges, from a memchr per byte
    value over the mapped file (about 20 ms for each 230 MB): deciding it for the whole file saves
    trimming millions of values one by one."""

    ascii: bool  # a space, tab, carriage return, vertical tab or form feed somewhere (ASCII_PADDING)
    quotes: bool  # a quote: a value may hold a comma or a newline, or be "" (empty, not null)
    unicode: bool  # a byte that can begin another white-space character (UNICODE_SPACE_LEADS)
    ends_with_newline: bool = True


def scan_padding(path: Path) -> Padding:
    if path.stat().st_size == 0:
        return Padding(ascii=True, quotes=True, unicode=True)  # nothing to save: the careful way
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        ascii_padding = any(data.find(byte) != -1 for byte in ASCII_PADDING)
        quotes = data.find(b'"') != -1
        unicode = any(data.find(byte) != -1 for byte in UNICODE_SPACE_LEADS) if not ascii_padding else True
        return Padding(ascii_padding, quotes, unicode, data[-1:] == b"\n")


def unpadded_columns(padding: Padding, path: Path, frame: pl.DataFrame) -> set[str]:
    """The columns of `frame` (read from `path`) whose values are known to need no trimming.

    - Every column, when the file has no white-space byte at all and no value holds a newline:
      no quote, or as many newlines as records (`_newlines_only_end_records`). The usual export
      of ASCII codes and Chinese text.
    - Else, without ASCII padding and quotes, the columns of ASCII values only (ascii_columns):
      a Unicode space can be in the others.
    - Else none: every value is trimmed.
    """
    if padding.ascii:
        return set()
    if not padding.unicode and (not padding.quotes or _newlines_only_end_records(path, frame.height, padding)):
        return set(frame.columns)
    if padding.quotes:
        return set()
    return ascii_columns(frame)


NEWLINE_COUNT_CHUNK = 1 << 24


def _newlines_only_end_records(path: Path, records: int, padding: Padding) -> bool:
    """Whether every newline of a quoted CSV file ends the header or a record (the reader makes a
    record of every line, a blank one too), so that no value holds one: counted in chunks of the
    mapped file, 0.2 s for 275 MB."""
    expected = records + 1 if padding.ends_with_newline else records
    count = 0
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for start in range(0, len(data), NEWLINE_COUNT_CHUNK):
            count += data[start:start + NEWLINE_COUNT_CHUNK].count(b"\n")
            if count > expected:
                return False
    return count == expected


def ascii_columns(frame: pl.DataFrame) -> set[str]:
    """The text columns whose every value is ASCII (as many bytes as characters): in a file without
    ASCII white space or quotes (scan_padding) their values need no trimming; the others may hold
    a Unicode space (U+3000, U+00A0, ...) at an edge and are trimmed."""
    text = [c for c, dtype in frame.schema.items() if dtype == pl.String]
    if not text or not frame.height:
        return set()
    flags = frame.select([(pl.col(c).str.len_bytes() == pl.col(c).str.len_chars()).all() for c in text]).row(0)
    return {c for c, ascii_only in zip(text, flags, strict=True) if ascii_only}


def parse_header_line(first_line: str, file_name: str) -> list[str]:
    first_line = first_line.rstrip("\r")
    if not first_line.strip():
        raise FatalInputError(file_name, "the file has no header row")
    return next(csv.reader([first_line]))


def _polars_csv(source: Path | bytes, width: int) -> pl.DataFrame:
    # the header row is skipped by position (has_header) and named by us, so a BOM does no harm
    return pl.read_csv(
        source if isinstance(source, Path) else io.BytesIO(source), has_header=True,
        new_columns=[f"c{i}" for i in range(width)], infer_schema=False, empty_string_is_null=True,
        raise_if_empty=False,
    )


def _numbered(spec: TableSpec, file_name: str, encoding: str, frame: pl.DataFrame,
              mapping: dict[int, str], unpadded: set[str] = frozenset(), quoted: bool = True) -> RawTable:
    frame = frame.with_columns(pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(ROW_NUMBER))
    return _from_positional(spec, file_name, encoding, frame, mapping, unpadded, quoted)


def _read_csv_slowly(text: str, width: int) -> pl.DataFrame:
    """Python's csv module for the files Polars refuses (records with more fields than the
    header): such a record is kept and marked, so staging quarantines it as unparseable."""
    rows = csv.reader(io.StringIO(text))
    next(rows)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    defects: list[str | None] = []
    for record in rows:
        defects.append(
            f"unparseable: the record has {len(record)} fields, the header has {width}"
            if len(record) > width else None
        )
        padded = (record + [""] * width)[:width]
        for i, value in enumerate(padded):
            columns[i].append(value if value != "" else None)
    frame = pl.DataFrame({f"c{i}": pl.Series(values, dtype=pl.String) for i, values in enumerate(columns)})
    return frame.with_columns(pl.Series(ROW_DEFECT, defects, dtype=pl.String))


def _read_parquet(spec: TableSpec, path: Path) -> RawTable:
    frame = pl.read_parquet(path)
    header = list(frame.columns)
    mapping = map_header(spec, header, path.name)
    frame = frame.rename({c: f"c{i}" for i, c in enumerate(header)})
    frame = frame.with_columns(
        [_as_text(frame.get_column(f"c{i}")).alias(f"c{i}") for i in range(len(header))]
    ).with_columns(pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(ROW_NUMBER))
    return _from_positional(spec, path.name, "parquet", frame, mapping)


def _as_text(series: pl.Series) -> pl.Series:
    """A typed Parquet column as the text the contract would read for the same value."""
    dtype = series.dtype
    if dtype == pl.String:
        return series
    if dtype == pl.Boolean:
        return pl.select(
            pl.when(series.is_null()).then(None).when(series).then(pl.lit("true")).otherwise(pl.lit("false"))
        ).to_series()
    if dtype == pl.Date:
        return series.dt.strftime("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        return series.dt.date().dt.strftime("%Y-%m-%d")
    if dtype.is_integer():
        return series.cast(pl.String)
    if dtype.is_float():
        integral = series.round(0) == series
        return pl.select(
            pl.when(integral).then(series.cast(pl.Int64, strict=False).cast(pl.String))
            .otherwise(series.cast(pl.String))
        ).to_series()
    return series.cast(pl.String, strict=False)


def _xlsx_cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(spec: TableSpec, path: Path) -> RawTable:
    import openpyxl  # only .xlsx sources pay for this import

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            raise FatalInputError(path.name, "the first sheet has no header row")
        header = [_xlsx_cell_text(v) or "" for v in header_row]
        mapping = map_header(spec, header, path.name)
        width = len(header)
        columns: list[list[str | None]] = [[] for _ in range(width)]
        for record in rows:
            cells = list(record[:width]) + [None] * max(0, width - len(record))
            for i, value in enumerate(cells):
                columns[i].append(_xlsx_cell_text(value))
    finally:
        workbook.close()
    frame = pl.DataFrame({f"c{i}": pl.Series(values, dtype=pl.String) for i, values in enumerate(columns)})
    frame = frame.with_columns(pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(ROW_NUMBER))
    return _from_positional(spec, path.name, "xlsx", frame, mapping)


def _from_positional(
    spec: TableSpec, file_name: str, encoding: str, frame: pl.DataFrame, mapping: dict[int, str],
    unpadded: set[str] = frozenset(), quoted: bool = True,
) -> RawTable:
    """Trim every value, drop blank records (they are not rows but keep their number), then keep
    the contract's columns under their contract names.

    The contract's columns are trimmed in one pass (a value of only white space becomes empty); a
    column the contract does not know is only looked at to tell a blank record. Trimming a
    column costs less than scanning it for padding; the columns in `unpadded`
    (positional names) are known to hold no white space at the edge of a value (`unpadded_columns`:
    an export without padding, the usual case) and are not trimmed; a value "" in them, which only
    quotes can write (`quoted`: the file may have them), is still made null.
    """
    positional = [c for c in frame.columns if c.startswith("c") and c[1:].isdigit()]
    mapped = {f"c{pos}" for pos in mapping}
    blank_records = 0
    if positional and frame.height:
        frame = trim_values(frame, [c for c in positional if c in mapped and c not in unpadded])
        if quoted:
            frame = null_empty_values(frame, [c for c in positional if c in mapped and c in unpadded])
        blank = pl.all_horizontal(
            [pl.col(c).is_null() if c in mapped else _blank(pl.col(c)) for c in positional]
        )
        if ROW_DEFECT in frame.columns:
            blank = blank & pl.col(ROW_DEFECT).is_null()
        # counted first, without a column of the test per record; filtered only when there is one
        blank_records = int(frame.select(blank.sum()).item())
        if blank_records:
            frame = frame.filter(~blank)
    renamed = {f"c{pos}": name for pos, name in mapping.items()}
    return RawTable(spec.name, file_name, encoding, _finish(spec, frame.rename(renamed), renamed), blank_records)


def trim_values(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """`columns` with every value trimmed, a value of only white space made empty (null).

    Trimming is one pass; making the emptied values null is done only in the columns where
    trimming left an empty value (a value of only white space: rare), found by a comparison per
    value. Replacing "" by null in every column took a third of a file's trimming (0.4 of 1.2
    CPU-s for the 3M city's labour registry).
    """
    if not columns:
        return frame
    frame = frame.with_columns([pl.col(c).cast(pl.String).str.strip_chars() for c in columns])
    return null_empty_values(frame, columns)


def null_empty_values(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """`columns` with every value "" made null, in the columns that have one (one comparison per
    value finds them; the replacement, which costs more, is made only there)."""
    if not columns:
        return frame
    emptied = frame.select([(pl.col(c) == "").any() for c in columns]).row(0)
    nulled = [c for c, empty in zip(columns, emptied, strict=True) if empty]
    if nulled:
        frame = frame.with_columns([pl.col(c).replace("", None) for c in nulled])
    return frame


def _blank(value: pl.Expr) -> pl.Expr:
    """Whether a value of a column the contract does not know is empty once trimmed."""
    return value.is_null() | (value.cast(pl.String).str.strip_chars() == "")


def _finish(spec: TableSpec, frame: pl.DataFrame, renamed: dict[str, str]) -> pl.DataFrame:
    present = set(renamed.values())
    exprs = [
        (pl.col(c.name) if c.name in present else pl.lit(None, dtype=pl.String).alias(c.name))
        for c in spec.columns
    ]
    exprs.append(pl.col(ROW_NUMBER) if ROW_NUMBER in frame.columns else pl.lit(None, dtype=pl.Int64).alias(ROW_NUMBER))
    exprs.append(
        pl.col(ROW_DEFECT) if ROW_DEFECT in frame.columns else pl.lit(None, dtype=pl.String).alias(ROW_DEFECT)
    )
    if frame.width == 0:
        return pl.DataFrame(
            {c.name: pl.Series([], dtype=pl.String) for c in spec.columns}
            | {ROW_NUMBER: pl.Series([], dtype=pl.Int64), ROW_DEFECT: pl.Series([], dtype=pl.String)}
        )
    return frame.select(exprs)
