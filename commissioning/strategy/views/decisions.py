"""Numbered PCC decision records (DOMAIN.md, "Governance")."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from commissioning.core.shortcuts import edit_page, list_page, nav_section, posted, require_perm
from commissioning.strategy import forms, selectors, services

# Marks "Decisions" as the current item in the service navigation.
decisions_section = nav_section("strategy-decisions")


@login_required
@decisions_section
def decision_list(request):
    require_perm(request, "strategy.view_decisionrecord")
    return list_page(
        request,
        "strategy/decision_list.html",
        selectors.decision_list_for_user(user=request.user),
        can_add=request.user.has_perm("strategy.add_decisionrecord"),
    )


@login_required
@decisions_section
def decision_detail(request, pk):
    require_perm(request, "strategy.view_decisionrecord")
    decision = get_object_or_404(selectors.decision_queryset_for_user(user=request.user), pk=pk)
    require_perm(request, "strategy.view_decisionrecord", decision)
    return render(
        request,
        "strategy/decision_detail.html",
        {
            "decision": decision,
            "activity": selectors.activity_for_decision(decision=decision),
        },
    )


@login_required
@decisions_section
def decision_create(request):
    require_perm(request, "strategy.add_decisionrecord")
    makers = selectors.decision_makers()
    initial = {"decided_on": timezone.localdate(), "publishable": "yes"}
    if len(makers) == 1:
        initial["decided_by"] = makers[0]
    form = forms.DecisionForm(posted(request), initial=initial, decision_makers=makers)
    return edit_page(
        request,
        form=form,
        save=lambda data: services.decision_record_create(actor=request.user, **data),
        success="Decision {result.number} has been recorded",
        redirect_to=lambda decision: reverse("strategy:decision_detail", args=[decision.pk]),
        title="Record a decision",
        submit_label="Record decision",
        back_url=reverse("strategy:decision_list"),
    )


@login_required
def decision_search(request):
    """Find decision records by number or subject for the search-as-you-type fields: JSON for the script
    (?format=json), a page without JavaScript; at most a page of matches."""
    require_perm(request, "strategy.view_decisionrecord")
    query = request.GET.get("q", "")[:100]
    found = selectors.decision_search(user=request.user, query=query)
    if request.GET.get("format") == "json":
        return JsonResponse({"results": [{"label": d.number, "hint": d.subject} for d in found]})
    return render(
        request,
        "strategy/decision_search.html",
        {"query": query, "results": found, "limit": selectors.DECISION_SEARCH_LIMIT},
    )
