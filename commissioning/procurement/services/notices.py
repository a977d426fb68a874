"""Notices (issue 10, points 2 and 9): the route service marks the notices a case must publish; publishing one
records its date, reference and address. Other parts (tender, award, contract) call notice_record too."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.core.services import require, save_with_history
from commissioning.procurement.models import CommissioningCase, Notice, NoticeKind


def notices_require(*, actor, case: CommissioningCase, required) -> list[Notice]:
    """Mark `required` (RequiredNotice: kind and why) as the notices the case must publish; a notice no longer
    required and not yet published is marked not required. Called by the route services (their permission)."""
    wanted = {item.kind: item.why for item in required}
    existing = {notice.kind: notice for notice in Notice.objects.filter(case=case)}
    saved = []
    for kind, why in wanted.items():
        notice = existing.get(kind) or Notice(case=case, kind=kind)
        if not notice.required or notice.why != why[:300]:
            notice.required, notice.why = True, why[:300]
            save_with_history(notice, actor=actor, reason="Required by the route to market")
        saved.append(notice)
    for kind, notice in existing.items():
        if kind not in wanted and notice.required and not notice.published:
            notice.required, notice.why = False, ""
            save_with_history(notice, actor=actor, reason="No longer required by the route to market")
    return saved


@transaction.atomic
def notice_record(
    *, actor, case: CommissioningCase, kind: str, published_on, reference: str = "", url: str = ""
) -> Notice:
    """Record that the case published a notice of `kind` (the required row is filled in, or a new one made)."""
    require(actor, "procurement.record_notice", case)
    if kind not in NoticeKind.values:
        raise ValidationError({"kind": "Select the kind of notice from the list"})
    notice = Notice.objects.select_for_update().filter(case=case, kind=kind).first() or Notice(case=case, kind=kind)
    notice.published_on, notice.reference, notice.url = published_on, (reference or "").strip(), (url or "").strip()
    notice.recorded_by = actor
    errors = {}
    if published_on is None:
        errors["published_on"] = "Enter the date the notice was published"
    elif published_on > timezone.localdate():
        errors["published_on"] = "The date of publication must be today or in the past"
    if not notice.reference and not notice.url:
        errors["reference"] = "Enter the notice's reference or its web address"
    save_with_history(notice, actor=actor, reason=f"{notice.get_kind_display()} published", errors=errors)
    return notice
