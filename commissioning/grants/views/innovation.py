"""Local Innovation Fund pages: candidate projects, the weights, the ranked list with overrides, and approval
(issue 5, point 7). Thin views: check permission, call one selector or service, render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from commissioning.core.money import format_money
from commissioning.core.shortcuts import edit_page, list_page, nav_section, posted, require_perm, save_form
from commissioning.funds import selectors as fund_selectors
from commissioning.grants.forms import proposals as forms
from commissioning.grants.models import Prioritisation
from commissioning.grants.selectors import innovation as selectors
from commissioning.grants.selectors import proposals as proposal_selectors
from commissioning.grants.services import innovation as services
from commissioning.grants.views.proposals import action_page

# Marks "Innovation Fund" as the current item in the service navigation.
innovation_section = nav_section("innovation")


def _detail_url(prioritisation) -> str:
    return reverse("grants:prioritisation_detail", args=[prioritisation.pk])


def _this_year():
    return fund_selectors.financial_year_on(day=timezone.localdate())


# Prioritisations -----------------------------------------------------------------------------------------


@login_required
@innovation_section
def prioritisation_list(request):
    require_perm(request, "grants.view_prioritisation")
    return list_page(
        request,
        "grants/innovation/prioritisation_list.html",
        selectors.prioritisation_list(),
        can_manage=request.user.has_perm("grants.manage_prioritisation"),
        weights=services.weights_in_effect(timezone.localdate()),
    )


@login_required
@innovation_section
def prioritisation_create(request):
    require_perm(request, "grants.manage_prioritisation")
    year = _this_year()
    form = forms.PrioritisationForm(
        posted(request),
        initial={"fund": selectors.default_innovation_fund(), "year": year},
        funds=selectors.funds_for_prioritisation(),
        years=selectors.open_years(),
    )
    weights = services.weights_in_effect(timezone.localdate())
    return edit_page(
        request,
        form=form,
        save=lambda data: services.prioritisation_create(actor=request.user, **data),
        success="The projects for {result.year} have been ranked and their allowances allocated",
        redirect_to=_detail_url,
        title="Prioritise the year's projects",
        back_url=reverse("grants:prioritisation_list"),
        submit_label="Rank and allocate",
        lead=(
            "The year's candidate projects are ranked on their weighted scores, and the fund's available money is "
            "allocated down the ranking: each project that fits gets its full anticipated spend."
        ),
        warning="" if weights else "The weights of the three factors have not been set yet. Set them first.",
        weights=weights,
        summaries=["grants/innovation/_weights_in_use.html"],
        show=action_page,
    )


@login_required
@innovation_section
def prioritisation_detail(request, pk):
    require_perm(request, "grants.view_prioritisation")
    user = request.user
    prioritisation = selectors.prioritisation_get(pk=pk)
    rows = selectors.ranked_rows(prioritisation=prioritisation)
    allocated = rows[-1].running_total if rows else 0
    draft = prioritisation.status == Prioritisation.Status.DRAFT
    return render(
        request,
        "grants/innovation/prioritisation_detail.html",
        {
            "prioritisation": prioritisation,
            "rows": rows,
            "allocated": allocated,
            "left": prioritisation.available - allocated,
            "funded": sum(1 for row in rows if row.entry.allowance > 0),
            "can_manage": draft and user.has_perm("grants.manage_prioritisation", prioritisation),
            "can_approve": draft and user.has_perm("grants.approve_prioritisation", prioritisation),
            "activity": selectors.prioritisation_activity(prioritisation=prioritisation),
        },
    )


def _blocked_unless_draft(prioritisation) -> str:
    if prioritisation.status == Prioritisation.Status.DRAFT:
        return ""
    return f"The prioritisation for {prioritisation.year.label} has been approved, so it can no longer change."


def _prioritisation_for(request, pk, perm: str):
    """The prioritisation, when the person may `perm` (to prioritisations at all, then to this one)."""
    require_perm(request, perm)
    prioritisation = selectors.prioritisation_get(pk=pk)
    require_perm(request, perm, prioritisation)
    return prioritisation


def _confirm_page(request, prioritisation, *, action, success: str, title: str, submit_label: str, lead: str):
    """Recalculate or approve a draft prioritisation once the person confirms."""
    form = forms.ConfirmForm(posted(request))
    return edit_page(
        request,
        form=form,
        save=action,
        success=success,
        redirect_to=_detail_url(prioritisation),
        title=title,
        caption=f"{prioritisation.fund.name}, {prioritisation.year.label}",
        back_url=_detail_url(prioritisation),
        submit_label=submit_label,
        blocked=_blocked_unless_draft(prioritisation),
        lead=lead,
        show=action_page,
    )


@login_required
@innovation_section
def prioritisation_override(request, pk, entry_pk):
    prioritisation = _prioritisation_for(request, pk, "grants.manage_prioritisation")
    entry = selectors.entry_get(prioritisation=prioritisation, pk=entry_pk)
    spend = entry.candidate.anticipated_spend
    initial = {"reason": entry.override_reason}
    if entry.overridden:
        if entry.allowance == spend:
            initial["action"] = forms.INCLUDE
        elif entry.allowance == 0:
            initial["action"] = forms.EXCLUDE
        else:
            initial.update({"action": forms.AMOUNT, "allowance": entry.allowance})
    form = forms.OverrideForm(posted(request), initial=initial, spend_shown=format_money(spend))

    def override(data):
        include = {forms.INCLUDE: True, forms.EXCLUDE: False}.get(data["action"])
        return services.prioritisation_override(
            actor=request.user, entry=entry, include=include, allowance=data["allowance"], reason=data["reason"]
        )

    if save_form(request, form, override, "The allowance for {result.candidate.title} has been set by hand"):
        return redirect(_detail_url(prioritisation) + f"#entry-{entry.pk}")
    return action_page(
        request,
        form=form,
        title="Override the allowance",
        caption=f"{entry.rank}. {entry.candidate.title}",
        back_url=_detail_url(prioritisation),
        submit_label="Save the override",
        blocked=_blocked_unless_draft(prioritisation),
        lead=(
            f"Ranked {entry.rank} with a weighted score of {entry.weighted_score}; anticipated spend "
            f"{format_money(spend)}; allowance now {format_money(entry.allowance)}. Other allowances do not "
            "change, and the total may not go past the money available."
        ),
    )


@login_required
@innovation_section
def prioritisation_recalculate(request, pk):
    prioritisation = _prioritisation_for(request, pk, "grants.manage_prioritisation")
    return _confirm_page(
        request,
        prioritisation,
        action=lambda data: services.prioritisation_recalculate(actor=request.user, prioritisation=prioritisation),
        success="The list has been recalculated",
        title="Recalculate the list",
        submit_label="Recalculate",
        lead=(
            "The list is ranked again with the year's candidates and scores as they are now, the weights in use "
            "today and the money the fund has available now. Overrides of projects still on the list are kept."
        ),
    )


@login_required
@innovation_section
def prioritisation_approve(request, pk):
    prioritisation = _prioritisation_for(request, pk, "grants.approve_prioritisation")
    rows = selectors.ranked_rows(prioritisation=prioritisation)
    allocated = rows[-1].running_total if rows else 0
    funded = sum(1 for row in rows if row.entry.allowance > 0)
    return _confirm_page(
        request,
        prioritisation,
        action=lambda data: services.prioritisation_approve(actor=request.user, prioritisation=prioritisation),
        success="The prioritisation for {result.year} has been approved",
        title="Approve the prioritisation",
        submit_label="Approve",
        lead=(
            f"{funded} of {len(rows)} projects get an allowance: {format_money(allocated)} of the "
            f"{format_money(prioritisation.available)} available."
        ),
    )


# Candidates ------------------------------------------------------------------------------------------------


@login_required
@innovation_section
def candidate_list(request):
    require_perm(request, "grants.view_prioritisation")
    filter_form = forms.CandidateFilterForm(request.GET or None, years=selectors.years())
    year = filter_form.cleaned_data["year"] if filter_form.is_valid() else None
    return list_page(
        request,
        "grants/innovation/candidate_list.html",
        selectors.candidate_list(year=year),
        filter_form=filter_form,
        year=year,
        can_manage=request.user.has_perm("grants.manage_prioritisation"),
    )


def _candidate_form(request, *, initial):
    return forms.CandidateForm(
        posted(request),
        initial=initial,
        organisations=proposal_selectors.organisations_for_approach(),
        priorities=proposal_selectors.priorities_for_proposals(),
        years=selectors.open_years(),
    )


@login_required
@innovation_section
def candidate_create(request):
    require_perm(request, "grants.manage_prioritisation")
    form = _candidate_form(request, initial={"year": _this_year()})
    return edit_page(
        request,
        form=form,
        save=lambda data: services.candidate_create(actor=request.user, **data),
        success="{result.title} has been put forward",
        redirect_to=lambda candidate: reverse("grants:candidate_list") + f"?year={candidate.year_id}",
        title="Put a project forward",
        back_url=reverse("grants:candidate_list"),
        submit_label="Save the project",
        show=action_page,
    )


@login_required
@innovation_section
def candidate_edit(request, pk):
    require_perm(request, "grants.manage_prioritisation")
    candidate = selectors.candidate_get(pk=pk)
    require_perm(request, "grants.manage_prioritisation", candidate)
    initial = {name: getattr(candidate, name) for name in services.CANDIDATE_FIELDS}
    initial["priorities"] = list(candidate.priorities.all())
    form = _candidate_form(request, initial=initial)
    return edit_page(
        request,
        form=form,
        save=lambda data: services.candidate_update(actor=request.user, candidate=candidate, data=data),
        success="{result.title} has been updated",
        redirect_to=lambda saved: reverse("grants:candidate_list") + f"?year={saved.year_id}",
        title="Change the project",
        caption=candidate.title,
        back_url=reverse("grants:candidate_list"),
        submit_label="Save changes",
        show=action_page,
    )


# Weights -------------------------------------------------------------------------------------------------------


@login_required
@innovation_section
def innovation_weights(request):
    """The weights in use and before; those who may change them add a new row used from a date."""
    require_perm(request, "grants.view_prioritisation")
    can_change = request.user.has_perm("grants.change_innovation_weights")
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    form = None
    if can_change:
        current = services.weights_in_effect(timezone.localdate())
        initial = {"effective_from": timezone.localdate()}
        if current is not None:
            initial.update(
                {
                    "likelihood_weight": current.likelihood_weight,
                    "priority_weight": current.priority_weight,
                    "need_weight": current.need_weight,
                }
            )
        form = forms.WeightsForm(posted(request), initial=initial)
        if save_form(
            request,
            form,
            lambda data: services.innovation_weights_set(actor=request.user, **data),
            "The weights have been saved",
        ):
            return redirect("grants:innovation_weights")
    return render(
        request,
        "grants/innovation/weights.html",
        {
            "form": form,
            "weights_rows": selectors.weights_list(),
            "in_effect": services.weights_in_effect(timezone.localdate()),
        },
    )
