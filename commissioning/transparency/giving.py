"""360Giving Data Standard files of every grant the OPCC made (issue 12, point 5; DOMAIN.md "Open data").

The grants come from `grants.selectors.open_data.grants_made()`, one at a time, and are written as they come:
the JSON package is produced as a generator of text pieces (for `StreamingHttpResponse` and for the
management command alike), the CSV row by row, and the XLSX through openpyxl's write-only workbook. Memory stays
flat however many grants there are (bench/giving_export.py measures it).

Amounts are JSON numbers written from the Decimal's own digits (never through float). Identifiers are
`360G-<prefix>-<reference>`; organisations carry their org-id (GB-CHC-, GB-COH-, or the OPCC's own scheme).
The schema is vendored in standards/360giving/ (version 1.4.3, CC BY 4.0), and the tests validate against it.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from pathlib import Path

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from commissioning.core.spreadsheets import header_row, safe_cell, text_cell
from commissioning.grants.selectors.open_data import Funder, GrantRecord, funder, grants_made

SCHEMA_DIR = Path(__file__).resolve().parent / "standards" / "360giving"
SCHEMA_VERSION = "1.4"
LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
LICENSE_NAME = "Open Government Licence v3.0"
DATA_PATH = "/open-data/360giving.json"
FORMATS = (".json", ".csv", ".xlsx")

# One row a grant, with the standard's column titles (the 360Giving spreadsheet template). A grant with more
# than one plan priority shows its first in the spreadsheet; the JSON package carries them all.
COLUMNS = (
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Beneficiary Location:Name",
    "Beneficiary Location:Country Code",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Classifications:Vocabulary",
    "Classifications:Code",
    "Classifications:Title",
    "Last Modified",
    "Data Source",
)
NUMBER_COLUMNS = {"Amount Awarded"}


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# A text as a JSON string, quotes included: the function json.dumps(ensure_ascii=False) itself uses for text
# (written in C), so the grants' hand-built objects below are the same bytes as json.dumps of their dictionary.
_text = encode_basestring


class Context:
    """What every grant of one export shares: the funder, the vocabulary, the time and where it is published.
    The parts of a grant that repeat (the funder, the programme, the location, each plan priority, each date) are
    encoded to JSON once and reused (bench/giving_export.py)."""

    def __init__(self, *, source: str = "", who: Funder | None = None):
        self.funder = who or funder()
        self.modified = timezone.now().replace(microsecond=0).isoformat()
        self.source = source
        self.vocabulary = f"{self.funder.name} Police and Crime Plan priorities".strip()
        tail = {
            "currency": "GBP",
            "fundingOrganization": [{"id": self.funder.org_id, "name": self.funder.name}],
            "dateModified": self.modified,
        }
        if source:
            tail["dataSource"] = source
        self.tail = "," + _dumps(tail)[1:-1]
        self.id_start = '{"id":' + _text(f"{self.funder.prefix}-")[:-1]  # the reference's text follows
        self._programmes: dict[tuple, str] = {}
        self._locations: dict[str, str] = {}
        self._classifications: dict[tuple, str] = {}
        self._dates: dict = {}

    def programme(self, code: str, title: str) -> str:
        key = (code, title)
        if key not in self._programmes:
            self._programmes[key] = ',"grantProgramme":' + _dumps([{"code": code, "title": title}])
        return self._programmes[key]

    def location(self, name: str) -> str:
        if name not in self._locations:
            self._locations[name] = ',"beneficiaryLocation":' + _dumps([{"name": name, "countryCode": "GB"}])
        return self._locations[name]

    def classification(self, priority: tuple) -> str:
        if priority not in self._classifications:
            code, title = priority
            self._classifications[priority] = _dumps({"vocabulary": self.vocabulary, "code": code, "title": title})
        return self._classifications[priority]

    def date(self, value) -> str:
        """The date as a JSON string ("2026-04-20"); a few dates recur across thousands of grants."""
        text = self._dates.get(value)
        if text is None:
            text = self._dates[value] = f'"{value.isoformat()}"'
        return text


def _amount(value) -> str:
    """The Decimal's digits as a JSON number: 1500.00 stays 1500.00, never through float."""
    return format(value, "f")


def grant_json(record: GrantRecord, context: Context) -> str:
    """The grant in the 360Giving JSON shape (one object, no spaces): the bytes json.dumps would write for the
    grant's dictionary with its keys in this order, built from ready-encoded pieces (each text through _text,
    the repeating parts from the context). The amount is written from the Decimal's digits."""
    parts = [
        context.id_start,
        _text(record.reference)[1:],
        ',"title":',
        _text(record.title),
        ',"description":',
        _text(record.description),
        ',"awardDate":',
        context.date(record.award_date),
        ',"recipientOrganization":[{"id":',
        _text(record.recipient_org_id),
        ',"name":',
        _text(record.recipient_name),
    ]
    if record.charity_number:
        parts += (',"charityNumber":', _text(record.charity_number))
    if record.company_number:
        parts += (',"companyNumber":', _text(record.company_number))
    if record.planned_start and record.planned_end:
        parts += (
            '}],"plannedDates":[{"startDate":',
            context.date(record.planned_start),
            ',"endDate":',
            context.date(record.planned_end),
        )
    parts += (
        '}],"amountAwarded":',
        _amount(record.amount),
        context.tail,
        context.programme(record.programme_code, record.programme_title),
    )
    if record.location:
        parts.append(context.location(record.location))
    if record.priorities:
        classification = context.classification
        parts += (',"classifications":[', ",".join([classification(p) for p in record.priorities]), "]")
    parts.append("}")
    return "".join(parts)


def package_chunks(records: Iterable[GrantRecord], context: Context, *, batch: int = 500) -> Iterator[str]:
    """The 360Giving JSON package as pieces of text: the metadata, then the grants as they come, `batch` at a
    time (so a streamed response sends a few large pieces, not one per grant)."""
    head = {
        "version": SCHEMA_VERSION,
        "title": f"Grants made by the {context.funder.name}".replace("the The ", "the "),
        "publisher": {"name": context.funder.name, "identifier": context.funder.org_id},
        "license": LICENSE,
        "modified": context.modified,
    }
    if context.source:
        head["accessURL"] = context.source
    yield _dumps(head)[:-1] + ',"grants":['
    pieces, before = [], ""
    for record in records:
        pieces.append(grant_json(record, context))
        if len(pieces) >= batch:
            yield before + ",".join(pieces)
            pieces, before = [], ","
    if pieces:
        yield before + ",".join(pieces)
    yield "]}\n"


def flat_row(record: GrantRecord, context: Context) -> list:
    """The grant as one spreadsheet row in COLUMNS order: text as typed, the amount a Decimal, dates as text."""
    code, title = record.priorities[0] if record.priorities else ("", "")
    return [
        f"{context.funder.prefix}-{record.reference}",
        record.title,
        record.description,
        "GBP",
        record.amount,
        record.award_date.isoformat(),
        record.planned_start.isoformat() if record.planned_start else "",
        record.planned_end.isoformat() if record.planned_end else "",
        record.recipient_org_id,
        record.recipient_name,
        record.charity_number,
        record.company_number,
        record.location,
        "GB" if record.location else "",
        context.funder.org_id,
        context.funder.name,
        record.programme_code,
        record.programme_title,
        context.vocabulary if code else "",
        code,
        title,
        context.modified,
        context.source,
    ]


def csv_chunks(records: Iterable[GrantRecord], context: Context, *, batch: int = 500) -> Iterator[str]:
    """The CSV, `batch` rows at a time, every text cell through core.spreadsheets.safe_cell (formula
    injection)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    rows = 0
    for record in records:
        writer.writerow([safe_cell(value) for value in flat_row(record, context)])
        rows += 1
        if rows % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(path_or_file, records: Iterable[GrantRecord], context: Context) -> None:
    """The workbook, one sheet "grants" with the standard's column titles; text cells are strings (never
    formulas), the amount a number."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("grants")
    sheet.append(header_row(sheet, COLUMNS))
    amount_at = COLUMNS.index("Amount Awarded")
    for record in records:
        row = flat_row(record, context)
        cells = [text_cell(sheet, value) for value in row]
        cells[amount_at] = WriteOnlyCell(sheet, value=record.amount)
        sheet.append(cells)
    book.save(path_or_file)


def export(out: str | Path, *, source: str = "", publishable_only: bool = True) -> int:
    """Write every publishable grant to `out`, its format chosen by the extension (.json, .csv or .xlsx).
    Returns how many grants were written."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"The file must end in {', '.join(FORMATS)}")
    context = Context(source=source)
    counted = _Counter(grants_made(publishable_only=publishable_only, area=context.funder.area_name))
    if suffix == ".xlsx":
        write_xlsx(out, counted, context)
    else:
        chunks = package_chunks(counted, context) if suffix == ".json" else csv_chunks(counted, context)
        with out.open("w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
    return counted.count


class _Counter:
    def __init__(self, records: Iterable[GrantRecord]):
        self.records = records
        self.count = 0

    def __iter__(self):
        for record in self.records:
            self.count += 1
            yield record
