"""Officers' pages for tenders (issue 10, points 5 and 6): the list, a tender with its documents, criteria and
questions, publishing, answering questions, the two-officer opening, and the bids once opened.

Before the opening, a bid's page and its files are refused to everyone (selectors.bids.bid_envelope_for raises
BidSealed, shown as a 403 page saying the bids are sealed)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from commissioning.core.forms import add_service_errors
from commissioning.core.shortcuts import (
    edit_page,
    form_page,
    list_page,
    nav_section,
    post_only,
    posted,
    private_download,
    require_perm,
)
from commissioning.core.spreadsheets import safe_cell
from commissioning.procurement.forms import tenders as forms
from commissioning.procurement.models import BidStatus, TenderStatus
from commissioning.procurement.selectors import bids as bid_selectors
from commissioning.procurement.selectors import tenders as selectors
from commissioning.procurement.services import tenders as services


def _detail_url(tender) -> str:
    return reverse("procurement:tender_detail", args=[tender.pk])


@login_required
@nav_section("procurement")
def tender_list(request):
    require_perm(request, "procurement.view_tenders")
    return list_page(request, "procurement/tenders/tender_list.html", selectors.tender_list(), title="Tenders")


@login_required
def tender_create(request, case_pk):
    require_perm(request, "procurement.manage_tenders")
    case = selectors.case_get(pk=case_pk)
    form = forms.TenderForm(posted(request), initial={"title": case.title})
    return edit_page(
        request,
        form=form,
        save=lambda c: services.tender_create(actor=request.user, case=case, **_tender_data(c)),
        success="The tender has been drafted",
        redirect_to=_detail_url,
        title="Draft a tender",
        caption=str(case),
        back_url=reverse("procurement:tender_list"),
        submit_label="Save the draft",
    )


def _tender_data(cleaned: dict) -> dict:
    return {
        "title": cleaned["title"],
        "description": cleaned["description"],
        "deadline": cleaned["deadline"],
        "questions_close_at": cleaned.get("questions_close_at"),
    }


@login_required
def tender_edit(request, pk):
    require_perm(request, "procurement.manage_tenders")
    tender = selectors.tender_get(pk=pk)
    form = forms.TenderForm(posted(request), initial=forms.TenderForm.initial_for(tender))
    return edit_page(
        request,
        form=form,
        save=lambda c: services.tender_update(actor=request.user, tender=tender, **_tender_data(c)),
        success="The tender has been changed",
        redirect_to=_detail_url,
        title="Change the tender",
        caption=str(tender),
        back_url=_detail_url(tender),
    )


@login_required
@nav_section("procurement")
def tender_detail(request, pk):
    require_perm(request, "procurement.view_tenders")
    tender = selectors.tender_get(pk=pk)
    criteria = selectors.criteria_tree(tender)
    opening = selectors.opening_for(tender)
    opened = tender.status == TenderStatus.OPENED
    return render(
        request,
        "procurement/tenders/tender_detail.html",
        {
            "tender": tender,
            "title": str(tender),
            "criteria": criteria,
            "totals": selectors.weight_totals(criteria),
            "problems": selectors.criteria_problems(tender, criteria) if tender.status == "draft" else [],
            "documents": selectors.documents_for(tender),
            "clarifications": selectors.clarifications_for_officers(tender),
            "opening": opening,
            "opened": opened,
            "bids": bid_selectors.bids_for_tender(tender) if opened else None,
            "submitted_count": bid_selectors.submitted_count(tender),
            "interest_count": selectors.interest_count(tender),
            "deadline_passed": not selectors.is_open_for_bids(tender) and tender.status == TenderStatus.PUBLISHED,
            "can_manage": request.user.has_perm("procurement.manage_tenders"),
            "can_open": request.user.has_perm("procurement.open_bids"),
            "entries": selectors.tender_activity(tender),
        },
    )


@login_required
def tender_publish(request, pk):
    require_perm(request, "procurement.manage_tenders")
    tender = selectors.tender_get(pk=pk)
    form = forms.ConfirmForm(posted(request))
    if request.method == "POST":
        try:
            services.tender_publish(actor=request.user, tender=tender)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The tender has been published. Suppliers can now see it and bid")
            return redirect(_detail_url(tender))
    return form_page(
        request,
        form=form,
        title="Publish the tender",
        caption=str(tender),
        back_url=_detail_url(tender),
        submit_label="Publish to suppliers",
        warning="Once published, the criteria and documents cannot be changed, and the deadline can only be extended",
    )


# --- Documents -----------------------------------------------------------------------------------------------


@login_required
def document_add(request, pk):
    require_perm(request, "procurement.manage_tenders")
    tender = selectors.tender_get(pk=pk)
    form = forms.DocumentForm(posted(request), request.FILES or None)
    return edit_page(
        request,
        form=form,
        save=lambda c: services.document_add(actor=request.user, tender=tender, title=c["title"], file=c["file"]),
        success="The document has been added",
        redirect_to=_detail_url(tender),
        title="Add a tender document",
        submit_label="Add the document",
        caption=str(tender),
        back_url=_detail_url(tender),
        show=_upload_page,
    )


def _upload_page(request, **page):
    return render(request, "procurement/upload_page.html", page)


@login_required
def document_remove(request, pk, document_pk):
    require_perm(request, "procurement.manage_tenders")
    tender = selectors.tender_get(pk=pk)
    document = selectors.document_get(tender=tender, pk=document_pk)
    if refused := post_only(request):
        return refused
    try:
        services.document_remove(actor=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{document.title} has been removed")
    return redirect(_detail_url(tender))


@login_required
def document_download(request, pk, document_pk):
    """A tender document for officers (suppliers use the opportunity's own download)."""
    require_perm(request, "procurement.view_tenders")
    tender = selectors.tender_get(pk=pk)
    document = selectors.document_get(tender=tender, pk=document_pk)
    return private_download(document.file, filename=document.filename, content_type=document.content_type)


# --- Criteria ------------------------------------------------------------------------------------------------


@login_required
def criterion_add(request, pk):
    require_perm(request, "procurement.manage_tenders")
    tender = selectors.tender_get(pk=pk)
    parent = None
    if request.GET.get("parent") or request.POST.get("parent"):
        try:
            parent = selectors.criterion_get(tender=tender, pk=int(request.GET.get("parent") or request.POST["parent"]))
        except ValueError:
            parent = None
    form = forms.CriterionForm(posted(request), parent=parent)

    def save(cleaned):
        return services.criterion_add(
            actor=request.user,
            tender=tender,
            kind=cleaned.get("kind", parent.kind if parent else ""),
            title=cleaned["title"],
            guidance=cleaned["guidance"],
            weight=cleaned["weight"],
            parent=parent,
            descriptors=form.descriptors(),
        )

    return edit_page(
        request,
        form=form,
        save=save,
        success="The criterion has been added",
        redirect_to=_detail_url(tender) + "#criteria",
        title=f"Add a sub-criterion of {parent.title}" if parent else "Add an award criterion",
        caption=str(tender),
        back_url=_detail_url(tender),
    )


@login_required
def criterion_edit(request, pk, criterion_pk):
    require_perm(request, "procurement.manage_tenders")
    tender = selectors.tender_get(pk=pk)
    criterion = selectors.criterion_get(tender=tender, pk=criterion_pk)
    initial = {"title": criterion.title, "guidance": criterion.guidance, "weight": criterion.weight}
    initial.update({f"descriptor_{i}": text for i, text in enumerate(criterion.descriptors)})
    form = forms.CriterionForm(posted(request), initial=initial, editing=True)
    return edit_page(
        request,
        form=form,
        save=lambda c: services.criterion_update(
            actor=request.user,
            criterion=criterion,
            title=c["title"],
            weight=c["weight"],
            guidance=c["guidance"],
            descriptors=form.descriptors(),
        ),
        success="The criterion has been changed",
        redirect_to=_detail_url(tender) + "#criteria",
        title=f"Change {criterion.title}",
        caption=str(tender),
        back_url=_detail_url(tender),
    )


@login_required
def criterion_remove(request, pk, criterion_pk):
    require_perm(request, "procurement.manage_tenders")
    tender = selectors.tender_get(pk=pk)
    criterion = selectors.criterion_get(tender=tender, pk=criterion_pk)
    if refused := post_only(request):
        return refused
    try:
        services.criterion_remove(actor=request.user, criterion=criterion)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{criterion.title} has been removed")
    return redirect(_detail_url(tender) + "#criteria")


# --- Clarification questions ---------------------------------------------------------------------------------


@login_required
def clarification_answer(request, pk, question_pk):
    require_perm(request, "procurement.manage_tenders")
    tender = selectors.tender_get(pk=pk)
    question = selectors.clarification_get(tender=tender, pk=question_pk)
    form = forms.AnswerForm(posted(request), initial={"answer": question.answer})
    return edit_page(
        request,
        form=form,
        save=lambda c: services.clarification_answer(actor=request.user, question=question, answer=c["answer"]),
        success="The answer has been published to every supplier",
        redirect_to=_detail_url(tender) + "#questions",
        title="Answer a clarification question",
        caption=str(tender),
        back_url=_detail_url(tender),
        warning=f"The question: {question.question}",
        submit_label="Publish the answer",
    )


# --- Opening -------------------------------------------------------------------------------------------------


@login_required
def opening(request, pk):
    """The bid opening: the first officer starts it; a second, different officer confirms it."""
    require_perm(request, "procurement.open_bids")
    tender = selectors.tender_get(pk=pk)
    current = selectors.opening_for(tender)
    form = forms.OpeningForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if current is None:
                services.opening_start(actor=request.user, tender=tender, notes=form.cleaned_data["notes"])
                messages.success(request, "The opening has been started. A second officer must now confirm it")
            else:
                services.opening_confirm(actor=request.user, tender=tender)
                messages.success(request, "The bids have been opened")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(_detail_url(tender) + "#bids")
    return render(
        request,
        "procurement/tenders/opening.html",
        {
            "tender": tender,
            "opening": current,
            "form": form,
            "title": "Open the bids",
            "submitted_count": bid_selectors.submitted_count(tender),
            "deadline_passed": not selectors.is_open_for_bids(tender),
        },
    )


# --- Bids, once opened ---------------------------------------------------------------------------------------


@login_required
def bid_detail(request, pk, bid_pk):
    require_perm(request, "procurement.view_tenders")
    tender = selectors.tender_get(pk=pk)
    bid = bid_selectors.bid_get_for_officer(tender=tender, pk=bid_pk)
    content = bid_selectors.bid_envelope_for(user=request.user, bid=bid)
    return render(
        request,
        "procurement/tenders/bid_detail.html",
        {
            "tender": tender,
            "bid": bid,
            "content": content,
            "criteria": bid_selectors.answerable_criteria(tender),
            "title": f"Bid from {bid.organisation.name}",
        },
    )


@login_required
def bid_attachment_download(request, pk, bid_pk, attachment_pk):
    require_perm(request, "procurement.view_tenders")
    tender = selectors.tender_get(pk=pk)
    bid = bid_selectors.bid_get_for_officer(tender=tender, pk=bid_pk)
    attachment = bid_selectors.bid_attachment_for(user=request.user, bid=bid, pk=attachment_pk)
    return private_download(attachment.file, filename=attachment.filename, content_type=attachment.content_type)


@login_required
def bids_export(request, pk):
    """The tender's bids as CSV: who and when always; the price only once the bids are opened."""
    require_perm(request, "procurement.view_tenders")
    tender = selectors.tender_get(pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{tender.reference}-bids.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(["Tender", "Supplier", "Status", "Submitted at", "Price"])
    opened = tender.status == TenderStatus.OPENED
    if not opened:
        writer.writerow([tender.reference, "Sealed until the bids are opened", "", "", ""])
        return response
    for content in bid_selectors.opened_bids(user=request.user, tender=tender):
        bid = content.bid
        writer.writerow(
            [
                safe_cell(tender.reference),
                safe_cell(bid.organisation.name),
                safe_cell(BidStatus(bid.status).label),
                bid.submitted_at.isoformat() if bid.submitted_at else "",
                f"{content.price:.2f}" if content.price is not None else "",
            ]
        )
    return response
