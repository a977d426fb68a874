"""A funder return as the funder's file: XLSX (title rows, then the funder's columns) or CSV (the funder's columns
only, the second table after a blank line). Text is written safe from formula injection (core.spreadsheets)."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook

from commissioning.core.spreadsheets import header_row, money_cell, safe_cell, text_cell


def filename(data, extension: str) -> str:
    return f"{data.layout.replace('_', '-')}-{data.starts_on:%Y%m%d}-{data.ends_on:%Y%m%d}.{extension}"


def _cell(sheet, value):
    if isinstance(value, Decimal):
        return money_cell(sheet, value)
    if isinstance(value, str):
        return text_cell(sheet, value)
    return value


def as_xlsx(data) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Return")
    sheet.append([text_cell(sheet, data.title, bold=True)])
    sheet.append([text_cell(sheet, f"Period: {data.period_label}")])
    sheet.append([])
    sheet.append(header_row(sheet, data.headings))
    for row in data.rows:
        sheet.append([_cell(sheet, value) for value in row])
    if data.second_headings:
        sheet = book.create_sheet("Ring-fences")
        sheet.append(header_row(sheet, data.second_headings))
        for row in data.second_rows:
            sheet.append([_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_csv(data) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(data.headings)
    writer.writerows([[safe_cell(value) for value in row] for row in data.rows])
    if data.second_headings:
        writer.writerow([])
        writer.writerow(data.second_headings)
        writer.writerows([[safe_cell(value) for value in row] for row in data.second_rows])
    return out.getvalue().encode("utf-8-sig")
