"""setup_demo's monitoring: demo services have returns in every state, every monitoring model has rows, and a
second run changes nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from commissioning.demo.monitoring import demo_monitoring
from commissioning.demo.story import DemoSummary
from commissioning.monitoring.models import (
    KpiReturn,
    RagRule,
    ReturnDecision,
    ReturnSchedule,
    ReturnStatus,
    ReturnValue,
    ReturnVersion,
    ServiceKpi,
)


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    settings.OPCC_PROFILE = "dorset"
    call_command("setup_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_returns_are_in_every_state(demo):
    today = timezone.localdate()
    returns = list(KpiReturn.objects.filter(service__name__endswith="(demo)"))
    states = {r.status for r in returns}
    assert {ReturnStatus.DUE, ReturnStatus.SUBMITTED, ReturnStatus.QUERIED, ReturnStatus.ACCEPTED} <= states
    assert any(r.is_overdue(today) for r in returns)
    assert any(r.status == ReturnStatus.DUE and not r.is_overdue(today) for r in returns)
    for model in (ServiceKpi, ReturnSchedule, ReturnVersion, ReturnValue, ReturnDecision, RagRule):
        assert model.objects.exists(), model
    accepted = next(r for r in returns if r.status == ReturnStatus.ACCEPTED)
    assert accepted.versions.count() == 2  # queried, corrected and accepted
    assert all(r.ends_on < today for r in returns)  # a return is due only once its period has ended


def test_a_second_run_makes_nothing_new(demo):
    before = (KpiReturn.objects.count(), ReturnVersion.objects.count(), ServiceKpi.objects.count())
    summary = DemoSummary(profile=None)
    demo_monitoring(summary=summary)
    assert (KpiReturn.objects.count(), ReturnVersion.objects.count(), ServiceKpi.objects.count()) == before
    assert summary.counts["created"] == 0 and summary.counts["unchanged"] == 2
