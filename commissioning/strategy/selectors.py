def strategy_review_reminders():
    return []


def decision_list_for_user(*, user):
    return []


def sign_offs_awaiting(*, user):
    return []
