"""Role × URL expectations for reporting (contract in commissioning/testing/matrix.py).

The Panel report is for Police and Crime Panel members, OPCC staff and auditors; highlights are added by the
commissioning officers; funder returns are read by OPCC staff and auditors and marked submitted (POST only: a GET
from someone allowed is 405) by the finance officer and the CFO.
"""

import datetime as dt

from commissioning.accounts.roles import OPCC_STAFF
from commissioning.funds.models import FundingStream, StreamReturnDate
from commissioning.funds.tests.factories import FinancialYearFactory, FundingStreamFactory
from commissioning.reporting.tests.factories import make_return, reporting_service
from commissioning.strategy.tests.factories import PanelAreaFactory
from commissioning.testing.matrix import UrlCase, expect, roles

STAFF = sorted(r.value for r in OPCC_STAFF)
READERS = expect(403, **roles(*STAFF, "auditor", "panel_member", status=200))
OPCC = expect(403, **roles(*STAFF, "auditor", status=200))
HIGHLIGHT = expect(403, **roles("commissioning_manager", "policy_officer", status=200))
SUBMIT = expect(403, **roles("finance_officer", "cfo", status=405))


def setup(world):
    area = PanelAreaFactory(code="sexual-violence", name="Sexual Violence", order=1)
    service, people, gender = reporting_service(area, name="Matrix Panel Service")
    make_return(
        service,
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2026, 6, 30),
        figures={people: 40, gender: {"Female": 30, "Male": 8, "Not known": 2}},
    )
    year = FinancialYearFactory(start_year=2026)
    stream = FundingStreamFactory(name="Matrix victims grant", source=FundingStream.Source.MOJ_VICTIMS)
    world.funder_return_date = StreamReturnDate.objects.create(
        stream=stream, year=year, kind=StreamReturnDate.Kind.MONITORING, due_on=dt.date(2026, 10, 31)
    )


def _return(world):
    return {"pk": world.funder_return_date.pk}


CASES = [
    UrlCase("reporting:panel_report", READERS),
    UrlCase("reporting:panel_report", READERS, query="year=2026/27&quarter=Q1"),
    UrlCase("reporting:panel_report_file", READERS, kwargs=lambda world: {"extension": "xlsx"}, query="year=2026/27"),
    UrlCase("reporting:highlight_add", HIGHLIGHT, query="year=2026/27&quarter=Q1"),
    UrlCase("reporting:funder_return_list", OPCC),
    UrlCase("reporting:funder_return_file", OPCC, kwargs=lambda world: {**_return(world), "extension": "xlsx"}),
    UrlCase("reporting:funder_return_file", OPCC, kwargs=lambda world: {**_return(world), "extension": "csv"}),
    UrlCase("reporting:funder_return_submit", SUBMIT, kwargs=_return),
]
