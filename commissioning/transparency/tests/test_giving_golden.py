"""The 360Giving files byte for byte: a mixed set of grants (every route; with and without a beneficiary location,
plan priorities and planned dates; amounts with pence; text that JSON and CSV must escape) rendered exactly as the
known-good files in golden/. They were written by the export before it was made faster (bench/giving_export.py),
so any change to the output, however small, fails here.

The only part of the files that depends on the database is a Local Innovation Fund grant's identifier (its
candidate's primary key): the files say `LIF-<1>` and `LIF-<2>` and the test puts the real keys in. After a
deliberate change to the output, rewrite the files with `GIVING_GOLDEN_WRITE=1` and read the diff.
"""

import dataclasses
import datetime as dt
import io
import json
import os
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from openpyxl import load_workbook

from commissioning.agreements.models import Agreement, Service
from commissioning.agreements.tests.factories import AgreementFactory, FundFactory, ServiceFactory
from commissioning.core.models import OpccSettings
from commissioning.grants.models import Award, Prioritisation
from commissioning.grants.selectors import open_data
from commissioning.grants.tests.factories import (
    AcceptedAwardFactory,
    ApproachFactory,
    AwardFactory,
    GrantRoundFactory,
    GrantSchemeFactory,
    PrioritisationEntryFactory,
    PrioritisationFactory,
)
from commissioning.organisations.models import Organisation
from commissioning.strategy.tests.factories import DecisionRecordFactory, PriorityFactory
from commissioning.transparency import giving
from commissioning.transparency.tests.schema import errors

pytestmark = pytest.mark.django_db
GOLDEN = Path(__file__).resolve().parent / "golden"
NOW = dt.datetime(2026, 12, 5, 1, 30, 15, 123456, tzinfo=dt.UTC)
SOURCE = "https://example.org/open-data/360giving.json"
ESCAPES = 'Quotes " and \\ backslash, a tab\there, café — € 😀, a line\u2028separator and a control \x01 char'


def _organisation(name, **ids):
    return Organisation.objects.create(name=name, kind=ids.pop("kind", Organisation.Kind.VCSE), **ids)


def _decision(sequence, **kwargs):
    return DecisionRecordFactory(year=2026, sequence=sequence, reasons=f"Reasons of decision {sequence}.", **kwargs)


@pytest.fixture
def mixed():
    """Every route, in a fixed order of creation (the export lists each route by primary key)."""
    OpccSettings.objects.create(
        profile="test",
        opcc_name="Office of the Test Police and Crime Commissioner",
        short_name="Test OPCC",
        area_name="Testshire",
        grants_prefix="360G-testopcc",
        ocds_prefix="ocds-test00",
    )
    _organisation("Office of the Test Police and Crime Commissioner", kind="opcc", other_org_id="GB-GOR-X1")
    victims = PriorityFactory(code="2.1", title="Supporting victims")
    knives = PriorityFactory(code="1.3", title='Tackling "county lines" & knife crime')
    nights = PriorityFactory(code="3.2", title="Café culture — safer nights")
    charity = _organisation("Testshire Youth Trust", charity_number="1234567")
    company = _organisation("Testshire Mentoring Ltd", kind="provider", company_number="1234")
    both = _organisation("Both & Numbers CIC", charity_number="SC012345", company_number="SC123456")
    local = _organisation('The "Quoted" Ünïcode Group \\ Club', code="LOCAL1")
    other = _organisation("=Formula-looking Group", other_org_id="GB-SC-SC099999")
    scheme = GrantSchemeFactory(code="cgs", name="Community Grant Scheme")
    grant_round = GrantRoundFactory(scheme=scheme)

    def award(factory, sequence, organisation, reference, **kwargs):
        application = {
            f"application__{key}": kwargs.pop(key) for key in ("project_title", "summary", "starts_on", "ends_on")
        }
        return factory(
            application__round=grant_round,
            application__organisation=organisation,
            application__reference=reference,
            application__priorities=kwargs.pop("priorities", []),
            decision=_decision(sequence, decided_on=kwargs.pop("awarded_on"), **kwargs.pop("decision", {})),
            **application,
            **kwargs,
        )

    # Community awards: with a location, two priorities (linked in reverse order) and pence...
    award(
        AcceptedAwardFactory,
        101,
        charity,
        "CGS-2026-0101",
        project_title='Youth "safe space" sessions',
        summary=f"Weekly sessions.\nSecond line. {ESCAPES}",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2027, 3, 31),
        awarded_on=dt.date(2026, 6, 1),
        amount=Decimal("2500.55"),
        priorities=[nights, knives],
        agreement__service__delivery_area="North Testshire",
    )
    # ...without a title (the purpose stands in, cut to 200 characters), dates, priorities or location...
    award(
        AwardFactory,
        102,
        company,
        "CGS-2026-0102",
        project_title="",
        summary="A very long purpose. " * 15,
        starts_on=None,
        ends_on=None,
        awarded_on=dt.date(2026, 6, 2),
        amount=Decimal("0.50"),
    )
    # ...with a start but no end, a million pounds, and a local identifier...
    award(
        AwardFactory,
        103,
        local,
        "CGS-2026-0103",
        project_title="=SUM(A1:A9)",
        summary="Tabs\tand\ttrips",
        starts_on=dt.date(2026, 10, 1),
        ends_on=None,
        awarded_on=dt.date(2026, 6, 3),
        amount=Decimal("1000000.00"),
        priorities=[victims],
        status=Award.Status.COMPLETED,
    )
    # ...and two that are not published: declined, and a decision that may not be published.
    award(
        AwardFactory,
        104,
        both,
        "CGS-2026-0104",
        project_title="Declined",
        summary="Declined",
        starts_on=None,
        ends_on=None,
        awarded_on=dt.date(2026, 6, 4),
        status=Award.Status.DECLINED,
    )
    award(
        AwardFactory,
        105,
        other,
        "CGS-2026-0105",
        project_title="A refuge",
        summary="A refuge's address",
        starts_on=None,
        ends_on=None,
        awarded_on=dt.date(2026, 6, 5),
        decision={"publishable": False, "not_publishable_reason": "A refuge's address"},
    )

    # A one-off grant from an approach, a one-off service without one, and a grant agreement of the register.
    def agreement(reference, service, **kwargs):
        return AgreementFactory(reference=reference, service=ServiceFactory(**{"priorities": [], **service}), **kwargs)

    one_off = agreement(
        "AGR-2026-0001",
        {
            "name": "Youth diversion worker",
            "purpose": f"A worker for young people. {ESCAPES}",
            "provider": company,
            "approach": Service.Approach.ONE_OFF,
            "priorities": [knives, victims],
        },
        value=Decimal("15000.05"),
        decision=_decision(201, decided_on=dt.date(2026, 7, 15)),
        starts_on=dt.date(2026, 8, 1),
        ends_on=dt.date(2027, 7, 31),
    )
    ApproachFactory(reference="APP-2026-0042", status="approved", agreement=one_off, organisation=company)
    agreement(
        "AGR-2026-0002",
        {"name": "A one-off without an approach", "purpose": "Inherited", "provider": other, "approach": "one_off"},
        value=Decimal("7.10"),
        decision=None,
        signed_on=dt.date(2026, 3, 20),
    )
    agreement(
        "AGR-2026-0003",
        {
            "name": "Pan-county victims' service",
            "purpose": "Support for victims",
            "provider": both,
            "delivery_area": "Pan-Testshire",
            "priorities": [nights],
        },
        value=Decimal("120000.50"),
        decision=None,
        signed_on=None,
        starts_on=dt.date(2025, 4, 1),
        status=Agreement.Status.ENDED,
    )
    agreement(
        "AGR-2026-0004",
        {"name": "Hidden", "provider": charity},
        decision=_decision(202, publishable=False, not_publishable_reason="Safety"),
    )
    agreement("AGR-2026-0005", {"name": "A contract", "provider": charity}, kind=Agreement.Kind.CONTRACT)
    agreement("AGR-2026-0006", {"name": "Unsigned", "provider": charity}, status=Agreement.Status.DRAFT)

    # Local Innovation Fund allowances of an approved prioritisation (approved at 00:30 in London, 23:30 UTC).
    prioritisation = PrioritisationFactory(
        fund=FundFactory(code="lif", name="Local Innovation Fund"),
        status=Prioritisation.Status.APPROVED,
        approved_at=dt.datetime(2026, 5, 31, 23, 30, tzinfo=dt.UTC),
    )

    def entry(rank, allowance, title, organisation, priorities, chosen=prioritisation):
        return PrioritisationEntryFactory(
            prioritisation=chosen,
            rank=rank,
            weighted_score=Decimal("61.25") - rank,
            allowance=Decimal(allowance),
            candidate__title=title,
            candidate__description=f"{title}: a new way of reaching people. {ESCAPES}",
            candidate__organisation=organisation,
            candidate__priorities=priorities,
        )

    first = entry(1, "9999.99", "Night-time economy app", both, [victims, nights])
    second = entry(2, "10000.00", "Street pastors", local, [])
    entry(3, "0.00", "Not funded", charity, [])
    entry(1, "500.00", "A draft list", charity, [], chosen=PrioritisationFactory())
    return {"LIF-<1>": f"LIF-{first.candidate_id}", "LIF-<2>": f"LIF-{second.candidate_id}"}


def _context():
    with mock.patch.object(giving.timezone, "now", return_value=NOW):
        return giving.Context(source=SOURCE)


def _records_text(records) -> str:
    rows = []
    for record in records:
        row = dataclasses.asdict(record)
        rows.append(json.dumps(row, default=str, ensure_ascii=False, sort_keys=True))
    return "\n".join(rows) + "\n"


def _xlsx_text(records) -> str:
    """The workbook's cells. (XML cannot hold control characters such as ESCAPES' \\x01: core.spreadsheets.text_cell
    drops them, so the export of such a grant still downloads.)"""
    out = io.BytesIO()
    giving.write_xlsx(out, records, _context())
    sheet = load_workbook(out).active
    return "\n".join(json.dumps(row, default=repr, ensure_ascii=False) for row in sheet.iter_rows(values_only=True))


def _check(name: str, text: str, keys: dict) -> None:
    path = GOLDEN / name
    if os.environ.get("GIVING_GOLDEN_WRITE"):
        for placeholder, value in keys.items():
            text = text.replace(value, placeholder)
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode())
        return
    expected = path.read_bytes().decode()
    for placeholder, value in keys.items():
        expected = expected.replace(placeholder, value)
    assert text == expected


@pytest.mark.parametrize("chunk", [open_data.CHUNK, 2, 1])
def test_the_json_package_is_byte_for_byte_the_known_good_one(mixed, chunk):
    text = "".join(giving.package_chunks(open_data.grants_made(chunk=chunk), _context()))
    assert errors(json.loads(text)) == []
    _check("package.json", text, mixed)
    assert "".join(giving.package_chunks(open_data.grants_made(), _context(), batch=2)) == text


def test_the_csv_and_xlsx_are_the_known_good_ones(mixed):
    _check("grants.csv", "".join(giving.csv_chunks(open_data.grants_made(), _context())), mixed)
    _check("grants.xlsx.txt", _xlsx_text(open_data.grants_made()), mixed)


def test_every_record_read_is_the_known_good_one(mixed):
    """Every field of every record (the public pages show the conditions, reasons and decision too), the
    unpublishable ones included."""
    _check("records.txt", _records_text(open_data.grants_made(publishable_only=False, chunk=2)), mixed)
    first_page = open_data.grants_page(route=open_data.COMMUNITY, page_number=1)[1]
    assert _records_text(first_page) == _records_text(
        sorted(
            (r for r in open_data.grants_made() if r.route == open_data.COMMUNITY),
            key=lambda r: (r.award_date, r.reference),
            reverse=True,
        )
    )
