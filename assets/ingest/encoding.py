"""Decide the text encoding of a CSV file exactly as contract §1 prescribes.

UTF-8 if the whole file is valid UTF-8 (a BOM is dropped); a file that is valid UTF-8 up to an
incomplete character at its very end was cut in transfer and is fatal rather than garbled;
otherwise GB18030 if the whole file decodes strictly; otherwise fatal.
"""

from __future__ import annotations

import codecs

from assets.ingest.errors import FatalInputError


def decode_csv_bytes(data: bytes, file_name: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise FatalInputError naming the file."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and err.end == len(data):
            raise FatalInputError(
                file_name,
                f"the file is cut: valid UTF-8 up to an incomplete character at byte {err.start} "
                "(the file was truncated; export it again)",
            ) from None
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as err:
        raise FatalInputError(
            file_name,
            f"cannot be decoded as UTF-8 or GB18030 (invalid bytes at offset {err.start})",
        ) from None
