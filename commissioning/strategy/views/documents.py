"""Strategy documents, their versions and sign-off, and variations (seed, Section 6 "Governance")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from commissioning.core.forms import add_service_errors
from commissioning.core.shortcuts import edit_page, form_page, paginate, post_only, posted, require_perm, save_form
from commissioning.strategy import forms, selectors, services
from commissioning.strategy.models import SignOffStatus, Variation

VARIATION_RULE = "A variation takes effect only when the Police and Crime Commissioner and one other signatory sign it."


def _act(request, record, *, act, success: str, page, detail: str):
    """A button on a version's or variation's page (POST only): the service acts, or its refusal is shown there."""
    if refused := post_only(request):
        return refused
    form = forms.ActionForm(request.POST)
    try:
        act()
    except ValidationError as error:
        form.is_valid()
        add_service_errors(form, error)
        return page(request, record, form=form)
    messages.success(request, success)
    return redirect(detail, record.pk)


def _sign(request, record, *, sign, what: str, complete_status, complete_note: str, page, detail: str):
    """A signatory signs a version or variation (POST only); `complete_note` is added to the message when their
    signature completes it."""
    if refused := post_only(request):
        return refused
    form = forms.SignForm(request.POST)
    if form.is_valid():
        try:
            signed = sign(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = f"You have signed {what} {signed.number}"
            if signed.status == complete_status:
                message += f". {complete_note}"
            messages.success(request, message)
            return redirect(detail, signed.pk)
    return page(request, record, form=form, sign_form=form)


@login_required
def document_create(request):
    require_perm(request, "strategy.add_document")
    form = forms.DocumentForm(posted(request), plans=selectors.plan_list())
    return edit_page(
        request,
        form=form,
        save=lambda data: services.document_create(actor=request.user, **data),
        success="{result.title} has been created. Create its first version next",
        redirect_to=lambda document: reverse("strategy:document_detail", args=[document.pk]),
        title="Add a commissioning strategy",
        submit_label="Add strategy",
        back_url=reverse("strategy:index"),
    )


@login_required
def document_detail(request, pk):
    document = get_object_or_404(selectors.document_queryset(), pk=pk)
    require_perm(request, "strategy.view_strategy", document)
    in_progress = selectors.version_in_progress(document=document)
    in_force = selectors.version_in_force(document=document)
    return render(
        request,
        "strategy/document_detail.html",
        {
            "document": document,
            "in_force": in_force,
            "review_overdue": bool(
                in_force and in_force.review_due_on and in_force.review_due_on < timezone.localdate()
            ),
            "in_progress": in_progress,
            "can_draft": request.user.has_perm("strategy.draft_version", document) and in_progress is None,
            "activity": selectors.activity_for_document(document=document),
            **paginate(request, selectors.version_list_for_document(document=document)),
        },
    )


@login_required
def version_create(request, pk):
    document = get_object_or_404(selectors.document_queryset(), pk=pk)
    require_perm(request, "strategy.draft_version", document)
    in_force = selectors.version_in_force(document=document)
    in_progress = selectors.version_in_progress(document=document)
    form = forms.VersionCreateForm(posted(request), in_force=in_force)
    version = save_form(
        request,
        form,
        lambda data: services.version_create(actor=request.user, document=document, **data),
        "Version {result.number} has been created as a draft",
    )
    if version:
        return redirect("strategy:version_detail", version.pk)
    blocked = ""
    if in_progress:
        blocked = (
            f"Version {in_progress.number} is {in_progress.get_status_display().lower()}. "
            "Finish it before creating another version."
        )
    return form_page(
        request,
        form=form,
        title="Create version",
        caption=document.title,
        submit_label="Create version",
        blocked=blocked,
        blocked_link=reverse("strategy:version_detail", args=[in_progress.pk]) if in_progress else "",
        back_url=reverse("strategy:document_detail", args=[document.pk]),
    )


def _version_page(request, version, *, form=None, sign_form=None, status=200):
    user = request.user
    signatories = selectors.signatory_rows(record=version)
    signed_roles = {row.role for row in signatories if row.signature}
    awaiting = version.status == SignOffStatus.AWAITING
    return render(
        request,
        "strategy/version_detail.html",
        {
            "version": version,
            "document": version.document,
            "signatories": signatories,
            "can_sign": awaiting and user.has_perm("strategy.sign", version) and user.role not in signed_roles,
            "sign_form": sign_form or forms.SignForm(),
            "sign_action": reverse("strategy:version_sign", args=[version.pk]),
            "can_submit": version.status == SignOffStatus.DRAFT and user.has_perm("strategy.submit_version", version),
            "can_edit": user.has_perm("strategy.change_version", version),
            "can_raise_variation": user.has_perm("strategy.raise_variation", version),
            "variations": selectors.variation_list_for_version(version=version),
            "activity": selectors.activity_for_version(version=version),
            "form": form,
        },
        status=status,
    )


@login_required
def version_detail(request, pk):
    version = get_object_or_404(selectors.version_queryset(), pk=pk)
    require_perm(request, "strategy.view_strategy", version)
    return _version_page(request, version)


@login_required
def version_edit(request, pk):
    version = get_object_or_404(selectors.version_queryset(), pk=pk)
    require_perm(request, "strategy.change_version", version)
    form = forms.VersionEditForm(posted(request), initial={"summary": version.summary, "body": version.body})
    if save_form(
        request,
        form,
        lambda data: services.version_update(actor=request.user, version=version, **data),
        "Version {result.number} has been saved",
    ):
        return redirect("strategy:version_detail", version.pk)
    return form_page(
        request,
        form=form,
        title=f"Change version {version.number}",
        caption=version.document.title,
        submit_label="Save changes",
        back_url=reverse("strategy:version_detail", args=[version.pk]),
    )


@login_required
def version_submit(request, pk):
    version = get_object_or_404(selectors.version_queryset(), pk=pk)
    require_perm(request, "strategy.submit_version", version)
    return _act(
        request,
        version,
        act=lambda: services.version_submit(actor=request.user, version=version),
        success=f"Version {version.number} has been sent to the four signatories for sign-off",
        page=_version_page,
        detail="strategy:version_detail",
    )


@login_required
def version_sign(request, pk):
    version = get_object_or_404(selectors.version_queryset(), pk=pk)
    require_perm(request, "strategy.sign", version)
    return _sign(
        request,
        version,
        sign=lambda **data: services.version_sign(actor=request.user, version=version, **data),
        what="version",
        complete_status=SignOffStatus.SIGNED,
        complete_note="All four signatories have signed, so it is now in force",
        page=_version_page,
        detail="strategy:version_detail",
    )


@login_required
def variation_create(request, pk):
    version = get_object_or_404(selectors.version_queryset(), pk=pk)
    require_perm(request, "strategy.raise_variation", version)
    form = forms.VariationForm(posted(request))
    return edit_page(
        request,
        form=form,
        save=lambda data: services.variation_create(actor=request.user, version=version, **data),
        success="Variation {result.number} has been raised. Share it for sign-off when it is ready",
        redirect_to=lambda variation: reverse("strategy:variation_detail", args=[variation.pk]),
        title="Raise a variation",
        caption=f"{version.document.title}, version {version.number}",
        submit_label="Raise a variation",
        warning=VARIATION_RULE,
        back_url=reverse("strategy:version_detail", args=[version.pk]),
    )


def _variation_page(request, variation, *, form=None, sign_form=None, status=200):
    user = request.user
    signatories = selectors.signatory_rows(record=variation)
    signed_roles = {row.role for row in signatories if row.signature}
    awaiting = variation.status == Variation.Status.AWAITING
    version_in_force = variation.version.status == SignOffStatus.SIGNED
    return render(
        request,
        "strategy/variation_detail.html",
        {
            "variation": variation,
            "version": variation.version,
            "signatories": signatories,
            "rule": VARIATION_RULE,
            "can_sign": awaiting
            and version_in_force
            and user.has_perm("strategy.sign", variation)
            and user.role not in signed_roles,
            "sign_form": sign_form or forms.SignForm(),
            "sign_action": reverse("strategy:variation_sign", args=[variation.pk]),
            "can_share": variation.status == Variation.Status.DRAFT
            and version_in_force
            and user.has_perm("strategy.raise_variation", variation.version),
            "can_withdraw": user.has_perm("strategy.withdraw_variation", variation),
            "activity": selectors.activity_for_variation(variation=variation),
            "form": form,
        },
        status=status,
    )


@login_required
def variation_detail(request, pk):
    variation = get_object_or_404(selectors.variation_queryset(), pk=pk)
    require_perm(request, "strategy.view_strategy", variation)
    return _variation_page(request, variation)


@login_required
def variation_share(request, pk):
    variation = get_object_or_404(selectors.variation_queryset(), pk=pk)
    require_perm(request, "strategy.raise_variation")
    return _act(
        request,
        variation,
        act=lambda: services.variation_share(actor=request.user, variation=variation),
        success=f"Variation {variation.number} has been shared with the four signatories",
        page=_variation_page,
        detail="strategy:variation_detail",
    )


@login_required
def variation_sign(request, pk):
    variation = get_object_or_404(selectors.variation_queryset(), pk=pk)
    require_perm(request, "strategy.sign", variation)
    return _sign(
        request,
        variation,
        sign=lambda **data: services.variation_sign(actor=request.user, variation=variation, **data),
        what="variation",
        complete_status=Variation.Status.IN_EFFECT,
        complete_note="It now has the signatures it needs and is in effect",
        page=_variation_page,
        detail="strategy:variation_detail",
    )


@login_required
def variation_withdraw(request, pk):
    variation = get_object_or_404(selectors.variation_queryset(), pk=pk)
    require_perm(request, "strategy.withdraw_variation", variation)
    form = forms.WithdrawForm(posted(request))
    if save_form(
        request,
        form,
        lambda data: services.variation_withdraw(actor=request.user, variation=variation, **data),
        "Variation {result.number} has been withdrawn",
    ):
        return redirect("strategy:variation_detail", variation.pk)
    return form_page(
        request,
        form=form,
        title=f"Withdraw variation {variation.number}",
        caption=variation.title,
        submit_label="Withdraw variation",
        button_class="govuk-button--warning",
        back_url=reverse("strategy:variation_detail", args=[variation.pk]),
    )
