"""The demo's story is dated from the day it runs, so it must hold together whatever that day is: here on the
third day of a financial year and in its last week (the demo clock set back, demo/clock.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from commissioning.demo.clock import clock_at
from commissioning.demo.story import demo_setup
from commissioning.demo.tests import consistency
from commissioning.grants.models import Approach, Award, GrantRound

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", [dt.date(2025, 4, 3), dt.date(2026, 3, 29)], ids=["early", "late"])
def test_the_story_holds_together_on_any_day(day, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    year = consistency.fy_start(day)
    with clock_at(day):
        demo_setup(profile_name="dorset")
        assert timezone.localdate() == day
    decided = GrantRound.objects.get(name=f"Community Grant Scheme {year - 1}/{year % 100:02d}: summer round")
    assert decided.status == GrantRound.Status.DECIDED and decided.year.start_year == year - 1
    assessing = GrantRound.objects.get(name=f"Community Grant Scheme {year}/{(year + 1) % 100:02d}: autumn round")
    assert assessing.year.start_year == year
    assert sorted(assessing.applications.values_list("status", flat=True)) == [
        "eligible",
        "moderated",
        "recommended",
        "submitted",
    ]
    assert Award.objects.filter(application__round=decided).count() == 3
    assert set(Approach.objects.values_list("status", flat=True)) == set(Approach.Status.values)
    assert consistency.running_agreement_years_without_commitment(current_start_year=year) == []
    assert consistency.payments_out_of_year_or_before_the_agreement() == []
    assert consistency.grant_payments_due_before_their_decision() == []
    assert consistency.commitments_approved_by_their_planner() == []
    assert consistency.signed_versions_without_four_signatures() == []
    assert len(consistency.versions_waiting_for_the_pcc()) == 1
