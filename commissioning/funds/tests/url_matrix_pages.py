"""Role × URL expectations for the funds pages (contract in commissioning/testing/matrix.py).

The funds pages are the OPCC's books: OPCC staff and auditors read them, outside organisations (partners,
providers, applicants), evaluators and Panel members do not (a co-funding partner sees its service's money on the
register's pages instead). Each action is for the roles rules.py names; a page someone may not use is a 403.
The objects live in world.fund_pages so they never collide with the reporting pages' world.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from commissioning.accounts.roles import OPCC_STAFF
from commissioning.funds import services
from commissioning.funds.tests.factories import (
    AgreementFactory,
    FinancialYearFactory,
    FundFactory,
    FundingStreamFactory,
    StreamAllocationFactory,
)
from commissioning.testing.matrix import UrlCase, expect, roles

STAFF = sorted(r.value for r in OPCC_STAFF)
YEAR = 2026

VIEW = expect(403, **roles(*STAFF, "auditor", status=200))
MANAGE_BUDGET = expect(403, **roles("finance_officer", "cfo", "chief_executive", "director_operations", status=200))
PLAN = expect(403, **roles("finance_officer", "commissioning_manager", status=200))
APPROVE = expect(403, **roles("finance_officer", "cfo", status=200))
RECORD_PAYMENT = expect(403, **roles("finance_officer", status=200))
CFO_ONLY = expect(403, **roles("cfo", status=200))
REQUEST_VIREMENT = expect(403, **roles("finance_officer", "commissioning_manager", status=200))


def setup(world):
    finance = world.users["finance_officer"]
    year = FinancialYearFactory(start_year=YEAR)
    parent = FundFactory(name="Matrix Safer Fund")
    fund = FundFactory(name="Matrix Safety Fund", parent=parent)
    other = FundFactory(name="Matrix Innovation Fund", parent=parent)
    services.budget_set_total(actor=finance, fund=fund, year=year, amount=Decimal("100000"), reason="Matrix")
    stream = FundingStreamFactory(name="Matrix internal allocation", fund=parent)
    StreamAllocationFactory(stream=stream, year=year)

    def plan(amount):
        return services.commitment_plan(
            actor=finance, fund=fund, year=year, agreement=AgreementFactory(), amount=Decimal(amount)
        )

    planned = plan("1000")
    approved = services.commitment_approve(actor=world.users["cfo"], commitment=plan("2000"))
    committed = services.commitment_commit(
        actor=finance, commitment=services.commitment_approve(actor=world.users["cfo"], commitment=plan("3000"))
    )
    services.payment_record(
        actor=finance,
        commitment=committed,
        amount=Decimal("500"),
        paid_on=dt.date(YEAR, 6, 30),
        reference="MATRIX-PAGES-1",
    )
    repayment = services.repayment_request(
        actor=finance, commitment=committed, amount=Decimal("100"), reason="Matrix condition not met"
    )
    virement = services.virement_request(
        actor=finance, year=year, from_fund=fund, to_fund=other, amount=Decimal("10"), reason="Matrix transfer"
    )
    world.fund_pages = SimpleNamespace(
        year=year,
        parent=parent,
        fund=fund,
        stream=stream,
        agreement=planned.agreement,
        planned=planned,
        approved=approved,
        committed=committed,
        repayment=repayment,
        virement=virement,
    )


def _pk(name):
    return lambda world: {"pk": getattr(world.fund_pages, name).pk}


CASES = [
    UrlCase("funds:fund_list", VIEW),
    UrlCase("funds:fund_detail", VIEW, _pk("parent"), query=f"year={YEAR}"),
    UrlCase("funds:budget_set", MANAGE_BUDGET, lambda world: {"year": YEAR}),
    UrlCase("funds:budget_build", MANAGE_BUDGET, lambda world: {"year": YEAR}),
    UrlCase("funds:budget_line_add", MANAGE_BUDGET, lambda world: {"pk": world.fund_pages.fund.pk, "year": YEAR}),
    UrlCase("funds:year_end", VIEW, lambda world: {"year": YEAR}),
    UrlCase("funds:stream_list", VIEW),
    UrlCase("funds:stream_detail", VIEW, _pk("stream")),
    UrlCase(
        "funds:stream_allocation_set",
        MANAGE_BUDGET,
        lambda world: {"pk": world.fund_pages.stream.pk, "year": YEAR},
    ),
    UrlCase("funds:commitment_detail", VIEW, _pk("committed")),
    UrlCase("funds:commitment_approve", APPROVE, _pk("planned")),
    UrlCase("funds:commitment_commit", APPROVE, _pk("approved")),
    UrlCase("funds:commitment_vary", APPROVE, _pk("committed")),
    UrlCase("funds:commitment_release", APPROVE, _pk("committed")),
    UrlCase("funds:payment_schedule_create", RECORD_PAYMENT, _pk("committed")),
    UrlCase("funds:payment_record", RECORD_PAYMENT, _pk("committed")),
    UrlCase("funds:repayment_request", RECORD_PAYMENT, _pk("committed")),
    UrlCase("funds:repayment_receive", RECORD_PAYMENT, _pk("repayment")),
    UrlCase("funds:repayment_waive", CFO_ONLY, _pk("repayment")),
    UrlCase("funds:payment_list", VIEW),
    UrlCase("funds:virement_list", VIEW),
    UrlCase("funds:virement_request", REQUEST_VIREMENT),
    # Asked for by the finance officer; only the Chief Finance Officer decides it.
    UrlCase("funds:virement_decide", CFO_ONLY, _pk("virement")),
]
