"""The register's list, service pages and co-funders."""

from decimal import Decimal

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from commissioning.agreements import forms, selectors, services
from commissioning.agreements.models import Service
from commissioning.agreements.views._common import (
    CONFIRM_PAGE,
    page_with_form,
    service_url,
)
from commissioning.core import panels as page_panels
from commissioning.core.shortcuts import (
    data_and_reason,
    edit_page,
    list_filters,
    list_page,
    require_perm,
)


@login_required
def service_list(request):
    require_perm(request, "agreements.view_register")
    filter_form = forms.ServiceFilterForm(request.GET or None)
    services_ = selectors.service_list_for_user(user=request.user, **list_filters(filter_form))
    return list_page(
        request,
        "agreements/service_list.html",
        services_,
        filter_form=filter_form,
        can_add=request.user.has_perm("agreements.change_service"),
        can_see_reviews=request.user.has_perm("agreements.view_review"),
    )


def _cofunding_limit(agreements) -> tuple:
    """What co-funders' shares may come to, as services.cofunding_for checks it, from the agreements already read:
    (amount, "the value of the signed agreements" or "the value of its draft agreements")."""
    signed = [a for a in agreements if a.status != a.Status.DRAFT]
    chosen = signed or list(agreements)
    what = "the value of the signed agreements" if signed else "the value of its draft agreements"
    return sum((a.value for a in chosen), Decimal("0.00")), what


@login_required
def service_detail(request, pk):
    user = request.user
    service = selectors.service_get_for_user(user=user, pk=pk)
    agreements = service.agreements.all()
    context = {
        "service": service,
        "agreements": agreements,
        "variations": [variation for agreement in agreements for variation in agreement.variations.all()],
        "documents": [document for agreement in agreements for document in agreement.documents.all()],
        "co_funders": service.co_funders.all(),
        "cofunding_limit": _cofunding_limit(agreements),
        "can_edit": user.has_perm("agreements.change_service", service),
        "can_manage": user.has_perm("agreements.manage_agreement", service),
        "can_see_documents": user.has_perm("agreements.view_document", service),
    }
    panels = selectors.money_panels(user=user, agreements=agreements)
    context["money_panels"] = list(panels.values())
    context["sees_money"] = any(panel["visible"] or panel["can_plan"] for panel in panels.values()) or (
        not agreements and user.has_perm("funds.view_funds")
    )
    if user.has_perm("agreements.view_history"):
        context["history"] = selectors.service_history(service)
    # Sections of the page filled by the apps above (monitoring's measures and returns), ADR 0011.
    context["page_panels"] = page_panels.render("agreements.service_detail", request, service)
    return render(request, "agreements/service_detail.html", context)


def _service_initial(service: Service) -> dict:
    initial = {name: getattr(service, name) for name in services.SERVICE_FIELDS}
    initial.update({name: list(getattr(service, name).all()) for name in services.SERVICE_M2M})
    return initial


@login_required
def service_create(request):
    require_perm(request, "agreements.change_service")
    form = forms.ServiceForm(request.POST or None)
    return edit_page(
        request,
        form=form,
        save=lambda data: services.service_create(actor=request.user, **data),
        success="{result.name} has been added to the register as {result.reference}",
        redirect_to=lambda service: reverse("agreements:service_detail", args=[service.pk]),
        title="Add a service",
        back_url=reverse("agreements:service_list"),
    )


@login_required
def service_edit(request, pk):
    service = selectors.service_get_for_user(user=request.user, pk=pk)
    require_perm(request, "agreements.change_service", service)
    form = forms.ServiceForm(request.POST or None, initial=_service_initial(service), editing=True)

    return edit_page(
        request,
        form=form,
        save=lambda cleaned: services.service_update(actor=request.user, service=service, **data_and_reason(cleaned)),
        success="{result.name} has been updated",
        redirect_to=reverse("agreements:service_detail", args=[service.pk]),
        title="Change service details",
        caption=service.name,
        back_url=service_url(service),
    )


@login_required
def service_status(request, pk):
    service = selectors.service_get_for_user(user=request.user, pk=pk)
    require_perm(request, "agreements.change_service", service)
    allowed = services.SERVICE_STATUS_CHANGES[Service.Status(service.status)]
    if not allowed:
        messages.error(request, f"{service.name} has ended. Its status cannot change")
        return redirect("agreements:service_detail", pk=service.pk)
    choices = [(value, label) for value, label in Service.Status.choices if value in allowed]
    form = forms.ServiceStatusForm(request.POST or None, choices=choices)
    return edit_page(
        request,
        form=form,
        save=lambda data: services.service_status_change(actor=request.user, service=service, **data),
        success="The status of {result.name} has been changed",
        redirect_to=reverse("agreements:service_detail", args=[service.pk]),
        title="Change the status",
        caption=f"{service.name}: {service.get_status_display().lower()} now",
        back_url=service_url(service),
        submit_label="Change status",
    )


# Co-funders ---------------------------------------------------------------------------------------------


@login_required
def cofunder_add(request, pk):
    service = selectors.service_get_for_user(user=request.user, pk=pk)
    require_perm(request, "agreements.change_service", service)
    ask_increase = services.cofunding_for(service).pending > 0
    form = forms.CoFunderForm(request.POST or None, ask_increase=ask_increase)
    return edit_page(
        request,
        form=form,
        save=lambda data: services.cofunder_add(actor=request.user, service=service, **data),
        success="{result.organisation.name} has been added as a co-funder",
        redirect_to=service_url(service, "co-funders"),
        title="Add a co-funder",
        caption=service.name,
        back_url=service_url(service),
    )


@login_required
def cofunder_edit(request, pk, cofunder_pk):
    cofunder = selectors.cofunder_get_for_user(user=request.user, service_pk=pk, pk=cofunder_pk)
    require_perm(request, "agreements.change_service", cofunder)
    form = forms.CoFunderForm(
        request.POST or None,
        initial={"amount": cofunder.amount, "notes": cofunder.notes},
        editing=True,
        ask_increase=services.cofunding_for(cofunder.service, excluding=cofunder).pending > 0,
    )
    return edit_page(
        request,
        form=form,
        save=lambda data: services.cofunder_update(actor=request.user, cofunder=cofunder, **data),
        success="The share of {result.organisation.name} has been updated",
        redirect_to=service_url(cofunder.service, "co-funders"),
        title=f"Change the share of {cofunder.organisation.name}",
        caption=cofunder.service.name,
        back_url=service_url(cofunder.service),
    )


@login_required
def cofunder_remove(request, pk, cofunder_pk):
    """GET asks to confirm; POST removes the co-funder."""
    cofunder = selectors.cofunder_get_for_user(user=request.user, service_pk=pk, pk=cofunder_pk)
    require_perm(request, "agreements.change_service", cofunder)
    back = service_url(cofunder.service, "co-funders")
    if request.method == "POST":
        services.cofunder_remove(actor=request.user, cofunder=cofunder)
        messages.success(request, f"{cofunder.organisation.name} has been removed as a co-funder")
        return redirect(back)
    return page_with_form(
        request,
        CONFIRM_PAGE,
        form=django_forms.Form(),
        title=f"Are you sure you want to remove {cofunder.organisation.name} as a co-funder?",
        caption=cofunder.service.name,
        back_url=back,
        submit_label="Remove co-funder",
        button_class="govuk-button--warning",
        body="The activity log keeps a record of the share and of who removed it.",
    )
