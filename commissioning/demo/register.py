"""The demo's decisions with what they decided, its money and its governance, made through the services on the days
they happened (demo/clock.py), relative to the financial year of the day setup_demo runs:

- the PCC's decisions, each with its service and agreement: a restorative justice contract for this year (with its
  contract document, a value change awaiting approval and a commitment planned by the Commissioning Manager for
  the finance officer to approve) and a two-year domestic abuse outreach grant from last year (co-funded by a
  partner for less than the grant is worth), each year committed, scheduled and paid up to today;
- the commissioning strategy's next version signed by all four signatories and in force, a variation to it signed,
  and the version after waiting for the PCC's signature;
- a partnership board meeting, a funding stream with its allocation and return date, an approved virement and the
  Commissioner's Safety Fund's pre-year review sent for approval.
"""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from commissioning.accounts.roles import Role
from commissioning.agreements import services as agreement_services
from commissioning.agreements.models import Agreement, AgreementDocument, SafetyFundReview, Service
from commissioning.agreements.services import reviews as review_services
from commissioning.agreements.services import variations as variation_services
from commissioning.demo.clock import clock_at, moment
from commissioning.demo.cycle import PDF, financial_year_start
from commissioning.funds import services as fund_services
from commissioning.funds.models import Budget, Fund, FundingStream, ScheduledPayment, StreamReturnDate, Virement
from commissioning.funds.services import streams as stream_services
from commissioning.organisations import services as organisation_services
from commissioning.organisations.models import BoardMeeting, Organisation, PartnershipBoard
from commissioning.strategy import services as strategy_services
from commissioning.strategy.models import (
    DecisionRecord,
    LegalBasis,
    PanelArea,
    Priority,
    SignOffStatus,
    StrategyDocument,
)

SAFETY_FUND, INNOVATION_FUND = "commissioners-safety-fund", "local-innovation-fund"
PA_2023_FROM = dt.date(2025, 2, 24)  # contracts procured from this date fall under the Procurement Act 2023


class RegisterStory:
    def __init__(self, *, users: dict, summary):
        self.users, self.summary = users, summary
        self.manager = users[Role.COMMISSIONING_MANAGER]
        self.finance, self.cfo, self.pcc = users[Role.FINANCE_OFFICER], users[Role.CFO], users[Role.PCC]
        self.today = timezone.localdate()
        self.year = financial_year_start(self.today)
        self.priorities = list(Priority.objects.filter(pillar__plan__is_current=True).order_by("code")[:2])

    def run(self):
        funds = {f.code: f for f in Fund.objects.filter(code__in=[SAFETY_FUND, INNOVATION_FUND])}
        if len(funds) == 2 and self.priorities:
            self.safety, self.innovation = funds[SAFETY_FUND], funds[INNOVATION_FUND]
            self.decisions()
            self.money_governance()
            self.published_documents()
        self.strategy()
        self.board_meeting()

    # Decisions and what they decided ----------------------------------------------------------------------

    def decisions(self):
        fy_start = dt.date(self.year, 4, 1)
        specs = [
            {
                "subject": "Restorative justice service {label}: Wessex Restorative Partnership (demo)",
                "provider": "demo-wessex-restorative",
                "panel_area": "restorative-justice",
                "legal_basis": LegalBasis.PA_2023 if fy_start >= PA_2023_FROM else LegalBasis.PCR_2015,
                "decision": "Continue the restorative justice and mediation service for one year at £48,000.",
                "reasons": "The strategic review found the service met its outcomes; retendering is planned after "
                "a needs assessment.",
                "kind": Agreement.Kind.CONTRACT,
                "regime": Agreement.Regime.PA_2023 if fy_start >= PA_2023_FROM else Agreement.Regime.PCR_2015,
                "years": [self.year],
                "a_year": Decimal("48000.00"),
                "decided_on": fy_start - dt.timedelta(days=12),
            },
            {
                "subject": "Domestic abuse outreach {label}: Harbourside Women's Aid (demo)",
                "provider": "demo-harbourside-womens-aid",
                "panel_area": "domestic-violence",
                "legal_basis": LegalBasis.ASBCPA_2014_S143,
                "decision": "Fund an outreach worker for victims of domestic abuse, survivors of child sexual abuse "
                "among them, for two years from the "
                "Commissioner's Safety Fund, £35,000 a year.",
                "reasons": "Fills a gap in rural outreach found by the needs assessment.",
                "kind": Agreement.Kind.GRANT,
                "regime": Agreement.Regime.GRANT,
                "years": [self.year - 1, self.year],
                "a_year": Decimal("35000.00"),
                "decided_on": dt.date(self.year - 1, 4, 1) - dt.timedelta(days=50),
                "co_funder": ("dorset-council", Decimal("10000.00")),
                "ring_fenced": True,  # it serves the ring-fenced purpose (survivors of child sexual abuse) too
            },
        ]
        for spec in specs:
            first, last = spec["years"][0], spec["years"][-1]
            label = (
                f"{first}/{(last + 1) % 100:02d}"
                if first == last
                else f"{first}/{(first + 1) % 100:02d} to " + (f"{last}/{(last + 1) % 100:02d}")
            )
            subject = spec["subject"].format(label=label)
            if DecisionRecord.objects.filter(subject=subject).exists():
                self.summary.counts["unchanged"] += 1
                continue
            self.decision_with_agreement(spec, subject=subject)
            self.summary.counts["created"] += 1

    def published_documents(self):
        """The signed contract published on the transparency pages as a redacted copy (bank details removed)."""
        documents = AgreementDocument.objects.filter(
            agreement__kind=Agreement.Kind.CONTRACT, title="Signed agreement (demo)", is_published=False
        ).select_related("agreement")
        for document in documents:
            with clock_at(moment(document.agreement.signed_on + dt.timedelta(days=3))):
                agreement_services.agreement_document_publish(
                    actor=self.manager,
                    document=document,
                    publish=True,
                    redacted_file=ContentFile(PDF, name="signed-agreement-redacted.pdf"),
                    redactions="The provider's bank details and the names of its staff (schedule 3)",
                    redaction_reason="Personal data and information whose release would harm the provider's "
                    "commercial interests (Freedom of Information Act 2000, sections 40 and 43)",
                )
            self.summary.counts["created"] += 1

    def decision_with_agreement(self, spec, *, subject):
        years = spec["years"]
        starts_on, ends_on = dt.date(years[0], 4, 1), dt.date(years[-1] + 1, 3, 31)
        for start_year in years:  # the finance officer set each year's budget before it began
            year = fund_services.financial_year_get_or_create(start_year=start_year)
            with clock_at(dt.date(start_year, 4, 1) - dt.timedelta(days=60)):
                for fund, amount in ((self.safety, "150000.00"), (self.innovation, "60000.00")):
                    if not Budget.objects.filter(fund=fund, year=year).exists():
                        fund_services.budget_set_total(
                            actor=self.finance, fund=fund, year=year, amount=amount, reason="Opening budget (demo)"
                        )
        value = spec["a_year"] * len(years)
        provider = Organisation.objects.get(code=spec["provider"])
        with clock_at(moment(spec["decided_on"], 15)):
            decision = strategy_services.decision_record_create(
                actor=self.manager,
                decided_by=self.pcc,
                subject=subject,
                legal_basis=spec["legal_basis"],
                decision=spec["decision"],
                reasons=spec["reasons"],
                amount=value,
                decided_on=spec["decided_on"],
            )
        signed_on = spec["decided_on"] + dt.timedelta(days=7)
        with clock_at(moment(signed_on)):
            service = agreement_services.service_create(
                actor=self.manager,
                name=subject.split(":")[0].split(" 20")[0] + f" – {provider.name}",
                purpose=spec["decision"],
                provider=provider,
                approach=Service.Approach.PRIORITY,
                priorities=self.priorities,
                starts_on=starts_on,
                ends_on=ends_on,
                panel_areas=PanelArea.objects.filter(code=spec["panel_area"]),
                ring_fences=Fund.objects.filter(is_ring_fenced=True)[:1] if spec.get("ring_fenced") else [],
                delivery_area="Pan-Dorset",
                lead_officer=self.manager,
                status=Service.Status.ACTIVE,
            )
            agreement = agreement_services.agreement_create(
                actor=self.manager,
                service=service,
                kind=spec["kind"],
                regime=spec["regime"],
                value=value,
                starts_on=starts_on,
                ends_on=ends_on,
                conditions="Deliver the service as specified; quarterly monitoring returns.",
                payment_terms="Quarterly in arrears",
                decision=decision,
            )
            agreement = agreement_services.agreement_activate(
                actor=self.manager, agreement=agreement, signed_on=signed_on
            )
            agreement_services.agreement_document_add(
                actor=self.manager,
                agreement=agreement,
                title="Signed agreement (demo)",
                file=ContentFile(PDF, name="signed-agreement.pdf"),
            )
            if "co_funder" in spec:
                code, amount = spec["co_funder"]
                partner = (
                    Organisation.objects.filter(code=code).first()
                    or Organisation.objects.filter(kind=Organisation.Kind.STATUTORY).order_by("pk").first()
                )
                agreement_services.cofunder_add(
                    actor=self.manager,
                    service=service,
                    organisation=partner,
                    amount=amount,
                    notes="Share over the life",
                )
        for start_year in years:
            self.commit_and_pay(agreement, start_year=start_year, amount=spec["a_year"])
        return agreement

    def commit_and_pay(self, agreement, *, start_year, amount):
        """Planned by the finance officer and approved by the Chief Finance Officer before the year (or the
        agreement) began, scheduled quarterly in arrears, and paid a few days after each date due before today."""
        year = fund_services.financial_year_get_or_create(start_year=start_year)
        with clock_at(max(agreement.signed_on, dt.date(start_year, 4, 1) - dt.timedelta(days=2))):
            commitment = fund_services.commitment_plan(
                actor=self.finance, fund=self.safety, year=year, agreement=agreement, amount=amount, reason="Demo"
            )
            commitment = fund_services.commitment_approve(actor=self.cfo, commitment=commitment, reason="Demo")
            commitment = fund_services.commitment_commit(actor=self.finance, commitment=commitment, reason="Demo")
            fund_services.payment_schedule_create(
                actor=self.finance, commitment=commitment, frequency="quarterly", in_arrears=True
            )
        for row in commitment.schedule.filter(status=ScheduledPayment.Status.DUE).order_by("due_on"):
            paid_on = row.due_on + dt.timedelta(days=5)
            if paid_on >= self.today or paid_on > year.fy.ends_on:
                break
            with clock_at(moment(paid_on)):
                fund_services.payment_record(
                    actor=self.finance,
                    commitment=commitment,
                    amount=row.amount,
                    paid_on=paid_on,
                    reference=f"DEMO-{agreement.reference}-{row.due_on:%Y%m}",
                    scheduled=row,
                    reason="Invoice paid (demo)",
                )

    # Money and its governance -----------------------------------------------------------------------------

    def money_governance(self):
        year = fund_services.financial_year_get_or_create(start_year=self.year)
        if not Virement.objects.filter(reason__endswith="(demo)").exists():
            with clock_at(self.today - dt.timedelta(days=40)):
                virement = fund_services.virement_request(
                    actor=self.finance,
                    year=year,
                    from_fund=self.safety,
                    to_fund=self.innovation,
                    amount="5000.00",
                    reason="Expected underspend moved to new projects (demo)",
                )
            with clock_at(self.today - dt.timedelta(days=38)):
                fund_services.virement_decide(actor=self.cfo, virement=virement, approve=True, note="Agreed")
        if not FundingStream.objects.filter(code="demo-police-property-act").exists():
            property_fund = Fund.objects.filter(code="police-property-act-fund").first() or self.innovation
            with clock_at(dt.date(self.year, 4, 1) - dt.timedelta(days=20)):
                stream = stream_services.funding_stream_create(
                    actor=self.finance,
                    code="demo-police-property-act",
                    name="Police Property Act proceeds (demo)",
                    source=FundingStream.Source.POLICE_PROPERTY_ACT,
                    fund=property_fund,
                    grant_terms="Proceeds of property the police could not return; for community projects.",
                    reporting_requirements="An annual report of the grants made.",
                )
                fund_services.stream_allocation_set(
                    actor=self.finance, stream=stream, year=year, amount="12000.00", confirmed=True
                )
                stream_services.stream_return_date_add(
                    actor=self.finance,
                    stream=stream,
                    year=year,
                    kind=StreamReturnDate.Kind.MONITORING,
                    due_on=dt.date(self.year + 1, 4, 30),
                    description="Annual report of the grants made",
                )
        restorative = Agreement.objects.filter(
            decision__subject__startswith="Restorative justice service", decision__subject__endswith="(demo)"
        ).first()
        if restorative is not None and not restorative.variations.exists():
            with clock_at(self.today - dt.timedelta(days=6)):
                variation_services.variation_request(
                    actor=self.manager,
                    agreement=restorative,
                    kind="value",
                    description="Extra mediation sessions for schools in the spring term (demo).",
                    value_change="6000.00",
                )
                # The extra money, planned by the Commissioning Manager, for the finance officer to approve.
                fund_services.commitment_plan(
                    actor=self.manager,
                    fund=self.innovation,
                    year=year,
                    agreement=restorative,
                    amount="6000.00",
                    reason="Extra mediation sessions (demo)",
                )
        self.pre_year_review(year)

    def pre_year_review(self, year):
        if SafetyFundReview.objects.filter(fund=self.safety, year=year).exists():
            return
        with clock_at(self.today - dt.timedelta(days=4)):
            review = review_services.safety_fund_review_prepare(actor=self.manager, fund=self.safety, year=year)
            line = review.lines.order_by("pk").first()
            if line is not None:
                review_services.safety_fund_review_adjust_line(
                    actor=self.manager,
                    line=line,
                    adjusted_spend=line.expected_spend + Decimal("1000.00"),
                    reason="Expected rise in referrals (demo)",
                )
            review_services.safety_fund_review_submit(actor=self.manager, review=review)

    # Governance -------------------------------------------------------------------------------------------

    def strategy(self):
        document = StrategyDocument.objects.order_by("pk").first()
        if document is None or document.versions.filter(number__gt=1).exists():
            self.summary.counts["unchanged"] += 1
            return
        signatories = [self.users[r] for r in (Role.CHIEF_EXECUTIVE, Role.CFO, Role.DIRECTOR_OPERATIONS, Role.PCC)]
        with clock_at(self.today - dt.timedelta(days=150)):
            version = strategy_services.version_create(
                actor=self.manager,
                document=document,
                summary="Annual review: victims' services and the Local Innovation Fund brought up to date (demo)",
                start_from_in_force=document.versions.filter(status=SignOffStatus.SIGNED).exists(),
                body="" if document.versions.filter(status=SignOffStatus.SIGNED).exists() else "Strategy (demo).",
            )
            version = strategy_services.version_submit(actor=self.manager, version=version)
        for number, signatory in enumerate(signatories):
            with clock_at(self.today - dt.timedelta(days=140 - 2 * number)):
                version = strategy_services.version_sign(actor=signatory, version=version, comment="Agreed")
        with clock_at(self.today - dt.timedelta(days=90)):
            variation = strategy_services.variation_create(
                actor=self.manager,
                version=version,
                title="Add the serious violence duty (demo)",
                reason="New statutory duty on partners",
                change="Section 4 now names the serious violence duty and the OPCC's part in it.",
            )
            variation = strategy_services.variation_share(actor=self.manager, variation=variation)
        for number, signatory in enumerate(signatories):
            with clock_at(self.today - dt.timedelta(days=85 - number)):
                variation = strategy_services.variation_sign(actor=signatory, variation=variation, comment="Agreed")
        with clock_at(self.today - dt.timedelta(days=20)):
            waiting = strategy_services.version_create(
                actor=self.manager,
                document=document,
                summary="Mid-year update: the new Police and Crime Plan priorities (demo)",
                start_from_in_force=True,
            )
            waiting = strategy_services.version_submit(actor=self.manager, version=waiting)
        for number, signatory in enumerate(signatories[:3]):  # the PCC has not signed yet
            with clock_at(self.today - dt.timedelta(days=10 - number)):
                strategy_services.version_sign(actor=signatory, version=waiting, comment="Agreed")
        self.summary.counts["created"] += 1

    def board_meeting(self):
        board = PartnershipBoard.objects.order_by("pk").first()
        if board is None or BoardMeeting.objects.filter(board=board).exists():
            return
        with clock_at(self.today - dt.timedelta(days=30)):
            organisation_services.board_meeting_record(
                actor=self.manager,
                board=board,
                held_on=self.today - dt.timedelta(days=30),
                notes="The board reviewed the community safety plan's actions (demo).",
                actions="The OPCC to share referral figures for youth diversion before the next meeting.",
            )
        self.summary.counts["created"] += 1
