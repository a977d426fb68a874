"""Factories for commissioning cases before the tender, and the dated configuration the route needs (the Dorset
profile's figures, made idempotently so several test modules and the role x URL matrix can share them)."""

import datetime as dt
from decimal import Decimal

import factory

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.core.models import ProcurementRegimeStart
from commissioning.procurement.models import (
    ApprovalRole,
    CommissioningCase,
    Engagement,
    MarketEvent,
    ProcurementThreshold,
    Specification,
    SpecificationKpi,
    StandingOrderTier,
)

ACT_FROM = dt.date(2025, 2, 24)
TIERS = [
    ("One price", 0, 500, 1, False, []),
    ("More than one quote", 500, 3000, 2, False, []),
    ("Three written quotes", 3000, 20000, 3, False, []),
    ("Three quotes by e-tendering", 20000, 50000, 3, False, []),
    ("Tender", 50000, None, 3, True, ["open", "competitive_flexible"]),
]


def procurement_config(*, proceed=Role.PCC, specification=Role.COMMISSIONING_MANAGER, exemption=Role.CFO):
    """Regime start dates, thresholds, standing-order tiers and approvers, as the Dorset profile has them."""
    ProcurementRegimeStart.objects.get_or_create(
        regime="pcr_2015", defaults={"name": "Public Contracts Regulations 2015", "applies_from": dt.date(2015, 2, 26)}
    )
    ProcurementRegimeStart.objects.get_or_create(
        regime="pa_2023", defaults={"name": "Procurement Act 2023", "applies_from": ACT_FROM}
    )
    for regime, category, amount, day in [
        ("pcr_2015", "sub_central_goods_services", "214904", dt.date(2024, 1, 1)),
        ("pcr_2015", "light_touch", "663540", dt.date(2024, 1, 1)),
        ("pcr_2015", "below_threshold_publication", "30000", dt.date(2024, 1, 1)),
        ("pa_2023", "sub_central_goods_services", "214904", ACT_FROM),
        ("pa_2023", "light_touch", "663540", ACT_FROM),
        ("pa_2023", "below_threshold_publication", "30000", ACT_FROM),
        ("pa_2023", "sub_central_goods_services", "207720", dt.date(2026, 1, 1)),
        ("pa_2023", "light_touch", "663540", dt.date(2026, 1, 1)),
    ]:
        ProcurementThreshold.objects.get_or_create(
            regime=regime, category=category, effective_from=day, defaults={"amount": Decimal(amount)}
        )
    for name, low, high, quotes, tender, procedures in TIERS:
        StandingOrderTier.objects.get_or_create(
            min_value=low,
            effective_from=dt.date(2017, 4, 1),
            defaults={
                "name": name,
                "max_value": high,
                "route": name,
                "quotes_required": quotes,
                "tender_required": tender,
                "procedures": procedures,
            },
        )
    for action, role in (("proceed", proceed), ("specification", specification), ("exemption", exemption)):
        ApprovalRole.objects.update_or_create(
            action=action, effective_from=dt.date(2017, 4, 1), defaults={"role": role}
        )


class CommissioningCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissioningCase

    reference = factory.Sequence(lambda n: f"PC-2026-{n + 1:04d}")
    title = factory.Sequence(lambda n: f"Support for victims of stalking {n}")
    need_summary = "Victims of stalking wait too long for specialist advocacy."
    estimated_value = Decimal("120000.00")
    contract_starts_on = dt.date(2027, 4, 1)
    contract_months = 36
    procurement_starts_on = dt.date(2026, 11, 1)
    lead_officer = factory.SubFactory(UserFactory, role=Role.POLICY_OFFICER)


def assessed(case, **extra):
    """Fill in the needs assessment and the review of priorities."""
    values = {
        "problem": "No specialist stalking advocacy in the county.",
        "evidence": "Police recorded 1,240 stalking offences last year, up by a fifth.",
        "data_sources": "Police recorded crime; victims' survey.",
        "groups_affected": "Victims of stalking, mostly women aged 18 to 40.",
        "priority_fit": "Supporting victims, witnesses and reducing reoffending.",
        "responsibility": "opcc",
    } | extra
    for name, value in values.items():
        setattr(case, name, value)
    case.save()
    return case


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    case = factory.SubFactory(CommissioningCaseFactory)
    who = "Survivors' forum"
    method = "focus_group"
    service_users = True
    held_on = dt.date(2026, 9, 1)
    heard = "People want one named advocate from report to court."
    recorded_by = factory.SubFactory(UserFactory, role=Role.POLICY_OFFICER)


class MarketEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketEvent

    case = factory.SubFactory(CommissioningCaseFactory)
    kind = "open_day"
    title = "Supplier open day"
    held_on = dt.date(2026, 10, 1)
    attendees = "Stalking Advice Dorset\nSafe Futures CIC"
    recorded_by = factory.SubFactory(UserFactory, role=Role.POLICY_OFFICER)


class SpecificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specification

    case = factory.SubFactory(CommissioningCaseFactory)
    version = 1
    timeliness = "Contact within two working days of referral."
    standards = "Accredited stalking advocates; safeguarding policy."
    delivery = "Face to face and by phone across the county."
    recipients = "Victims of stalking aged 16 and over, referred by police or themselves."
    outcomes = "Victims feel safer and better able to cope."
    social_value = "Volunteering placements for local people."
    created_by = factory.SubFactory(UserFactory, role=Role.POLICY_OFFICER)


class SpecificationKpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecificationKpi

    specification = factory.SubFactory(SpecificationFactory)
    name = "Victims supported"
    unit = "people"
    target = 60
