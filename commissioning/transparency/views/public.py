"""Public pages: what the OPCC publishes under the Elected Local Policing Bodies (Specified Information) Order
2011, and the 360Giving open data. No sign-in, no two-factor step (accounts/middleware.py exempts the
addresses), and cache-friendly: a signed-out visitor's page may be kept by shared caches for five minutes
(`Cache-Control: public`), a signed-in person's (the navigation names them) is private.

Each page is a handful of queries whatever the number of records (tests/test_public_pages.py pins them)."""

from functools import wraps

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from commissioning.agreements import selectors as agreement_selectors
from commissioning.core.models import contracts_over_on, publication_thresholds
from commissioning.core.shortcuts import paginate, private_download
from commissioning.grants.selectors import open_data
from commissioning.grants.selectors import rounds as round_selectors
from commissioning.procurement.selectors import tenders as tender_selectors
from commissioning.strategy import selectors as strategy_selectors
from commissioning.transparency import giving

MAX_AGE = 300
SEARCH_MAX = 100


def public_page(view):
    """GET/HEAD only; cacheable by anyone for a signed-out visitor, private for a signed-in person."""

    @require_safe
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapped


def _over_label(thresholds) -> str:
    """The threshold in force today, as the pages name it (the Order's £10,000 unless the profile says otherwise)."""
    over = contracts_over_on(thresholds, timezone.localdate())
    return f"£{over:,.0f}" if over == over.to_integral_value() else f"£{over:,.2f}"


def _search(request) -> str:
    return (request.GET.get("q") or "").strip()[:SEARCH_MAX]


@public_page
def index(request):
    return render(
        request,
        "transparency/index.html",
        {
            "counts": open_data.grants_count(),
            "routes": open_data.PUBLIC_ROUTES,
            "over_label": _over_label(publication_thresholds()),
        },
    )


@public_page
def grants(request):
    route = request.GET.get("route") or open_data.COMMUNITY
    if route not in open_data.PUBLIC_ROUTES:
        raise Http404("No such kind of grant")
    page, records = open_data.grants_page(route=route, page_number=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "transparency/grants.html",
        {
            "page": page,
            "records": records,
            "query": query.urlencode(),
            "route": route,
            "route_label": open_data.PUBLIC_ROUTES[route],
            "routes": open_data.PUBLIC_ROUTES,
        },
    )


@public_page
def contracts(request):
    search = _search(request)
    thresholds = publication_thresholds()
    rows = agreement_selectors.contracts_published(thresholds=thresholds, search=search)
    return render(
        request,
        "transparency/contracts.html",
        {**paginate(request, rows), "search": search, "over_label": _over_label(thresholds)},
    )


@require_safe
def document(request, pk, document_pk):
    """A published document: the redacted copy when there is one, otherwise the original."""
    published = agreement_selectors.document_get_published(agreement_pk=pk, pk=document_pk)
    if published.published_file:
        response = private_download(published.published_file, content_type=published.published_content_type)
    else:
        response = private_download(published.file, content_type=published.content_type)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@public_page
def funding(request):
    """Open grant rounds and the tenders open for bids (procurement's public selector: nothing sealed)."""
    rounds = round_selectors.rounds_by_state(round_selectors.round_list_public()[:50])
    tenders = tender_selectors.open_tenders_public()
    return render(request, "transparency/funding.html", {"rounds": rounds, "tenders": tenders})


@public_page
def decisions(request):
    search = _search(request)
    rows = strategy_selectors.decision_list_published(search=search)
    return render(request, "transparency/decisions.html", {**paginate(request, rows), "search": search})


@public_page
def decision(request, pk):
    record = strategy_selectors.decision_get_published(pk=pk)
    return render(request, "transparency/decision.html", {"record": record})


@require_safe
def giving_json(request):
    """Every publishable grant as a 360Giving JSON package, streamed as it is read (memory stays flat)."""
    context = giving.Context(source=request.build_absolute_uri())
    records = open_data.grants_made(area=context.funder.area_name)
    response = StreamingHttpResponse(giving.package_chunks(records, context), content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="360giving.json"'
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
