"""360Giving: every grant by every route, only publishable ones, valid against the vendored schema, streamed."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from commissioning.agreements.models import Agreement, Service
from commissioning.agreements.tests.factories import AgreementFactory, ServiceFactory
from commissioning.core.models import OpccSettings
from commissioning.grants.models import Prioritisation
from commissioning.grants.selectors import open_data
from commissioning.grants.tests.factories import (
    AcceptedAwardFactory,
    ApproachFactory,
    AwardFactory,
    PrioritisationEntryFactory,
)
from commissioning.organisations.models import Organisation
from commissioning.strategy.tests.factories import DecisionRecordFactory, PriorityFactory
from commissioning.transparency import giving
from commissioning.transparency.tests.schema import errors

pytestmark = pytest.mark.django_db
HOSTILE = '=HYPERLINK("http://evil.example","Click")'


@pytest.fixture
def opcc():
    OpccSettings.objects.create(
        profile="test",
        opcc_name="Office of the Test Police and Crime Commissioner",
        short_name="Test OPCC",
        area_name="Testshire",
        grants_prefix="360G-testopcc",
        ocds_prefix="ocds-test00",
    )
    return Organisation.objects.create(
        name="Office of the Test Police and Crime Commissioner", kind=Organisation.Kind.OPCC, other_org_id="GB-GOR-X1"
    )


@pytest.fixture
def every_route(opcc):
    """One grant of each route, and one of each that must not be published."""
    priority = PriorityFactory(code="2.1", title="Supporting victims")
    charity = Organisation.objects.create(name="Testshire Youth Trust", kind="vcse", charity_number="1234567")
    award = AcceptedAwardFactory(application__organisation=charity, amount=Decimal("2500.00"))
    award.application.priorities.set([priority])
    AwardFactory(decision=DecisionRecordFactory(publishable=False, not_publishable_reason="A refuge's address"))
    declined = AwardFactory(status="declined")
    company = Organisation.objects.create(name="Testshire Mentoring Ltd", kind="provider", company_number="1234")
    one_off_service = ServiceFactory(provider=company, approach=Service.Approach.ONE_OFF, priorities=[priority])
    one_off = AgreementFactory(
        service=one_off_service, value=Decimal("15000.00"), decision=DecisionRecordFactory(amount=15000)
    )
    ApproachFactory(status="approved", agreement=one_off, organisation=company)
    register = AgreementFactory(value=Decimal("120000.50"), service__delivery_area="Pan-Testshire")
    AgreementFactory(decision=DecisionRecordFactory(publishable=False, not_publishable_reason="Safety"))
    AgreementFactory(kind=Agreement.Kind.CONTRACT)  # a contract is not a grant
    AgreementFactory(status=Agreement.Status.DRAFT)  # nor is an unsigned agreement
    entry = PrioritisationEntryFactory(
        prioritisation__status=Prioritisation.Status.APPROVED,
        prioritisation__approved_at=dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC),
    )
    PrioritisationEntryFactory(allowance=Decimal("0.00"), prioritisation=entry.prioritisation)  # not funded
    PrioritisationEntryFactory(allowance=Decimal("500.00"))  # a draft list: nothing approved yet
    return {"award": award, "declined": declined, "one_off": one_off, "register": register, "entry": entry}


def _package(**kwargs) -> dict:
    context = giving.Context(source="https://example.org/open-data/360giving.json")
    return json.loads("".join(giving.package_chunks(open_data.grants_made(**kwargs), context)))


def test_every_route_publishable_only_and_valid(every_route):
    package = _package()
    assert errors(package) == []
    grants = {grant["id"]: grant for grant in package["grants"]}
    award = every_route["award"]
    assert set(grants) == {
        f"360G-testopcc-{award.application.reference}",
        f"360G-testopcc-{every_route['one_off'].approach.reference}",
        f"360G-testopcc-{every_route['register'].reference}",
        f"360G-testopcc-LIF-{every_route['entry'].candidate_id}",
    }
    assert {record.route for record in open_data.grants_made()} == set(open_data.ROUTES)
    community = grants[f"360G-testopcc-{award.application.reference}"]
    assert community["amountAwarded"] == 2500 and isinstance(community["amountAwarded"], float | int)
    assert community["recipientOrganization"][0] == {
        "id": "GB-CHC-1234567",
        "name": "Testshire Youth Trust",
        "charityNumber": "1234567",
    }
    assert community["fundingOrganization"] == [
        {"id": "GB-GOR-X1", "name": "Office of the Test Police and Crime Commissioner"}
    ]
    assert community["classifications"][0]["code"] == "2.1"
    assert community["beneficiaryLocation"] == [{"name": "Testshire", "countryCode": "GB"}]
    one_off = grants[f"360G-testopcc-{every_route['one_off'].approach.reference}"]
    assert one_off["recipientOrganization"][0]["id"] == "GB-COH-00001234"
    register = grants[f"360G-testopcc-{every_route['register'].reference}"]
    assert register["beneficiaryLocation"][0]["name"] == "Pan-Testshire"
    assert package["license"] == giving.LICENSE


def test_amounts_are_the_decimal_digits_not_floats(every_route):
    text = "".join(giving.package_chunks(open_data.grants_made(), giving.Context()))
    assert '"amountAwarded":120000.50' in text
    assert '"amountAwarded":2500.00' in text


def test_unpublishable_ones_are_read_when_asked(every_route):
    assert len(list(open_data.grants_made(publishable_only=False))) == len(list(open_data.grants_made())) + 2


def test_the_command_writes_json_csv_and_xlsx(every_route, tmp_path, capsys):
    every_route["award"].application.project_title = HOSTILE
    every_route["award"].application.save()
    call_command("export_360giving", "--out", str(tmp_path / "grants.json"))
    assert "Wrote 4 grants" in capsys.readouterr().out
    assert errors(json.loads((tmp_path / "grants.json").read_text())) == []

    call_command("export_360giving", "--out", str(tmp_path / "grants.csv"))
    rows = list(csv.reader(io.StringIO((tmp_path / "grants.csv").read_text())))
    assert rows[0] == list(giving.COLUMNS) and len(rows) == 5
    titles = [row[1] for row in rows[1:]]
    assert "'" + HOSTILE in titles  # CSV: a formula-looking cell is prefixed

    call_command("export_360giving", "--out", str(tmp_path / "grants.xlsx"))
    sheet = load_workbook(tmp_path / "grants.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == giving.COLUMNS and len(values) == 5
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    hostile = next(cell for cell in cells if cell.value == HOSTILE)  # XLSX: the text as typed...
    assert hostile.data_type == "s"  # ...as a string, never a formula
    amounts = {row[4] for row in values[1:]}
    assert 2500 in amounts


def test_an_unknown_extension_is_refused(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="must end in"):
        call_command("export_360giving", "--out", str(tmp_path / "grants.txt"))


def test_open_data_is_streamed_to_anyone_in_fixed_queries(every_route, django_assert_max_num_queries):
    url = reverse("transparency:giving_json")
    with django_assert_max_num_queries(12):
        response = Client().get(url)
        body = b"".join(response.streaming_content)
    assert response.streaming and response["Content-Type"] == "application/json"
    package = json.loads(body)
    assert errors(package) == [] and len(package["grants"]) == 4
    assert package["grants"][0]["dataSource"].endswith(url)
    # Forty more community awards cost no more queries: they are read in pages of 2,000.
    for _ in range(40):
        AwardFactory()
    with django_assert_max_num_queries(12):
        body = b"".join(Client().get(url).streaming_content)
    assert len(json.loads(body)["grants"]) == 44


def test_pages_of_grants_keep_memory_flat(every_route):
    """Read in pages of one, every grant still comes once."""
    assert [r.reference for r in open_data.grants_made(chunk=1)] == [r.reference for r in open_data.grants_made()]
