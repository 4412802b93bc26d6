"""Reading and writing a table: CSV (UTF-8, with or without BOM, or GB18030) and XLSX.

Pure Python plus openpyxl. A table is a header and its rows, each row with the line number a
user sees: the row number in Excel, so the header is line 1 and blank rows still count.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .cells import FORMULA_START, is_blank

FORMATS = ("csv", "xlsx")


class TableError(Exception):
    """The file cannot be read as a table at all."""

    def __init__(self, zh: str, en: str):
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} / {en}")


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    header_line: int = 1
    encoding: str | None = None  # the CSV encoding that worked


def format_of(path: str | Path, given: str | None = None) -> str:
    if given:
        return given
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if suffix == "xls":
        raise TableError(
            "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV",
            "old .xls files are not supported; save as .xlsx or CSV",
        )
    raise TableError(
        f"无法从扩展名判断格式（.{suffix}），请用 --format csv 或 --format xlsx",
        f"cannot tell the format from the extension (.{suffix}); use --format csv or --format xlsx",
    )


def read_table(path: str | Path, fmt: str | None = None) -> Table:
    fmt = format_of(path, fmt)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise TableError(
            f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}"
        ) from None
    return read_csv_bytes(data) if fmt == "csv" else read_xlsx_bytes(data)


def decode_csv(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then GB18030, which Excel in China writes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise TableError(
            "文件编码无法识别（应为 UTF-8 或 GB18030）",
            "cannot decode the file (expected UTF-8 or GB18030)",
        ) from None


def _table(rows: Iterable[tuple[int, Sequence[Any]]], encoding: str | None = None) -> Table:
    table: Table | None = None
    for line, cells in rows:
        if table is None:
            if all(is_blank(c) for c in cells):
                continue
            header = ["" if c is None else str(c).strip().lstrip("\ufeff") for c in cells]
            while header and not header[-1]:
                header.pop()
            table = Table(header=header, header_line=line, encoding=encoding)
        elif not all(is_blank(c) for c in cells):
            table.rows.append((line, list(cells)))
    if table is None:
        raise TableError("文件为空：没有列名行", "the file is empty: no header row")
    return table


def read_csv_bytes(data: bytes) -> Table:
    text, encoding = decode_csv(data)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(enumerate(reader, start=1))
    except csv.Error as exc:
        raise TableError(f"CSV 格式错误：{exc}", f"malformed CSV: {exc}") from None
    return _table(rows, encoding)


def read_xlsx_bytes(data: bytes) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError(f"不是有效的 XLSX 文件：{exc}", f"not a valid XLSX file: {exc}") from None
    try:
        if not book.worksheets:
            raise TableError("XLSX 文件没有工作表", "the XLSX file has no sheet")
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions; read every row
        rows = enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)
        return _table(rows)
    finally:
        book.close()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_START):
        return "'" + text  # never a formula in a spreadsheet; import takes it off
    return text


def write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """UTF-8 with a BOM, so Excel opens it as UTF-8. Returns the number of rows."""
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
            count += 1
    return count


def write_xlsx(
    path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Sheet1"
) -> int:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "、", title)[:31] or "Sheet1")
    bold = Font(bold=True)
    head = []
    for h in header:
        cell = WriteOnlyCell(sheet, value=h)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    count = 0
    for row in rows:
        out = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, Decimal):
                cell.number_format = "0.00"
            elif isinstance(value, str):
                cell.data_type = "s"  # text stays text, even if it starts with =
            out.append(cell)
        sheet.append(out)
        count += 1
    book.save(path)
    return count
