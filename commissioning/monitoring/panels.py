"""Monitoring's section of the service page (agreements:service_detail), registered through core.panels when the
app starts (ADR 0011): the service's KPIs with their targets and its latest returns, for whoever may see them."""

from django.template.loader import render_to_string
from django.utils import timezone

from commissioning.monitoring import selectors, services

LATEST_RETURNS = 4


def service_panel(request, service) -> str:
    if (
        not request.user.has_perm("monitoring.view_returns", service)
        or not selectors.monitored_services(request.user).filter(pk=service.pk).exists()
    ):
        return ""
    today = timezone.localdate()
    returns = list(selectors.return_list_for_user(user=request.user, service=service, today=today)[:LATEST_RETURNS])
    for kpi_return in returns:
        kpi_return.overdue = kpi_return.is_overdue(today)
    return render_to_string(
        "monitoring/_service_panel.html",
        {
            "service": service,
            "kpis": [kpi for kpi in selectors.service_kpis(service) if kpi.is_reported],
            "schedule": services.schedule_for(service),
            "returns": returns,
        },
        request=request,
    )
