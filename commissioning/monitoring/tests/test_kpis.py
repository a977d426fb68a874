"""KPI definitions: a breakdown lists its categories; counts and text do not."""

import pytest
from django.core.exceptions import ValidationError

from commissioning.monitoring.models import KpiDefinition


@pytest.mark.parametrize(
    "kind, breakdown, not_known, ok",
    [
        ("breakdown", ["White", "Other ethnic group", "Not stated"], "Not stated", True),
        # Every breakdown names its "not known" category, and it is one of the categories.
        ("breakdown", ["White", "Other ethnic group"], "", False),
        ("breakdown", ["White", "Other ethnic group"], "Not stated", False),
        ("breakdown", [], "", False),
        ("breakdown", ["White", "White", "Not stated"], "Not stated", False),
        ("count", [], "", True),
        ("count", [], "Not known", False),
        ("count", ["Female"], "", False),
        ("text", "not a list", "", False),
    ],
)
def test_breakdown_rules(db, kind, breakdown, not_known, ok):
    kpi = KpiDefinition(code="k", name="K", kind=kind, breakdown=breakdown, not_known=not_known)
    if ok:
        kpi.full_clean()
    else:
        with pytest.raises(ValidationError):
            kpi.full_clean()


def test_kind_is_checked_by_the_database(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        KpiDefinition.objects.create(code="k", name="K", kind="sum")
