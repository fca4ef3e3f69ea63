"""Landing: UTF-8 CSV and Parquet read in place by staging, everything else transcoded once."""

import os

import openpyxl
import polars as pl
import pytest

from assets.ingest.contract import TABLES_BY_NAME
from assets.ingest.errors import FatalInputError
from assets.ingest.landing import SAMPLE_BYTES, land_table, landed_frame, landed_from_frame, read_landed

SURVEYS = TABLES_BY_NAME["satisfaction_surveys"]
HEADER = "response_id,community_code,survey_date,rating\n"
ROW = "Q{n},410402001001,2020-01-05,satisfied\n"


def test_utf8_csv_is_read_in_place_and_nothing_is_copied(tmp_path):
    path = tmp_path / "satisfaction_surveys.csv"
    path.write_text(HEADER + ROW.format(n=1) + "  Q2 ,410402001001,2020/1/6,\n", encoding="utf-8")
    landed = land_table(SURVEYS, path, tmp_path / "build")
    assert (landed.in_place, landed.encoding, landed.size) == (True, "utf-8", path.stat().st_size)
    assert not (tmp_path / "build").exists()
    raw = read_landed(SURVEYS, landed)
    assert raw.frame.select("response_id", "survey_date", "rating", "_row_number").rows() == [
        ("Q1", "2020-01-05", "satisfied", 1), ("Q2", "2020/1/6", None, 2)]


def test_gb18030_csv_is_transcoded_once_into_parquet_of_trimmed_text(tmp_path):
    path = tmp_path / "satisfaction_surveys.csv"
    path.write_bytes(("response_id,community_code,survey_date,rating,备注\n"
                      "Q1 ,410402001001,2020-01-05,satisfied,满意\n\n").encode("gb18030"))
    landed = land_table(SURVEYS, path, tmp_path / "build")
    assert (landed.in_place, landed.encoding, landed.rows, landed.blank_records) == (False, "gb18030", 1, 1)
    assert pl.read_parquet(landed.landed).get_column("response_id").to_list() == ["Q1"]
    path.unlink()  # staging reads the transcoded copy, not the source
    assert read_landed(SURVEYS, landed).frame.get_column("_row_number").to_list() == [1]


def test_xlsx_is_transcoded(tmp_path):
    path = tmp_path / "satisfaction_surveys.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["response_id", "community_code", "survey_date", "rating"])
    book.active.append(["Q1", 410402001001, "2020-01-05", "satisfied"])
    book.save(path)
    landed = land_table(SURVEYS, path, tmp_path / "build")
    assert (landed.in_place, landed.encoding, landed.rows) == (False, "xlsx", 1)
    assert read_landed(SURVEYS, landed).frame.get_column("community_code").to_list() == ["410402001001"]


def test_parquet_is_read_in_place(tmp_path):
    path = tmp_path / "satisfaction_surveys.parquet"
    pl.DataFrame({"response_id": ["Q1"], "community_code": ["410402001001"], "survey_date": ["2020-01-05"],
                  "rating": ["satisfied"]}).write_parquet(path)
    landed = land_table(SURVEYS, path, tmp_path / "build")
    assert (landed.in_place, landed.encoding) == (True, "parquet")
    assert read_landed(SURVEYS, landed).frame.height == 1


def test_header_problems_are_fatal_at_landing(tmp_path):
    path = tmp_path / "satisfaction_surveys.csv"
    path.write_text("response_id,community_code,rating\n", encoding="utf-8")
    with pytest.raises(FatalInputError) as err:
        land_table(SURVEYS, path, tmp_path / "build")
    assert (err.value.file, err.value.column) == ("satisfaction_surveys.csv", "survey_date")


def test_a_small_cut_file_is_fatal_at_landing(tmp_path):
    path = tmp_path / "satisfaction_surveys.csv"
    path.write_bytes((HEADER + "Q1,410402001001,2020-01-05,满意").encode("utf-8")[:-1])
    with pytest.raises(FatalInputError, match="the file is cut"):
        land_table(SURVEYS, path, tmp_path / "build")


def test_a_file_utf8_only_in_its_first_mib_is_read_as_gb18030_by_staging(tmp_path):
    path = tmp_path / "satisfaction_surveys.csv"
    rows = "".join(ROW.format(n=n) for n in range(SAMPLE_BYTES // len(ROW) + 10))
    path.write_bytes((HEADER + rows).encode("utf-8") + "Q-last,410402001001,2020-01-05,不满意\n".encode("gb18030"))
    landed = land_table(SURVEYS, path, tmp_path / "build")
    assert landed.in_place  # decided from the first MiB
    raw = read_landed(SURVEYS, landed)
    assert raw.encoding == "gb18030"
    assert raw.frame.row(-1, named=True)["rating"] == "不满意"


def test_a_large_file_cut_mid_character_is_fatal_in_staging(tmp_path):
    path = tmp_path / "satisfaction_surveys.csv"
    rows = "".join(ROW.format(n=n) for n in range(SAMPLE_BYTES // len(ROW) + 10))
    path.write_bytes((HEADER + rows + "Q-last,410402001001,2020-01-05,满意").encode("utf-8")[:-1])
    landed = land_table(SURVEYS, path, tmp_path / "build")
    with pytest.raises(FatalInputError, match="satisfaction_surveys.csv: the file is cut"):
        read_landed(SURVEYS, landed)


def test_a_source_file_changed_after_landing_is_fatal(tmp_path):
    path = tmp_path / "satisfaction_surveys.csv"
    path.write_text(HEADER + ROW.format(n=1), encoding="utf-8")
    landed = land_table(SURVEYS, path, tmp_path / "build")
    path.write_text(HEADER + ROW.format(n=1) + ROW.format(n=2), encoding="utf-8")
    with pytest.raises(FatalInputError, match="changed in the source folder during the run"):
        read_landed(SURVEYS, landed)
    path.unlink()
    with pytest.raises(FatalInputError, match="disappeared from the source folder"):
        read_landed(SURVEYS, landed)


def test_same_size_rewrite_is_caught_by_its_modification_time(tmp_path):
    path = tmp_path / "satisfaction_surveys.csv"
    path.write_text(HEADER + ROW.format(n=1), encoding="utf-8")
    landed = land_table(SURVEYS, path, tmp_path / "build")
    path.write_text(HEADER + ROW.format(n=2), encoding="utf-8")
    os.utime(path, ns=(landed.mtime_ns + 1_000_000, landed.mtime_ns + 1_000_000))
    with pytest.raises(FatalInputError, match="changed in the source folder"):
        read_landed(SURVEYS, landed)


def test_landed_files_round_trip_through_their_table(tmp_path):
    path = tmp_path / "satisfaction_surveys.csv"
    path.write_text(HEADER + ROW.format(n=1), encoding="utf-8")
    landed = [land_table(SURVEYS, path, tmp_path / "build"), land_table(TABLES_BY_NAME["complaints"], None, tmp_path)]
    assert list(landed_from_frame(landed_frame(landed)).values()) == landed
    assert read_landed(TABLES_BY_NAME["complaints"], landed[1]).frame.height == 0


def test_a_small_cut_file_with_a_bom_is_fatal_at_landing(tmp_path):
    path = tmp_path / "satisfaction_surveys.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "Q1,410402001001,2020-01-05,满意").encode("utf-8")[:-1])
    with pytest.raises(FatalInputError, match="the file is cut"):
        land_table(SURVEYS, path, tmp_path / "build")
