"""Agreement pages, their documents and variations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from commissioning.agreements import forms, selectors, services
from commissioning.agreements.models import Agreement, AgreementVariation
from commissioning.agreements.views._common import (
    agreement_url,
    page_with_form,
    service_url,
)
from commissioning.core.dates import long_date
from commissioning.core.history import history_for
from commissioning.core.money import format_money
from commissioning.core.shortcuts import (
    data_and_reason,
    edit_page,
    form_page,
    private_download,
    require_perm,
    save_form,
)

# Agreements ---------------------------------------------------------------------------------------------


@login_required
def agreement_create(request, pk):
    service = selectors.service_get_for_user(user=request.user, pk=pk)
    require_perm(request, "agreements.manage_agreement", service)
    form = forms.AgreementForm(request.POST or None)
    return edit_page(
        request,
        form=form,
        save=lambda data: services.agreement_create(actor=request.user, service=service, **data),
        success="Agreement {result.reference} has been drafted",
        redirect_to=lambda agreement: reverse("agreements:agreement_detail", args=[agreement.pk]),
        title="Add an agreement",
        caption=service.name,
        back_url=service_url(service),
    )


@login_required
def agreement_detail(request, pk):
    user = request.user
    agreement = selectors.agreement_get_for_user(user=user, pk=pk)
    context = {
        "agreement": agreement,
        "service": agreement.service,
        "regime_note": selectors.agreement_regime_note(agreement),
        "can_manage": user.has_perm("agreements.manage_agreement", agreement),
        "can_request_variation": agreement.status == Agreement.Status.ACTIVE
        and user.has_perm("agreements.request_variation", agreement),
        "can_see_documents": user.has_perm("agreements.view_document", agreement),
        "money": selectors.money_panels(user=user, agreements=[agreement])[agreement.pk],
    }
    if user.has_perm("agreements.view_history"):
        context["history"] = selectors.agreement_history(agreement)
    return render(request, "agreements/agreement_detail.html", context)


@login_required
def agreement_edit(request, pk):
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    require_perm(request, "agreements.manage_agreement", agreement)
    signed = agreement.status != Agreement.Status.DRAFT
    form = forms.AgreementForm(
        request.POST or None,
        initial={name: getattr(agreement, name) for name in services.AGREEMENT_FIELDS},
        editing=True,
        signed=signed,
    )

    return edit_page(
        request,
        form=form,
        save=lambda cleaned: services.agreement_update(
            actor=request.user, agreement=agreement, **data_and_reason(cleaned)
        ),
        success="Agreement {result.reference} has been updated",
        redirect_to=reverse("agreements:agreement_detail", args=[agreement.pk]),
        title="Change the agreement",
        caption=agreement.reference,
        back_url=agreement_url(agreement),
        warning="The agreement is signed, so its type, regime, value and dates change through a variation."
        if signed
        else "",
    )


@login_required
def agreement_activate(request, pk):
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    require_perm(request, "agreements.manage_agreement", agreement)
    if agreement.status != Agreement.Status.DRAFT:
        messages.error(request, f"{agreement.reference} is already {agreement.get_status_display().lower()}")
        return redirect("agreements:agreement_detail", pk=agreement.pk)
    form = forms.ActivateForm(request.POST or None)
    return edit_page(
        request,
        form=form,
        save=lambda data: services.agreement_activate(actor=request.user, agreement=agreement, **data),
        success="Agreement {result.reference} is signed and active",
        redirect_to=reverse("agreements:agreement_detail", args=[agreement.pk]),
        title="Record that the agreement is signed",
        caption=agreement.reference,
        back_url=agreement_url(agreement),
        submit_label="Make the agreement active",
    )


@login_required
def document_add(request, pk):
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    require_perm(request, "agreements.manage_agreement", agreement)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    saved = save_form(
        request,
        form,
        lambda data: services.agreement_document_add(actor=request.user, agreement=agreement, **data),
        "{result.title} has been added",
    )
    if saved:
        return redirect(agreement_url(agreement, "documents"))
    return page_with_form(
        request,
        "agreements/document_form.html",
        form=form,
        title="Add a document",
        caption=agreement.reference,
        back_url=agreement_url(agreement),
        submit_label="Upload document",
    )


@login_required
def document_download(request, pk, document_pk):
    """Documents are never served from a public address: each download is checked here."""
    document = selectors.document_get_for_user(user=request.user, agreement_pk=pk, pk=document_pk)
    require_perm(request, "agreements.view_document", document)
    return private_download(document.file, content_type=document.content_type)


@login_required
def document_publish(request, pk, document_pk):
    """Publish a document on the transparency pages, as it is or redacted, or take it down."""
    document = selectors.document_get_for_user(user=request.user, agreement_pk=pk, pk=document_pk)
    require_perm(request, "agreements.manage_agreement", document.agreement)
    initial = {"publish": "yes" if document.is_published else ""}
    form = forms.DocumentPublishForm(request.POST or None, request.FILES or None, initial=initial)
    saved = save_form(
        request,
        form,
        lambda data: services.agreement_document_publish(actor=request.user, document=document, **data),
        lambda result: f"{result.title} is {'published' if result.is_published else 'no longer published'}",
    )
    if saved:
        return redirect(agreement_url(document.agreement, "documents"))
    return page_with_form(
        request,
        "agreements/document_publish.html",
        form=form,
        title="Publish a document",
        caption=f"{document.agreement.reference}: {document.title}",
        back_url=agreement_url(document.agreement),
        submit_label="Save",
        document=document,
    )


# Variations ---------------------------------------------------------------------------------------------


@login_required
def variation_request(request, pk):
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    require_perm(request, "agreements.request_variation", agreement)
    if agreement.status != Agreement.Status.ACTIVE:
        messages.error(request, "Only an active agreement can be varied")
        return redirect("agreements:agreement_detail", pk=agreement.pk)
    form = forms.VariationForm(request.POST or None)
    variation = save_form(
        request,
        form,
        lambda data: services.variation_request(actor=request.user, agreement=agreement, **data),
        "Variation {result.number} has been sent for approval",
    )
    if variation:
        return redirect("agreements:variation_detail", pk=agreement.pk, number=variation.number)
    return form_page(
        request,
        form=form,
        title="Ask for a variation",
        caption=(f"{agreement.reference}: ends {long_date(agreement.ends_on)}, worth {format_money(agreement.value)}"),
        back_url=agreement_url(agreement),
        submit_label="Send for approval",
    )


@login_required
def variation_detail(request, pk, number):
    user = request.user
    variation = selectors.variation_get_for_user(user=user, agreement_pk=pk, number=number)
    context = {
        "variation": variation,
        "agreement": variation.agreement,
        "can_decide": variation.status == AgreementVariation.Status.REQUESTED
        and user.has_perm("agreements.decide_variation", variation),
    }
    if user.has_perm("agreements.view_history"):
        context["history"] = history_for(variation)
    return render(request, "agreements/variation_detail.html", context)


@login_required
def variation_decide(request, pk, number):
    variation = selectors.variation_get_for_user(user=request.user, agreement_pk=pk, number=number)
    require_perm(request, "agreements.decide_variation", variation)
    detail = reverse("agreements:variation_detail", args=[pk, number])
    if variation.status != AgreementVariation.Status.REQUESTED:
        messages.error(request, f"Variation {number} has already been {variation.get_status_display().lower()}")
        return redirect(detail)
    form = forms.DecideForm(request.POST or None, with_decision=True, note_hint="Needed when you reject it")

    def decide(cleaned):
        return services.variation_decide(
            actor=request.user,
            variation=variation,
            approve=form.approve,
            note=cleaned["decision_note"],
            decision=cleaned.get("decision"),
        )

    if save_form(request, form, decide, "Variation {result.number} has been {result.status}"):
        return redirect(detail)
    return page_with_form(
        request,
        "agreements/variation_decide.html",
        form=form,
        title=f"Decide variation {number}",
        caption=variation.agreement.reference,
        back_url=detail,
        submit_label="Record decision",
        variation=variation,
        agreement=variation.agreement,
    )
