"""The form handling both routes' evaluation pages share (ADR 0015). This app has no pages of its own: each route's
view checks its permissions, finds the assignment, decides whether it is still open and renders its own template;
these functions handle the form in between, so a change to how scores are entered is made once."""

from django.contrib import messages
from django.shortcuts import redirect

from commissioning.core.shortcuts import posted, save_form
from commissioning.evaluation.models import Declaration
from commissioning.evaluation.services import comment_field, score_field

SCORES_CLOSED = "Your scores can no longer be changed"


def scores_form(request, *, open_for_scoring, form_class, criteria, own, save, submitted_url, draft_url):
    """The assessor's scoring form (`form_class`: evaluation.forms.ScoresForm or a subclass) with their own scores
    (by criterion id, as `own_scores` gives them) filled in, saved as a draft or submitted (the button named
    `action` with the value "submit").

    `save(scores=..., submit=...)` calls the route's service. Returns (form, response): the response is a redirect
    when the request is done (to `submitted_url` after submitting, to `draft_url` after saving a draft or when a
    POST comes after scoring has closed), else None and the page is shown with the form (None when closed).
    """
    if not open_for_scoring:
        if request.method == "POST":
            messages.error(request, SCORES_CLOSED)
            return None, redirect(draft_url)
        return None, None
    submit = request.POST.get("action") == "submit"
    initial = {}
    for criterion_id, row in own.items():
        initial[score_field(criterion_id)] = str(row.score)
        initial[comment_field(criterion_id)] = row.comment
    form = form_class(posted(request), criteria=criteria, submit=submit, initial=initial)
    saved = save_form(
        request,
        form,
        lambda data: save(scores=form.service_scores(), submit=submit),
        "Your scores have been submitted" if submit else "Your scores have been saved as a draft",
    )
    if saved:
        return form, redirect(submitted_url if submit else draft_url)
    return form, None


def declaration_form(request, *, assignment, form_class, save, opened_url, list_url):
    """The assessor's declaration of interests, taken once: while it is pending the form is bound to a POST and
    `save(has_conflict=..., details=...)` calls the route's service. Returns (form, response): the response is a
    redirect after a declaration is saved (to `opened_url` when it lets the assessor open what is judged, else to
    `list_url`), else None and the page is shown with the form.
    """
    pending = assignment.declaration == Declaration.PENDING
    form = form_class(posted(request) if pending else None)
    if not pending:
        return form, None
    saved = save_form(request, form, lambda data: save(**form.service_data()), "Your declaration has been recorded")
    if saved:
        return form, redirect(opened_url if saved.may_open else list_url)
    return form, None


def declaration_blocked(assignment, *, conflict_declared: str) -> str:
    """Why the declaration form is not shown once the assessor has declared (empty while it is pending)."""
    if assignment.declaration == Declaration.CONFLICT:
        return conflict_declared + "."
    if assignment.declaration != Declaration.PENDING:
        return "You declared no conflict of interest."
    return ""


def refuse_unopened(request, assignment, *, declare_url, declare_first, conflict_declared):
    """Until the assessor has declared no conflict, a redirect to the declaration with the reason (`declare_first`
    while it is pending, `conflict_declared` after a conflict); None once they may open what is judged."""
    if assignment.may_open:
        return None
    messages.error(request, declare_first if assignment.declaration == Declaration.PENDING else conflict_declared)
    return redirect(declare_url)


def moderation_form(request, *, open_for_moderation, form_class, criteria, save, success, done_url):
    """The moderation meeting's agreed scores and rationale (`form_class`: evaluation.forms.ModerationForm or a
    subclass), shown only while moderation is open and enough assessors have submitted (the caller's
    `open_for_moderation`). `save(scores=..., rationale=...)` calls the route's service; `success` is the message
    (formatted with the result, as save_form does). Returns (form, response): a redirect to `done_url` once saved,
    else None and the page is shown with the form (None when moderation is not open)."""
    if not open_for_moderation:
        return None, None
    form = form_class(posted(request), criteria=criteria)
    saved = save_form(
        request,
        form,
        lambda data: save(scores=form.service_scores(), rationale=data["rationale"]),
        success,
    )
    if saved:
        return form, redirect(done_url)
    return form, None
