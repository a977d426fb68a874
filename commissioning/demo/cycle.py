"""The grants cycle in the demo, made through the grants services on the days it happened (demo/clock.py):

- last financial year's Community Grant Scheme round, decided: one application not eligible, one not recommended
  (so not funded), three awarded (two accepted, one turned down by the applicant), two assessors' scores and the
  panel's moderation on each assessed application, the grants paid in advance, end-of-grant reports (one signed
  off, one sent back for more) and a repayment asked for and received;
- this year's round that closed a fortnight ago, being assessed: one application waiting for its eligibility
  check, one assigned to the demo evaluator who has not scored it yet, one scored at moderation and one
  recommended to the PCC;
- the open round: the demo applicant's application in progress;
- one-off grant approaches at every stage (new, closed, invited, proposal received, assessed and waiting for the
  PCC, approved, not approved);
- the Local Innovation Fund's ranking of this year's candidates, waiting for approval.
"""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.accounts.roles import Role
from commissioning.demo import oneoff
from commissioning.demo.clock import clock_at, moment
from commissioning.funds import services as fund_services
from commissioning.funds.models import ScheduledPayment
from commissioning.grants.models import (
    Application,
    Award,
    GrantRound,
    GrantScheme,
)
from commissioning.grants.selectors import awards as award_selectors
from commissioning.grants.services import acceptance, applications, assessment, awards, reports, rounds
from commissioning.organisations.models import Organisation
from commissioning.strategy.models import Priority

PDF = b"%PDF-1.4\n% an invented demo document\n"
DECIDED_ROUND = "Community Grant Scheme {label}: summer round"
ASSESSING_ROUND = "Community Grant Scheme {label}: autumn round"
CRITERIA = (
    ("Meets Police and Crime Plan priorities", "30"),
    ("Evidence of need", "30"),
    ("Value for money", "20"),
    ("Ability to deliver", "20"),
)
# (organisation code, project, amount asked, what happens) for each round.
DECIDED_APPLICATIONS = (
    ("demo-purbeck-youth-mentoring", "Summer mentoring programme", "2500.00", "accepted"),
    ("demo-harbourside-womens-aid", "Safety planning drop-in for rural women", "3000.00", "repaid"),
    ("demo-blandford-community-larder", "Community larder youth evenings", "1800.00", "turned_down"),
    ("demo-portland-boxing-club", "Boxing for young people after school", "2200.00", "not_recommended"),
    ("demo-sherborne-neighbourhood-watch", "Neighbourhood Watch signs and leaflets", "900.00", "ineligible"),
)
ASSESSING_APPLICATIONS = (
    ("demo-blandford-community-larder", "Winter cooking club for young people", "1500.00", "submitted"),
    ("demo-portland-boxing-club", "Girls' boxing and mentoring sessions", "2800.00", "eligible"),
    ("demo-sherborne-neighbourhood-watch", "Cold-calling zones for older residents", "1200.00", "moderated"),
    ("demo-harbourside-womens-aid", "Peer support group for survivors", "2000.00", "recommended"),
)


def financial_year_start(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


class GrantsStory:
    def __init__(self, *, users: dict, summary):
        self.users, self.summary = users, summary
        self.manager = users[Role.COMMISSIONING_MANAGER]
        self.officer = users[Role.POLICY_OFFICER]
        self.finance = users[Role.FINANCE_OFFICER]
        self.pcc, self.cfo = users[Role.PCC], users[Role.CFO]
        self.evaluator = users[Role.EVALUATOR]
        self.today = timezone.localdate()
        self.year = financial_year_start(self.today)
        self.scheme = GrantScheme.objects.filter(code="community-grant-scheme").first()
        self.priorities = list(Priority.objects.filter(pillar__plan__is_current=True).order_by("code")[:3])

    # Helpers -------------------------------------------------------------------------------------------

    def applicant_for(self, organisation: Organisation) -> User:
        """The organisation's applicant: the demo applicant for its own organisation, else one made for it."""
        user = User.objects.filter(organisation=organisation, role=Role.APPLICANT).order_by("pk").first()
        if user is None:
            user = User.objects.create_user(
                email=f"applicant@{organisation.code}.demo.opcc.invalid",  # not a demo sign-in of its own
                password=None,
                display_name=f"Demo applicant for {organisation.name}",
                job_title="Volunteer co-ordinator",
                role=Role.APPLICANT,
                organisation=organisation,
            )
        return user

    def fund_year(self, start_year: int):
        return fund_services.financial_year_get_or_create(start_year=start_year)

    def make_round(self, *, name, year, opens_at, closes_at, budget) -> GrantRound:
        fund = self.scheme.fund
        with clock_at(opens_at - dt.timedelta(days=7)):
            grant_round = rounds.round_create(
                actor=self.manager,
                scheme=self.scheme,
                name=name,
                opens_at=opens_at,
                closes_at=closes_at,
                budget=budget,
                fund=fund,
                year=year,
                terms=self.scheme.terms_versions.order_by("-effective_from").first(),
                guidance="Grants of £100 to £3,000 for voluntary and community groups whose project meets at least "
                "one Police and Crime Plan priority.",
            )
            rounds.eligibility_question_add(
                actor=self.manager,
                grant_round=grant_round,
                text="Is your organisation a voluntary or community group working in the county?",
                ineligible_message="The scheme funds voluntary and community groups working in the county only.",
            )
            for criterion, weight in CRITERIA:
                rounds.criterion_add(actor=self.manager, grant_round=grant_round, name=criterion, weight=weight)
            grant_round = rounds.round_publish(actor=self.manager, grant_round=grant_round)
        return grant_round

    def apply(self, grant_round, organisation, title, amount, *, when, starts_on, ends_on, submit=True):
        applicant = self.applicant_for(organisation)
        with clock_at(when):
            answers = {q.pk: q.required_answer for q in grant_round.eligibility_questions.all()}
            application = applications.application_start(actor=applicant, grant_round=grant_round, answers=answers)
            applications.application_organisation_update(
                actor=applicant,
                application=application,
                address=organisation.address or "1 Demo Street",
                postcode=organisation.postcode or "DT1 9ZZ",
                charity_number=organisation.charity_number,
                company_number=organisation.company_number,
            )
            applications.application_project_update(
                actor=applicant,
                application=application,
                project_title=f"{title} (demo)",
                summary=f"{title}: weekly sessions run by trained volunteers (invented project).",
                beneficiaries_expected=40,
                outcomes="People feel safer and fewer are drawn into crime or harmed by it.",
                starts_on=starts_on,
                ends_on=ends_on,
            )
            applications.application_priorities_set(
                actor=applicant, application=application, priorities=self.priorities[:2]
            )
            amount = Decimal(amount)
            staff = (amount * Decimal("0.6")).quantize(Decimal("1"))
            applications.application_budget_update(
                actor=applicant,
                application=application,
                amount_requested=amount,
                lines=[("Sessional worker", staff), ("Venue hire and materials", amount - staff)],
            )
            for kind in ("constitution", "accounts", "safeguarding"):
                applications.application_attachment_add(
                    actor=applicant, application=application, kind=kind, file=ContentFile(PDF, name=f"{kind}.pdf")
                )
            if submit:
                application = applications.application_submit(
                    actor=applicant,
                    application=application,
                    declaration_name=f"Chair of {organisation.name}",
                    declaration_role="Chair of trustees",
                    confirmed=True,
                )
        return application

    def score(self, assignment, *, when, marks):
        with clock_at(when):
            assessment.assessor_declare(actor=assignment.assessor, assignment=assignment, has_conflict=False)
            criteria = assignment.application.round.criteria.order_by("order", "pk")
            scores = {
                c.pk: (mark, f"Scored {mark} of 5 against the descriptors (demo).")
                for c, mark in zip(criteria, marks, strict=False)
            }
            assessment.assessment_scores_save(
                actor=assignment.assessor, assignment=assignment, scores=scores, submit=True
            )

    def assess(self, application, *, when, outcome, recommend_amount=None):
        """Eligibility, two assessors, moderation and the panel's recommendation, as far as `outcome` goes."""
        with clock_at(when):
            eligible = outcome != "ineligible"
            assessment.application_eligibility_decide(
                actor=self.officer,
                application=application,
                eligible=eligible,
                note="" if eligible else "A Neighbourhood Watch scheme is run by the police, not an independent group.",
            )
        if not eligible:
            return
        with clock_at(when + dt.timedelta(days=1)):
            first = assessment.assessor_assign(actor=self.manager, application=application, assessor=self.evaluator)
            second = assessment.assessor_assign(actor=self.manager, application=application, assessor=self.officer)
        self.score(second, when=when + dt.timedelta(days=3), marks=(4, 3, 3, 4))
        if outcome == "eligible":
            return  # the demo evaluator has not scored it yet
        self.score(first, when=when + dt.timedelta(days=4), marks=(4, 4, 3, 3))
        low = outcome == "not_recommended"
        with clock_at(when + dt.timedelta(days=6)):
            criteria = application.round.criteria.order_by("order", "pk")
            marks = (2, 2, 1, 2) if low else (4, 4, 3, 4)
            assessment.moderation_record(
                actor=self.manager,
                application=application,
                scores={c.pk: m for c, m in zip(criteria, marks, strict=False)},
                rationale="The panel agreed the scores after discussing both assessments (demo).",
            )
            if outcome == "moderated":
                return
            assessment.application_recommend(
                actor=self.manager,
                application=application,
                recommend=not low,
                amount=recommend_amount or application.amount_requested,
                note="The project does not show enough evidence of need." if low else "",
            )

    # The story ---------------------------------------------------------------------------------------------

    def run(self):
        if self.scheme is None or not self.priorities:
            self.summary.counts["unchanged"] += 1
            return
        self.decided_round()
        self.assessing_round()
        oneoff.proposals(self)
        oneoff.innovation_last_year(self)
        oneoff.innovation_ranking(self)

    def decided_round(self):
        start = self.year - 1
        name = DECIDED_ROUND.format(label=_label(start))
        if GrantRound.objects.filter(name=name).exists():
            self.summary.counts["unchanged"] += 1
            return
        year = self.fund_year(start)
        with clock_at(dt.date(start, 4, 20)):
            fund_services.budget_set_total(
                actor=self.finance,
                fund=self.scheme.fund,
                year=year,
                amount="14000.00",
                reason="Police Property Act proceeds (demo)",
            )
        grant_round = self.make_round(
            name=name,
            year=year,
            opens_at=moment(dt.date(start, 5, 6), 9),
            closes_at=moment(dt.date(start, 6, 10), 17),
            budget="10000.00",
        )
        starts_on, ends_on = dt.date(start, 8, 1), dt.date(start + 1, 1, 31)
        made = []
        for number, (code, title, amount, outcome) in enumerate(DECIDED_APPLICATIONS):
            organisation = Organisation.objects.get(code=code)
            when = moment(dt.date(start, 5, 20) + dt.timedelta(days=3 * number), 11)
            made.append(
                (self.apply(grant_round, organisation, title, amount, when=when, starts_on=starts_on, ends_on=ends_on),
                 outcome)
            )  # fmt: skip
        for application, outcome in made:
            self.assess(application, when=moment(dt.date(start, 6, 14)), outcome=outcome)
        with clock_at(moment(dt.date(start, 7, 8), 15)):
            awards.round_decide(
                actor=self.pcc,
                round=grant_round,
                decided_on=dt.date(start, 7, 8),
                reasons="Each project meets at least one Police and Crime Plan priority and scored well at the panel.",
            )
        for application, outcome in made:
            award = Award.objects.filter(application=application).first()
            if award is None:
                continue
            applicant = self.applicant_for(application.organisation)
            with clock_at(moment(dt.date(start, 7, 14))):
                if outcome == "turned_down":
                    acceptance.award_decline(
                        actor=applicant, award=award, reason="Our volunteers cannot run the evenings this year."
                    )
                    continue
                acceptance.award_accept(actor=applicant, award=award, name=f"Chair of {application.organisation}")
            award.refresh_from_db()
            self.pay(award, on=dt.date(start, 8, 4))
            self.report(award, applicant=applicant, outcome=outcome, year=start)
        self.summary.counts["created"] += 1

    def pay(self, award, *, on):
        commitment = award_selectors.award_commitment(award=award)
        with clock_at(moment(on)):
            for row in commitment.schedule.filter(status=ScheduledPayment.Status.DUE):
                fund_services.payment_record(
                    actor=self.finance,
                    commitment=commitment,
                    amount=row.amount,
                    paid_on=on,
                    reference=f"DEMO-{award.application.reference}",
                    scheduled=row,
                    reason="Paid in advance (demo)",
                )

    def report(self, award, *, applicant, outcome, year):
        spent = award.amount if outcome == "accepted" else award.amount - Decimal("450.00")
        with clock_at(moment(dt.date(year + 1, 2, 20))):
            report = reports.report_save(
                actor=applicant,
                award=award,
                data={
                    "what_was_done": "Ran weekly sessions from August to January (invented).",
                    "spend_summary": "Sessional worker and venue hire, as in the budget.",
                    "amount_spent": spent,
                    "beneficiaries": 36,
                    "outcomes": "Those who came said they felt safer and more confident.",
                    "case_study": "",
                },
            )
            report = reports.report_submit(actor=applicant, report=report)
        with clock_at(moment(dt.date(year + 1, 3, 2))):
            if outcome == "accepted":
                reports.report_sign_off(actor=self.manager, report=report, note="A clear report; thank you.")
                return
            reports.report_return(
                actor=self.manager, report=report, note="Tell us what happened to the £450.00 not spent."
            )
            repayment = reports.award_repayment_request(
                actor=self.manager, award=award, amount="450.00", reason="£450.00 of the grant was not spent."
            )
        with clock_at(moment(dt.date(year + 1, 3, 20))):
            fund_services.repayment_receive(
                actor=self.finance,
                repayment=repayment,
                paid_on=dt.date(year + 1, 3, 20),
                reference=f"DEMO-REP-{award.application.reference}",
                reason="Unspent grant returned (demo)",
            )

    def assessing_round(self):
        name = ASSESSING_ROUND.format(label=_label(self.year))
        if GrantRound.objects.filter(name=name).exists():
            self.summary.counts["unchanged"] += 1
            return
        year = self.fund_year(self.year)
        opens_on, closes_on = self.today - dt.timedelta(days=45), self.today - dt.timedelta(days=15)
        with clock_at(opens_on - dt.timedelta(days=10)):
            fund_services.budget_set_total(
                actor=self.finance,
                fund=self.scheme.fund,
                year=year,
                amount="24000.00",
                reason="Police Property Act proceeds (demo)",
            )
        grant_round = self.make_round(
            name=name, year=year, opens_at=moment(opens_on, 9), closes_at=moment(closes_on, 17), budget="8000.00"
        )
        fy_end = dt.date(self.year + 1, 3, 31)
        starts_on = min(self.today + dt.timedelta(days=14), fy_end)
        made = []
        for number, (code, title, amount, outcome) in enumerate(ASSESSING_APPLICATIONS):
            organisation = Organisation.objects.get(code=code)
            when = moment(opens_on + dt.timedelta(days=5 + 4 * number), 11)
            made.append(
                (self.apply(grant_round, organisation, title, amount, when=when, starts_on=starts_on, ends_on=fy_end),
                 outcome)
            )  # fmt: skip
        for application, outcome in made:
            if outcome != "submitted":
                self.assess(application, when=moment(self.today - dt.timedelta(days=12)), outcome=outcome)
        self.summary.counts["created"] += 1

    def open_round_draft(self, grant_round: GrantRound):
        """The demo applicant's application to the open round, in progress."""
        applicant = self.users[Role.APPLICANT]
        if applicant.organisation is None or Application.objects.filter(round=grant_round).exists():
            return
        fy_end = dt.date(grant_round.year.start_year + 1, 3, 31)
        starts_on = min(max(self.today + dt.timedelta(days=75), dt.date(grant_round.year.start_year, 4, 1)), fy_end)
        self.apply(
            grant_round,
            applicant.organisation,
            "Holiday activities for young people",
            "1500.00",
            when=timezone.now() - dt.timedelta(hours=2),
            starts_on=starts_on,
            ends_on=fy_end,
            submit=False,
        )
