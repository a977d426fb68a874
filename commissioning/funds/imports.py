"""Importing budget lines and payments from a CSV or Excel file (issue 4, point 6; issue 9, point 2; ARCHITECTURE.md:
an import is atomic and reports every bad row with its row number; nothing half-saved).

The shape follows Data Hub's interaction import (file form, a form per row, a preview): the file is checked
(type by extension AND content, at most 5MB and 5,000 rows), each row is checked by a row form (one instance,
RowForm.check, with what the rows refer to read once for the file), and then, when every row is well formed,
the whole file is tried through funds.services.bulk (the same rules and words as budget_line_add and
payment_record, for all rows at once, with a fixed number of queries) inside a transaction that is always
rolled back. So the preview reports every row the services would refuse (over budget, more than the
commitment, a reference already used, a closed year) with the services' own words. Only a file with no
problems can be confirmed; confirming runs the same rows again, for real, in ONE transaction, and if anything
now fails (someone else spent the money meanwhile) everything is rolled back and the failing rows are reported.

Both steps run in the task worker (funds.tasks.check_import and write_import); the person who uploaded the
file follows them on the job's page (core.jobs).

Reading the file (type, size, encoding) is core.spreadsheets.read_upload.

Row numbers are the spreadsheet's: the headings are row 1, the first data row is row 2. Empty rows are
skipped but still counted, so "Row 7" is row 7 in the file.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.utils import ErrorDict
from django.utils import timezone

from commissioning.core.dates import FinancialYear as FY
from commissioning.core.forms import GovukForm, MoneyField
from commissioning.core.spreadsheets import EMPTY, MAX_ROWS, safe_cell
from commissioning.funds.models import BudgetLine, Commitment, FinancialYear, Fund
from commissioning.funds.services import bulk
from commissioning.funds.services.payments import payment_date_problem

NO_ROWS = "The selected file has headings but no rows to import"
TOO_MANY_ROWS = f"The selected file has more than {MAX_ROWS:,} rows; split it into smaller files"


# --- The columns and a form per row ----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the row form's field
    heading: str  # the heading in row 1 of the file (matched ignoring case, spaces, _ and -)
    required: bool
    help: str


def normalise_heading(text: str) -> str:
    return " ".join(str(text).replace("_", " ").replace("-", " ").lower().split())


@dataclass
class Lookups:
    """What the rows refer to, read once for the whole file (a bounded number of queries, not one per row)."""

    funds: dict[str, Fund] = field(default_factory=dict)
    years: dict[int, FinancialYear] = field(default_factory=dict)
    commitments: dict[int, Commitment] = field(default_factory=dict)
    commitments_by_key: dict[tuple[str, int, int], Commitment] = field(default_factory=dict)


def _year(value: str, lookups: Lookups) -> FinancialYear:
    try:
        start = FY.parse(value).start_year
    except ValueError:
        raise ValidationError("Enter a financial year like 2026/27") from None
    year = lookups.years.get(start)
    if year is None:
        raise ValidationError(f"There is no financial year {FY(start).label} yet; enter a year that has been set up")
    if year.status != FinancialYear.Status.OPEN:
        raise ValidationError(f"{year.label} is closed; money cannot change in a closed year")
    return year


def _fund(value: str, lookups: Lookups) -> Fund:
    fund = lookups.funds.get(value.strip().lower())
    if fund is None:
        raise ValidationError(
            f"There is no fund with the code ‘{value}’; use a code from the Funds sheet of the dashboard spreadsheet"
        )
    return fund


class RowForm(GovukForm):
    """A form for one row of a file. One instance checks every row (check), running each field's clean, the
    form's clean_<field> methods and clean() as Django's full_clean does, without building a new form and its
    bound fields for each of 5,000 rows."""

    def __init__(self, *args, lookups: Lookups, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookups = lookups

    def check(self, values: dict[str, str]) -> tuple[dict, dict]:
        """(cleaned data, {field or "__all__": [messages]}) for one row's values."""
        self.data, self.is_bound = values, True
        self._errors = ErrorDict(renderer=self.renderer)
        self.cleaned_data = {}
        for name, form_field in self.fields.items():
            try:
                self.cleaned_data[name] = form_field.clean(values.get(name))
                clean_method = getattr(self, f"clean_{name}", None)
                if clean_method is not None:
                    self.cleaned_data[name] = clean_method()
            except ValidationError as error:
                self.add_error(name, error)
        self._clean_form()
        return self.cleaned_data, {key: list(messages) for key, messages in self._errors.items()}


KINDS = {
    "adjustment": BudgetLine.Kind.ADJUSTMENT,
    "pre year review": BudgetLine.Kind.PRE_YEAR_REVIEW,
    "pre year review of ongoing agreements": BudgetLine.Kind.PRE_YEAR_REVIEW,
}


class BudgetLineRow(RowForm):
    fund_code = forms.CharField(max_length=60, error_messages={"required": "Enter the fund's code, like victims-fund"})
    year = forms.CharField(max_length=20, error_messages={"required": "Enter the financial year, like 2026/27"})
    kind = forms.CharField(max_length=60, error_messages={"required": "Enter adjustment or pre_year_review"})
    amount = MoneyField(error_messages={"required": "Enter an amount in pounds and pence, like 1250.00"})
    description = forms.CharField(
        max_length=300, error_messages={"required": "Enter what the budget line is for; it is kept with the line"}
    )

    def clean_fund_code(self):
        return _fund(self.cleaned_data["fund_code"], self.lookups)

    def clean_year(self):
        return _year(self.cleaned_data["year"], self.lookups)

    def clean_kind(self):
        kind = KINDS.get(normalise_heading(self.cleaned_data["kind"]))
        if kind is None:
            raise ValidationError("Enter adjustment or pre_year_review")
        return kind

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise ValidationError("Enter an amount other than £0.00; use a minus sign to take money out")
        return amount


class PaymentRow(RowForm):
    commitment_id = forms.IntegerField(
        required=False, min_value=1, error_messages={"invalid": "Enter the commitment ID as a whole number, like 42"}
    )
    agreement_reference = forms.CharField(max_length=30, required=False)
    fund_code = forms.CharField(max_length=60, required=False)
    year = forms.CharField(max_length=20, required=False)
    paid_on = forms.DateField(
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Enter the date paid, like 2026-06-30 or 30/06/2026",
            "invalid": "Enter the date paid as YYYY-MM-DD or DD/MM/YYYY, like 2026-06-30 or 30/06/2026",
        },
    )
    amount = MoneyField(error_messages={"required": "Enter the amount paid in pounds and pence, like 1250.00"})
    reference = forms.CharField(
        max_length=60, error_messages={"required": "Enter the finance system's payment reference"}
    )

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise ValidationError("The date paid must be today or in the past")
        return paid_on

    def _with_commitment(self, data: dict, commitment: Commitment) -> dict:
        """The row's commitment, and the rule that a payment is dated in its commitment's year and not before the
        agreement starts (ADR 0007; the same function payment_record asks), reported in the paid on column."""
        data["commitment"] = commitment
        paid_on = data.get("paid_on")
        if paid_on is not None:
            problem = payment_date_problem(commitment=commitment, paid_on=paid_on)
            if problem:
                self.add_error("paid_on", problem)
        return data

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise ValidationError("Enter the amount paid, more than £0.00 (money back is recorded as a repayment)")
        return amount

    def clean(self):
        data = super().clean()
        if "commitment_id" in self.errors:
            return data
        pk = data.get("commitment_id")
        reference = (data.get("agreement_reference") or "").strip()
        fund_code = (data.get("fund_code") or "").strip()
        year_label = (data.get("year") or "").strip()
        if pk is not None:
            commitment = self.lookups.commitments.get(pk)
            if commitment is None:
                self.add_error("commitment_id", f"There is no commitment with ID {pk}")
                return data
            if reference and reference != commitment.agreement.reference:
                self.add_error(
                    "agreement_reference",
                    f"Commitment {pk} is to agreement {commitment.agreement.reference}, not {reference}",
                )
            if fund_code and fund_code.lower() != commitment.fund.code:
                self.add_error("fund_code", f"Commitment {pk} is from {commitment.fund.code}, not {fund_code}")
            if year_label and year_label != commitment.year.label:
                self.add_error("year", f"Commitment {pk} is for {commitment.year.label}, not {year_label}")
            return self._with_commitment(data, commitment)
        if not (reference and fund_code and year_label):
            self.add_error(
                "commitment_id", "Enter a commitment ID, or an agreement reference, fund code and year together"
            )
            return data
        try:
            fund = _fund(fund_code, self.lookups)
        except ValidationError as error:
            self.add_error("fund_code", error)
            return data
        try:
            year = _year(year_label, self.lookups)
        except ValidationError as error:
            self.add_error("year", error)
            return data
        commitment = self.lookups.commitments_by_key.get((reference.lower(), fund.pk, year.pk))
        if commitment is None:
            self.add_error(
                "agreement_reference",
                f"There is no commitment of {fund.name} to agreement {reference} in {year.label}",
            )
            return data
        return self._with_commitment(data, commitment)


def _base_lookups(values: list[dict]) -> Lookups:
    return Lookups(
        funds={fund.code.lower(): fund for fund in Fund.objects.all()},
        years={year.start_year: year for year in FinancialYear.objects.all()},
    )


def _payment_lookups(values: list[dict]) -> Lookups:
    lookups = _base_lookups(values)
    ids = set()
    references = set()
    for row in values:
        try:
            ids.add(int(row.get("commitment_id") or 0))
        except ValueError:
            pass
        if row.get("agreement_reference"):
            references.add(row["agreement_reference"].strip())
    ids.discard(0)
    related = ("fund", "year", "agreement__service")
    lookups.commitments = Commitment.objects.select_related(*related).in_bulk(ids) if ids else {}
    if references:
        for commitment in Commitment.objects.select_related(*related).filter(agreement__reference__in=references):
            key = (commitment.agreement.reference.lower(), commitment.fund_id, commitment.year_id)
            lookups.commitments_by_key[key] = commitment
    return lookups


def _budget_line_rows(rows: list[dict]) -> list[dict]:
    return [
        {
            "fund": data["fund_code"],
            "year": data["year"],
            "kind": data["kind"],
            "amount": data["amount"],
            "description": data["description"],
            "reason": data["reason"],
        }
        for data in rows
    ]


def _write_budget_lines(*, actor, rows: list[dict]) -> dict[int, dict]:
    return bulk.budget_lines_add(actor=actor, rows=_budget_line_rows(rows))


def _write_payments(*, actor, rows: list[dict]) -> dict[int, dict]:
    return bulk.payments_record(actor=actor, rows=rows)


@dataclass(frozen=True)
class ImportKind:
    slug: str
    title: str  # "budget lines"
    columns: tuple[Column, ...]
    form: type[RowForm]
    lookups: Callable[[list[dict]], Lookups]
    write: Callable  # (actor, rows) -> {row index: {field: [messages]}} for the rows refused; see services.bulk
    service_fields: dict[str, str]  # a service's error key -> the column it belongs to
    permission: str
    year_of: Callable[[dict], FinancialYear]  # the year a checked row is about

    def heading(self, key: str) -> str:
        return next((c.heading for c in self.columns if c.key == key), key)

    @property
    def headings(self) -> list[str]:
        return [c.heading for c in self.columns]


BUDGET_LINES = ImportKind(
    slug="budget_lines",
    title="budget lines",
    columns=(
        Column("fund_code", "fund code", True, "The fund's code, as on the Funds sheet of the dashboard spreadsheet"),
        Column("year", "year", True, "The financial year, like 2026/27"),
        Column("kind", "kind", True, "adjustment, or pre_year_review for the result of the pre-year review"),
        Column("amount", "amount", True, "Pounds and pence, like 1250.00; a minus sign takes money out"),
        Column("description", "description", True, "What the line is for, up to 300 characters"),
    ),
    form=BudgetLineRow,
    lookups=_base_lookups,
    write=_write_budget_lines,
    service_fields={"fund": "fund_code", "year": "year", "kind": "kind", "amount": "amount", "reason": "description"},
    permission="funds.manage_budget",
    year_of=lambda data: data["year"],
)

PAYMENTS = ImportKind(
    slug="payments",
    title="payments",
    columns=(
        Column(
            "commitment_id",
            "commitment id",
            False,
            "The commitment's ID, from the Commitments sheet of the dashboard spreadsheet; or leave it empty and "
            "give the agreement reference, fund code and year",
        ),
        Column("agreement_reference", "agreement reference", False, "The agreement's reference, like AGR-00012"),
        Column("fund_code", "fund code", False, "The code of the fund the money comes from"),
        Column("year", "year", False, "The financial year of the commitment, like 2026/27"),
        Column("paid_on", "paid on", True, "The date paid, as YYYY-MM-DD or DD/MM/YYYY"),
        Column("amount", "amount", True, "Pounds and pence paid, more than 0, like 1250.00"),
        Column("reference", "reference", True, "The finance system's payment reference; each may be used once"),
    ),
    form=PaymentRow,
    lookups=_payment_lookups,
    write=_write_payments,
    service_fields={
        "amount": "amount",
        "paid_on": "paid_on",
        "reference": "reference",
        "year": "year",
        "status": "commitment_id",
        "commitment": "commitment_id",
    },
    permission="funds.record_payment",
    year_of=lambda data: data["commitment"].year,
)

KINDS_BY_SLUG = {kind.slug: kind for kind in (BUDGET_LINES, PAYMENTS)}


# --- Checking the rows, trying them, writing them -------------------------------------------------------


@dataclass
class Row:
    number: int
    values: dict[str, str]
    cleaned: dict | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column heading or "", message)

    def messages(self) -> list[str]:
        return [f"Row {self.number}: {h} — {m}" if h else f"Row {self.number}: {m}" for h, m in self.problems]


def table_rows(kind: ImportKind, table: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
    """[(row number, {column key: text})] for the file's data rows; a ValidationError when the headings are wrong,
    there are no rows, or too many."""
    if not table or not any(table[0]):
        raise ValidationError(EMPTY if not table else "The first row of the file must be the column headings")
    positions: dict[str, int] = {}
    wanted = {normalise_heading(c.heading): c for c in kind.columns}
    for index, heading in enumerate(table[0]):
        column = wanted.get(normalise_heading(heading))
        if column is None:
            continue
        if column.key in positions:
            raise ValidationError(f"The column ‘{column.heading}’ appears twice in the first row; keep one")
        positions[column.key] = index
    missing = [c.heading for c in kind.columns if c.key not in positions]
    if missing:
        names = ", ".join(f"‘{name}’" for name in missing)
        raise ValidationError(
            f"The first row must have the column heading{'s' if len(missing) > 1 else ''} {names}; "
            "download the template to see every column"
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {key: (cells[i].strip() if i < len(cells) else "") for key, i in positions.items()}
        rows.append((number, values))
        if len(rows) > MAX_ROWS:
            raise ValidationError(TOO_MANY_ROWS)
    if not rows:
        raise ValidationError(NO_ROWS)
    return rows


PROGRESS_EVERY = 500  # rows checked between two progress reports


def check_rows(kind: ImportKind, raw: list[tuple[int, dict[str, str]]], progress=None) -> list[Row]:
    """Each row through its form: the cleaned data, or every problem with the column it is in. What the rows
    refer to is read once for the whole file (Lookups), so checking costs no query per row. `progress(done)`, when
    given, is called every PROGRESS_EVERY rows."""
    lookups = kind.lookups([values for _, values in raw])
    form = kind.form(lookups=lookups)
    rows = []
    for done, (number, values) in enumerate(raw, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
        row = Row(number=number, values=values)
        cleaned, found = form.check(values)
        if not found:
            row.cleaned = cleaned
        else:
            for key, errors in found.items():
                heading = "" if key == "__all__" else kind.heading(key)
                row.problems.extend((heading, str(message)) for message in errors)
        rows.append(row)
    return rows


class _Undo(Exception):
    """Raised to roll back the transaction of a trial run, or of a run with a failed row."""


def run(kind: ImportKind, *, actor, rows: list[Row], source: str, commit: bool) -> int:
    """Write every row in ONE transaction, in bulk (services.bulk: a fixed number of queries for the whole file,
    however many rows), and add the services' refusals to the rows. A refused row does not hide the problems of
    the rows after it. Unless `commit` is set and no row was refused, everything is rolled back. Returns the
    number of rows written."""
    batch = [{**row.cleaned, "reason": f"Imported from {source[:60]}, row {row.number}"} for row in rows]
    try:
        with transaction.atomic():
            refused = kind.write(actor=actor, rows=batch)
            for index, problems in refused.items():
                for key, messages in problems.items():
                    column = kind.service_fields.get(key)
                    heading = kind.heading(column) if column else ""
                    rows[index].problems.extend((heading, str(message)) for message in messages)
            if refused or not commit:
                raise _Undo
    except _Undo:
        return 0
    return len(rows)


@dataclass
class Outcome:
    rows: list[Row]
    written: int = 0

    @property
    def problems(self) -> list[str]:
        return [message for row in self.rows for message in row.messages()]

    @property
    def bad_rows(self) -> int:
        return sum(1 for row in self.rows if row.problems)


def preview(kind: ImportKind, *, actor, raw, source: str, progress=None) -> Outcome:
    """Check every row, then (when all are well formed) try them all and roll back. Nothing is written."""
    rows = check_rows(kind, raw, progress)
    if not any(row.problems for row in rows):
        run(kind, actor=actor, rows=rows, source=source, commit=False)
    return Outcome(rows=rows)


def import_rows(kind: ImportKind, *, actor, raw, source: str, progress=None) -> Outcome:
    """Check and write every row in one transaction: all of them, or (with any problem) none."""
    rows = check_rows(kind, raw, progress)
    if any(row.problems for row in rows):
        return Outcome(rows=rows)
    return Outcome(rows=rows, written=run(kind, actor=actor, rows=rows, source=source, commit=True))


def template_csv(kind: ImportKind) -> str:
    """The headings row of an empty file to fill in (with a byte-order mark so Excel reads it as UTF-8)."""
    out = io.StringIO()
    csv.writer(out).writerow([safe_cell(heading) for heading in kind.headings])
    return "\ufeff" + out.getvalue()
