"""KPI definitions: a breakdown lists its categories; counts and text do not."""

import pytest
from django.core.exceptions import ValidationError

from commissioning.monitoring.models import KpiDefinition


@pytest.mark.parametrize(
    "kind, breakdown, ok",
    [
        ("breakdown", ["White", "Other ethnic group"], True),
        ("breakdown", [], False),
        ("breakdown", ["White", "White"], False),
        ("count", [], True),
        ("count", ["Female"], False),
        ("text", "not a list", False),
    ],
)
def test_breakdown_rules(db, kind, breakdown, ok):
    kpi = KpiDefinition(code="k", name="K", kind=kind, breakdown=breakdown)
    if ok:
        kpi.full_clean()
    else:
        with pytest.raises(ValidationError):
            kpi.full_clean()


def test_kind_is_checked_by_the_database(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        KpiDefinition.objects.create(code="k", name="K", kind="sum")
