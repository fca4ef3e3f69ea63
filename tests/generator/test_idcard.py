"""ID numbers: the checksum, the vectorised builder and the sequence numbers."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from generator import dates, idcard


@pytest.mark.parametrize("pid", ["410403199501100017", "41040319740817002X", "41040219890312001X"])
def test_known_ids_from_the_examples_are_valid(pid: str) -> None:
    assert idcard.is_valid(pid)


@pytest.mark.parametrize("pid", [
    "410403199501100018",  # wrong check digit
    "41040319740817002Y",  # not a check character
    "410403199502300014",  # 30 February
    "41040319950110001",  # 17 characters
    "",
])
def test_malformed_or_wrong_ids_are_invalid(pid: str) -> None:
    assert not idcard.is_valid(pid)


def test_check_characters_cover_x_and_lower_case_x_is_accepted() -> None:
    assert idcard.check_char("41040319740817002") == "X"
    assert idcard.is_valid("41040319740817002x")


def test_vectorised_check_characters_agree_with_the_scalar_rule() -> None:
    rng = np.random.default_rng(1)
    area = rng.choice([410402, 410403, 340102, 130102], 500)
    birth = dates.ymd(dates.between(dates.day("1930-01-01"), dates.day("2020-12-31"), rng, 500))
    seq = rng.integers(0, 1000, 500)
    ids = idcard.build_ids(area, birth, seq, idcard.check_indices(area, birth, seq)).to_list()
    for pid, a, b, s in zip(ids, area, birth, seq, strict=True):
        assert pid[:17] == f"{a}{b}{s:03d}"
        assert pid[17] == idcard.check_char(pid[:17])
        assert idcard.is_valid(pid)


def test_sequences_are_unique_and_carry_the_gender() -> None:
    rng = np.random.default_rng(2)
    n = 2000
    area = np.full(n, 410402)
    birth = np.full(n, 19800101) + rng.integers(0, 3, n)  # crowded: ~330 persons per date and gender
    male = rng.random(n) < 0.5
    seq = idcard.assign_sequences(area, birth, male, rng)
    keys = area.astype(np.int64) * 10**11 + birth * 1000 + seq
    assert np.unique(keys).size == n
    assert np.array_equal(seq % 2 == 1, male)
    assert seq.min() >= 0 and seq.max() <= 999


def test_wrong_check_chars_always_break_the_checksum() -> None:
    good = pl.Series(["410403199501100017", "41040319740817002X"] * 50)
    bad = idcard.wrong_check_chars(good, np.random.default_rng(3))
    assert not any(idcard.is_valid(p) for p in bad.to_list())
    assert [p[:17] for p in bad.to_list()] == [p[:17] for p in good.to_list()]


def test_gender_and_birth_date_are_read_from_the_id() -> None:
    assert idcard.gender_of("410403199501100017") == 1
    assert idcard.gender_of("41040319740817002X") == 2
    assert idcard.birth_date_of("41040319740817002X").isoformat() == "1974-08-17"


def test_example_sources_hold_only_valid_ids(shared_dir) -> None:
    source = shared_dir / "examples" / "gb18030_chinese" / "source"
    raw = (source / "residents.csv").read_bytes().decode("gb18030").splitlines()[1:]
    ids = [line.split(",")[0] for line in raw if line]
    assert ids and all(idcard.is_valid(pid) for pid in ids)
