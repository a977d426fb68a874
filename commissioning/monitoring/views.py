"""Monitoring pages: a service's KPIs and return schedule, returns (the web form, upload, officers' decisions),
the overdue list and a service's performance. Thin: selectors read, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from commissioning.core.forms import add_service_errors
from commissioning.core.history import history_for
from commissioning.core.shortcuts import form_page, list_page, paginate, require_perm, save_form, split_reason
from commissioning.core.spreadsheets import XLSX_CONTENT_TYPE
from commissioning.monitoring import charts, forms, imports, performance, selectors, services
from commissioning.monitoring.models import KpiReturn, ReturnStatus


def _monitoring_url(service) -> str:
    return reverse("monitoring:service_monitoring", args=[service.pk])


def _return_url(kpi_return) -> str:
    return reverse("monitoring:return_detail", args=[kpi_return.pk])


# A service's KPIs and schedule -----------------------------------------------------------------------------


@login_required
def service_monitoring(request, pk):
    service = selectors.service_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.view_returns", service)
    today = timezone.localdate()
    returns = list(selectors.return_list_for_user(user=request.user, service=service, today=today))
    for kpi_return in returns:
        kpi_return.overdue = kpi_return.is_overdue(today)
    return render(
        request,
        "monitoring/service_monitoring.html",
        {
            "service": service,
            "kpis": selectors.service_kpis(service),
            "schedule": services.schedule_for(service),
            "returns": returns,
            "can_manage": request.user.has_perm("monitoring.manage_kpis", service),
            # Procurement Act 2023: a large contract needs at least three KPIs (review_services.py).
            "contract_problems": services.contract_problems_for_service(service, on=today),
        },
    )


@login_required
def kpis_attach(request, pk):
    service = selectors.service_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.manage_kpis", service)
    if request.method == "POST":
        added = services.kpis_attach_minimum_dataset(actor=request.user, service=service)
        if added:
            messages.success(request, f"{len(added)} minimum dataset measure{'s' if len(added) != 1 else ''} added")
        else:
            messages.success(request, "The service already reports every minimum dataset measure")
        return redirect(_monitoring_url(service))
    return render(
        request,
        "monitoring/confirm_page.html",
        {
            "title": "Add the minimum dataset",
            "caption": service.name,
            "body": "Every measure in the KPI minimum dataset that the service does not report yet will be added, "
            "reported quarterly from the service's start date. You can then set a target for each.",
            "back_url": _monitoring_url(service),
            "submit_label": "Add the minimum dataset",
        },
    )


@login_required
def kpi_add(request, pk):
    service = selectors.service_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.manage_kpis", service)
    form = forms.OwnKpiForm(
        request.POST or None,
        initial={
            "unit": "people",
            "direction": "higher",
            "frequency": "quarterly",
            "effective_from": service.starts_on,
        },
    )
    saved = save_form(
        request,
        form,
        lambda data: services.kpi_add(request.user, service, **form.service_data()),
        "{result.label} has been added",
    )
    if saved:
        return redirect(_monitoring_url(service))
    return form_page(request, form=form, title="Add a measure", caption=service.name, back_url=_monitoring_url(service))


@login_required
def kpi_edit(request, pk):
    kpi = selectors.kpi_get_for_user(user=request.user, pk=pk)
    service = kpi.service
    require_perm(request, "monitoring.manage_kpis", kpi)
    initial = {name: getattr(kpi, name) for name in services.KPI_FIELDS}
    form = forms.KpiChangeForm(request.POST or None, initial=initial)

    def update(cleaned):
        data, reason = split_reason(cleaned)
        return services.kpi_update(actor=request.user, kpi=kpi, data=data, reason=reason)

    if save_form(request, form, update, "{result.label} has been updated"):
        return redirect(_monitoring_url(service))
    return form_page(
        request, form=form, title=f"Change {kpi.label}", caption=service.name, back_url=_monitoring_url(service)
    )


@login_required
def schedule_edit(request, pk):
    service = selectors.service_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.manage_kpis", service)
    schedule = services.schedule_for(service)
    form = forms.ScheduleForm(
        request.POST or None, initial={"frequency": schedule.frequency, "days_to_submit": schedule.days_to_submit}
    )
    saved = save_form(
        request,
        form,
        lambda data: services.schedule_set(actor=request.user, service=service, **data),
        "The return schedule has been changed",
    )
    if saved:
        return redirect(_monitoring_url(service))
    return form_page(
        request,
        form=form,
        title="Change the return schedule",
        caption=service.name,
        back_url=_monitoring_url(service),
        warning="Returns that are due and not yet started are replaced by the new schedule's. Returns already "
        "submitted keep their periods.",
    )


# Returns -------------------------------------------------------------------------------------------------


@login_required
def return_list(request):
    require_perm(request, "monitoring.view_returns")
    today = timezone.localdate()
    status = request.GET.get("status", "")
    if status not in {*ReturnStatus.values, "overdue"}:
        status = ""
    returns = selectors.return_list_for_user(user=request.user, status=status, today=today)
    context = paginate(request, returns)
    rows = list(context["page"].object_list)
    for kpi_return in rows:
        kpi_return.overdue = kpi_return.is_overdue(today)
    return render(
        request,
        "monitoring/return_list.html",
        {
            **context,
            "rows": rows,
            "status": status,
            "statuses": [("", "All"), ("overdue", "Overdue"), *ReturnStatus.choices],
            "can_see_overdue": request.user.has_perm("monitoring.view_overdue"),
        },
    )


@login_required
def overdue_list(request):
    require_perm(request, "monitoring.view_overdue")
    today = timezone.localdate()
    return list_page(
        request, "monitoring/overdue_list.html", selectors.overdue_returns(user=request.user, today=today), today=today
    )


def _return_context(request, kpi_return: KpiReturn) -> dict:
    all_kpis = selectors.service_kpis(kpi_return.service)
    kpis = services.kpis_for_return(kpi_return, all_kpis)
    versions = list(kpi_return.versions.all())  # newest first
    for version in versions:
        version.rows = selectors.version_table(kpi_return, version, all_kpis)
    today = timezone.localdate()
    return {
        "kpi_return": kpi_return,
        "service": kpi_return.service,
        "kpis": kpis,
        "versions": versions,
        "latest": versions[0] if versions else None,
        "overdue": kpi_return.is_overdue(today),
        "period_ended": kpi_return.ends_on < today,
        "can_submit": request.user.has_perm("monitoring.submit_return", kpi_return)
        and kpi_return.status in services.SUBMITTABLE,
        "can_decide": request.user.has_perm("monitoring.review_return", kpi_return)
        and kpi_return.status in services.DECIDABLE,
        "can_write_narrative": request.user.has_perm("monitoring.write_narrative", kpi_return)
        and kpi_return.status != ReturnStatus.ACCEPTED,
    }


@login_required
def return_detail(request, pk):
    kpi_return = selectors.return_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.view_returns", kpi_return)
    context = _return_context(request, kpi_return)
    if request.user.has_perm("monitoring.view_history"):
        context["history"] = history_for(kpi_return)
    return render(request, "monitoring/return_detail.html", context)


def _submit_blocked(kpi_return: KpiReturn) -> str:
    if kpi_return.status not in services.SUBMITTABLE:
        return (
            f"This return is {kpi_return.get_status_display().lower()}. "
            "It can be submitted again only if the OPCC queries it."
        )
    if kpi_return.ends_on >= timezone.localdate():
        return "The period has not ended yet. Submit the return after it ends."
    return ""


@login_required
def return_submit(request, pk):
    kpi_return = selectors.return_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.submit_return", kpi_return)
    context = _return_context(request, kpi_return)
    latest = context["latest"]
    initial = {(v.kpi_id, v.category): v.value for v in latest.values.all()} if latest else None
    form = forms.ReturnForm(request.POST or None, kpis=context["kpis"], initial_values=initial)
    blocked = _submit_blocked(kpi_return)
    if request.method == "POST" and not blocked and form.is_valid():
        try:
            version = services.return_submit(
                actor=request.user, kpi_return=kpi_return, values=form.values(), note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Version {version.number} of the return has been submitted to the OPCC")
            return redirect(_return_url(kpi_return))
    upload_url = reverse("monitoring:return_upload", args=[kpi_return.pk])
    return render(
        request,
        "monitoring/return_form.html",
        {**context, "form": form, "blocked": blocked, "upload_url": upload_url},
    )


TEMPLATE_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}


@login_required
def return_template(request, pk, extension):
    kpi_return = selectors.return_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.view_returns", kpi_return)
    if extension not in TEMPLATE_TYPES:
        raise Http404("Templates are CSV or Excel files")
    kpis = selectors.return_kpis(kpi_return)
    content = imports.template_csv(kpi_return, kpis) if extension == "csv" else imports.template_xlsx(kpi_return, kpis)
    response = HttpResponse(content, content_type=TEMPLATE_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{imports.template_name(kpi_return, extension)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def return_upload(request, pk):
    kpi_return = selectors.return_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.submit_return", kpi_return)
    context = _return_context(request, kpi_return)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    blocked = _submit_blocked(kpi_return)
    problems = []
    if request.method == "POST" and not blocked and form.is_valid():
        try:
            version = imports.import_return(actor=request.user, kpi_return=kpi_return, upload=form.cleaned_data["file"])
        except imports.ReturnFileProblems as exc:
            problems = exc.problems
            count = len(problems)
            form.add_error(
                "file",
                f"The selected file has {count} problem{'s' if count != 1 else ''}. Nothing has been submitted. "
                "Correct the file and upload it again",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Version {version.number} of the return has been submitted to the OPCC")
            return redirect(_return_url(kpi_return))
    return render(
        request,
        "monitoring/return_upload.html",
        {**context, "form": form, "blocked": blocked, "problems": problems},
    )


@login_required
def return_decide(request, pk):
    kpi_return = selectors.return_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.review_return", kpi_return)
    context = _return_context(request, kpi_return)
    form = forms.DecisionForm(request.POST or None)

    def decide(data):
        if data["outcome"] == "accepted":
            return services.return_accept(actor=request.user, kpi_return=kpi_return, comments=data["comments"])
        return services.return_query(actor=request.user, kpi_return=kpi_return, comments=data["comments"])

    blocked = "" if kpi_return.status in services.DECIDABLE else "Only a submitted return can be accepted or queried."
    if not blocked and save_form(
        request, form, decide, lambda decision: f"The return has been {decision.get_outcome_display().lower()}"
    ):
        return redirect(_return_url(kpi_return))
    return render(request, "monitoring/return_decide.html", {**context, "form": form, "blocked": blocked})


@login_required
def service_performance(request, pk):
    service = selectors.service_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.view_returns", service)
    measures = performance.service_performance(service)
    for index, measure in enumerate(measures):
        measure.chart = charts.kpi_chart(
            chart_id=f"kpi-chart-{index + 1}",
            title=measure.kpi.label,
            labels=[point.kpi_return.short_label for point in measure.points],
            values=[point.value for point in measure.points],
            target=measure.kpi.target,
        )
    return render(
        request,
        "monitoring/performance.html",
        {
            "service": service,
            "measures": measures,
            **selectors.service_stories(service, user=request.user),
            "can_record_feedback": request.user.has_perm("monitoring.record_feedback", service),
        },
    )
