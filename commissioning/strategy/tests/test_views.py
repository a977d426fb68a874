import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.core.tests.helpers import date_fields
from commissioning.strategy.models import DecisionRecord, SignOffStatus, StrategyVersion, Variation
from commissioning.strategy.tests import url_matrix
from commissioning.strategy.tests.factories import (
    CommissioningObjectiveFactory,
    DecisionRecordFactory,
    PanelAreaFactory,
    PillarFactory,
    PoliceCrimePlanFactory,
    PriorityFactory,
    StrategyDocumentFactory,
    StrategyVersionFactory,
    VariationFactory,
)
from commissioning.testing.matrix import ALL_ROLES, ANONYMOUS

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def h1_count(response) -> int:
    return len(re.findall(r"<h1[ >]", html(response)))


@pytest.fixture
def document(db):
    return StrategyDocumentFactory(title="Commissioning Strategy 2025 to 2029")


@pytest.fixture
def in_force(document, users):
    return StrategyVersionFactory(
        document=document,
        number=1,
        status=SignOffStatus.SIGNED,
        in_force_from=timezone.now(),
        review_due_on=dt.date(2026, 11, 24),
        prepared_by=users["commissioning_manager"],
    )


# --- The role × URL matrix for this app alone (the project test runs every app's together) ---


def test_strategy_url_matrix(users):
    world = SimpleNamespace(users=users)
    url_matrix.setup(world)
    clients = {ANONYMOUS: Client()}
    for role in ALL_ROLES:
        clients[role] = Client()
        clients[role].force_login(users[role])
    failures = []
    for case in url_matrix.CASES:
        url = reverse(case.url_name, kwargs=case.kwargs(world)) + (f"?{case.query}" if case.query else "")
        for who, expected in case.expected.items():
            status = clients[who].get(url).status_code
            if status != expected:
                failures.append(f"{case.url_name} {url} as {who}: expected {expected}, got {status}")
    assert not failures, "\n".join(failures)


# --- The plan ---


def test_index_shows_plan_objectives_panel_areas_and_strategies(client_for, in_force):
    plan = PoliceCrimePlanFactory(is_current=True, title="Police and Crime Plan 2021 to 2025")
    pillar = PillarFactory(plan=plan, number=1, title="Protect people at risk of harm")
    PriorityFactory(pillar=pillar, code="1.1", title="Support victims")
    CommissioningObjectiveFactory(number=1, title="Commission services in line with the Police and Crime Plan")
    PanelAreaFactory(code="sexual-violence", name="Sexual Violence")

    page = html(client_for("panel_member").get(reverse("strategy:index")))
    for text in [
        "Police and Crime Plan 2021 to 2025",
        "Protect people at risk of harm",
        "Support victims",
        "Commission services in line with the Police and Crime Plan",
        "Sexual Violence",
        in_force.document.title,
        "24 November 2026",
    ]:
        assert text in page
    assert "Change pillar 1" not in page

    provider_page = html(client_for("provider").get(reverse("strategy:index")))
    assert "Support victims" in provider_page
    assert in_force.document.title not in provider_page

    assert "Change pillar 1" in html(client_for("commissioning_manager").get(reverse("strategy:index")))


def test_plan_edit_with_bad_input_shows_errors_and_saves_nothing(client_for):
    plan = PoliceCrimePlanFactory(title="Original")
    url = reverse("strategy:plan_edit", args=[plan.pk])
    response = client_for("commissioning_manager").post(
        url,
        {
            "title": "",
            **date_fields("starts_on", dt.date(2026, 4, 1)),
            **date_fields("ends_on", dt.date(2025, 4, 1)),
        },
    )
    assert response.status_code == 200
    page = html(response)
    assert "There is a problem" in page
    assert "Enter the title of the plan" in page
    assert "The end date must be after the start date" in page
    assert page.count("<title>Error: ") == 1
    plan.refresh_from_db()
    assert plan.title == "Original"
    assert plan.history.count() == 1


def test_plan_edit_saves_with_reason(client_for):
    plan = PoliceCrimePlanFactory(title="Original")
    response = client_for("admin").post(
        reverse("strategy:plan_edit", args=[plan.pk]),
        {
            "title": "Renamed",
            "reason": "New PCC elected",
            **date_fields("starts_on", dt.date(2024, 5, 1)),
            **date_fields("ends_on", dt.date(2028, 3, 31)),
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.starts_on) == ("Renamed", dt.date(2024, 5, 1))
    assert plan.history.first().history_change_reason == "New PCC elected"


def test_priority_with_a_used_code_shows_an_error_against_the_code(client_for):
    pillar = PillarFactory(number=2)
    PriorityFactory(pillar=pillar, code="2.1")
    response = client_for("commissioning_manager").post(
        reverse("strategy:priority_create", args=[pillar.pk]), {"code": "2.1", "title": "Duplicate"}
    )
    assert response.status_code == 200
    assert 'href="#id_code"' in html(response)
    assert pillar.priorities.count() == 1


# --- Documents and versions ---


def test_document_create_with_bad_input_saves_nothing(client_for):
    response = client_for("commissioning_manager").post(
        reverse("strategy:document_create"),
        {
            "title": "",
            "review_interval_months": "twelve",
            **date_fields("period_start", dt.date(2026, 4, 1)),
            "period_end_day": "31",
            "period_end_month": "2",
            "period_end_year": "2030",
        },
    )
    page = html(response)
    assert "Enter the title of the strategy" in page
    assert "Enter the number of months between reviews as a whole number" in page
    assert "End of the period the strategy covers must be a real date" in page
    assert not StrategyVersion.objects.exists()


def test_document_detail_shows_versions_and_review_due(client_for, in_force):
    page = html(client_for("auditor").get(reverse("strategy:document_detail", args=[in_force.document.pk])))
    assert "Version 1" in page and "24 November 2026" in page
    assert "Create version" not in page
    manager_page = html(
        client_for("commissioning_manager").get(reverse("strategy:document_detail", args=[in_force.document.pk]))
    )
    assert "Create version" in manager_page


def test_version_create_with_no_text_shows_errors_and_saves_nothing(client_for, in_force):
    url = reverse("strategy:version_create", args=[in_force.document.pk])
    response = client_for("policy_officer").post(url, {"summary": "", "body": ""})
    page = html(response)
    assert response.status_code == 200
    assert "Enter a summary of the changes" in page
    assert "Enter the strategy text, or choose to start from the version in force" in page
    assert StrategyVersion.objects.count() == 1


def test_version_create_from_the_version_in_force(client_for, in_force):
    url = reverse("strategy:version_create", args=[in_force.document.pk])
    response = client_for("policy_officer").post(url, {"summary": "Annual review", "start_from_in_force": "on"})
    version = StrategyVersion.objects.get(number=2)
    assert response.status_code == 302 and response.url == reverse("strategy:version_detail", args=[version.pk])
    assert version.body == in_force.body


def test_the_whole_sign_off_through_the_pages(client_for, users, in_force, django_capture_on_commit_callbacks):
    document = in_force.document
    manager = client_for("commissioning_manager")
    manager.post(reverse("strategy:version_create", args=[document.pk]), {"summary": "S", "body": "New text"})
    version = StrategyVersion.objects.get(number=2)
    detail = reverse("strategy:version_detail", args=[version.pk])
    assert "Submit for sign-off" in html(manager.get(detail))
    assert "Submit for sign-off" not in html(client_for("policy_officer").get(detail))

    with django_capture_on_commit_callbacks(execute=True):
        assert manager.post(reverse("strategy:version_submit", args=[version.pk])).status_code == 302

    labels = {
        "pcc": "Police and Crime Commissioner",
        "chief_executive": "Chief Executive",
        "cfo": "Chief Finance Officer",
        "director_operations": "Director of Operations",
    }
    for role, label in labels.items():
        signer = client_for(role)
        page = html(signer.get(detail))
        assert f"Sign as {label}" in page
        for other_role, other_label in labels.items():
            if other_role != role:
                assert f"Sign as {other_label}<" not in page.replace("</button>", "<")
        response = signer.post(reverse("strategy:version_sign", args=[version.pk]), {"comment": f"OK {role}"})
        assert response.status_code == 302
        assert f"Sign as {label}" not in html(signer.get(detail))

    version.refresh_from_db()
    in_force.refresh_from_db()
    assert version.status == SignOffStatus.SIGNED
    assert in_force.status == SignOffStatus.SUPERSEDED
    page = html(manager.get(detail))
    assert "OK cfo" in page
    assert "Raise a variation" in page
    assert h1_count(manager.get(detail)) == 1


def test_signing_twice_shows_the_reason_and_saves_nothing(client_for, users, document):
    version = StrategyVersionFactory(document=document, status=SignOffStatus.AWAITING)
    url = reverse("strategy:version_sign", args=[version.pk])
    client_for("cfo").post(url, {})
    response = client_for("cfo").post(url, {})
    assert response.status_code == 200
    assert "The Chief Finance Officer has already signed version" in html(response)
    assert version.signatures.count() == 1


def test_a_long_comment_is_refused(client_for, document):
    version = StrategyVersionFactory(document=document, status=SignOffStatus.AWAITING)
    response = client_for("pcc").post(reverse("strategy:version_sign", args=[version.pk]), {"comment": "x" * 301})
    assert "Comment must be 300 characters or fewer" in html(response)
    assert version.signatures.count() == 0


def test_submitting_a_version_that_is_not_a_draft_shows_why(client_for, in_force):
    response = client_for("commissioning_manager").post(reverse("strategy:version_submit", args=[in_force.pk]))
    assert response.status_code == 200
    assert "Only a draft can be submitted for sign-off" in html(response)


def test_version_edit_with_bad_input_saves_nothing(client_for, document):
    version = StrategyVersionFactory(document=document, status=SignOffStatus.DRAFT, body="Original")
    response = client_for("policy_officer").post(
        reverse("strategy:version_edit", args=[version.pk]), {"summary": "S", "body": ""}
    )
    assert "Enter the strategy text" in html(response)
    version.refresh_from_db()
    assert version.body == "Original"


# --- Variations ---


def test_variation_pages_from_raising_to_effect(client_for, in_force):
    manager = client_for("commissioning_manager")
    create = reverse("strategy:variation_create", args=[in_force.pk])
    bad = manager.post(create, {"title": "", "reason": "", "change": ""})
    assert "Enter a title for the variation" in html(bad)
    assert not Variation.objects.exists()
    assert "takes effect only when the Police and Crime Commissioner and one other signatory" in html(bad)

    manager.post(create, {"title": "New code", "reason": "Law changed", "change": "Section 1"})
    variation = Variation.objects.get()
    detail = reverse("strategy:variation_detail", args=[variation.pk])
    assert "Share for sign-off" in html(manager.get(detail))
    manager.post(reverse("strategy:variation_share", args=[variation.pk]))

    client_for("pcc").post(reverse("strategy:variation_sign", args=[variation.pk]), {})
    variation.refresh_from_db()
    assert variation.status == Variation.Status.AWAITING
    assert "Sign as Chief Executive" in html(client_for("chief_executive").get(detail))
    client_for("chief_executive").post(reverse("strategy:variation_sign", args=[variation.pk]), {})
    variation.refresh_from_db()
    assert variation.status == Variation.Status.IN_EFFECT
    assert "Withdraw variation" not in html(manager.get(detail))


def test_withdrawing_needs_a_reason(client_for, in_force):
    variation = VariationFactory(version=in_force, status=Variation.Status.AWAITING)
    url = reverse("strategy:variation_withdraw", args=[variation.pk])
    response = client_for("commissioning_manager").post(url, {"reason": ""})
    assert "Enter why the variation is being withdrawn" in html(response)
    variation.refresh_from_db()
    assert variation.status == Variation.Status.AWAITING
    client_for("commissioning_manager").post(url, {"reason": "Overtaken by the review"})
    variation.refresh_from_db()
    assert variation.status == Variation.Status.WITHDRAWN


# --- Decision records ---


def decision_post(users, **overrides):
    data = {
        "subject": "Grant to Dorset Rape Crisis",
        "legal_basis": "prsra_2011_s9",
        "decision": "To award",
        "reasons": "Meets pillar 1",
        "amount": "£25,000.00",
        "decided_by": users["pcc"].pk,
        **date_fields("decided_on", dt.date(2026, 3, 2)),
        "publishable": "yes",
        "not_publishable_reason": "",
    }
    return {**data, **overrides}


def test_decision_create_with_bad_input_shows_errors_and_saves_nothing(client_for, users):
    response = client_for("commissioning_manager").post(
        reverse("strategy:decision_create"),
        decision_post(
            users,
            subject="",
            amount="12.345",
            publishable="no",
            decided_by=users["cfo"].pk,
            decided_on_day="",
        ),
    )
    page = html(response)
    assert response.status_code == 200
    for message in [
        "Enter the subject of the decision",
        "Amount must have no more than 2 decimal places (pence)",
        "Enter why the decision is not to be published",
        "Select the Police and Crime Commissioner who made the decision",
        "Enter the date of the decision",
    ]:
        assert message in page, message
    assert 'href="#id_decided_on_0"' in page
    assert not DecisionRecord.objects.exists()


def test_decision_create_numbers_the_record(client_for, users):
    response = client_for("chief_executive").post(reverse("strategy:decision_create"), decision_post(users))
    record = DecisionRecord.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("strategy:decision_detail", args=[record.pk])
    assert record.number == "2026/001"
    assert record.amount == Decimal("25000.00")
    page = html(client_for("auditor").get(response.url))
    assert "Decision 2026/001" in page and "£25,000.00" in page and "2 March 2026" in page
    assert "Police Reform and Social Responsibility Act 2011, section 9" in page
    assert "Decision 2026/001 recorded" in page


def test_decision_list_paginates_at_25(client_for, users):
    DecisionRecordFactory.create_batch(30, decided_by=users["pcc"], recorded_by=users["pcc"])
    first = html(client_for("panel_member").get(reverse("strategy:decision_list")))
    second = html(client_for("panel_member").get(reverse("strategy:decision_list") + "?page=2"))
    assert first.count('class="govuk-table__row"') == 26  # header and 25 rows
    assert second.count('class="govuk-table__row"') == 6
    assert 'class="govuk-pagination"' in first


@pytest.mark.parametrize("count", [1, 30])
def test_decision_list_page_queries_are_bounded(client_for, users, django_assert_max_num_queries, count):
    DecisionRecordFactory.create_batch(count, decided_by=users["pcc"], recorded_by=users["pcc"])
    client = client_for("auditor")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("strategy:decision_list")).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_document_page_queries_are_bounded(client_for, users, django_assert_max_num_queries, count):
    document = StrategyDocumentFactory()
    StrategyVersionFactory.create_batch(
        count, document=document, status=SignOffStatus.SUPERSEDED, prepared_by=users["policy_officer"]
    )
    client = client_for("auditor")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("strategy:document_detail", args=[document.pk])).status_code == 200


def test_each_page_has_one_h1(client_for, users, in_force):
    variation = VariationFactory(version=in_force)
    decision = DecisionRecordFactory(decided_by=users["pcc"], recorded_by=users["pcc"])
    client = client_for("commissioning_manager")
    for url in [
        reverse("strategy:index"),
        reverse("strategy:document_detail", args=[in_force.document.pk]),
        reverse("strategy:version_detail", args=[in_force.pk]),
        reverse("strategy:variation_detail", args=[variation.pk]),
        reverse("strategy:variation_create", args=[in_force.pk]),
        reverse("strategy:decision_list"),
        reverse("strategy:decision_create"),
        reverse("strategy:decision_detail", args=[decision.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert h1_count(response) == 1, url


def test_version_create_explains_when_a_version_is_already_in_progress(client_for, in_force):
    StrategyVersionFactory(document=in_force.document, number=2, status=SignOffStatus.AWAITING)
    response = client_for("policy_officer").get(reverse("strategy:version_create", args=[in_force.document.pk]))
    page = html(response)
    assert "Version 2 is awaiting sign-off. Finish it before creating another version." in page
    assert "<form" not in page.split('id="main-content"')[1]
    document_page = html(
        client_for("policy_officer").get(reverse("strategy:document_detail", args=[in_force.document.pk]))
    )
    assert "Create version" not in document_page


def test_home_page_lists_what_awaits_the_signatory_and_reviews_due(client_for, users):
    document = StrategyDocumentFactory(title="Commissioning Strategy 2025 to 2029")
    StrategyVersionFactory(
        document=document,
        number=1,
        status=SignOffStatus.SIGNED,
        in_force_from=timezone.now(),
        review_due_on=timezone.localdate(),
    )
    awaiting = StrategyVersionFactory(document=document, number=2, status=SignOffStatus.AWAITING)
    page = html(client_for("cfo").get(reverse("home:index")))
    assert "Waiting for your signature" in page
    assert reverse("strategy:version_detail", args=[awaiting.pk]) in page
    assert "Commissioning Strategy 2025 to 2029, version 2" in page
    assert "the annual review is due by" in page


def test_decision_pages_mark_decisions_as_the_current_section(client_for):
    page = html(client_for("auditor").get(reverse("strategy:decision_list")))
    assert re.search(r'aria-current="true"><strong[^>]*>Decisions</strong>', page)
