"""Returns to funders: the MoJ victims return (victims supported per service, outcomes, spend against each
ring-fence) and the Home Office claim, as XLSX and CSV in the funder's columns, marked submitted once with the
figures sent kept and the stream's reporting date recording the day."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from commissioning.funds.models import FundingStream, Payment, StreamReturnDate
from commissioning.funds.tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    FinancialYearFactory,
    FundFactory,
    FundingStreamFactory,
    RingFencedFundFactory,
    StreamAllocationFactory,
)
from commissioning.reporting import services
from commissioning.reporting.models import FunderReturn
from commissioning.reporting.selectors import funder_returns as selectors
from commissioning.reporting.tests.factories import make_return, reporting_service
from commissioning.strategy.tests.factories import PanelAreaFactory


@pytest.fixture
def victims(users):
    year = FinancialYearFactory(start_year=2026)
    core = FundFactory(name="Victims Fund")
    csa = RingFencedFundFactory(name="Child sexual abuse ring-fence", parent=core)
    stream = FundingStreamFactory(name="MoJ victims grant", source=FundingStream.Source.MOJ_VICTIMS, fund=core)
    area = PanelAreaFactory(code="sexual-violence", name="Sexual Violence", order=1)
    service, people, _gender = reporting_service(area, name='=HYPERLINK("http://x")')
    people.target = 30
    people.save()
    make_return(service, starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 6, 30), figures={people: 42})
    make_return(service, starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 9, 30), figures={people: 20})
    commitment = CommitmentFactory(
        fund=csa, year=year, agreement=AgreementFactory(service=service), amount=Decimal("9000.00"), status="committed"
    )
    Payment.objects.create(
        commitment=commitment,
        paid_on=dt.date(2026, 8, 1),
        amount=Decimal("4500.00"),
        reference="PAY-1",
        recorded_by=users["finance_officer"],
    )
    date = StreamReturnDate.objects.create(
        stream=stream, year=year, kind=StreamReturnDate.Kind.MONITORING, due_on=dt.date(2026, 10, 31)
    )
    return {"date": date, "service": service, "csa": csa}


@pytest.mark.django_db
def test_the_moj_return_counts_victims_outcomes_and_spend_per_ring_fence(victims):
    data = selectors.funder_return(victims["date"])
    assert (data.starts_on, data.ends_on) == (dt.date(2026, 4, 1), dt.date(2026, 9, 30))
    (row,) = data.rows
    assert row[3] == "Child sexual abuse ring-fence"
    assert row[4] == 62  # victims supported in both quarters
    assert (row[5], row[6]) == (2, 1)  # two figures with a target, one met (42 >= 30; 20 < 30)
    assert row[7] == Decimal("4500.00")
    fences = {r[0]: r for r in data.second_rows}
    assert fences["Child sexual abuse ring-fence"][3] == Decimal("4500.00")


@pytest.mark.django_db
def test_the_files_are_in_the_funders_columns_and_safe(victims, client_for):
    client = client_for("finance_officer")
    pk = victims["date"].pk
    response = client.get(reverse("reporting:funder_return_file", args=[pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == selectors.MOJ_HEADINGS
    assert rows[1][1].startswith("'=")  # a formula in a service's name stays text
    response = client.get(reverse("reporting:funder_return_file", args=[pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content))["Return"]
    assert [c.value for c in sheet[4]] == selectors.MOJ_HEADINGS
    assert sheet["E5"].value == 62


@pytest.mark.django_db
def test_marking_submitted_keeps_the_figures_and_dates_the_stream(victims, users, client_for):
    response = client_for("finance_officer").post(
        reverse("reporting:funder_return_submit", args=[victims["date"].pk]), {"note": "Portal ref 123"}
    )
    assert response.status_code == 302
    sent = FunderReturn.objects.get()
    assert sent.figures["rows"][0][4] == 62 and sent.note == "Portal ref 123"
    assert sent.history.count() == 1
    victims["date"].refresh_from_db()
    assert victims["date"].submitted_on is not None
    assert victims["date"].history.first().history_change_reason.endswith("submitted")
    with pytest.raises(ValidationError):
        services.funder_return_submit(actor=users["finance_officer"], return_date=victims["date"])
    with pytest.raises(PermissionDenied):
        services.funder_return_submit(actor=users["policy_officer"], return_date=victims["date"])


@pytest.mark.django_db
def test_the_home_office_claim(users):
    year = FinancialYearFactory(start_year=2026)
    fund = FundFactory(name="Home Office fund")
    stream = FundingStreamFactory(name="Home Office grant", source=FundingStream.Source.HOME_OFFICE, fund=fund)
    StreamAllocationFactory(stream=stream, year=year, amount=Decimal("20000.00"))
    commitment = CommitmentFactory(fund=fund, year=year, amount=Decimal("8000.00"), status="committed")
    Payment.objects.create(
        commitment=commitment,
        paid_on=dt.date(2026, 5, 1),
        amount=Decimal("3000.00"),
        reference="PAY-HO",
        recorded_by=users["finance_officer"],
    )
    date = StreamReturnDate.objects.create(stream=stream, year=year, kind="claim", due_on=dt.date(2027, 4, 30))
    data = selectors.funder_return(date)
    assert data.headings == selectors.HOME_OFFICE_HEADINGS
    assert data.rows == [
        ["Home Office fund", Decimal("20000.00"), Decimal("3000.00"), Decimal("3000.00"), Decimal("3000.00")]
    ]
