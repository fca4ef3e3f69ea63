import datetime as dt
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from assets.ingest.contract import TABLES_BY_NAME
from assets.ingest.errors import FatalInputError
from assets.ingest.reader import ascii_columns, locate_table_files, read_table, scan_padding, unpadded_columns

COMMUNITIES = TABLES_BY_NAME["communities"]
RESIDENTS = TABLES_BY_NAME["residents"]
SURVEYS = TABLES_BY_NAME["satisfaction_surveys"]
COMMUNITY_ROW = "410402001001,建设路社区,410402001,曙光街街道,410402,新华区,"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_gb18030_file_with_chinese_aliases_maps_to_contract_columns(tmp_path):
    path = write(
        tmp_path / "communities.csv",
        "community_code,社区名称,street_code,街道,county_code,县区\n" + COMMUNITY_ROW.rstrip(",") + "\n",
        "gb18030",
    )
    raw = read_table(COMMUNITIES, path)
    assert raw.encoding == "gb18030"
    assert raw.frame.row(0, named=True) | {} == {
        "community_code": "410402001001", "community_name": "建设路社区", "street_code": "410402001",
        "street_name": "曙光街街道", "county_code": "410402", "county_name": "新华区",
        "legal_county_code": None, "_row_number": 1, "_row_defect": None,
    }


def test_values_are_trimmed_and_blank_values_are_empty(tmp_path):
    path = write(tmp_path / "satisfaction_surveys.csv",
                 "response_id,community_code,survey_date,rating\n  Q1 , 410402001001 ,2020-01-05,   \n")
    row = read_table(SURVEYS, path).frame.row(0, named=True)
    assert (row["response_id"], row["community_code"], row["rating"]) == ("Q1", "410402001001", None)


def test_blank_lines_are_not_rows_but_keep_their_number(tmp_path):
    path = write(tmp_path / "satisfaction_surveys.csv",
                 "response_id,community_code,survey_date,rating\r\nQ1,c,2020-01-05,satisfied\r\n\r\n   \r\n"
                 "Q2,c,2020-01-05,satisfied\r\n\r\n")
    raw = read_table(SURVEYS, path)
    assert raw.frame.select("response_id", "_row_number").rows() == [("Q1", 1), ("Q2", 4)]
    assert raw.blank_records >= 2


def test_a_record_with_only_an_unknown_column_filled_is_a_row_not_a_blank_record(tmp_path):
    path = write(tmp_path / "satisfaction_surveys.csv",
                 "response_id,community_code,survey_date,rating,remark\nQ1,c,2020-01-05,satisfied,\n"
                 " , ,,, see the paper form \n,,,,  \n")
    raw = read_table(SURVEYS, path)
    assert raw.frame.select("response_id", "_row_number").rows() == [("Q1", 1), (None, 2)]
    assert raw.blank_records == 1


def test_every_record_is_kept_when_a_column_is_filled_in_all_of_them(tmp_path):
    # response_id is never empty, so no record can be blank: the shortcut that skips the row test
    path = write(tmp_path / "satisfaction_surveys.csv",
                 "response_id,community_code,survey_date,rating\nQ1,,,\n Q2 ,c,2020-01-05,\nQ3,,,satisfied\n")
    raw = read_table(SURVEYS, path)
    assert raw.frame.select("response_id", "rating", "_row_number").rows() == [
        ("Q1", None, 1), ("Q2", None, 2), ("Q3", "satisfied", 3)]
    assert raw.blank_records == 0


def test_quoted_comma_and_newline_stay_inside_the_value(tmp_path):
    path = write(tmp_path / "communities.csv",
                 "community_code,community_name,street_code,street_name,county_code,county_name\n"
                 '410402001001,"建设路,社区",410402001,"曙光\n街道",410402,新华区\n'
                 "410402001002,光明社区,410402001,曙光街街道,410402,新华区\n")
    frame = read_table(COMMUNITIES, path).frame
    assert frame.get_column("community_name").to_list() == ["建设路,社区", "光明社区"]
    assert frame.get_column("_row_number").to_list() == [1, 2]


def test_a_record_with_too_many_fields_is_kept_and_marked(tmp_path):
    path = write(tmp_path / "satisfaction_surveys.csv",
                 "response_id,community_code,survey_date,rating\nQ1,c,2020-01-05,satisfied\nQ2,c,2020-01-05,x,y\n")
    frame = read_table(SURVEYS, path).frame
    assert frame.get_column("_row_defect").to_list() == [None, "unparseable: the record has 5 fields, the header has 4"]


def test_missing_required_column_is_fatal_naming_file_and_column(tmp_path):
    path = write(tmp_path / "residents.csv", "person_id,name,household_id,community_code\n")
    with pytest.raises(FatalInputError) as err:
        read_table(RESIDENTS, path)
    assert (err.value.file, err.value.column) == ("residents.csv", "has_work_ability")
    assert "有劳动能力" in str(err.value)


def test_missing_optional_column_reads_as_empty(tmp_path):
    path = write(tmp_path / "residents.csv", "person_id,name,household_id,community_code,has_work_ability\n"
                 "41040219850505001X,张伟,H1,410402001001,是\n")
    row = read_table(RESIDENTS, path).frame.row(0, named=True)
    assert (row["gender"], row["birth_date"], row["has_work_ability"]) == (None, None, "是")


def test_a_column_named_twice_in_english_and_alias_is_fatal(tmp_path):
    path = write(tmp_path / "residents.csv", "person_id,name,姓名,household_id,community_code,has_work_ability\n")
    with pytest.raises(FatalInputError, match="column name is given twice"):
        read_table(RESIDENTS, path)


def test_empty_file_is_fatal(tmp_path):
    with pytest.raises(FatalInputError, match="residents.csv: the file has no header row"):
        read_table(RESIDENTS, write(tmp_path / "residents.csv", ""))


def test_two_files_for_one_table_are_fatal(tmp_path):
    for name in ("communities", "residents", "labour_registry", "unemployment_registrations", "service_logs"):
        write(tmp_path / f"{name}.csv", "x\n")
    write(tmp_path / "complaints.csv", "x\n")
    (tmp_path / "complaints.parquet").write_bytes(b"")
    with pytest.raises(FatalInputError, match="two files for table complaints"):
        locate_table_files(tmp_path)


def test_missing_required_table_is_fatal(tmp_path):
    write(tmp_path / "communities.csv", "x\n")
    with pytest.raises(FatalInputError, match="required table residents"):
        locate_table_files(tmp_path)


def test_xlsx_date_and_number_cells_become_contract_text(tmp_path):
    path = tmp_path / "residents.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["公民身份号码", "姓名", "性别", "出生日期", "户编号", "community_code", "有劳动能力"])
    sheet.append(["41040219850505001X", "张伟", 1, dt.datetime(1985, 5, 5), 4104020010010001.0,
                  410402001001.0, True])
    sheet.append([None] * 7)
    sheet.append(["410402199001010027", "李娜", 2, dt.date(1990, 1, 1), "H2", "410402001001", "否"])
    book.save(path)
    frame = read_table(RESIDENTS, path).frame
    assert frame.drop("_row_defect").rows() == [
        ("41040219850505001X", "张伟", "1", "1985-05-05", "4104020010010001", "410402001001", "true", 1),
        ("410402199001010027", "李娜", "2", "1990-01-01", "H2", "410402001001", "否", 3),
    ]


def test_parquet_typed_columns_are_accepted_as_their_value(tmp_path):
    path = tmp_path / "satisfaction_surveys.parquet"
    pl.DataFrame({
        "response_id": ["Q1"], "community_code": ["410402001001"], "survey_date": [dt.date(2020, 3, 3)],
        "rating": ["satisfied"],
    }).write_parquet(path)
    assert read_table(SURVEYS, path).frame.drop("_row_defect").rows() == [
        ("Q1", "410402001001", "2020-03-03", "satisfied", 1)
    ]


def test_parquet_booleans_and_integral_floats_read_as_contract_text(tmp_path):
    path = tmp_path / "complaints.parquet"
    pl.DataFrame({
        "complaint_id": [1.0, 2.0, 3.0], "community_code": [410402001001, 410402001001, None],
        "received_on": [dt.datetime(2020, 3, 3, 0, 0)] * 3, "kind": ["complaint"] * 3,
        "adverse_impact": [True, False, None],
    }).write_parquet(path)
    frame = read_table(TABLES_BY_NAME["complaints"], path).frame
    assert frame.select("complaint_id", "community_code", "received_on", "adverse_impact").rows() == [
        ("1", "410402001001", "2020-03-03", "true"), ("2", "410402001001", "2020-03-03", "false"),
        ("3", None, "2020-03-03", None)]


def test_unreadable_xlsx_is_fatal(tmp_path):
    path = tmp_path / "residents.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(FatalInputError, match="residents.xlsx: cannot be read as xlsx"):
        read_table(RESIDENTS, path)


@pytest.mark.parametrize("padding", [" ", "\t", "\r", "\x0b", "\x0c"])
def test_a_file_with_ascii_white_space_is_trimmed_in_full(tmp_path, padding):
    path = write(tmp_path / "satisfaction_surveys.csv",
                 f"response_id,community_code,survey_date,rating\nQ1,410402001001,2020-01-05,{padding}satisfied\n")
    assert scan_padding(path).ascii
    assert unpadded_columns(scan_padding(path), path, pl.DataFrame({"c0": ["Q1"]})) == set()
    assert read_table(SURVEYS, path).frame.get_column("rating").to_list() == ["satisfied"]
    assert scan_padding(write(tmp_path / "empty.csv", "")).ascii  # nothing to save: read the careful way


def _unpadded(path: Path) -> set[str]:
    from assets.ingest import reader

    frame = reader._polars_csv(path, len(path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")))
    return unpadded_columns(scan_padding(path), path, frame)


SURVEY_HEADER = "response_id,community_code,survey_date,rating\n"


def test_a_file_of_ascii_and_chinese_characters_without_white_space_is_not_trimmed(tmp_path):
    path = write(tmp_path / "satisfaction_surveys.csv", SURVEY_HEADER + "Q1,410402001001,2020-01-05,满意\n")
    assert scan_padding(path) == reader_padding(ascii=False, quotes=False, unicode=False)
    assert _unpadded(path) == {"c0", "c1", "c2", "c3"}
    assert read_table(SURVEYS, path).frame.row(0)[:4] == ("Q1", "410402001001", "2020-01-05", "满意")


def reader_padding(**kwargs):
    from assets.ingest.reader import Padding

    return Padding(**kwargs)


def test_quotes_without_a_newline_in_a_value_need_no_trimming_but_an_empty_quoted_value_is_null(tmp_path):
    """A quoted value holds a comma; "" is an empty value; a blank line is a record of its own:
    the file has as many newlines as records (and its header), so none is inside a value."""
    path = write(tmp_path / "satisfaction_surveys.csv",
                 SURVEY_HEADER + 'Q1,"410402001001",2020-01-05,"满意,很好"\n\nQ2,410402001002,"",""\n')
    padding = scan_padding(path)
    assert (padding.quotes, padding.ascii, padding.unicode) == (True, False, False)
    assert _unpadded(path) == {"c0", "c1", "c2", "c3"}
    raw = read_table(SURVEYS, path)
    assert raw.frame.select("response_id", "community_code", "survey_date", "rating", "_row_number").rows() == [
        ("Q1", "410402001001", "2020-01-05", "满意,很好", 1), ("Q2", "410402001002", None, None, 3)]
    assert raw.blank_records == 1
    unended = write(tmp_path / "unended.csv", SURVEY_HEADER + 'Q1,c,2020-01-05,"a,b"')  # no newline at the end
    assert _unpadded(unended) == {"c0", "c1", "c2", "c3"}


def test_a_newline_inside_quotes_has_every_value_trimmed(tmp_path):
    path = write(tmp_path / "satisfaction_surveys.csv",
                 SURVEY_HEADER + 'Q1,410402001001,2020-01-05,"satisfied\n"\nQ2,410402001002,2020-01-06,"a\nb"\n')
    assert _unpadded(path) == set()
    assert read_table(SURVEYS, path).frame.get_column("rating").to_list() == ["satisfied", "a\nb"]
    unended = write(tmp_path / "unended.csv", SURVEY_HEADER + 'Q1,c,2020-01-05,"\nsatisfied"')
    assert _unpadded(unended) == set()
    assert read_table(SURVEYS, unended).frame.get_column("rating").to_list() == ["satisfied"]


@pytest.mark.parametrize("character", ["、", "“", "·", "\u3000"])
def test_a_byte_that_may_begin_a_unicode_space_takes_the_column_by_column_way(tmp_path, character):
    """、 (E3 80 81), “ (E2 80 9C) and · (C2 B7) are no white space, but begin as U+3000, U+2000
    and U+00A0 do: the ASCII columns are then known clean, the others trimmed (or, with quotes, all)."""
    path = write(tmp_path / "satisfaction_surveys.csv",
                 SURVEY_HEADER + f"Q1,410402001001,2020-01-05,满意{character}\n")
    assert scan_padding(path).unicode
    assert _unpadded(path) == {"c0", "c1", "c2"}
    expected = "满意" if character == "\u3000" else f"满意{character}"
    assert read_table(SURVEYS, path).frame.get_column("rating").to_list() == [expected]
    quoted = write(tmp_path / "quoted.csv", SURVEY_HEADER + f'Q1,410402001001,2020-01-05,"满意{character}"\n')
    assert _unpadded(quoted) == set()
    assert read_table(SURVEYS, quoted).frame.get_column("rating").to_list() == [expected]


def test_only_columns_of_ascii_values_are_known_to_need_no_trimming():
    frame = pl.DataFrame({"c0": ["Q1", None], "c1": ["410402001001\u3000", "410402001001"], "c2": ["建设路", "x"],
                          "c3": [None, None]}, schema={"c0": pl.String, "c1": pl.String, "c2": pl.String,
                                                       "c3": pl.String})
    assert ascii_columns(frame) == {"c0", "c3"}


def test_a_file_without_ascii_white_space_still_loses_unicode_padding(tmp_path):
    """No ASCII padding and no quote: the ASCII columns are taken as they are, a column with any
    other character is trimmed (an ideographic space U+3000 and a no-break space U+00A0 here)."""
    path = write(tmp_path / "satisfaction_surveys.csv",
                 "response_id,community_code,survey_date,rating\n"
                 "Q1,410402001001\u3000,2020-01-05,satisfied\nQ2,410402001002,2020-01-06,\u00a0\n")
    assert not scan_padding(path).ascii and not scan_padding(path).quotes
    rows = read_table(SURVEYS, path).frame.select("response_id", "community_code", "rating").rows()
    assert rows == [("Q1", "410402001001", "satisfied"), ("Q2", "410402001002", None)]


@pytest.mark.parametrize(("extra_name", "clean"), [("李娜", True), ("买买提·艾力", False)])
def test_the_untrimmed_columns_read_as_trimming_every_value_reads_them(tmp_path, extra_name, clean):
    """A file without padding or quotes, read with the shortcut and with every value trimmed: with
    ASCII and Chinese characters only, no column is trimmed; a middle dot (C2 B7, the lead byte of
    U+00A0) has the name column trimmed. The tiny fixture city's residents (CRLF line ends: a
    carriage return in the file) are trimmed in full."""
    from assets.ingest import reader

    tiny = Path(__file__).resolve().parents[2] / "fixtures" / "cities" / "tiny" / "residents.csv"
    assert scan_padding(tiny).ascii
    text = tiny.read_text(encoding="utf-8").replace("\r\n", "\n")
    path = write(tmp_path / "residents.csv", text + f"410402198505050079,{extra_name},,,H1,410402001001,\n\n")
    assert scan_padding(path) == reader_padding(ascii=False, quotes=False, unicode=not clean)
    header = text.splitlines()[0].split(",")
    frame = reader._polars_csv(path, len(header))
    assert ascii_columns(frame) == {f"c{i}" for i in range(len(header)) if header[i] != "name"}
    assert _unpadded(path) == ({f"c{i}" for i in range(len(header))} if clean else ascii_columns(frame))
    full = reader._numbered(RESIDENTS, path.name, "utf-8", frame, reader.map_header(RESIDENTS, header, path.name))
    fast = read_table(RESIDENTS, path)
    assert fast.frame.equals(full.frame)
    assert (fast.frame.height, fast.blank_records) == (len(text.splitlines()), full.blank_records)
    assert fast.frame.get_column("name").to_list()[-1] == extra_name


def test_trimming_makes_null_only_what_it_empties_in_the_columns_it_is_given():
    """Only the columns with a value of white space alone (or "", as Parquet and Excel can hold)
    get nulls; other columns keep every value, and a column not named is left untouched."""
    from assets.ingest.reader import trim_values

    frame = pl.DataFrame({
        "c0": [" Q1 ", "Q2", None],
        "c1": ["\u3000", "a\u00a0", ""],
        "c2": ["  ", " b", "c"],
    })
    trimmed = trim_values(frame, ["c0", "c1"])
    assert trimmed.to_dict(as_series=False) == {
        "c0": ["Q1", "Q2", None],
        "c1": [None, "a", None],
        "c2": ["  ", " b", "c"],
    }
    assert trim_values(frame, []).equals(frame)
