"""The specification (issue 10, point 3): drafted in versions (each new version starts as a copy of the last, with
its KPIs), approved by the role the profile names; approving one replaces the version approved before."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commissioning.core.services import require, save_with_history
from commissioning.procurement.models import (
    ApprovalAction,
    CaseStage,
    CommissioningCase,
    Specification,
    SpecificationKpi,
    SpecificationStatus,
)
from commissioning.procurement.services._common import advance, named_approver

MANAGE = "procurement.manage_case"
SECTIONS = Specification.SECTIONS
KPI_FIELDS = ("definition", "name", "description", "unit", "target", "direction", "frequency", "order")


@transaction.atomic
def specification_create(*, actor, case: CommissioningCase) -> Specification:
    require(actor, MANAGE, case)
    case = CommissioningCase.objects.select_for_update().get(pk=case.pk)
    if not case.approved_to_proceed:
        raise ValidationError("The case must be approved to proceed before a specification is drafted")
    if case.specifications.filter(status=SpecificationStatus.DRAFT).exists():
        raise ValidationError("A draft version already exists: change that one")
    latest = case.specifications.order_by("-version").first()
    number = (case.specifications.aggregate(v=Max("version"))["v"] or 0) + 1
    spec = Specification(case=case, version=number, created_by=actor)
    if latest is not None:
        for name in SECTIONS:
            setattr(spec, name, getattr(latest, name))
    save_with_history(spec, actor=actor, reason=f"Version {number} drafted")
    if latest is not None:
        for kpi in latest.kpis.all():
            copy = SpecificationKpi(specification=spec, **{name: getattr(kpi, name) for name in KPI_FIELDS})
            save_with_history(copy, actor=actor, reason=f"Copied from version {latest.version}")
    advance(case, CaseStage.SPECIFICATION, actor=actor, reason="Specification being drafted")
    return spec


def _draft(spec: Specification) -> None:
    if spec.status != SpecificationStatus.DRAFT:
        raise ValidationError("Only a draft can change: draft a new version")


@transaction.atomic
def specification_update(*, actor, spec: Specification, data: dict) -> Specification:
    require(actor, MANAGE, spec.case)
    _draft(spec)
    for name in SECTIONS:
        if name in data:
            setattr(spec, name, (data[name] or "").strip())
    save_with_history(spec, actor=actor, reason=f"Version {spec.version} changed")
    return spec


@transaction.atomic
def specification_kpi_add(*, actor, spec: Specification, **data) -> SpecificationKpi:
    require(actor, MANAGE, spec.case)
    _draft(spec)
    kpi = SpecificationKpi(specification=spec, **{k: v for k, v in data.items() if k in KPI_FIELDS})
    kpi.name = (kpi.name or "").strip()
    errors = {}
    if kpi.definition_id is None and not kpi.name:
        errors["name"] = "Choose a minimum-dataset measure or name the service's own measure"
    if kpi.definition_id and spec.kpis.filter(definition_id=kpi.definition_id).exists():
        errors["definition"] = "The specification already has this measure"
    if not kpi.order:
        kpi.order = (spec.kpis.aggregate(o=Max("order"))["o"] or 0) + 1
    save_with_history(kpi, actor=actor, reason="KPI added", errors=errors, validate_constraints=False)
    return kpi


@transaction.atomic
def specification_kpi_remove(*, actor, kpi: SpecificationKpi) -> None:
    require(actor, MANAGE, kpi.specification.case)
    _draft(kpi.specification)
    kpi._history_user = actor
    kpi._change_reason = "KPI removed"
    kpi.delete()


def approval_problems(spec: Specification) -> list[str]:
    problems = [f"Complete ‘{label}’" for label in spec.missing_sections]
    if not spec.kpis.exists():
        problems.append("Add at least one KPI")
    return problems


@transaction.atomic
def specification_approve(*, actor, spec: Specification) -> Specification:
    require(actor, "procurement.approve_specification", spec.case)
    named_approver(actor, ApprovalAction.SPECIFICATION)
    spec = Specification.objects.select_for_update().select_related("case").get(pk=spec.pk)
    _draft(spec)
    problems = approval_problems(spec)
    if problems:
        raise ValidationError(f"{problems[0]} before approving the specification")
    if spec.created_by_id == actor.pk:
        raise ValidationError("Someone other than the person who drafted it must approve the specification")
    for earlier in spec.case.specifications.filter(status=SpecificationStatus.APPROVED):
        earlier.status = SpecificationStatus.SUPERSEDED
        save_with_history(earlier, actor=actor, reason=f"Replaced by version {spec.version}")
    spec.status = SpecificationStatus.APPROVED
    spec.approved_by, spec.approved_on = actor, timezone.localdate()
    save_with_history(spec, actor=actor, reason=f"Version {spec.version} approved")
    advance(spec.case, CaseStage.ROUTE, actor=actor, reason="Specification approved")
    return spec
