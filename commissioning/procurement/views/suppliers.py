"""The supplier portal (issue 10, point 5): registering, the open opportunities, expressing interest, documents,
clarification questions, and preparing, submitting and withdrawing a bid before the deadline.

A supplier sees only its own organisation's bid, and the published answers to questions without who asked them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from commissioning.core.forms import add_service_errors
from commissioning.core.shortcuts import list_page, post_only, posted, private_download, require_perm
from commissioning.organisations.views import register_confirm_page, register_page, register_sent_page
from commissioning.procurement.forms import tenders as forms
from commissioning.procurement.models import BidStatus
from commissioning.procurement.selectors import bids as bid_selectors
from commissioning.procurement.selectors import tenders as selectors
from commissioning.procurement.services import bids as services
from commissioning.procurement.services import suppliers as supplier_services


def _opportunity_url(tender) -> str:
    return reverse("procurement:opportunity_detail", args=[tender.pk])


def _bid_url(tender) -> str:
    return reverse("procurement:bid_edit", args=[tender.pk])


# --- Registering ---------------------------------------------------------------------------------------------


def supplier_register(request):
    return register_page(
        request,
        form_class=forms.RegisterForm,
        register=supplier_services.supplier_register,
        default_next=reverse("procurement:opportunity_list"),
        sent_url=reverse("procurement:supplier_register_sent"),
        template="procurement/suppliers/register.html",
        title="Create a supplier account",
    )


def supplier_register_sent(request):
    return register_sent_page(
        request,
        template="procurement/suppliers/register_sent.html",
        title="Check your e-mail to confirm your supplier account",
    )


def supplier_confirm(request, uidb64, token):
    return register_confirm_page(
        request,
        confirm=lambda: supplier_services.supplier_confirm(uidb64=uidb64, token=token),
        default_next=reverse("procurement:opportunity_list"),
        failed_template="procurement/suppliers/confirm_failed.html",
    )


# --- Opportunities -------------------------------------------------------------------------------------------


def opportunity_list(request):
    """Tenders open for bids: public, so anyone can see what the OPCC is buying."""
    return list_page(
        request,
        "procurement/suppliers/opportunity_list.html",
        selectors.opportunities_open(),
        title="Contract opportunities",
    )


def opportunity_detail(request, pk):
    tender = selectors.opportunity_get(pk=pk)
    user = request.user
    is_supplier = user.is_authenticated and user.has_perm("procurement.bid")
    bid = bid_selectors.bid_for_supplier(user=user, tender=tender) if is_supplier else None
    return render(
        request,
        "procurement/suppliers/opportunity_detail.html",
        {
            "tender": tender,
            "title": tender.title,
            "is_open": selectors.is_open_for_bids(tender),
            "questions_open": selectors.is_open_for_bids(tender)
            and selectors.questions_close_at(tender) > timezone.now(),
            "is_supplier": is_supplier,
            "has_interest": is_supplier and selectors.has_interest(user=user, tender=tender),
            "bid": bid,
            "documents": selectors.documents_for(tender) if is_supplier else [],
            "criteria": selectors.criteria_tree(tender),
            "clarifications": selectors.published_clarifications(tender),
            "own_questions": selectors.own_questions(user=user, tender=tender) if is_supplier else [],
            "register_url": f"{reverse('procurement:supplier_register')}?next={_opportunity_url(tender)}",
            "sign_in_url": f"{reverse('accounts:login')}?next={_opportunity_url(tender)}",
        },
    )


@login_required
def interest_express(request, pk):
    require_perm(request, "procurement.bid")
    tender = selectors.opportunity_get(pk=pk)
    if refused := post_only(request):
        return refused
    try:
        services.interest_express(actor=request.user, tender=tender)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Your interest has been registered. We will e-mail you answers to questions")
    return redirect(_opportunity_url(tender))


@login_required
def opportunity_document(request, pk, document_pk):
    require_perm(request, "procurement.bid")
    tender = selectors.opportunity_get(pk=pk)
    document = selectors.document_get(tender=tender, pk=document_pk)
    return private_download(document.file, filename=document.filename, content_type=document.content_type)


@login_required
def question_ask(request, pk):
    require_perm(request, "procurement.bid")
    tender = selectors.opportunity_get(pk=pk)
    form = forms.QuestionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.clarification_ask(actor=request.user, tender=tender, question=form.cleaned_data["question"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your question has been sent. The answer will be published to every supplier")
            return redirect(_opportunity_url(tender) + "#questions")
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": "Ask a clarification question",
            "caption": tender.title,
            "back_url": _opportunity_url(tender),
            "submit_label": "Send the question",
        },
    )


# --- The supplier's own bid ----------------------------------------------------------------------------------


@login_required
def bid_list_mine(request):
    require_perm(request, "procurement.bid")
    return list_page(
        request,
        "procurement/suppliers/bid_list_mine.html",
        bid_selectors.bids_of_supplier(user=request.user),
        title="Your bids",
    )


def _own_bid(request, tender):
    bid = bid_selectors.bid_for_supplier(user=request.user, tender=tender)
    if bid is None:
        from django.http import Http404

        raise Http404
    return bid


@login_required
def bid_edit(request, pk):
    """The bid's price and answers; starting it the first time. Saving a submitted bid takes it back to a draft."""
    require_perm(request, "procurement.bid")
    tender = selectors.opportunity_get(pk=pk)
    bid = bid_selectors.bid_for_supplier(user=request.user, tender=tender)
    if bid is None:
        if not selectors.is_open_for_bids(tender):
            messages.error(request, "The deadline for bids has passed. Late bids cannot be accepted")
            return redirect(_opportunity_url(tender))
        if request.method == "POST" and request.POST.get("start"):
            try:
                services.bid_start(actor=request.user, tender=tender)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect(_opportunity_url(tender))
            return redirect(_bid_url(tender))
        return render(
            request,
            "procurement/suppliers/bid_start.html",
            {"tender": tender, "title": "Start your bid"},
        )
    criteria = bid_selectors.answerable_criteria(tender)
    content = bid_selectors.bid_envelope_for(user=request.user, bid=bid)
    initial = {"price": content.price}
    initial.update({f"answer_{criterion.pk}": text for criterion, text in content.answers})
    form = forms.BidForm(posted(request) if not request.POST.get("start") else None, initial=initial, criteria=criteria)
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            services.bid_save(actor=request.user, bid=bid, price=form.cleaned_data["price"], answers=form.answers())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your bid has been saved. Submit it before the deadline")
            return redirect(reverse("procurement:bid_check", args=[tender.pk]))
    return render(
        request,
        "procurement/suppliers/bid_edit.html",
        {
            "tender": tender,
            "bid": bid,
            "form": form,
            "content": content,
            "is_open": selectors.is_open_for_bids(tender),
            "title": "Your bid",
        },
    )


@login_required
def bid_attachments(request, pk):
    require_perm(request, "procurement.bid")
    tender = selectors.opportunity_get(pk=pk)
    bid = _own_bid(request, tender)
    form = forms.BidAttachmentForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.bid_attachment_add(actor=request.user, bid=bid, file=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The file has been added to your bid")
            return redirect(reverse("procurement:bid_attachments", args=[tender.pk]))
    content = bid_selectors.bid_envelope_for(user=request.user, bid=bid)
    return render(
        request,
        "procurement/suppliers/bid_attachments.html",
        {
            "tender": tender,
            "bid": bid,
            "form": form,
            "attachments": content.attachments,
            "is_open": selectors.is_open_for_bids(tender),
            "title": "Files for your bid",
        },
    )


@login_required
def bid_attachment_remove(request, pk, attachment_pk):
    require_perm(request, "procurement.bid")
    tender = selectors.opportunity_get(pk=pk)
    bid = _own_bid(request, tender)
    attachment = bid_selectors.bid_attachment_for(user=request.user, bid=bid, pk=attachment_pk)
    if refused := post_only(request):
        return refused
    try:
        services.bid_attachment_remove(actor=request.user, bid=bid, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{attachment.filename} has been removed")
    return redirect(reverse("procurement:bid_attachments", args=[tender.pk]))


@login_required
def bid_attachment_download(request, pk, attachment_pk):
    require_perm(request, "procurement.bid")
    tender = selectors.opportunity_get(pk=pk)
    bid = _own_bid(request, tender)
    attachment = bid_selectors.bid_attachment_for(user=request.user, bid=bid, pk=attachment_pk)
    return private_download(attachment.file, filename=attachment.filename, content_type=attachment.content_type)


@login_required
def bid_check(request, pk):
    """Check the bid and submit it. The deadline is checked by the service at the moment of submitting."""
    require_perm(request, "procurement.bid")
    tender = selectors.opportunity_get(pk=pk)
    bid = _own_bid(request, tender)
    form = forms.ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            services.bid_submit(actor=request.user, bid=bid)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your bid has been submitted")
            return redirect(_opportunity_url(tender))
    return render(
        request,
        "procurement/suppliers/bid_check.html",
        {
            "tender": tender,
            "bid": bid,
            "form": form,
            "content": bid_selectors.bid_envelope_for(user=request.user, bid=bid),
            "criteria": bid_selectors.answerable_criteria(tender),
            "problems": services.bid_problems(bid),
            "is_open": selectors.is_open_for_bids(tender),
            "title": "Check and submit your bid",
        },
    )


@login_required
def bid_withdraw(request, pk):
    require_perm(request, "procurement.bid")
    tender = selectors.opportunity_get(pk=pk)
    bid = _own_bid(request, tender)
    if refused := post_only(request):
        return refused
    if bid.status != BidStatus.SUBMITTED:
        messages.error(request, "Only a submitted bid can be withdrawn")
        return redirect(_opportunity_url(tender))
    try:
        services.bid_withdraw(actor=request.user, bid=bid)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, "Your bid has been withdrawn. You can change it and submit it again before the deadline"
        )
    return redirect(_opportunity_url(tender))
