"""Demo data for a development or demonstration copy (python manage.py setup_demo).

Everything here is invented and says so: organisations end in "(demo)", people are named by job title only,
e-mail addresses use the reserved .invalid domain and telephone numbers Ofcom's drama range (01632 960xxx).
Running it again gives the same state: each record is found by a stable key (code, e-mail, title, subject)
before anything is made, and found records are left as they are (demo users get their role and password back).
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.accounts.roles import OPCC_STAFF, ORGANISATION_ROLES, Role
from commissioning.demo.clock import mail_kept_in_memory
from commissioning.demo.cycle import GrantsStory
from commissioning.demo.monitoring import demo_monitoring
from commissioning.demo.monitoring_review import demo_monitoring_review
from commissioning.demo.panel import demo_panel
from commissioning.demo.procurement_award import demo_procurement_award
from commissioning.demo.procurement_planning import demo_procurement_planning
from commissioning.demo.procurement_tenders import demo_tenders
from commissioning.demo.register import RegisterStory
from commissioning.funds import selectors as fund_selectors
from commissioning.funds import services as fund_services
from commissioning.funds.models import Fund
from commissioning.grants.models import GrantRound, GrantScheme
from commissioning.grants.services import rounds as round_services
from commissioning.organisations import services as organisation_services
from commissioning.organisations.models import (
    AreaOfInterest,
    Contact,
    NonFinancialActivity,
    Organisation,
    PartnershipBoard,
)
from commissioning.profiles.loader import ProfileLoadSummary, profile_load
from commissioning.strategy.models import CommissioningObjective, Priority

DEMO_PASSWORD = "demo-password-123"
DEMO_EMAIL_DOMAIN = "demo.opcc.invalid"
DEMO_REASON = "Demo data (setup_demo)"

# Invented organisations. The numbers are made up and outside the ranges registers issue today.
DEMO_ORGANISATIONS = [
    {
        "code": "demo-harbourside-womens-aid",
        "name": "Harbourside Women's Aid (demo)",
        "kind": Organisation.Kind.VCSE,
        "charity_number": "9990001",
        "description": "An invented charity supporting women and children affected by domestic abuse.",
        "postcode": "BH15 9ZZ",
        "areas": ["Domestic Abuse", "Support Victims of Crime", "Safeguarding"],
        "contacts": [("Chief Executive", "ceo"), ("Outreach Service Manager", "outreach")],
    },
    {
        "code": "demo-wessex-restorative",
        "name": "Wessex Restorative Partnership (demo)",
        "kind": Organisation.Kind.PROVIDER,
        "company_number": "99000001",
        "description": "An invented social enterprise delivering restorative justice and mediation.",
        "postcode": "DT1 9ZZ",
        "areas": ["Restorative Justice", "Reduce Reoffending"],
        "contacts": [("Managing Director", "director"), ("Contracts Officer", "contracts")],
    },
    {
        "code": "demo-purbeck-youth-mentoring",
        "name": "Purbeck Youth Mentoring CIC (demo)",
        "kind": Organisation.Kind.VCSE,
        "company_number": "99000002",
        "description": "An invented community interest company mentoring young people at risk of offending.",
        "postcode": "BH20 9ZZ",
        "areas": ["Youth Offending", "Education"],
        "contacts": [("Project Co-ordinator", "projects")],
    },
    {
        "code": "demo-blandford-community-larder",
        "name": "Blandford Community Larder (demo)",
        "kind": Organisation.Kind.VCSE,
        "charity_number": "9990002",
        "description": "An invented community food project that runs evening sessions for young people.",
        "postcode": "DT11 9ZZ",
        "areas": ["Youth Offending", "Education"],
        "contacts": [("Volunteer Co-ordinator", "volunteers")],
    },
    {
        "code": "demo-portland-boxing-club",
        "name": "Portland Amateur Boxing Club (demo)",
        "kind": Organisation.Kind.VCSE,
        "charity_number": "9990003",
        "description": "An invented boxing club offering sport and mentoring to young people.",
        "postcode": "DT5 9ZZ",
        "areas": ["Youth Offending"],
        "contacts": [("Club Secretary", "secretary")],
    },
    {
        "code": "demo-sherborne-neighbourhood-watch",
        "name": "Sherborne Neighbourhood Watch Association (demo)",
        "kind": Organisation.Kind.VCSE,
        "charity_number": "9990004",
        "description": "An invented association of Neighbourhood Watch schemes in and around Sherborne.",
        "postcode": "DT9 9ZZ",
        "areas": ["Support Victims of Crime"],
        "contacts": [("Co-ordinator", "coordinator")],
    },
]
# Which organisation each outside role's demo user acts for (partner: a profile partner, by code).
ORGANISATION_FOR_ROLE = {
    Role.PARTNER: "dorset-police",
    Role.PROVIDER: "demo-wessex-restorative",
    Role.APPLICANT: "demo-purbeck-youth-mentoring",
}


@dataclass
class DemoLogin:
    role: str
    role_label: str
    email: str
    password: str
    organisation: str


@dataclass
class DemoSummary:
    profile: ProfileLoadSummary
    counts: Counter = field(default_factory=Counter)
    logins: list[DemoLogin] = field(default_factory=list)

    def __str__(self):
        return (
            f"Demo data: {self.counts['created']} created, {self.counts['unchanged']} unchanged, "
            f"{self.counts['updated']} updated."
        )


def demo_email(role: str) -> str:
    return f"{role}@{DEMO_EMAIL_DOMAIN}"


@transaction.atomic
def demo_setup(*, profile_name: str) -> DemoSummary:
    """Load the profile, then the demo organisations, users, contacts, activities and decisions."""
    summary = DemoSummary(profile=profile_load(path_or_name=profile_name))
    opcc = Organisation.objects.get(kind=Organisation.Kind.OPCC)  # made by the profile loader
    users = {
        role: _demo_user(role, organisation=opcc if role in OPCC_STAFF else None, summary=summary)
        for role in Role
        if role not in ORGANISATION_ROLES
    }
    actor = users[Role.COMMISSIONING_MANAGER]
    organisations = {o.code: o for o in Organisation.objects.filter(code__isnull=False)}
    for spec in DEMO_ORGANISATIONS:
        organisation = organisations[spec["code"]] = _demo_organisation(spec, actor=actor, summary=summary)
        for index, (job_title, mailbox) in enumerate(spec["contacts"]):
            _demo_contact(organisation, job_title, mailbox, actor=actor, summary=summary, primary=index == 0)
    for role, code in ORGANISATION_FOR_ROLE.items():
        organisation = organisations.get(code)
        if organisation is None:  # another OPCC's profile: its first statutory partner
            organisation = Organisation.objects.filter(kind=Organisation.Kind.STATUTORY).order_by("pk").first()
        users[role] = _demo_user(role, organisation=organisation, summary=summary)
    if "dorset-police" in organisations:
        _demo_contact(
            organisations["dorset-police"],
            "Partnerships Manager (demo contact)",
            "partnerships",
            actor=actor,
            summary=summary,
        )
    _demo_activities(actor=actor, organisations=organisations, summary=summary)
    with mail_kept_in_memory():  # the services e-mail applicants and officers; demo addresses are .invalid
        RegisterStory(users=users, summary=summary).run()
        grants = GrantsStory(users=users, summary=summary)
        grants.run()
        grant_round = _demo_grant_round(actor=actor, finance=users[Role.FINANCE_OFFICER], summary=summary)
        if grant_round is not None:
            grants.open_round_draft(grant_round)
        demo_monitoring(summary=summary)
        demo_monitoring_review(users=users, summary=summary)
        demo_panel(summary=summary)
        # Priority commissioning (issue 10): need to route, then tenders and bids, then evaluation to contract.
        demo_procurement_planning(users=users, summary=summary)
        demo_tenders(users=users, summary=summary)
        demo_procurement_award(users=users, summary=summary)
    summary.logins = [
        DemoLogin(
            role.value,
            role.label,
            demo_email(role.value),
            DEMO_PASSWORD,
            users[role].organisation.name if users[role].organisation else "",
        )
        for role in Role
    ]
    return summary


def _demo_user(role: Role, *, organisation, summary: DemoSummary) -> User:
    values = {
        "display_name": f"Demo {role.label}",
        "job_title": role.label,
        "role": role.value,
        "organisation": organisation,
        "is_active": True,
        "is_staff": role == Role.ADMIN,  # only administrators use the configuration admin
    }
    user = User.objects.filter(email__iexact=demo_email(role.value)).first()
    if user is None:
        user = User.objects.create_user(email=demo_email(role.value), password=DEMO_PASSWORD, **values)
        summary.counts["created"] += 1
        return user
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, values[name])
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        changed.append("password")
    if changed:
        user.full_clean(exclude=["password"])
        user._change_reason = DEMO_REASON
        user.save()
    summary.counts["updated" if changed else "unchanged"] += 1
    return user


def _demo_organisation(spec: dict, *, actor: User, summary: DemoSummary) -> Organisation:
    organisation = Organisation.objects.filter(code=spec["code"]).first()
    if organisation is not None:
        summary.counts["unchanged"] += 1
        return organisation
    organisation = organisation_services.organisation_create(
        actor=actor,
        code=spec["code"],
        name=spec["name"],
        kind=spec["kind"],
        description=spec["description"],
        charity_number=spec.get("charity_number", ""),
        company_number=spec.get("company_number", ""),
        postcode=spec["postcode"],
        email=f"{spec['contacts'][0][1]}@{spec['code']}.{DEMO_EMAIL_DOMAIN}",
        areas_of_interest=AreaOfInterest.objects.filter(name__in=spec["areas"]),
        reason=DEMO_REASON,
    )
    summary.counts["created"] += 1
    return organisation


def _demo_contact(organisation, job_title, mailbox, *, actor, summary, primary=False) -> Contact:
    """A contact known by job title only (no personal names in demo data)."""
    contact = Contact.objects.filter(organisation=organisation, job_title=job_title).first()
    if contact is not None:
        summary.counts["unchanged"] += 1
        return contact
    number = 960000 + Contact.objects.count() + 1
    contact = organisation_services.contact_add(
        actor=actor,
        organisation=organisation,
        name=job_title,
        job_title=job_title,
        email=f"{mailbox}@{organisation.code}.{DEMO_EMAIL_DOMAIN}",
        phone=f"01632 {min(number, 960999)}",
        is_primary=primary,
        reason=DEMO_REASON,
    )
    summary.counts["created"] += 1
    return contact


def _pick(model_qs, codes, *, field_name, fallback: int):
    """Records by code, or, for another OPCC's profile, the first few there are."""
    found = list(model_qs.filter(**{f"{field_name}__in": codes}))
    return found or list(model_qs[:fallback])


def _demo_activities(*, actor, organisations, summary):
    priorities = Priority.objects.filter(pillar__plan__is_current=True)
    statutory = Organisation.objects.filter(kind=Organisation.Kind.STATUTORY, is_active=True)
    board = PartnershipBoard.objects.filter(name="Dorset Community Safety Partnership").first()
    activities = [
        {
            "kind": NonFinancialActivity.Kind.INFLUENCE,
            "title": "Youth diversion places in the community safety plan (demo)",
            "description": "The OPCC asked the partnership to fund youth diversion places from its own "
            "budget rather than from the Local Innovation Fund, sharing referral data to show demand.",
            "occurred_on": timezone.localdate() - dt.timedelta(days=270),
            "partners": _pick(statutory, ["dorset-council", "bcp-council"], field_name="code", fallback=2),
            "priorities": _pick(priorities, ["1.1", "2.3"], field_name="code", fallback=1),
            "objectives": [4, 5],
            "board": board,
            "intended_outcome": "Partners commission youth diversion; the OPCC funds evaluation only.",
        },
        {
            "kind": NonFinancialActivity.Kind.PARTNERSHIP,
            "title": "Joint review of drug and alcohol referral pathways (demo)",
            "description": "Officers met public health and NHS commissioners to map referrals from custody "
            "into treatment and agree one referral form.",
            "occurred_on": timezone.localdate() - dt.timedelta(days=170),
            "partners": _pick(statutory, ["public-health-dorset", "nhs-dorset-icb"], field_name="code", fallback=1),
            "priorities": _pick(priorities, ["1.2"], field_name="code", fallback=1),
            "objectives": [2],
            "board": None,
            "intended_outcome": "Fewer people lost between custody and treatment.",
        },
    ]
    for spec in activities:
        if NonFinancialActivity.objects.filter(title=spec["title"]).exists():
            summary.counts["unchanged"] += 1
            continue
        organisation_services.non_financial_activity_record(
            actor=actor,
            kind=spec["kind"],
            title=spec["title"],
            description=spec["description"],
            occurred_on=spec["occurred_on"],
            partners=spec["partners"],
            priorities=spec["priorities"],
            objectives=CommissioningObjective.objects.filter(number__in=spec["objectives"]),
            board=spec["board"],
            intended_outcome=spec["intended_outcome"],
            reason=DEMO_REASON,
        )
        summary.counts["created"] += 1


DEMO_ROUND_NAME = "Community Grant Scheme: demo round"


def _demo_grant_round(*, actor: User, finance: User, summary: DemoSummary) -> GrantRound | None:
    """An open round of the Community Grant Scheme, so the demo applicant can apply at once."""
    scheme = GrantScheme.objects.filter(code="community-grant-scheme").first()
    existing = GrantRound.objects.filter(name=DEMO_ROUND_NAME).first()
    if scheme is None or existing is not None:
        summary.counts["unchanged"] += 1
        return existing
    now = timezone.now()
    london = timezone.get_current_timezone()
    today = timezone.localdate()
    opens_at = dt.datetime.combine(today - dt.timedelta(days=7), dt.time(9), tzinfo=london)
    closes_at = dt.datetime.combine(today + dt.timedelta(days=60), dt.time(17), tzinfo=london)
    year = fund_services.financial_year_get_or_create(start_year=now.year if now.month >= 4 else now.year - 1)
    fund = Fund.objects.get(code="police-property-act-fund")
    if fund_selectors.fund_position(fund=fund, year=year).own_available < Decimal("10000.00"):
        fund_services.budget_set_total(
            actor=finance, fund=fund, year=year, amount="24000.00", reason="Police Property Act proceeds (demo)"
        )
    grant_round = round_services.round_create(
        actor=actor,
        scheme=scheme,
        name=DEMO_ROUND_NAME,
        opens_at=opens_at,
        closes_at=closes_at,
        budget="10000.00",
        fund=fund,
        year=year,
        terms=scheme.terms_versions.order_by("-effective_from").first(),
        guidance=(
            "Grants of £100 to £3,000 for voluntary and community groups in Dorset whose project meets at least "
            "one Police and Crime Plan priority. Tell us what you will do, who it will help and what it will cost."
        ),
    )
    round_services.eligibility_question_add(
        actor=actor,
        grant_round=grant_round,
        text="Is your organisation a voluntary or community group working in Dorset?",
        ineligible_message="The scheme funds voluntary and community groups working in Dorset only.",
    )
    round_services.eligibility_question_add(
        actor=actor,
        grant_round=grant_round,
        text="Does your organisation have a safeguarding policy?",
        ineligible_message="You need a safeguarding policy before you apply. Your local CVS can help you write one.",
    )
    for name, weight in (
        ("Meets Police and Crime Plan priorities", "30"),
        ("Evidence of need", "30"),
        ("Value for money", "20"),
        ("Ability to deliver", "20"),
    ):
        round_services.criterion_add(actor=actor, grant_round=grant_round, name=name, weight=weight)
    grant_round = round_services.round_publish(actor=actor, grant_round=grant_round)
    summary.counts["created"] += 1
    return grant_round
