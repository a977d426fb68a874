"""The quotes route (issue 10, point 5): a case's quotes, asking for one, recording one, and choosing."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from commissioning.core.shortcuts import edit_page, private_download, require_perm
from commissioning.core.shortcuts import posted as posted
from commissioning.procurement.forms import tenders as forms
from commissioning.procurement.selectors import tenders as selectors
from commissioning.procurement.services import quotes as services


def _list_url(case) -> str:
    return reverse("procurement:quote_list", args=[case.pk])


@login_required
def quote_list(request, case_pk):
    require_perm(request, "procurement.view_quotes")
    case = selectors.case_get(pk=case_pk)
    quotes = list(selectors.quotes_for_case(case))
    return render(
        request,
        "procurement/quotes/quote_list.html",
        {
            "case": case,
            "quotes": quotes,
            "chosen": next((q for q in quotes if q.chosen), None),
            "received": [q for q in quotes if q.amount is not None],
            "can_manage": request.user.has_perm("procurement.manage_quotes"),
            "title": f"Quotes for {case.reference}",
        },
    )


@login_required
def quote_invite(request, case_pk):
    require_perm(request, "procurement.manage_quotes")
    case = selectors.case_get(pk=case_pk)
    form = forms.QuoteInviteForm(posted(request))
    return edit_page(
        request,
        form=form,
        save=lambda c: services.quote_invite(actor=request.user, case=case, **c),
        success="The request for a quote has been recorded",
        redirect_to=_list_url(case),
        title="Ask a supplier for a quote",
        caption=str(case),
        back_url=_list_url(case),
    )


@login_required
def quote_record(request, case_pk, pk):
    require_perm(request, "procurement.manage_quotes")
    case = selectors.case_get(pk=case_pk)
    quote = selectors.quote_get(case=case, pk=pk)
    form = forms.QuoteRecordForm(
        posted(request), request.FILES or None, initial={"amount": quote.amount, "received_on": quote.received_on}
    )
    return edit_page(
        request,
        form=form,
        save=lambda c: services.quote_record(
            actor=request.user,
            quote=quote,
            amount=c["amount"],
            received_on=c["received_on"],
            document=c.get("document"),
        ),
        success="The quote has been recorded",
        submit_label="Record the quote",
        redirect_to=_list_url(case),
        title=f"Record the quote from {quote.supplier_name}",
        caption=str(case),
        back_url=_list_url(case),
        show=lambda request, **page: render(request, "procurement/upload_page.html", page),
    )


@login_required
def quote_document(request, case_pk, pk):
    require_perm(request, "procurement.view_quotes")
    case = selectors.case_get(pk=case_pk)
    quote = selectors.quote_get(case=case, pk=pk)
    if not quote.document:
        from django.http import Http404

        raise Http404
    return private_download(quote.document, filename=quote.document_name, content_type=quote.document_type)


@login_required
def quote_choose(request, case_pk):
    require_perm(request, "procurement.manage_quotes")
    case = selectors.case_get(pk=case_pk)
    quotes = list(selectors.quotes_for_case(case))
    form = forms.QuoteChooseForm(posted(request), quotes=quotes)
    by_pk = {str(q.pk): q for q in quotes}
    return edit_page(
        request,
        form=form,
        save=lambda c: services.quote_choose(actor=request.user, quote=by_pk[c["quote"]], reason=c["reason"]),
        success="The quote has been chosen",
        redirect_to=_list_url(case),
        title="Choose a quote",
        caption=str(case),
        back_url=_list_url(case),
        blocked="" if form.fields["quote"].choices else "No quote has been received yet. Record a quote first",
    )
