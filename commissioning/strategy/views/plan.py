"""The Police and Crime Plan: pillars, priorities, commissioning objectives and the Panel's seven areas."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from commissioning.core.shortcuts import edit_page, posted, require_perm
from commissioning.strategy import forms, selectors, services


@login_required
def index(request):
    require_perm(request, "strategy.view_plan")
    plan = selectors.plan_current()
    can_read_strategy = request.user.has_perm("strategy.view_strategy")
    return render(
        request,
        "strategy/index.html",
        {
            "plan": plan,
            "objectives": selectors.objective_list(),
            "panel_areas": selectors.panel_area_list(),
            "documents": selectors.document_list() if can_read_strategy else [],
            "can_read_strategy": can_read_strategy,
            "can_change_plan": request.user.has_perm("strategy.change_plan"),
            "can_add_document": request.user.has_perm("strategy.add_document"),
            "activity": selectors.activity_for_plan(plan=plan) if plan and can_read_strategy else [],
        },
    )


def _plan_page(request, *, form, action, success: str, title: str, caption: str, submit_label="Save changes"):
    """A form that changes the plan, its pillars or priorities, saved through the service, then back to the plan."""
    return edit_page(
        request,
        form=form,
        save=action,
        success=success,
        redirect_to=reverse("strategy:index"),
        title=title,
        caption=caption,
        submit_label=submit_label,
        back_url=reverse("strategy:index"),
    )


@login_required
def plan_edit(request, pk):
    plan = get_object_or_404(selectors.plan_queryset(), pk=pk)
    require_perm(request, "strategy.change_plan", plan)
    initial = {"title": plan.title, "starts_on": plan.starts_on, "ends_on": plan.ends_on}
    form = forms.PlanForm(posted(request), initial=initial)
    return _plan_page(
        request,
        form=form,
        action=lambda data: services.plan_update(actor=request.user, plan=plan, **data),
        success="The plan has been updated",
        title="Change the plan",
        caption=plan.title,
    )


@login_required
def pillar_edit(request, pk):
    pillar = get_object_or_404(selectors.pillar_queryset(), pk=pk)
    require_perm(request, "strategy.change_plan", pillar)
    form = forms.PillarForm(posted(request), initial={"title": pillar.title, "description": pillar.description})
    return _plan_page(
        request,
        form=form,
        action=lambda data: services.pillar_update(actor=request.user, pillar=pillar, **data),
        success="Pillar {result.number} has been updated",
        title=f"Change pillar {pillar.number}",
        caption=pillar.plan.title,
    )


@login_required
def priority_create(request, pk):
    pillar = get_object_or_404(selectors.pillar_queryset(), pk=pk)
    require_perm(request, "strategy.change_plan", pillar)
    form = forms.PriorityForm(posted(request))
    return _plan_page(
        request,
        form=form,
        action=lambda data: services.priority_create(actor=request.user, pillar=pillar, **data),
        success="Priority {result.code} has been added",
        title="Add a priority",
        caption=str(pillar),
        submit_label="Add priority",
    )


@login_required
def priority_edit(request, pk):
    priority = get_object_or_404(selectors.priority_queryset(), pk=pk)
    require_perm(request, "strategy.change_plan", priority)
    initial = {"code": priority.code, "title": priority.title, "description": priority.description}
    form = forms.PriorityEditForm(posted(request), initial=initial)
    return _plan_page(
        request,
        form=form,
        action=lambda data: services.priority_update(actor=request.user, priority=priority, **data),
        success="Priority {result.code} has been updated",
        title=f"Change priority {priority.code}",
        caption=str(priority.pillar),
    )
