"""The home page: what each role needs to see first."""

from commissioning.accounts.roles import OPCC_STAFF, STRATEGY_SIGNATORIES
from commissioning.strategy import selectors as strategy_selectors


def dashboard_for(user) -> dict:
    context = {"is_staff_member": user.role in OPCC_STAFF}
    if user.role in OPCC_STAFF or user.role == "auditor":
        context["review_reminders"] = strategy_selectors.strategy_review_reminders()
        context["recent_decisions"] = strategy_selectors.decision_list_for_user(user=user)[:5]
    if user.role in STRATEGY_SIGNATORIES:
        context["awaiting_my_signature"] = strategy_selectors.sign_offs_awaiting(user=user)
    if user.organisation_id and user.role not in OPCC_STAFF:
        context["organisation"] = user.organisation
    return context
