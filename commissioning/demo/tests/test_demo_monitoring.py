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
    assert ReturnStatus.RESUBMITTED in states


def test_demo_has_narratives_case_studies_and_feedback(demo):
    from commissioning.monitoring.models import CaseStudy, FeedbackRecord, ReturnNarrative

    narratives = ReturnNarrative.objects.filter(kpi_return__service__name__endswith="(demo)")
    assert narratives.count() >= 3
    assert set(CaseStudy.objects.values_list("consented_for_publication", flat=True)) == {True, False}
    assert CaseStudy.objects.filter(consented_for_publication=True, kpi_return__status="accepted").exists()
    assert {"partner", "survey"} <= set(FeedbackRecord.objects.values_list("source", flat=True))


def test_a_second_run_makes_nothing_new(demo):
    from commissioning.monitoring.models import CaseStudy, FeedbackRecord

    def counts():
        return tuple(m.objects.count() for m in (KpiReturn, ReturnVersion, ServiceKpi, CaseStudy, FeedbackRecord))

    before = counts()
    summary = DemoSummary(profile=None)
    demo_monitoring(summary=summary)
    assert counts() == before
    assert summary.counts["created"] == 0 and summary.counts["unchanged"] == 2
