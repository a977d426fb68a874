"""Priority commissioning in the demo, before the tender (issue 10, points 1 to 4): four cases in the current
financial year, each made through the procurement services on the days it happened.

- one at the needs assessment (stalking advocacy);
- one at market analysis, with a supplier open day, its questions and published answers, a note on appetite and a
  published preliminary market engagement notice (young people's substance misuse outreach);
- one with an approved specification and its KPIs, and the route worked out and chosen (independent sexual violence
  advisers, a light-touch service);
- one with a direct award under an exemption approved by the Chief Finance Officer (emergency refuge rooms).
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from commissioning.accounts.roles import Role
from commissioning.core.dates import FinancialYear
from commissioning.demo.clock import clock_at, moment
from commissioning.monitoring.models import KpiDefinition
from commissioning.organisations.models import PartnershipBoard
from commissioning.procurement.models import CommissioningCase
from commissioning.procurement.services import market, notices, planning, routes, specification
from commissioning.strategy.models import Priority

MARK = "(demo)"
EVIDENCE = {
    "problem": "Victims wait months for specialist help, and none is offered in the rural west of the county.",
    "evidence": "Police recorded crime rose by a fifth in two years; the victims' survey names waiting as the first "
    "complaint; the current service turns away one referral in four.",
    "data_sources": "Police recorded crime; the OPCC victims' survey; the current provider's monitoring returns.",
    "groups_affected": "Victims of all ages, most of them women; people in rural areas with poor public transport.",
}


def demo_procurement_planning(*, users, summary) -> None:
    if CommissioningCase.objects.filter(title__endswith=MARK).exists():
        summary.counts["unchanged"] += 1
        return
    story = _Story(users)
    story.at_needs()
    story.at_market()
    story.with_route()
    story.with_exemption()
    summary.counts["created"] += 4


class _Story:
    def __init__(self, users):
        self.officer = users[Role.POLICY_OFFICER]
        self.manager = users[Role.COMMISSIONING_MANAGER]
        self.pcc = users[Role.PCC]
        self.cfo = users[Role.CFO]
        today = timezone.localdate()
        self.fy_start = FinancialYear.for_date(today).starts_on
        self.today = today
        self.priorities = list(Priority.objects.filter(pillar__plan__is_current=True).order_by("code")[:2]) or list(
            Priority.objects.order_by("pk")[:2]
        )
        self.board = PartnershipBoard.objects.filter(is_active=True).order_by("name").first()

    def day(self, offset: int) -> dt.date:
        """A day `offset` days into the financial year, never after today."""
        return min(self.fy_start + dt.timedelta(days=offset), self.today)

    def open(self, offset, title, value, **extra):
        with clock_at(moment(self.day(offset))):
            return planning.case_create(
                actor=self.officer,
                title=f"{title} {MARK}",
                need_summary=extra.pop("need_summary"),
                estimated_value=Decimal(value),
                priorities=self.priorities,
                lead_officer=self.officer,
                **extra,
            )

    def plan(self, case, offset):
        """Needs, priorities, a resource, engagement with service users and a board, recommendation, PCC approval."""
        with clock_at(moment(self.day(offset))):
            planning.needs_update(actor=self.officer, case=case, **EVIDENCE)
            planning.priorities_review_update(
                actor=self.officer,
                case=case,
                priority_fit="Serves the plan's priorities for victims and people at risk of harm.",
                responsibility="opcc",
                responsibility_notes="The OPCC commissions victims' services with the Ministry of Justice grant.",
            )
            planning.resource_add(
                actor=self.officer,
                case=case,
                description="The police victim care unit",
                capacity="Triage and referral only; no specialist casework.",
                outcomes="Nine in ten victims contacted within two days.",
                gaps="No ongoing support after the first contact.",
            )
        with clock_at(moment(self.day(offset + 7))):
            planning.engagement_add(
                actor=self.officer,
                case=case,
                who="Victims' forum",
                service_users=True,
                method="focus_group",
                held_on=self.day(offset + 7),
                heard="People want one named worker from report to court, and evening appointments.",
                changed="The specification asks for one named worker and evening hours.",
            )
            if self.board is not None:
                planning.engagement_add(
                    actor=self.officer,
                    case=case,
                    who=self.board.name,
                    board=self.board,
                    method="board",
                    held_on=self.day(offset + 7),
                    heard="Partners support a county-wide service and offer referral routes.",
                    changed="Referral routes from partners are written into the specification.",
                )
        with clock_at(moment(self.day(offset + 10))):
            planning.recommend(
                actor=self.manager,
                case=case,
                recommendation="Commission a county-wide service for three years with an option to extend by one.",
            )
        with clock_at(moment(self.day(offset + 14))):
            planning.approve_to_proceed(
                actor=self.pcc, case=case, approve=True, note="A clear, evidenced need that the plan gives priority."
            )

    def at_needs(self):
        """Opened this autumn; the needs assessment is still being written."""
        self.open(
            200,
            "Stalking advocacy service",
            "150000.00",
            need_summary="Victims of stalking have no specialist advocate in the county.",
        )

    def at_market(self):
        case = self.open(
            90,
            "Young people's substance misuse outreach",
            "180000.00",
            need_summary="Young people using drugs and alcohol are not reached by adult services.",
            procurement_starts_on=self.day(240),
            contract_starts_on=dt.date(self.fy_start.year + 1, 4, 1),
            contract_months=36,
        )
        self.plan(case, 95)
        with clock_at(moment(self.day(130))):
            event = market.event_add(
                actor=self.officer,
                case=case,
                kind="open_day",
                title="Supplier open day",
                held_on=self.day(130),
                attendees="\n".join(
                    ("Wessex Youth Trust (invented)", "Harbour Recovery CIC (invented)", "Pathways Outreach (invented)")
                ),
                notes="The need, the budget range and the timetable were presented; suppliers asked about TUPE.",
            )
            market.question_add(
                actor=self.officer,
                event=event,
                question="Will staff of the current service transfer to the new provider?",
                answer="TUPE may apply; staff details will be in the tender documents.",
                publish=True,
            )
            market.question_add(
                actor=self.officer, event=event, question="Can two organisations bid together as a consortium?"
            )
            market.market_note_add(
                actor=self.officer,
                case=case,
                appetite="some",
                note="Three local organisations are interested; two could deliver county-wide.",
            )
        with clock_at(moment(self.day(133))):
            notices.notice_record(
                actor=self.manager,
                case=case,
                kind="preliminary_market_engagement",
                published_on=self.day(133),
                reference="UK2 demo notice",
            )

    def with_route(self):
        case = self.open(
            30,
            "Independent sexual violence advisers",
            "480000.00",
            need_summary="Victims of sexual violence need advocacy through the criminal justice process.",
            light_touch=True,
            procurement_starts_on=self.day(150),
            contract_starts_on=dt.date(self.fy_start.year + 1, 4, 1),
            contract_months=48,
        )
        self.plan(case, 35)
        with clock_at(moment(self.day(60))):
            market.event_add(
                actor=self.officer,
                case=case,
                kind="meeting",
                title="Market engagement meeting",
                held_on=self.day(60),
                attendees="Safe Harbour ISVA Service (invented)\nWessex Rape Crisis (invented)",
            )
        with clock_at(moment(self.day(80))):
            spec = specification.specification_create(actor=self.officer, case=case)
            specification.specification_update(
                actor=self.officer,
                spec=spec,
                data={
                    "timeliness": "Contact within two working days of referral; evening and weekend appointments.",
                    "standards": "Accredited ISVAs; a safeguarding policy; the Victims' Code.",
                    "delivery": "Face to face across the county, by phone and online.",
                    "recipients": "Victims of sexual violence aged 13 and over, referred by anyone or themselves.",
                    "outcomes": "Victims feel safer, better able to cope and informed through the justice process.",
                    "social_value": "Training placements for local people; a volunteer scheme.",
                },
            )
            beneficiaries = KpiDefinition.objects.filter(is_minimum_dataset=True).order_by("order").first()
            if beneficiaries is not None:
                specification.specification_kpi_add(
                    actor=self.officer, spec=spec, definition=beneficiaries, target=120, unit="people"
                )
            specification.specification_kpi_add(
                actor=self.officer, spec=spec, name="Victims who feel better able to cope", target=80, unit="people"
            )
        with clock_at(moment(self.day(85))):
            specification.specification_approve(actor=self.manager, spec=spec)
        with clock_at(moment(self.day(150))):
            routes.route_work_out(actor=self.officer, case=case)
            case.refresh_from_db()
            routes.route_choose(actor=self.officer, case=case, route="open")

    def with_exemption(self):
        case = self.open(
            120,
            "Emergency refuge rooms",
            "85000.00",
            need_summary="Refuge rooms are needed at once after the current provider closed its house.",
            procurement_starts_on=self.day(140),
            contract_starts_on=self.day(160),
            contract_months=12,
        )
        self.plan(case, 121)
        with clock_at(moment(self.day(138))):
            routes.route_work_out(actor=self.officer, case=case)
            exemption = routes.exemption_request(
                actor=self.manager,
                case=case,
                ground="urgency",
                justification="The only refuge in the east of the county closed without notice; families would have "
                "nowhere safe to go while a competition ran. Standing orders, waiver for urgency.",
                supplier="Harbourside Women's Aid (invented)",
            )
        with clock_at(moment(self.day(139))):
            routes.exemption_decide(
                actor=self.cfo,
                exemption=exemption,
                approve=True,
                note="Urgency is shown and the supplier is the only one able to provide rooms in time.",
            )
