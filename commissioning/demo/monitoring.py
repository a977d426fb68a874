"""Demo monitoring (issue 11): two invented services of the demo provider with the KPI minimum dataset,
targets, and returns in every state (due, overdue, submitted, queried, resubmitted and accepted), the provider's
narratives and case studies (one consented for publication) and officers' feedback records (a partner's view and a
service-user survey), all made through the agreements and monitoring services, so every monitoring model has rows.

Run again, it finds the services by name and leaves returns already made as they are; returns that have become
due since are left due (the provider's to fill in).
"""

import datetime as dt

from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.accounts.roles import Role
from commissioning.agreements import services as agreement_services
from commissioning.agreements.selectors import services_visible_to
from commissioning.core.dates import FinancialYear
from commissioning.monitoring import api_tokens, imports_large, stories
from commissioning.monitoring import services as monitoring
from commissioning.monitoring.models import ReturnStatus
from commissioning.strategy.models import PanelArea, Priority

QUARTERLY_SERVICE = "Restorative justice for victims (demo)"
MONTHLY_SERVICE = "Victim-offender mediation pilot (demo)"
TARGETS = {"beneficiaries": 60}


def _user(role: Role) -> User | None:
    return User.objects.filter(email=f"{role.value}@demo.opcc.invalid").first()


def _service(*, actor, provider_user, name, purpose, starts_on, panel_area: str = "restorative-justice"):
    found = services_visible_to(provider_user).filter(name=name).first()
    if found:
        return found, False
    area = PanelArea.objects.filter(code=panel_area).first()
    priorities = Priority.objects.order_by("pk")
    priority = priorities.filter(panel_area=area).first() or priorities.first()
    service = agreement_services.service_create(
        actor=actor,
        name=name,
        purpose=purpose,
        provider=provider_user.organisation,
        approach="priority_commissioning",
        priorities=[priority] if priority else [],
        main_panel_area=area,
        starts_on=starts_on,
        delivery_area="Pan-Dorset",
        status="active",
    )
    return service, True


def _figures(kpis, seed: int) -> dict:
    """Plausible whole numbers for every figure of a return: breakdowns add up (the rest under "not known")."""
    values = {}
    total = 48 + (seed * 7) % 25
    for kpi in kpis:
        values[(kpi.pk, monitoring.TOTAL)] = total
        if not kpi.is_breakdown:
            continue
        left = total
        others = [c for c in kpi.categories if c != kpi.not_known_category]
        for index, category in enumerate(others):
            share = total // (index + 3) if kpi.must_add_up else total // (index + 2)
            share = min(share, left) if kpi.must_add_up else share
            values[(kpi.pk, category)] = share
            left -= share if kpi.must_add_up else 0
        values[(kpi.pk, kpi.not_known_category)] = left if kpi.must_add_up else 1
    return values


CASE_STUDIES = (
    {
        "title": "Meeting the person who broke in",
        "story": "A woman in her seventies could not sleep after a burglary. After two preparation meetings she met "
        "the young man responsible, with a facilitator, and asked him why he chose her house.",
        "outcome": "She says she sleeps through the night again; he wrote her a letter of apology.",
        "consented_for_publication": True,
    },
    {
        "title": "A conference that did not go ahead",
        "story": "A victim of an assault prepared for a conference, then decided not to meet the person. The "
        "facilitator arranged an exchange of letters instead.",
        "outcome": "",
        "consented_for_publication": False,
    },
)
NARRATIVES = (
    "Referrals from the police rose after the new pathway began; every victim was contacted within five days.",
    "Two conferences took place and six victims chose indirect restorative justice, such as letters.",
    "The service ran a training session for neighbourhood officers on when to refer.",
)


def _narrative(provider, kpi_return, seed: int) -> None:
    stories.narrative_save(
        actor=provider,
        kpi_return=kpi_return,
        achievements=NARRATIVES[seed % len(NARRATIVES)],
        challenges="One facilitator was on leave for three weeks, so some first contacts were later than we aim for."
        if seed % 2
        else "",
        next_period="Recruit two more volunteer facilitators.",
    )


def _feedback(service, *, manager, today) -> int:
    if service.feedback.exists():
        return 0
    stories.feedback_add(
        actor=manager,
        service=service,
        source="partner",
        given_by="Victim Care Unit, Dorset Police",
        received_on=today - dt.timedelta(days=40),
        summary="Referrals are acknowledged quickly and officers hear back about outcomes. Officers would like "
        "clearer guidance on which cases are suitable.",
        rating=4,
    )
    stories.feedback_add(
        actor=manager,
        service=service,
        source="survey",
        given_by="Survey of people who took part",
        received_on=today - dt.timedelta(days=75),
        summary="Nearly everyone said they felt prepared and safe; two said the wait for a conference was too long.",
        rating=5,
        respondents=17,
    )
    return 2


def _set_state(kpi_return, state: str, *, provider, officer, manager, seed: int) -> bool:
    """Take a due return, never submitted, to `state` through the services. False if it was already made."""
    if kpi_return.status != ReturnStatus.DUE or kpi_return.versions.exists() or state == "due":
        return False
    kpis = monitoring.kpis_for_return(kpi_return)
    if seed == 5:  # first sent as a case-level file from the provider's case system, one row per person
        template = imports_large.case_template_csv(kpi_return, kpis).decode("utf-8-sig").splitlines()
        heading, example = template[0].split(","), template[1].split(",")
        rows = [heading] + [[example[0], f"CASE-{n:03d}", *example[2:]] for n in range(1, 13)]
        imports_large.import_cases(
            actor=provider, kpi_return=kpi_return, rows=rows, note="Exported from our case system."
        )
    else:
        monitoring.return_submit(
            actor=provider, kpi_return=kpi_return, values=_figures(kpis, seed), note="Figures from our case system."
        )
    _narrative(provider, kpi_return, seed)
    if state == "submitted":
        return True
    monitoring.return_query(
        actor=officer,
        kpi_return=kpi_return,
        comments="The number of beneficiaries is higher than last quarter's referrals suggest. Please check it.",
    )
    if state == "queried":
        return True
    monitoring.return_submit(
        actor=provider,
        kpi_return=kpi_return,
        values=_figures(kpis, seed + 1),
        note="Corrected: two people were counted twice.",
    )
    if state == "resubmitted":
        return True
    if seed == 5:
        stories.case_study_add(actor=provider, kpi_return=kpi_return, **CASE_STUDIES[0])
    monitoring.return_accept(actor=manager, kpi_return=kpi_return, comments="Thank you.")
    return True


def demo_monitoring(*, summary) -> None:
    provider, officer, manager = _user(Role.PROVIDER), _user(Role.POLICY_OFFICER), _user(Role.COMMISSIONING_MANAGER)
    if not (provider and provider.organisation and officer and manager):
        return
    if not api_tokens.tokens_for(provider).exists():  # the provider's case system sends returns through the API
        api_tokens.token_create(actor=provider, name="Case management system (demo)")
        summary.counts["created"] += 1
    today = timezone.localdate()
    two_years_ago = FinancialYear(FinancialYear.for_date(today).start_year - 1).starts_on
    quarterly, created = _service(
        actor=manager,
        provider_user=provider,
        name=QUARTERLY_SERVICE,
        purpose="Restorative justice conferences for victims who choose to meet the person who harmed them.",
        starts_on=two_years_ago,
    )
    summary.counts["created" if created else "unchanged"] += 1
    first_of_month = today.replace(day=1)
    monthly, created = _service(
        actor=manager,
        provider_user=provider,
        name=MONTHLY_SERVICE,
        purpose="A pilot of mediation between victims and offenders, reported monthly while it is tested.",
        starts_on=(first_of_month - dt.timedelta(days=75)).replace(day=1),
    )
    summary.counts["created" if created else "unchanged"] += 1
    if created:
        # Reported monthly, due six weeks after each month, so the latest month is always due and not overdue.
        monitoring.schedule_set(actor=manager, service=monthly, frequency="monthly", days_to_submit=42)
    for service in (quarterly, monthly):
        for kpi in monitoring.kpis_attach_minimum_dataset(actor=manager, service=service):
            code = kpi.definition.code if kpi.definition_id else ""
            if code in TARGETS:
                monitoring.kpi_update(actor=manager, kpi=kpi, data={"target": TARGETS[code]}, reason="Demo target")
            summary.counts["created"] += 1
        monitoring.returns_ensure(service=service, today=today)
    # Newest first: the quarterly service's two latest periods stay due (the older one always overdue), then
    # submitted, queried, and accepted (after a query and a corrected version) for the rest; the monthly
    # service's latest month is due and not yet overdue.
    states = {
        quarterly: ["due", "due", "submitted", "queried", "resubmitted"],
        monthly: ["due"],
    }
    for service, newest in states.items():
        returns = list(service.kpi_returns.filter(ends_on__lt=today).order_by("-ends_on"))
        for index, kpi_return in enumerate(returns):
            state = newest[index] if index < len(newest) else "accepted"
            if _set_state(kpi_return, state, provider=provider, officer=officer, manager=manager, seed=index):
                summary.counts["created"] += 1
    # A case study the person did not agree to publish, with the submitted return.
    submitted = quarterly.kpi_returns.filter(status=ReturnStatus.SUBMITTED).first()
    if submitted is not None and not submitted.case_studies.exists():
        stories.case_study_add(actor=provider, kpi_return=submitted, **CASE_STUDIES[1])
        summary.counts["created"] += 1
    summary.counts["created"] += _feedback(quarterly, manager=manager, today=today)
