"""Demo for the Police and Crime Panel report (issue 12): one invented service of the demo provider in each Panel
area without one, with the KPI minimum dataset and accepted returns for every quarter that has ended since the
start of last financial year, so the current year's report has real figures and a comparison; highlights and a
case study for this year; and the demo funding streams' return dates for the funder returns page.

Everything goes through the agreements, monitoring, reporting and funds services. Run again, it finds the
services by name and the highlights by title.
"""

from django.utils import timezone

from commissioning.accounts.roles import Role
from commissioning.core.dates import FinancialYear
from commissioning.demo.monitoring import _service, _set_state, _user
from commissioning.monitoring import services as monitoring
from commissioning.reporting import services as reporting_services
from commissioning.reporting.models import FunderReturn, PanelHighlight
from commissioning.reporting.selectors import funder_returns
from commissioning.strategy.models import PanelArea

SERVICES = [
    (
        "sexual-violence",
        "Independent sexual violence advisers (demo)",
        "Advocacy for people who have been raped or sexually assaulted, from report to court and after.",
    ),
    (
        "domestic-violence",
        "Domestic abuse recovery groups (demo)",
        "Group programmes helping survivors of domestic abuse to recover and stay safe.",
    ),
    (
        "prevention-activities",
        "Youth diversion and prevention (demo)",
        "Early help for young people at risk of exploitation or of getting into trouble.",
    ),
    (
        "offender-management",
        "Women's offending pathway (demo)",
        "Support for women in contact with the criminal justice system to stop offending.",
    ),
    (
        "drugs-and-alcohol",
        "Substance misuse outreach (demo)",
        "Outreach and referral to treatment for people whose drug or alcohol use is linked to offending.",
    ),
    ("mental-health", "Street triage (demo)", "Mental health nurses with police officers at incidents."),
]

HIGHLIGHTS = [
    (
        "sexual-violence",
        "case_study",
        "From first contact to court (demo)",
        "A young person referred by the police was supported by an adviser from the first interview to the end of the "
        "trial. They said the adviser made it possible to keep going. (Invented and anonymised for the demo.)",
    ),
    (
        "domestic-violence",
        "highlight",
        "Recovery groups in rural areas (demo)",
        "Groups now meet in four market towns, so survivors no longer travel to Bournemouth or Dorchester.",
    ),
    (
        "mental-health",
        "highlight",
        "Fewer people detained under section 136 (demo)",
        "Street triage helped people at incidents get care without being taken to a place of safety.",
    ),
]


def demo_panel(*, summary) -> None:
    provider, officer, manager = _user(Role.PROVIDER), _user(Role.POLICY_OFFICER), _user(Role.COMMISSIONING_MANAGER)
    if not (provider and provider.organisation and officer and manager):
        return
    today = timezone.localdate()
    start = FinancialYear(FinancialYear.for_date(today).start_year - 1).starts_on
    areas = {area.code: area for area in PanelArea.objects.all()}
    for seed, (code, name, purpose) in enumerate(SERVICES):
        if code not in areas:
            continue
        service, created = _service(
            actor=manager, provider_user=provider, name=name, purpose=purpose, starts_on=start, panel_area=code
        )
        summary.counts["created" if created else "unchanged"] += 1
        if created:
            for kpi in monitoring.kpis_attach_minimum_dataset(actor=manager, service=service, effective_from=start):
                if kpi.definition_id and kpi.definition.code == "beneficiaries":
                    monitoring.kpi_update(actor=manager, kpi=kpi, data={"target": 50 + 5 * seed}, reason="Demo target")
        monitoring.returns_ensure(service=service, today=today)
        for index, kpi_return in enumerate(service.kpi_returns.filter(ends_on__lt=today).order_by("starts_on")):
            if _set_state(
                kpi_return, "accepted", provider=provider, officer=officer, manager=manager, seed=seed * 3 + index
            ):
                summary.counts["created"] += 1
    year = FinancialYear.for_date(today).start_year
    _submitted_return(today=today, summary=summary)
    for code, kind, title, body in HIGHLIGHTS:
        if code in areas and not PanelHighlight.objects.filter(title=title).exists():
            reporting_services.highlight_add(
                actor=officer, start_year=year, quarter=None, panel_area=areas[code], kind=kind, title=title, body=body
            )
            summary.counts["created"] += 1


def _submitted_return(*, today, summary) -> None:
    """The finance officer has sent the latest funder return that fell due before today, so the funder returns
    page shows one submitted (with the figures sent) beside those still to send."""
    finance = _user(Role.FINANCE_OFFICER)
    if finance is None or FunderReturn.objects.exists():
        return
    due = [d for d in funder_returns.return_dates() if d.due_on < today and d.submitted_on is None]
    if due:
        reporting_services.funder_return_submit(actor=finance, return_date=due[-1], note="Demo portal reference")
        summary.counts["created"] += 1
