import pytest

from assets.ingest.encoding import decode_csv_bytes
from assets.ingest.errors import FatalInputError

HEADER = "community_code,社区名称\n410402001001,建设路社区\n"


def test_utf8_is_read_as_utf8():
    assert decode_csv_bytes(HEADER.encode("utf-8"), "c.csv") == (HEADER, "utf-8")


def test_utf8_bom_is_dropped():
    text, encoding = decode_csv_bytes(b"\xef\xbb\xbf" + HEADER.encode("utf-8"), "c.csv")
    assert (text, encoding) == (HEADER, "utf-8")


def test_gb18030_is_read_when_not_utf8():
    text, encoding = decode_csv_bytes(HEADER.encode("gb18030"), "c.csv")
    assert (text, encoding) == (HEADER, "gb18030")


def test_utf8_cut_mid_character_is_fatal_not_garbled():
    data = HEADER.encode("utf-8")[:-2]  # drops the newline and the last byte of 区
    assert data.decode("gb18030", errors="strict")  # GB18030 would "succeed" with garbage
    with pytest.raises(FatalInputError, match="c.csv: the file is cut"):
        decode_csv_bytes(data, "c.csv")


def test_undecodable_bytes_are_fatal_and_name_the_file():
    with pytest.raises(FatalInputError, match="residents.csv: cannot be decoded"):
        decode_csv_bytes(b"person_id\n\x81\x20\xff\n", "residents.csv")
