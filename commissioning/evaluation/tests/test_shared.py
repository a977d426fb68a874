"""The evaluation mechanics live once (ADR 0015): both routes' models subclass the shared abstract models and their
services go through the shared functions."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from commissioning.evaluation import models, services
from commissioning.grants.services.assessment import KIND as GRANTS
from commissioning.procurement.services.evaluation import KIND as TENDERS


@pytest.mark.parametrize("kind", [GRANTS, TENDERS], ids=["grants", "tenders"])
def test_both_routes_use_the_shared_models(kind):
    assert issubclass(kind.assignment, models.Assignment)
    assert issubclass(kind.score, models.CriterionScore)
    assert issubclass(kind.moderation, models.Moderation)
    assert issubclass(kind.moderated_score, models.ModeratedScore)
    assert kind.assignment.SUBJECT == kind.moderation.SUBJECT == kind.subject


def test_weighted_score_out_of_the_weights():
    criteria = [SimpleNamespace(pk=1, weight=Decimal("50")), SimpleNamespace(pk=2, weight=Decimal("10"))]
    assert services.weighted_score(criteria=criteria, scores={1: 4, 2: 3}) == Decimal("46.00")
    assert services.weighted_score(criteria=criteria, scores={1: 5, 2: 5}) == Decimal("60.00")


@pytest.mark.parametrize(("given", "expected"), [("3", 3), (" 5 ", 5), (0, 0), ("", None), (None, None)])
def test_parse_score(given, expected):
    assert services.parse_score(given) == expected


@pytest.mark.parametrize("given", ["6", "-1", "2.5", "x", True, 7])
def test_parse_score_refuses(given):
    with pytest.raises(ValueError):
        services.parse_score(given)
