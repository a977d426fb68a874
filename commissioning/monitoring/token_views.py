"""Pages for a provider's API tokens (list, create and show once, revoke) and for sending a case-level return
file to be imported in the background (issue 11, point 2). Thin: api_tokens.py and imports_large.py do the work.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from commissioning.core import jobs
from commissioning.core.forms import add_service_errors
from commissioning.core.shortcuts import form_page, list_page, require_perm
from commissioning.monitoring import api_tokens, imports_large, selectors, tasks
from commissioning.monitoring.token_forms import ApiTokenForm, CaseFileForm
from commissioning.monitoring.views import _return_context, _submit_blocked


@login_required
def token_list(request):
    require_perm(request, "monitoring.manage_api_tokens")
    return list_page(request, "monitoring/api/token_list.html", api_tokens.tokens_for(request.user))


@login_required
def token_create(request):
    require_perm(request, "monitoring.manage_api_tokens")
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_tokens.token_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The secret is shown on this response only: it is not stored, so it is never shown again.
            response = render(request, "monitoring/api/token_created.html", {"token": token, "secret": secret})
            response["Cache-Control"] = "no-store"
            return response
    return form_page(
        request,
        form=form,
        title="Create an API token",
        back_url=reverse("monitoring:api_token_list"),
        submit_label="Create token",
    )


@login_required
def token_revoke(request, pk):
    require_perm(request, "monitoring.manage_api_tokens")
    token = api_tokens.token_get_for_user(user=request.user, pk=pk)
    back = reverse("monitoring:api_token_list")
    if request.method == "POST" and token.is_active:
        api_tokens.token_revoke(actor=request.user, token=token)
        messages.success(request, f"{token.name} has been revoked. It no longer works")
        return redirect(back)
    return render(
        request,
        "monitoring/confirm_page.html",
        {
            "title": f"Revoke {token.name}",
            "caption": "API tokens",
            "body": "Anything using this token will stop working at once. You cannot undo this; create a new token "
            "if you need one.",
            "back_url": back,
            "submit_label": "Revoke token",
            "button_class": "govuk-button--warning",
            "blocked": "" if token.is_active else "This token has already been revoked.",
        },
    )


@login_required
def case_upload(request, pk):
    """Send a case-level file (one row for each case) to be checked, counted and submitted in the background."""
    kpi_return = selectors.return_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.submit_return", kpi_return)
    context = _return_context(request, kpi_return)
    form = CaseFileForm(request.POST or None, request.FILES or None)
    blocked = _submit_blocked(kpi_return)
    if request.method == "POST" and not blocked and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = imports_large.read_case_file(upload)
        except ValidationError as exc:
            add_service_errors(form, ValidationError({"file": exc.messages}))
        else:
            job = jobs.start(
                owner=request.user,
                kind=tasks.IMPORT_CASES,
                title=f"Import the cases in {upload.name} for {kpi_return.service.name}, {kpi_return.short_label}",
                task=tasks.import_case_file,
                input={"return": kpi_return.pk, "source": upload.name, "rows": rows},
                total=max(len(rows) - 1, 0),
                unit="cases",
            )
            return redirect("core:job_detail", pk=job.pk)
    return render(
        request,
        "monitoring/api/case_upload.html",
        {**context, "form": form, "blocked": blocked, "measures": imports_large.case_columns(context["kpis"])},
    )


@login_required
def case_template(request, pk):
    kpi_return = selectors.return_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.view_returns", kpi_return)
    from django.http import HttpResponse

    content = imports_large.case_template_csv(kpi_return, selectors.return_kpis(kpi_return))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = f"{kpi_return.service.reference}-cases-{kpi_return.starts_on:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
