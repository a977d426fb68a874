"""Fund pages: the fund tree for a year, one fund, setting the year's budgets, and the year-end close.

Thin views: check permission, call selectors or one service, render. Services refuse bad money with a
ValidationError keyed by the form field, shown in the GOV.UK error summary; nothing is half saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from commissioning.core.forms import add_service_errors
from commissioning.core.history import history_entries, history_for, newest_first
from commissioning.core.money import format_money
from commissioning.core.shortcuts import edit_page, form_page, paginate, posted, require_perm, save_form
from commissioning.funds import forms, selectors, services
from commissioning.funds.models import Budget, BudgetLine, FinancialYear, Fund
from commissioning.funds.views._common import (
    ZERO,
    fund_url,
    own_paid,
    plausible_year,
    with_year,
    year_choices,
    year_from_query,
    year_or_404,
    year_or_unsaved,
)
from commissioning.funds.year_end import year_end_rows

RECENT_PAYMENTS = 10


def _closed_message(year: FinancialYear) -> str:
    return f"{year.label} is closed, so its money cannot change."


# --- The fund tree and one fund ------------------------------------------------------------------------------


@login_required
def fund_list(request):
    require_perm(request, "funds.view_funds")
    start = year_from_query(request)
    year = year_or_unsaved(start)
    filter_form = forms.YearFilterForm({"year": start}, years=year_choices(start - 1, start, start + 1))
    rows = selectors.positions_in(year=year)
    totals = {
        name: sum((getattr(p, name) for p in rows if p.depth == 0), ZERO)
        for name in ("budget", "planned", "committed", "paid", "available")
    }
    user = request.user
    return render(
        request,
        "funds/fund_list.html",
        {
            "year": year,
            "positions": rows,
            "totals": totals,
            "filter_form": filter_form,
            "previous_year": start - 1,
            "next_year": start + 1,
            "can_manage_budget": user.has_perm("funds.manage_budget") and year.status != FinancialYear.Status.CLOSED,
            "can_request_virement": user.has_perm("funds.request_virement"),
        },
    )


def _fund_log(fund: Fund, budget: Budget | None) -> list:
    logs = [history_for(fund)]
    if budget is not None:
        logs.append(history_entries(Budget.history.filter(id=budget.pk), what=lambda row: "Budget total changed"))
        logs.append(
            history_entries(
                BudgetLine.history.filter(budget_id=budget.pk),
                what=lambda row: f"Budget line {row.get_kind_display().lower()}: {format_money(row.amount)}",
            )
        )
    return newest_first(*logs)


@login_required
def fund_detail(request, pk):
    require_perm(request, "funds.view_funds")
    fund = get_object_or_404(Fund.objects.select_related("parent"), pk=pk)
    start = year_from_query(request)
    year = year_or_unsaved(start)
    every = selectors.positions_in(year=year)
    by_id = {p.fund.pk: p for p in every}
    position = by_id[fund.pk]
    children = [by_id[child] for child in position.child_ids]
    context = {
        "fund": fund,
        "year": year,
        "position": position,
        "own_paid": own_paid(position, by_id),
        "children": children,
        "previous_year": start - 1,
        "next_year": start + 1,
        "streams": fund.streams.filter(is_active=True).order_by("name"),
        "split": sorted(
            selectors.fund_split_on(parent=fund, on_date=year.fy.starts_on).items(), key=lambda item: -item[1]
        ),
        "can_manage_budget": request.user.has_perm("funds.manage_budget", fund)
        and year.status != FinancialYear.Status.CLOSED,
        "payments_url": reverse("funds:payment_list") + f"?year={start}&fund={fund.pk}",
    }
    budget = None
    if year.pk:
        budget = selectors.budget_for(fund=fund, year=year)
        context["lines"] = selectors.budget_lines_for(fund=fund, year=year)
        context.update(
            paginate(request, selectors.commitments_for(fund=fund, year=year, include_sub_funds=bool(children)))
        )
        context["payments"] = list(
            selectors.payments_for(fund=fund, year=year, include_sub_funds=bool(children))[:RECENT_PAYMENTS]
        )
    context["history"] = _fund_log(fund, budget)
    return render(request, "funds/fund_detail.html", context)


# --- Budgets ----------------------------------------------------------------------------------------------


@login_required
def budget_set(request, year):
    require_perm(request, "funds.manage_budget")
    start = plausible_year(year)
    year = year_or_unsaved(start)
    title = f"Set budgets for {year.label}"
    back = with_year(reverse("funds:fund_list"), start)
    if year.status == FinancialYear.Status.CLOSED:
        return form_page(request, form=None, title=title, back_url=back, blocked=_closed_message(year))
    tree = selectors.fund_tree()
    leaves = [row for row in tree if not row.has_children]
    own = selectors.budget_amounts(year=year)
    current = {row.fund.pk: own.get(row.fund.pk, ZERO) for row in leaves}
    form = forms.BudgetSetForm(posted(request), leaves=leaves, current=current)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_amounts(current)
        if not changed:
            messages.success(request, f"No budget for {year.label} has changed")
            return redirect(back)
        try:
            services.budgets_set(
                actor=request.user, start_year=start, amounts=changed, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            count = len(changed)
            messages.success(request, f"{count} budget{'s' if count != 1 else ''} for {year.label} saved")
            return redirect(back)
    groups = [
        {
            "row": row,
            "own": own.get(row.fund.pk, ZERO),
            "field": None if row.has_children else form[f"fund_{row.fund.pk}"],
        }
        for row in tree
    ]
    return render(
        request,
        "funds/budget_set.html",
        {
            "form": form,
            "title": title,
            "year": year,
            "groups": groups,
            "back_url": back,
            "reason_field": form["reason"],
        },
    )


@login_required
def budget_build(request, year):
    require_perm(request, "funds.manage_budget")
    start = plausible_year(year)
    year = year_or_unsaved(start)
    title = f"Build budgets for {year.label} from funding streams"
    back = reverse("funds:budget_set", args=[start])
    if year.status == FinancialYear.Status.CLOSED:
        return form_page(request, form=None, title=title, back_url=back, blocked=_closed_message(year))
    form = forms.BuildFromStreamsForm(posted(request))

    def build(cleaned):
        return services.budgets_build_in_year(actor=request.user, start_year=start, reason=cleaned["reason"])

    built = save_form(request, form, build, f"Budgets for {year.label} built from the funding streams")
    if built is not None:
        return redirect(with_year(reverse("funds:fund_list"), start))
    return form_page(
        request,
        form=form,
        title=title,
        back_url=back,
        submit_label="Build budgets from funding streams",
        warning="This replaces each fund's funding stream and split lines for the year with what the streams "
        "provide now. Carry-forward, transfers, reviews and adjustments stay.",
    )


@login_required
def budget_line_add(request, pk, year):
    fund = get_object_or_404(Fund, pk=pk)
    require_perm(request, "funds.manage_budget", fund)
    start = plausible_year(year)
    year = year_or_unsaved(start)
    title = "Add a budget line"
    back = fund_url(fund, start)
    if year.status == FinancialYear.Status.CLOSED:
        return form_page(request, form=None, title=title, back_url=back, blocked=_closed_message(year))
    form = forms.BudgetLineForm(posted(request))

    def add(cleaned):
        return services.budget_line_add_in_year(actor=request.user, fund=fund, start_year=start, **cleaned)

    return edit_page(
        request,
        form=form,
        save=add,
        success="Budget line of {result.amount} added",
        redirect_to=back,
        title=title,
        caption=f"{fund.name}, {year.label}",
        back_url=back,
    )


# --- Year end ------------------------------------------------------------------------------------------------


@login_required
def year_end(request, year):
    require_perm(request, "funds.view_funds")
    year = year_or_404(year)
    can_close = year.status == FinancialYear.Status.OPEN and request.user.has_perm("funds.close_year", year)
    form = forms.YearEndForm(posted(request)) if can_close else None
    if request.method == "POST":
        require_perm(request, "funds.close_year", year)
        if form is not None and save_form(
            request,
            form,
            lambda cleaned: services.year_end_close(actor=request.user, year=year, reason=cleaned["reason"]),
            f"{year.label} is closed",
        ):
            return redirect("funds:year_end", year=year.start_year)
    rows = year_end_rows(year=year)
    return render(
        request,
        "funds/year_end.html",
        {
            "year": year,
            "next_label": forms.year_label(year.start_year + 1),
            "rows": rows,
            "totals": {
                name: sum((row[name] for row in rows), ZERO)
                for name in ("budget", "paid", "unpaid", "underspend", "carried", "lapsed")
            },
            "form": form,
            "can_close": can_close,
            "years": selectors.financial_years(),
        },
    )
