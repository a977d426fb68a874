"""Pages for the PCC's decisions, awards, award letters, acceptance, end-of-grant reports and repayments
(issue 5, points 4 and 5). Thin: each checks permission, calls one selector or service and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from commissioning.core.dates import long_date
from commissioning.core.forms import add_service_errors
from commissioning.core.money import format_money
from commissioning.core.shortcuts import form_page, list_page, require_perm, save_form
from commissioning.grants import letters
from commissioning.grants.forms import awards as forms
from commissioning.grants.models import Award, EndOfGrantReport, GrantRound
from commissioning.grants.selectors import awards as selectors
from commissioning.grants.services import awards as services
from commissioning.grants.services import reports as report_services


def _award_url(award, anchor: str = "") -> str:
    return reverse("grants:award_detail", args=[award.pk]) + (f"#{anchor}" if anchor else "")


# --- Decisions -------------------------------------------------------------------------------------------


@login_required
def round_decision(request, pk):
    round = selectors.round_get(pk=pk)
    require_perm(request, "grants.decide", round)
    waiting = selectors.round_applications_to_decide(round=round)
    money = selectors.round_money(round=round)
    blocked = services.round_not_decidable_reason(
        round, awaiting_panel=waiting.awaiting_panel, to_decide=waiting.to_decide
    )
    if request.method == "POST" and round.status == GrantRound.Status.DECIDED:
        # The decision form sent twice: the first made the decision; show its outcome.
        messages.info(request, blocked)
        return redirect(reverse("grants:award_list") + f"?round={round.pk}")
    form = forms.RoundDecisionForm(
        request.POST or None,
        applications=waiting.recommended,
        initial={"awarded": [str(a.pk) for a in waiting.recommended], "decided_on": timezone.localdate()},
    )
    if not blocked and request.method == "POST" and form.is_valid():
        ticked = form.cleaned_data["awarded"]
        try:
            decision = services.round_decide(
                actor=request.user,
                round=round,
                decided_on=form.cleaned_data["decided_on"],
                reasons=form.cleaned_data["reasons"],
                decisions={a.pk: a.pk in ticked for a in waiting.recommended},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            awarded = len(ticked)
            messages.success(
                request,
                f"Decision {decision.number} has been recorded: {awarded} grant{'s' if awarded != 1 else ''} "
                f"awarded, totalling {format_money(decision.amount)}. Every applicant has been told by e-mail.",
            )
            return redirect(reverse("grants:award_list") + f"?round={round.pk}")
    back_url = reverse("grants:round_ranking", args=[round.pk])
    return render(
        request,
        "grants/awards/round_decision.html",
        {
            "round": round,
            "form": form,
            "waiting": waiting,
            "recommended_rows": list(zip(form["awarded"].subwidgets, waiting.recommended, strict=True)),
            "money": money,
            "over_round": waiting.recommended_total > money.round_left,
            "over_fund": waiting.recommended_total > money.fund_left,
            "blocked": blocked,
            "back_url": back_url,
            "decision_url": reverse("strategy:decision_detail", args=[round.decision_id]) if round.decision_id else "",
        },
    )


@login_required
def application_decision(request, pk):
    application = selectors.application_get(pk=pk)
    require_perm(request, "grants.decide", application)
    round = application.round
    blocked = ""
    if application.status not in services.WAITING_FOR_DECISION:
        blocked = (
            f"{application.reference} is {application.get_status_display().lower()}. Only applications the panel "
            "has recommended or not recommended can be decided."
        )
    form = forms.ApplicationDecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    decision = None
    if not blocked:
        decision = save_form(
            request,
            form,
            lambda data: services.application_decide(actor=request.user, application=application, **data),
            "Decision {result.number} has been recorded and the applicant has been told by e-mail",
        )
    if decision:
        return redirect(reverse("grants:application_detail", args=[application.pk]))
    return render(
        request,
        "grants/awards/application_decision.html",
        {
            "form": form,
            "title": "Record the PCC's decision on this application",
            "caption": f"{application.reference}: {application.organisation.name}",
            "application": application,
            "round": round,
            "money": selectors.round_money(round=round),
            "blocked": blocked,
            "back_url": reverse("grants:round_ranking", args=[round.pk]),
            "submit_label": "Record the PCC's decision",
        },
    )


# --- Awards ----------------------------------------------------------------------------------------------


@login_required
def award_list(request):
    require_perm(request, "grants.view_award_list")
    form = forms.AwardFilterForm(request.GET or None, rounds=selectors.rounds_with_awards())
    filters = form.cleaned_data if form.is_valid() else {}
    awards = selectors.award_list(
        round=filters.get("round"), status=filters.get("status", ""), overdue=filters.get("overdue", False)
    )
    return list_page(request, "grants/awards/award_list.html", awards, filter_form=form)


@login_required
def award_detail(request, pk):
    user = request.user
    award = selectors.award_get_for_user(user=user, pk=pk)
    application = award.application
    report = selectors.award_report(award)
    money = selectors.award_money(award=award)
    commitment = money.commitments[0] if money.commitments else None
    sees_funds = user.has_perm("funds.view_funds")
    context = {
        "award": award,
        "application": application,
        "organisation": application.organisation,
        "report": report,
        "money": money,
        "can_accept": user.has_perm("grants.accept_award", award),
        "can_report": user.has_perm("grants.submit_report", award) and award.status in selectors.REPORTING,
        "can_review": user.has_perm("grants.review_report", award),
        "can_request_repayment": user.has_perm("grants.request_repayment", award)
        and award.status in report_services.REPAYABLE
        and money.paid > 0,
        # The officers' application page; applicants reach theirs from their own list of applications.
        "application_url": reverse("grants:application_detail", args=[application.pk])
        if user.has_perm("grants.view_award_list")
        else "",
        "decision_url": reverse("strategy:decision_detail", args=[award.decision_id])
        if user.has_perm("strategy.view_decisionrecord", award.decision)
        else "",
        "agreement_url": reverse("agreements:agreement_detail", args=[award.agreement_id])
        if award.agreement_id and user.has_perm("agreements.view_service", award.agreement)
        else "",
        "commitment_url": reverse("funds:commitment_detail", args=[commitment.pk]) if commitment and sees_funds else "",
        "payment_record_url": reverse("funds:payment_record", args=[commitment.pk])
        if commitment and user.has_perm("funds.record_payment", commitment)
        else "",
    }
    if user.has_perm("grants.view_award_log", award):
        context["history"] = selectors.award_log(award=award)
    return render(request, "grants/awards/award_detail.html", context)


@login_required
def award_letter(request, pk):
    award = selectors.award_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(letters.award_letter_pdf(award), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letters.award_letter_filename(award)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _answer_blocked(request, award) -> str:
    """Why the applicant cannot answer the offer now (already answered); PermissionDenied for anyone else."""
    if request.user.has_perm("grants.accept_award", award):
        return ""
    if request.user.has_perm("grants.submit_report", award):  # the applicant, and the offer is answered
        if award.status == Award.Status.DECLINED:
            return "You declined this grant, so it can no longer be accepted."
        when = f" on {long_date(timezone.localtime(award.accepted_at).date())}" if award.accepted_at else ""
        return f"Your organisation accepted this grant{when}."
    raise PermissionDenied


@login_required
def award_accept(request, pk):
    award = selectors.award_get_for_user(user=request.user, pk=pk)
    blocked = _answer_blocked(request, award)
    if blocked and request.method == "POST":
        messages.info(request, blocked)
        return redirect("grants:award_detail", pk=award.pk)
    organisation = award.application.organisation
    form = forms.AwardAcceptForm(request.POST or None, organisation_name=organisation.name)
    if not blocked:
        accepted = save_form(
            request,
            form,
            lambda data: services.award_accept(actor=request.user, award=award, name=data["name"]),
            "You have accepted the grant. The OPCC will pay it into your organisation's account",
        )
        if accepted:
            return redirect("grants:award_detail", pk=award.pk)
    return render(
        request,
        "grants/awards/award_accept.html",
        {
            "form": form,
            "award": award,
            "application": award.application,
            "organisation": organisation,
            "title": "Accept the grant",
            "caption": f"{award.application.reference}: {award.application.project_title}",
            "blocked": blocked,
            "blocked_link": _award_url(award) if blocked else "",
            "back_url": _award_url(award),
            "submit_label": "Accept the grant",
        },
    )


@login_required
def award_decline(request, pk):
    award = selectors.award_get_for_user(user=request.user, pk=pk)
    blocked = _answer_blocked(request, award)
    form = forms.AwardDeclineForm(request.POST or None)
    if not blocked:
        declined = save_form(
            request,
            form,
            lambda data: services.award_decline(actor=request.user, award=award, **data),
            "You have declined the grant. The OPCC has been told",
        )
        if declined:
            return redirect("grants:award_detail", pk=award.pk)
    return form_page(
        request,
        form=form,
        title="Decline the grant",
        caption=f"{award.application.reference}: {format_money(award.amount)}",
        back_url=_award_url(award),
        submit_label="Decline the grant",
        button_class="govuk-button--warning",
        warning="" if blocked else "If you decline the grant you cannot accept it later.",
        blocked=blocked,
        blocked_link=_award_url(award) if blocked else "",
    )


@login_required
def award_repayment_request(request, pk):
    award = selectors.award_get_for_user(user=request.user, pk=pk)
    require_perm(request, "grants.request_repayment", award)
    blocked = ""
    if award.status not in report_services.REPAYABLE:
        blocked = (
            f"This award is {award.get_status_display().lower()}. Money can be asked back only once a grant has "
            "been accepted and paid."
        )
    form = forms.RepaymentForm(request.POST or None)
    if not blocked and request.method == "POST" and form.is_valid():
        try:
            repayment = report_services.award_repayment_request(actor=request.user, award=award, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"{format_money(repayment.amount)} has been asked back. The organisation has been e-mailed"
            )
            return redirect(_award_url(award, "money"))
    return form_page(
        request,
        form=form,
        title="Ask for money back",
        caption=f"{award.application.reference}: {award.application.organisation.name}",
        back_url=_award_url(award),
        submit_label="Ask for the money back",
        warning=""
        if blocked
        else "Under section 9(3) of the Police Reform and Social Responsibility Act 2011 a grant can be asked back "
        "when its conditions are not met. The organisation will be e-mailed.",
        blocked=blocked,
    )


# --- End-of-grant reports --------------------------------------------------------------------------------


def _report_blocked(award, report) -> str:
    if award.status not in selectors.REPORTING:
        if award.status == Award.Status.OFFERED:
            return "Accept the grant first. The end-of-grant report is sent after the project ends."
        if report is None:
            return f"This grant is {award.get_status_display().lower()}, so no report is needed."
    if report is not None and report.status not in report_services.EDITABLE:
        return f"Your report was {report.get_status_display().lower()} and can no longer be changed."
    return ""


@login_required
def report_edit(request, pk):
    award = selectors.award_get_for_user(user=request.user, pk=pk)
    require_perm(request, "grants.submit_report", award)
    report = selectors.award_report(award)
    blocked = _report_blocked(award, report)
    initial = {name: getattr(report, name) for name in report_services.REPORT_FIELDS} if report else {}
    form = forms.ReportForm(request.POST or None, initial=initial)
    if not blocked:
        saved = save_form(
            request,
            form,
            lambda data: report_services.report_save(actor=request.user, award=award, data=data),
            "Your report has been saved. Check it and send it when it is ready",
        )
        if saved:
            return redirect("grants:report_submit", pk=award.pk)
    application = award.application
    return render(
        request,
        "grants/awards/report_edit.html",
        {
            "form": form,
            "award": award,
            "application": application,
            "report": report,
            "budget_lines": application.budget_lines.all(),
            "title": "End-of-grant report",
            "caption": f"{application.reference}: {application.project_title}",
            "blocked": blocked,
            "blocked_link": _award_url(award) if blocked else "",
            "back_url": _award_url(award),
            "submit_label": "Save and continue",
        },
    )


@login_required
def report_submit(request, pk):
    award = selectors.award_get_for_user(user=request.user, pk=pk)
    require_perm(request, "grants.submit_report", award)
    report = selectors.award_report(award)
    if report is None:
        return redirect("grants:report_edit", pk=award.pk)
    problems = []
    if request.method == "POST" and report.status in report_services.EDITABLE:
        try:
            report_services.report_submit(actor=request.user, report=report)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, "Your end-of-grant report has been sent to the OPCC")
            return redirect("grants:award_detail", pk=award.pk)
    return render(
        request,
        "grants/awards/report_submit.html",
        {
            "award": award,
            "application": award.application,
            "report": report,
            "problems": problems,
            "editable": report.status in report_services.EDITABLE and award.status in selectors.REPORTING,
        },
    )


@login_required
def report_review(request, pk):
    award = selectors.award_get_for_user(user=request.user, pk=pk)
    require_perm(request, "grants.review_report", award)
    report = selectors.award_report(award)
    blocked = ""
    if report is None or report.status in report_services.EDITABLE:
        blocked = "The organisation has not sent its end-of-grant report yet."
    elif report.status == EndOfGrantReport.Status.SIGNED_OFF:
        blocked = "This report has been signed off."
    form = forms.ReportReviewForm(request.POST or None)

    def review(data):
        if data["outcome"] == "sign_off":
            return report_services.report_sign_off(actor=request.user, report=report, note=data["note"])
        return report_services.report_return(actor=request.user, report=report, note=data["note"])

    if not blocked and request.method == "POST" and form.is_valid():
        try:
            report = review(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The report has been {report.get_status_display().lower()}")
            return redirect(_award_url(award, "report"))
    return render(
        request,
        "grants/awards/report_review.html",
        {
            "form": form,
            "award": award,
            "application": award.application,
            "report": report,
            "title": "Review the end-of-grant report",
            "caption": f"{award.application.reference}: {award.application.organisation.name}",
            "blocked": blocked,
            "back_url": _award_url(award),
            "submit_label": "Save the review",
        },
    )
