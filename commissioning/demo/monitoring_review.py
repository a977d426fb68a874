"""Demo strategic reviews, an exit and a large contract's yearly assessment (issue 11, points 4 to 6), made through
the services on the days they happened (demo/clock.py), relative to the financial year of the day setup_demo runs:

- the restorative justice contract (one year, so in its final 18 months from the start) was reviewed and the PCC
  decided to extend it by a year while the service is re-tendered after a needs assessment; the extension went
  through the variation service and the Chief Finance Officer approved it;
- the two-year domestic abuse outreach grant, in its final 18 months, is being reviewed by the Policy and
  Commissioning Officer (findings part recorded);
- a youth diversion mentoring pilot granted for last year was terminated early when the provider could not recruit:
  notice given at the end of October, the last quarter's money released back to the Commissioner's Safety Fund,
  the young people referred on, the last quarter paid in January and the agreement marked terminated;
- an integrated domestic abuse service, co-commissioned with the two councils, let under the Procurement Act 2023
  from last October for five years at £6,250,000 (the OPCC's own share £50,000 a year, the councils' shares
  recorded), with three contract KPIs besides the minimum dataset and its first yearly assessment published.

Then the daily job flags every other demo agreement that has entered its final months. Run again, it finds each
record by its service and leaves it as it is.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from commissioning.accounts.roles import Role
from commissioning.agreements import services as agreement_services
from commissioning.agreements.models import Agreement, AgreementVariation, Service
from commissioning.demo.clock import clock_at, moment
from commissioning.demo.cycle import financial_year_start
from commissioning.demo.register import PA_2023_FROM, SAFETY_FUND, RegisterStory
from commissioning.funds import services as fund_services
from commissioning.funds.models import Fund, ScheduledPayment
from commissioning.monitoring import services as monitoring
from commissioning.monitoring.models import ContractAssessment
from commissioning.organisations.models import Organisation
from commissioning.strategy import services as strategy_services
from commissioning.strategy.models import LegalBasis, PanelArea, Priority

PILOT = "Youth diversion mentoring pilot – Purbeck Youth Mentoring CIC (demo)"
LARGE = "Integrated domestic abuse service – Harbourside Women's Aid (demo)"
LARGE_SHARES = (("bcp-council", Decimal("3100000.00")), ("dorset-council", Decimal("2900000.00")))
OPCC_SHARE_A_YEAR = Decimal("50000.00")
CONTRACT_KPIS = [
    ("Victims supported", "people", 400, "higher"),
    ("Risk reduced at case closure", "people", 300, "higher"),
    ("Referrals contacted within two working days", "referrals", 380, "higher"),
]


def demo_monitoring_review(*, users: dict, summary) -> None:
    MonitoringReviewStory(users=users, summary=summary).run()


def _not_after(day: dt.date, today: dt.date) -> dt.date:
    return min(day, today)


class MonitoringReviewStory:
    def __init__(self, *, users: dict, summary):
        self.users, self.summary = users, summary
        self.manager, self.officer = users[Role.COMMISSIONING_MANAGER], users[Role.POLICY_OFFICER]
        self.finance, self.cfo, self.pcc = users[Role.FINANCE_OFFICER], users[Role.CFO], users[Role.PCC]
        self.today = timezone.localdate()
        self.year = financial_year_start(self.today)
        self.safety = Fund.objects.filter(code=SAFETY_FUND).first()

    def _count(self, created: bool) -> None:
        self.summary.counts["created" if created else "unchanged"] += 1

    def run(self):
        if self.safety is not None:
            self._count(self.decided_review())
            self._count(self.review_in_progress())
            self._count(self.terminated_pilot())
            self._count(self.large_contract())
        # The daily job, for the demo's own agreements (generate_data's volume is left to the job itself).
        monitoring.strategic_reviews_flag(
            today=self.today, among=Agreement.objects.filter(service__name__endswith="(demo)")
        )

    # Reviews ---------------------------------------------------------------------------------------------------

    def _decision(self, *, decided_on: dt.date, **decision):
        """The PCC's decision, recorded by the Commissioning Manager at 3 pm on the day."""
        with clock_at(moment(decided_on, 15)):
            return strategy_services.decision_record_create(
                actor=self.manager, decided_by=self.pcc, decided_on=decided_on, **decision
            )

    def _service_and_agreement(self, *, panel_area: str, starts_on, ends_on, service: dict, agreement: dict):
        """On the caller's clock: a service meeting the current plan's first priority, in the first panel area whose
        code contains `panel_area`, and its draft agreement for the same dates, paid quarterly in arrears."""
        created = agreement_services.service_create(
            actor=self.manager,
            priorities=list(Priority.objects.filter(pillar__plan__is_current=True).order_by("code")[:1]),
            panel_areas=PanelArea.objects.filter(code__icontains=panel_area)[:1],
            starts_on=starts_on,
            ends_on=ends_on,
            **service,
        )
        draft = agreement_services.agreement_create(
            actor=self.manager,
            service=created,
            starts_on=starts_on,
            ends_on=ends_on,
            payment_terms="Quarterly in arrears",
            **agreement,
        )
        return created, draft

    def _agreement(self, name_start: str, provider: str) -> Agreement | None:
        return (
            Agreement.objects.filter(
                service__name__startswith=name_start,
                service__provider__code=provider,
                status=Agreement.Status.ACTIVE,
            )
            .order_by("-starts_on")
            .first()
        )

    def decided_review(self) -> bool:
        agreement = self._agreement("Restorative justice service", "demo-wessex-restorative")
        if agreement is None or agreement.strategic_reviews.exists():
            return False
        opened = max(agreement.signed_on + dt.timedelta(days=1), self.today - dt.timedelta(days=42))
        with clock_at(moment(opened, 9)):
            review = monitoring.strategic_review_open(actor=self.manager, agreement=agreement)
        with clock_at(moment(_not_after(opened + dt.timedelta(days=7), self.today), 9)):
            review = monitoring.strategic_review_record(
                actor=self.manager,
                review=review,
                data={
                    "outcomes": "Victims were offered restorative justice in every eligible case referred; the "
                    "quarterly returns show the service at or near its target for people supported.",
                    "met_need": "yes",
                    "need_notes": "Demand from the police and probation continues; the waiting list stayed short.",
                    "lessons": "Referrals rose once officers could refer from the custody suite. Mediation for "
                    "neighbour disputes is better placed with the councils.",
                    "value_for_money": "good",
                    "value_for_money_notes": "The cost per victim supported is below the regional benchmark.",
                    "recommendation": "extend",
                    "recommendation_reasons": "Extend for one year while a needs assessment informs a re-tender.",
                },
            )
            review = monitoring.strategic_review_submit(actor=self.manager, review=review)
        decided_on = _not_after(opened + dt.timedelta(days=14), self.today)
        with clock_at(moment(decided_on, 14)):
            review = monitoring.strategic_review_decide(
                actor=self.pcc,
                review=review,
                decision="extend",
                reasons="The service meets its outcomes; a year's extension gives time for the needs assessment "
                "and a re-tender without a gap in support for victims.",
                decided_on=decided_on,
                new_ends_on=dt.date(agreement.ends_on.year + 1, 3, 31),
            )
        with clock_at(moment(decided_on, 16)):
            agreement_services.variation_decide(
                actor=self.cfo,
                variation=AgreementVariation.objects.get(pk=review.extension_variation_id),
                approve=True,
                note="Approved as decided on strategic review",
                decision=review.decision_record,
            )
        return True

    def review_in_progress(self) -> bool:
        agreement = self._agreement("Domestic abuse outreach", "demo-harbourside-womens-aid")
        if agreement is None or agreement.strategic_reviews.exclude(status="due").exists():
            return False
        started = max(agreement.signed_on + dt.timedelta(days=1), self.today - dt.timedelta(days=20))
        with clock_at(moment(started, 11)):
            review = monitoring.strategic_review_open(actor=self.officer, agreement=agreement)
        with clock_at(moment(_not_after(started + dt.timedelta(days=6), self.today), 11)):
            monitoring.strategic_review_record(
                actor=self.officer,
                review=review,
                data={
                    "outcomes": "The outreach worker reached victims in rural West Dorset who had not been in "
                    "contact with any service; returns so far show referrals rising each quarter.",
                    "met_need": "partly",
                    "lessons": "Co-locating with the rural GP surgeries worked better than drop-in sessions.",
                },
                reason="Findings so far",
            )
        return True

    # An early termination, last year ---------------------------------------------------------------------------

    def terminated_pilot(self) -> bool:
        if Service.objects.filter(name=PILOT).exists():
            return False
        provider = Organisation.objects.filter(code="demo-purbeck-youth-mentoring").first()
        if provider is None:
            return False
        start_year = self.year - 1
        starts_on, ends_on = dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)
        decided_on, signed_on = starts_on - dt.timedelta(days=22), starts_on - dt.timedelta(days=15)
        year = fund_services.financial_year_get_or_create(start_year=start_year)
        decision = self._decision(
            decided_on=decided_on,
            subject=f"Youth diversion mentoring pilot {start_year}/{(start_year + 1) % 100:02d}: Purbeck Youth "
            "Mentoring CIC (demo)",
            legal_basis=LegalBasis.ASBCPA_2014_S143,
            decision="Fund a year's pilot of mentoring for young people at risk of offending, £24,000 from the "
            "Commissioner's Safety Fund.",
            reasons="The youth justice needs assessment found no diversion offer in Purbeck.",
            amount=Decimal("24000.00"),
        )
        with clock_at(moment(signed_on)):
            service, agreement = self._service_and_agreement(
                panel_area="prevention",
                starts_on=starts_on,
                ends_on=ends_on,
                service={
                    "name": PILOT,
                    "purpose": "Mentoring for young people at risk of offending in Purbeck, referred by schools and "
                    "the youth offending service.",
                    "provider": provider,
                    "approach": Service.Approach.ONE_OFF,
                    "delivery_area": "Purbeck",
                    "lead_officer": self.officer,
                    "status": Service.Status.ACTIVE,
                },
                agreement={
                    "kind": Agreement.Kind.GRANT,
                    "regime": Agreement.Regime.GRANT,
                    "value": "24000.00",
                    "conditions": "Deliver the pilot as proposed; quarterly monitoring returns.",
                    "decision": decision,
                },
            )
            agreement = agreement_services.agreement_activate(
                actor=self.manager, agreement=agreement, signed_on=signed_on
            )
            monitoring.kpis_attach_minimum_dataset(actor=self.officer, service=service)
            commitment = fund_services.commitment_plan(
                actor=self.finance, fund=self.safety, year=year, agreement=agreement, amount="24000.00", reason="Demo"
            )
            commitment = fund_services.commitment_approve(actor=self.cfo, commitment=commitment, reason="Demo")
            commitment = fund_services.commitment_commit(actor=self.finance, commitment=commitment, reason="Demo")
            fund_services.payment_schedule_create(
                actor=self.finance, commitment=commitment, frequency="quarterly", in_arrears=True
            )
        notice_on = dt.date(start_year, 10, 31)
        for row in commitment.schedule.filter(status=ScheduledPayment.Status.DUE, due_on__lt=notice_on).order_by(
            "due_on"
        ):
            paid_on = row.due_on + dt.timedelta(days=5)
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
        with clock_at(moment(notice_on, 12)):
            agreement_exit = monitoring.exit_record(
                actor=self.manager,
                agreement=agreement,
                kind="termination",
                notice_given_on=notice_on,
                notice_period_days=61,
                reason="The CIC's mentoring co-ordinator left and it could not recruit; referrals fell below a "
                "viable level. Both sides agreed to end the pilot at the end of December.",
                service_users="referred",
                transition_plan="The young people still being mentored were referred to the youth offending "
                "service's prevention team, with a joint handover meeting for each before 20 December.",
                still_to_pay="6000.00",
            )
        paid_on = dt.date(start_year + 1, 1, 5)
        with clock_at(moment(paid_on)):
            fund_services.payment_record(
                actor=self.finance,
                commitment=commitment,
                amount="6000.00",
                paid_on=paid_on,
                reference=f"DEMO-{agreement.reference}-FINAL",
                reason="Final invoice, October to December (demo)",
            )
        with clock_at(moment(paid_on + dt.timedelta(days=1))):
            agreement_services.agreement_exit_complete(actor=self.manager, agreement_exit=agreement_exit)
        monitoring.returns_ensure(service=service, today=self.today)
        return True

    # A contract over the Procurement Act's £5m threshold -----------------------------------------------------

    def large_contract(self) -> bool:
        service = Service.objects.filter(name=LARGE).first()
        if service is None:
            service = self._let_large_contract()
            created = service is not None
        else:
            created = False
        if service is None:
            return False
        agreement = service.agreements.get()
        if monitoring.contract_rule_for(agreement) is None or agreement.assessments.exists():
            return created
        period_ends_on = dt.date(agreement.starts_on.year + 1, agreement.starts_on.month, 1) - dt.timedelta(days=1)
        assessed_on = period_ends_on + dt.timedelta(days=20)
        if assessed_on + dt.timedelta(days=5) > self.today:
            return created
        with clock_at(moment(assessed_on)):
            assessment = monitoring.assessment_record(
                actor=self.officer,
                agreement=agreement,
                period_starts_on=agreement.starts_on,
                period_ends_on=period_ends_on,
                rating=ContractAssessment.Rating.APPROACHING,
                narrative="Victims supported: 412 against a target of 400 (met). Risk reduced at case closure: "
                "281 against 300 (approaching). Referrals contacted within two working days: 371 against 380 "
                "(approaching: two vacancies in the first quarter). An improvement plan for contact times was "
                "agreed at the October contract meeting.",
            )
        with clock_at(moment(assessed_on + dt.timedelta(days=5))):
            monitoring.assessment_publish(actor=self.manager, assessment=assessment)
        return True

    def _let_large_contract(self) -> Service | None:
        provider = Organisation.objects.filter(code="demo-harbourside-womens-aid").first()
        partners = [(Organisation.objects.filter(code=code).first(), amount) for code, amount in LARGE_SHARES]
        if provider is None or any(partner is None for partner, _ in partners):
            return None
        starts_on = dt.date(self.year - 1, 10, 1)
        ends_on = dt.date(self.year + 4, 9, 30)
        decided_on, signed_on = starts_on - dt.timedelta(days=40), starts_on - dt.timedelta(days=20)
        under_act = starts_on >= PA_2023_FROM
        value = OPCC_SHARE_A_YEAR * 5 + sum(amount for _, amount in LARGE_SHARES)
        decision = self._decision(
            decided_on=decided_on,
            subject="Integrated domestic abuse service 2025 to 2030: Harbourside Women's Aid (demo)"
            if starts_on.year == 2025
            else f"Integrated domestic abuse service from {starts_on.year}: Harbourside Women's Aid (demo)",
            legal_basis=LegalBasis.PA_2023 if under_act else LegalBasis.PCR_2015,
            decision="Award the five-year integrated domestic abuse service contract, co-commissioned with BCP "
            "Council and Dorset Council, to Harbourside Women's Aid (demo) after an open procedure. The "
            "Commissioner's share is £50,000 a year from the Commissioner's Safety Fund.",
            reasons="The most advantageous tender on quality, price and social value.",
            amount=value,
        )
        with clock_at(moment(signed_on)):
            service, agreement = self._service_and_agreement(
                panel_area="domestic",
                starts_on=starts_on,
                ends_on=ends_on,
                service={
                    "name": LARGE,
                    "purpose": "Refuge, outreach and independent domestic violence advocacy for victims of domestic "
                    "abuse across Dorset, commissioned jointly with the two councils.",
                    "provider": provider,
                    "approach": Service.Approach.CO_COMMISSIONED,
                    "delivery_area": "Pan-Dorset",
                    "lead_officer": self.manager,
                    "status": Service.Status.PLANNED,
                },
                agreement={
                    "kind": Agreement.Kind.CONTRACT,
                    "regime": Agreement.Regime.PA_2023 if under_act else Agreement.Regime.PCR_2015,
                    "value": value,
                    "conditions": "Deliver the service as specified; quarterly monitoring returns; the contract KPIs "
                    "are assessed and published each year.",
                    "decision": decision,
                },
            )
            for partner, amount in partners:
                agreement_services.cofunder_add(
                    actor=self.manager,
                    service=service,
                    organisation=partner,
                    amount=amount,
                    notes="Share over the life",
                )
            monitoring.kpis_attach_minimum_dataset(actor=self.officer, service=service)
            for name, unit, target, direction in CONTRACT_KPIS:
                monitoring.kpi_add(
                    self.officer,
                    service,
                    name=name,
                    kind="count",
                    unit=unit,
                    target=target // 4,
                    direction=direction,
                    effective_from=starts_on,
                )
            agreement_services.agreement_activate(actor=self.manager, agreement=agreement, signed_on=signed_on)
        agreement.refresh_from_db()
        register = RegisterStory(users=self.users, summary=self.summary)
        register.safety = self.safety
        register.commit_and_pay(agreement, start_year=self.year - 1, amount=OPCC_SHARE_A_YEAR / 2)
        register.commit_and_pay(agreement, start_year=self.year, amount=OPCC_SHARE_A_YEAR)
        return service
