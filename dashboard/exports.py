"""Download files: CSV for anything, Excel (.xlsx, via openpyxl) for the rewards report.

CSV is UTF-8 with a byte-order mark, so Excel on a Chinese Windows desktop opens the Chinese
headers correctly instead of guessing GBK. Identifiers stay text in both formats (an ID or
community code read as a number would lose its leading digits or its X)."""

from __future__ import annotations

import io

import polars as pl
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
MONEY_FORMAT = "#,##0"


def csv_bytes(frame: pl.DataFrame) -> bytes:
    return b"\xef\xbb\xbf" + frame.write_csv().encode("utf-8")


def xlsx_bytes(sheets: dict[str, pl.DataFrame], title_rows: dict[str, str] | None = None) -> bytes:
    """One worksheet per frame, in order; an optional first line per sheet (e.g. the as-of date)
    above the bold header row. Columns whose name ends in （元） get a thousands format."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(title=name[:31])
        first = 1
        if title_rows and name in title_rows:
            sheet.cell(row=1, column=1, value=title_rows[name]).font = Font(bold=True)
            first = 3
        for col, header in enumerate(frame.columns, start=1):
            sheet.cell(row=first, column=col, value=header).font = Font(bold=True)
        for row_index, row in enumerate(frame.iter_rows(), start=first + 1):
            for col, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_index, column=col, value=value)
                if frame.columns[col - 1].endswith("（元）"):
                    cell.number_format = MONEY_FORMAT
        for col, header in enumerate(frame.columns, start=1):
            longest = max([len(str(header))] + [len(str(v)) for v in frame[header].to_list()[:200]])
            sheet.column_dimensions[get_column_letter(col)].width = min(60, 4 + 2 * longest)
        sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
