"""Narratives and case studies with a return (the provider writes, officers read; consented case studies reach the
Panel report), feedback records on a service, and the service page's monitoring panel (issue 11, point 3)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commissioning.monitoring import selectors, stories
from commissioning.monitoring.models import FeedbackRecord, ReturnStatus
from commissioning.monitoring.tests.factories import (
    KpiReturnFactory,
    ServiceFactory,
    ServiceKpiFactory,
    story_records,
)


@pytest.fixture
def service(users):
    return ServiceFactory(name="Safe Steps", provider=users["provider"].organisation, starts_on=dt.date(2025, 4, 1))


@pytest.fixture
def kpi_return(service):
    return KpiReturnFactory(service=service, status=ReturnStatus.SUBMITTED)


def test_the_provider_writes_the_narrative_and_changes_it_until_accepted(users, kpi_return):
    provider = users["provider"]
    narrative = stories.narrative_save(actor=provider, kpi_return=kpi_return, achievements="  Good quarter. ")
    assert narrative.achievements == "Good quarter."
    stories.narrative_save(actor=provider, kpi_return=kpi_return, achievements="Better", challenges="Staffing")
    kpi_return.refresh_from_db()
    assert (kpi_return.narrative.achievements, kpi_return.narrative.challenges) == ("Better", "Staffing")
    assert kpi_return.narrative.history.count() == 2
    with pytest.raises(ValidationError) as error:
        stories.narrative_save(actor=provider, kpi_return=kpi_return, achievements="")
    assert error.value.message_dict == {"achievements": ["Say what went well in the period"]}
    kpi_return.status = ReturnStatus.ACCEPTED
    with pytest.raises(ValidationError):
        stories.narrative_save(actor=provider, kpi_return=kpi_return, achievements="Too late")


def test_only_the_services_provider_writes_narratives_and_case_studies(users, kpi_return):
    other = KpiReturnFactory(status=ReturnStatus.DUE)  # another provider's service
    for role, target in (("policy_officer", kpi_return), ("partner", kpi_return), ("provider", other)):
        with pytest.raises(PermissionDenied):
            stories.case_study_add(actor=users[role], kpi_return=target, title="T", story="S")


def test_only_consented_case_studies_of_accepted_returns_are_for_publication(users, kpi_return):
    story_records(kpi_return, author=users["provider"], officer=users["policy_officer"])
    window = {"starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2026, 6, 30)}
    assert list(selectors.case_studies_for_publication(**window)) == []  # the return is not accepted yet
    kpi_return.status = ReturnStatus.ACCEPTED
    kpi_return.save()
    assert [s.title for s in selectors.case_studies_for_publication(**window)] == ["Support after a burglary"]


def test_officers_record_feedback_with_a_rating_from_1_to_5(users, service):
    officer = users["commissioning_manager"]
    record = stories.feedback_add(
        actor=officer,
        service=service,
        source="survey",
        given_by="Survey of service users",
        received_on=dt.date(2026, 6, 1),
        summary="Most felt listened to.",
        rating=4,
        respondents=20,
    )
    assert (record.rating_label, record.recorded_by, record.respondents) == ("Good", officer, 20)
    with pytest.raises(ValidationError) as error:
        stories.feedback_add(
            actor=officer,
            service=service,
            source="partner",
            given_by="",
            received_on=dt.date(2099, 1, 1),
            summary="x",
            rating=6,
        )
    assert {"given_by", "received_on", "rating"} <= set(error.value.message_dict)
    with pytest.raises(PermissionDenied):
        stories.feedback_add(actor=users["provider"], service=service, source="other", given_by="x", summary="y")


def test_the_performance_page_shows_stories_and_feedback_only_to_the_opcc(users, client_for, kpi_return):
    story_records(kpi_return, author=users["provider"], officer=users["policy_officer"])
    url = reverse("monitoring:service_performance", args=[kpi_return.service_id])
    officer_page = client_for("policy_officer").get(url).content.decode()
    assert "Support after a burglary" in officer_page and "More victims took up support" in officer_page
    assert "Victim Care Unit" in officer_page and "23 replies" in officer_page and "Record feedback" in officer_page
    provider_page = client_for("provider").get(url).content.decode()
    assert "Support after a burglary" in provider_page and "Victim Care Unit" not in provider_page


def test_the_return_page_shows_the_narrative_and_case_studies(users, client_for, kpi_return):
    story_records(kpi_return, author=users["provider"], officer=users["policy_officer"])
    url = reverse("monitoring:return_detail", args=[kpi_return.pk])
    page = client_for("provider").get(url).content.decode()
    assert "A caseworker post was vacant" in page and "May be published" in page and "Not for publication" in page
    assert "Change the narrative" in page and "Add a case study" in page
    assert "Add a case study" not in client_for("policy_officer").get(url).content.decode()


def test_the_web_forms_save_a_narrative_a_case_study_and_feedback(users, client_for, kpi_return):
    provider = client_for("provider")
    response = provider.post(
        reverse("monitoring:narrative_edit", args=[kpi_return.pk]), {"achievements": "Forty people helped"}
    )
    assert response.status_code == 302
    response = provider.post(
        reverse("monitoring:case_study_add", args=[kpi_return.pk]),
        {"title": "A story", "story": "What happened", "consented_for_publication": "on"},
    )
    assert response.status_code == 302 and kpi_return.case_studies.get().consented_for_publication
    response = provider.post(reverse("monitoring:case_study_add", args=[kpi_return.pk]), {"title": ""})
    assert "Enter title" in response.content.decode() or "Enter a title" in response.content.decode()
    officer = client_for("commissioning_manager")
    response = officer.post(
        reverse("monitoring:feedback_add", args=[kpi_return.service_id]),
        {
            "source": "partner",
            "given_by": "Victim Care Unit",
            "received_on_day": "1",
            "received_on_month": "6",
            "received_on_year": "2026",
            "summary": "Quick to respond",
            "rating": "5",
        },
    )
    assert response.status_code == 302
    assert FeedbackRecord.objects.get().rating == 5


def test_the_service_page_shows_the_services_kpis_and_returns(users, client_for, kpi_return):
    ServiceKpiFactory(service=kpi_return.service, name="Referrals handled", target=40)
    url = reverse("agreements:service_detail", args=[kpi_return.service_id])
    page = client_for("policy_officer").get(url).content.decode()
    assert "Measures and returns" in page and "Referrals handled" in page and "40 people" in page
    assert kpi_return.period_label in page
    assert "Referrals handled" not in client_for("panel_member").get(url).content.decode()
