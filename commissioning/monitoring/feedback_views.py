"""Pages for a return's narrative and case studies (the provider writes them) and for feedback on a service (an
officer records it). Thin: selectors read, stories.py writes."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse

from commissioning.core.shortcuts import form_page, require_perm, save_form
from commissioning.monitoring import feedback_forms, selectors, stories
from commissioning.monitoring.models import ReturnStatus

ACCEPTED = "This return has been accepted, so its narrative and case studies can no longer change."


def _return_url(kpi_return) -> str:
    return reverse("monitoring:return_detail", args=[kpi_return.pk])


def _story_page(request, kpi_return, *, form, save, success, anchor: str, title: str, submit_label: str):
    """A page that adds to a return's story (its narrative, a case study): nothing is saved once the return has been
    accepted; after saving, back to the return at `anchor`."""
    blocked = ACCEPTED if kpi_return.status == ReturnStatus.ACCEPTED else ""
    if not blocked and save_form(request, form, save, success):
        return redirect(_return_url(kpi_return) + anchor)
    return form_page(
        request,
        form=form,
        title=title,
        caption=f"{kpi_return.service.name}: {kpi_return.period_label}",
        back_url=_return_url(kpi_return),
        submit_label=submit_label,
        blocked=blocked,
    )


@login_required
def narrative_edit(request, pk):
    kpi_return = selectors.return_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.write_narrative", kpi_return)
    narrative = stories.narrative_for(kpi_return)
    initial = {field: getattr(narrative, field) for field in stories.NARRATIVE_FIELDS} if narrative else None
    return _story_page(
        request,
        kpi_return,
        form=feedback_forms.NarrativeForm(request.POST or None, initial=initial),
        save=lambda data: stories.narrative_save(actor=request.user, kpi_return=kpi_return, **data),
        success="The narrative has been saved",
        anchor="#narrative",
        title="Narrative for the return",
        submit_label="Save the narrative",
    )


@login_required
def case_study_add(request, pk):
    kpi_return = selectors.return_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.write_narrative", kpi_return)
    return _story_page(
        request,
        kpi_return,
        form=feedback_forms.CaseStudyForm(request.POST or None),
        save=lambda data: stories.case_study_add(actor=request.user, kpi_return=kpi_return, **data),
        success="The case study ‘{result.title}’ has been added",
        anchor="#case-studies",
        title="Add a case study",
        submit_label="Add the case study",
    )


@login_required
def feedback_add(request, pk):
    service = selectors.service_get_for_user(user=request.user, pk=pk)
    require_perm(request, "monitoring.record_feedback", service)
    form = feedback_forms.FeedbackForm(request.POST or None)
    back_url = reverse("monitoring:service_performance", args=[service.pk])
    if save_form(
        request,
        form,
        lambda data: stories.feedback_add(actor=request.user, service=service, **data),
        "The feedback has been recorded",
    ):
        return redirect(back_url + "#feedback")
    return form_page(
        request,
        form=form,
        title="Record feedback",
        caption=service.name,
        back_url=back_url,
        submit_label="Record the feedback",
    )
