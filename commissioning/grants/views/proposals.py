"""One-off proposals: the approach queue, logging an approach, triage, the Proposal Form, the assessment and the
PCC's decision (issue 5, point 6).

Thin views: check permission, call one selector or service, render. A record the person may not see is a 404
(the selector decides); an action they may not take is a 403; an action that does not fit the approach's status
now is explained on the page instead of the form.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from commissioning.core.shortcuts import edit_page, list_page, nav_section, posted, require_perm, save_form
from commissioning.funds import selectors as fund_selectors
from commissioning.grants.forms import proposals as forms
from commissioning.grants.models import Approach
from commissioning.grants.selectors import proposals as selectors
from commissioning.grants.services import proposals as services

# Marks "Proposals" as the current item in the service navigation.
proposals_section = nav_section("proposals")
ACTION_PAGE = "grants/proposals/action_page.html"
OPEN_TO_PROPOSAL = (Approach.Status.INVITED, Approach.Status.PROPOSAL_RECEIVED)
OPEN_TO_ASSESSMENT = (Approach.Status.PROPOSAL_RECEIVED, Approach.Status.ASSESSED)


def _detail_url(approach) -> str:
    return reverse("grants:approach_detail", args=[approach.pk])


def action_page(request, *, form, title: str, back_url: str, submit_label: str, caption: str = "", **extra):
    """A page with one form (core/form_page.html) and, above it, the summaries the decision needs (`summaries`:
    template names drawn with the rest of the context)."""
    context = {
        "form": form,
        "title": title,
        "caption": caption,
        "back_url": back_url,
        "submit_label": submit_label,
        "summaries": [],
        **extra,
    }
    return render(request, ACTION_PAGE, context)


def _approach_for(request, pk, perm: str):
    """The approach, when the person may `perm` (to approaches at all, then to this one); 404 if they may not see
    it."""
    require_perm(request, perm)
    approach = selectors.approach_get_for_user(user=request.user, pk=pk)
    require_perm(request, perm, approach)
    return approach


def _context(approach) -> dict:
    assessment = selectors.assessment_of(approach)
    return {
        "approach": approach,
        "proposal": selectors.proposal_of(approach),
        "assessment": assessment,
        "scores": selectors.assessment_scores(assessment),
    }


@login_required
@proposals_section
def approach_list(request):
    require_perm(request, "grants.view_approaches")
    filter_form = forms.ApproachFilterForm(request.GET or None)
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    return list_page(
        request,
        "grants/proposals/approach_list.html",
        selectors.approach_list(user=request.user, status=status),
        filter_form=filter_form,
        status=status,
        counts=selectors.approach_status_counts(user=request.user),
        can_log=request.user.has_perm("grants.log_approach"),
    )


@login_required
@proposals_section
def approach_log(request):
    require_perm(request, "grants.log_approach")
    form = forms.ApproachLogForm(
        posted(request),
        initial={"received_on": timezone.localdate()},
        organisations=selectors.organisations_for_approach(),
    )
    return edit_page(
        request,
        form=form,
        save=lambda data: services.approach_log(actor=request.user, **data),
        success="Approach {result.reference} has been logged and passed to the Commissioning Manager",
        redirect_to=lambda approach: reverse("grants:approach_detail", args=[approach.pk]),
        title="Log an approach for funding",
        back_url=reverse("grants:approach_list"),
        submit_label="Log the approach",
        lead=(
            "Record an organisation's approach to the PCC or the team for funding, with its business case. "
            "It goes to the Commissioning Manager to follow up."
        ),
        show=action_page,
    )


@login_required
@proposals_section
def approach_detail(request, pk):
    require_perm(request, "grants.view_approaches")
    user = request.user
    approach = selectors.approach_get_for_user(user=user, pk=pk)
    status = approach.status
    context = {
        **_context(approach),
        "can_triage": status == Approach.Status.NEW and user.has_perm("grants.triage_approach", approach),
        "can_complete": status in OPEN_TO_PROPOSAL and user.has_perm("grants.complete_proposal", approach),
        "can_assess": status in OPEN_TO_ASSESSMENT and user.has_perm("grants.assess_proposal", approach),
        "can_decide": status == Approach.Status.ASSESSED and user.has_perm("grants.decide_proposal", approach),
        "activity": selectors.approach_activity(approach=approach),
    }
    return render(request, "grants/proposals/approach_detail.html", context)


@login_required
@proposals_section
def approach_triage(request, pk):
    approach = _approach_for(request, pk, "grants.triage_approach")
    form = forms.TriageForm(posted(request))

    def triage(data):
        act = services.approach_invite if data["outcome"] == forms.INVITE else services.approach_close
        return act(actor=request.user, approach=approach, note=data["note"])

    done = save_form(request, form, triage, "{result.reference} has been triaged")
    if done:
        return redirect(_detail_url(approach))
    blocked = ""
    if approach.status != Approach.Status.NEW:
        blocked = f"{approach.reference} has already been triaged: it is {approach.get_status_display().lower()}."
    return action_page(
        request,
        form=form,
        title="Triage the approach",
        caption=approach.reference,
        back_url=_detail_url(approach),
        submit_label="Save and continue",
        blocked=blocked,
        summaries=["grants/proposals/_approach_summary.html"],
        **_context(approach),
    )


def _proposal_initial(proposal) -> dict:
    if proposal is None:
        return {}
    fields = (
        "service_name",
        "service_description",
        "who_it_is_for",
        "cost_to_pcc",
        "total_cost",
        "starts_on",
        "ends_on",
        "outcomes",
        "kpis",
        "partners",
    )
    return {**{name: getattr(proposal, name) for name in fields}, "priorities": list(proposal.priorities.all())}


@login_required
@proposals_section
def proposal_form(request, pk):
    """Completed by someone who acts for the organisation, or by OPCC staff on its behalf."""
    user = request.user
    approach = selectors.approach_get_for_user(user=user, pk=pk)
    require_perm(request, "grants.complete_proposal", approach)
    proposal = selectors.proposal_of(approach)
    form = forms.ProposalFormForm(
        posted(request), initial=_proposal_initial(proposal), priorities=selectors.priorities_for_proposals()
    )
    saved = save_form(
        request,
        form,
        lambda data: services.proposal_submit(actor=user, approach=approach, **data),
        f"The Proposal Form for {approach.reference} has been received",
    )
    if saved:
        if user.has_perm("grants.view_approaches"):
            return redirect(_detail_url(approach))
        return redirect("grants:proposal_form", pk=approach.pk)
    blocked = ""
    if approach.status == Approach.Status.NEW:
        blocked = "The Commissioning Manager has not asked for a Proposal Form yet."
    elif approach.status not in OPEN_TO_PROPOSAL:
        blocked = (
            f"The Proposal Form can no longer be changed: {approach.reference} is "
            f"{approach.get_status_display().lower()}."
        )
    back_url = _detail_url(approach) if user.has_perm("grants.view_approaches") else reverse("home:index")
    return action_page(
        request,
        form=form,
        title="Proposal Form",
        caption=f"{approach.organisation.name}: {approach.reference}",
        back_url=back_url,
        submit_label="Send the Proposal Form" if proposal is None else "Save changes",
        blocked=blocked,
        summaries=["grants/proposals/_invitation.html"],
        **_context(approach),
    )


@login_required
@proposals_section
def proposal_assess(request, pk):
    approach = _approach_for(request, pk, "grants.assess_proposal")
    context = _context(approach)
    assessment, proposal = context["assessment"], context["proposal"]
    if assessment is not None:
        initial = {
            name: getattr(assessment, name)
            for name in (*services.SCORE_FIELDS, "risks", "commentary", "recommendation", "recommended_amount", "fund")
        }
    else:
        initial = {"recommended_amount": proposal.cost_to_pcc if proposal else None}
    form = forms.AssessmentForm(posted(request), initial=initial, funds=selectors.funds_to_pay_from())
    saved = save_form(
        request,
        form,
        lambda data: services.proposal_assess(actor=request.user, approach=approach, **data),
        f"The assessment of {approach.reference} has been sent to the PCC and the Senior Management Team",
    )
    if saved:
        return redirect(_detail_url(approach))
    blocked = ""
    if approach.status not in OPEN_TO_ASSESSMENT:
        blocked = f"{approach.reference} is {approach.get_status_display().lower()}, so it cannot be assessed now."
    return action_page(
        request,
        form=form,
        title="Assess the proposal",
        caption=approach.reference,
        back_url=_detail_url(approach),
        submit_label="Send the recommendation",
        blocked=blocked,
        summaries=["grants/proposals/_approach_summary.html", "grants/proposals/_proposal_summary.html"],
        **context,
    )


@login_required
@proposals_section
def proposal_decide(request, pk):
    approach = _approach_for(request, pk, "grants.decide_proposal")
    context = _context(approach)
    assessment, proposal = context["assessment"], context["proposal"]
    initial = {"decided_on": timezone.localdate()}
    if assessment is not None:
        initial.update({"amount": assessment.recommended_amount, "fund": assessment.fund})
    if proposal is not None:
        year = fund_selectors.financial_year_on(day=proposal.starts_on)
        if year is not None and year.status == year.Status.OPEN:
            initial["year"] = year
    form = forms.DecisionForm(
        posted(request), initial=initial, funds=selectors.funds_to_pay_from(), years=selectors.open_years()
    )

    def decide(data):
        return services.proposal_decide(
            actor=request.user,
            approach=approach,
            approve=form.approve,
            smt_consulted=data["smt_consulted"],
            reasons=data["reasons"],
            decided_on=data["decided_on"],
            amount=data["amount"],
            fund=data["fund"],
            year=data["year"],
        )

    decided = save_form(
        request,
        form,
        decide,
        "The decision on {result.reference} has been recorded as decision {result.decision.number}",
    )
    if decided:
        return redirect(_detail_url(approach))
    blocked = ""
    if approach.status != Approach.Status.ASSESSED:
        blocked = f"{approach.reference} is {approach.get_status_display().lower()}, so there is nothing to decide."
    return action_page(
        request,
        form=form,
        title="Decide on the recommendation",
        caption=approach.reference,
        back_url=_detail_url(approach),
        submit_label="Record the decision",
        blocked=blocked,
        summaries=["grants/proposals/_proposal_summary.html", "grants/proposals/_assessment_summary.html"],
        **context,
    )
