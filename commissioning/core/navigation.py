"""Role-aware primary navigation: each item shows only to people with its permission."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None  # None: every signed-in person
    section: str  # the URL namespace that marks the item active


NAV_ITEMS = (
    NavItem("Home", "home:index", None, "core"),
    NavItem("Strategy", "strategy:index", "strategy.view_plan", "strategy"),
    NavItem("Decisions", "strategy:decision_list", "strategy.view_decisionrecord", "strategy-decisions"),
    NavItem("Services", "agreements:service_list", "agreements.view_register", "agreements"),
    NavItem("Returns", "monitoring:return_list", "monitoring.view_returns", "monitoring"),
    NavItem("Grants", "grants:round_list", "grants.view_rounds", "grants"),
    NavItem("Commissioning", "procurement:case_list", "procurement.view_cases", "procurement"),
    # An applicant's Grants: their organisation's applications, with the rounds open now.
    NavItem("Grants", "grants:application_list_mine", "grants.apply", "grants"),
    NavItem("Tenders", "procurement:tender_list", "procurement.view_tenders", "procurement"),
    NavItem(
        "Evaluation", "procurement_evaluation:tender_list", "procurement.view_evaluation", "procurement_evaluation"
    ),
    # A supplier's opportunities and bids.
    NavItem("Opportunities", "procurement:opportunity_list", "procurement.bid", "procurement"),
    NavItem("Your bids", "procurement:bid_list_mine", "procurement.bid", "procurement"),
    NavItem("Funds", "funds:fund_list", "funds.view_funds", "funds"),
    NavItem("Panel report", "reporting:panel_report", "reporting.view_panel_report", "reporting"),
    NavItem("Your assessments", "grants:my_assessments", "grants.assessor_menu", "grants"),
    NavItem(
        "Bid evaluations",
        "procurement_evaluation:my_evaluations",
        "procurement.evaluator_menu",
        "procurement_evaluation",
    ),
    NavItem("Organisations", "organisations:list", "organisations.view_directory", "organisations"),
    NavItem("Partnerships", "organisations:board_list", "organisations.view_board", "partnerships"),
    NavItem("People", "accounts:user_list", "accounts.manage_users", "accounts"),
)


def nav_for(user, current_section: str = ""):
    if not user.is_authenticated:
        return []
    return [
        {"label": item.label, "href": reverse(item.url_name), "active": item.section == current_section}
        for item in NAV_ITEMS
        if item.permission is None or user.has_perm(item.permission)
    ]
