"""Pages of rounds and the applicant journey: what each shows, that typed values survive an error, that an
organisation sees only its own applications, and that lists cost the same queries for 1 row or 30."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.accounts.tests.factories import UserFactory
from commissioning.core.tests.helpers import text
from commissioning.funds.tests.factories import BudgetFactory
from commissioning.grants.models import Application, GrantRound
from commissioning.grants.selectors.rounds import when_text
from commissioning.grants.tests.factories import (
    PDF_BYTES,
    ApplicationFactory,
    AssessmentCriterionFactory,
    AttachmentFactory,
    DraftRoundFactory,
    EligibilityQuestionFactory,
    GrantSchemeFactory,
    OpenRoundFactory,
    SubmittedApplicationFactory,
    complete_application,
)
from commissioning.organisations.tests.factories import PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db


def summary(response) -> str:
    """The GOV.UK error summary's text."""
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), re.S)
    return re.sub(r"\s+", " ", match.group(0)) if match else ""


def count_queries(callable_) -> int:
    with CaptureQueriesContext(connection) as queries:
        callable_()
    return len(queries)


@pytest.fixture
def scheme():
    return GrantSchemeFactory(code="community-grant-scheme", name="Community Grant Scheme")


@pytest.fixture
def open_round(scheme):
    grant_round = OpenRoundFactory(scheme=scheme, name="Community grants 2026/27")
    EligibilityQuestionFactory(round=grant_round)
    return grant_round


@pytest.fixture
def applicant(users):
    return users["applicant"]


@pytest.fixture
def applicant_client(applicant):
    client = Client()
    client.force_login(applicant)
    return client


@pytest.fixture
def draft(applicant, open_round):
    return ApplicationFactory(round=open_round, organisation=applicant.organisation, created_by=applicant)


def section_url(application, slug):
    return reverse("grants:application_section", args=[application.pk, slug])


# --- Public pages ------------------------------------------------------------------------------------------------


def test_the_public_list_shows_open_upcoming_and_closed_rounds_in_london_time(scheme):
    closes = (timezone.localtime() + dt.timedelta(days=60)).replace(hour=17, minute=0, second=0, microsecond=0)
    OpenRoundFactory(scheme=scheme, name="Open round", closes_at=closes)
    OpenRoundFactory(
        scheme=scheme,
        name="Upcoming round",
        opens_at=timezone.now() + dt.timedelta(days=5),
        closes_at=timezone.now() + dt.timedelta(days=50),
    )
    OpenRoundFactory(
        scheme=scheme,
        name="Closed round",
        opens_at=timezone.now() - dt.timedelta(days=50),
        closes_at=timezone.now() - dt.timedelta(days=5),
    )
    DraftRoundFactory(scheme=scheme, name="Draft round nobody sees")
    page = text(Client().get(reverse("grants:open_rounds")))
    assert f"Closes 5pm UK time on {closes.day} {closes:%B %Y}" in page
    assert page.index("Open round") < page.index("Opening soon") < page.index("Upcoming round")
    assert page.index("Closed round") > page.index("Closed</h2>")
    assert "Draft round nobody sees" not in page


def test_a_rounds_public_page_shows_limits_dates_terms_and_start_now(open_round):
    response = Client().get(reverse("grants:round_public", args=[open_round.pk]))
    page = text(response)
    assert "£100.00 to £3,000.00" in page and open_round.scheme.who_can_apply in page
    assert reverse("grants:terms", args=[open_round.pk]) in page
    start = reverse("grants:application_start", args=[open_round.pk])
    assert f"{reverse('grants:applicant_register')}?next={start}" in page and "Start now" in page
    terms = text(Client().get(reverse("grants:terms", args=[open_round.pk])))
    assert open_round.terms.text in terms


def test_a_draft_round_is_not_public(scheme):
    grant_round = DraftRoundFactory(scheme=scheme)
    assert Client().get(reverse("grants:round_public", args=[grant_round.pk])).status_code == 404


# --- Registering and starting ------------------------------------------------------------------------------------


REGISTER_FORM = {
    "organisation_name": "Bridport Community Cafe",
    "organisation_type": "community_group",
    "name": "Jo Bloggs",
    "email": "jo@bridport.example",
    "password": "a-long-and-unusual-passphrase",
    "password_again": "a-long-and-unusual-passphrase",
}


def test_an_organisation_registers_confirms_its_address_and_is_signed_in(
    open_round, mailoutbox, django_capture_on_commit_callbacks
):
    start = reverse("grants:application_start", args=[open_round.pk])
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{reverse('grants:applicant_register')}?next={start}", REGISTER_FORM)
    assert response.status_code == 302 and response["Location"] == reverse("grants:applicant_register_sent")
    sent = " ".join(text(client.get(response["Location"])).split())
    assert "We have sent an e-mail to <strong>jo@bridport.example</strong>" in sent
    user = User.objects.get(email="jo@bridport.example")
    assert user.organisation.description == "Constituted community group" and not user.is_active
    assert client.get(start).status_code == 302  # not signed in yet
    [message] = mailoutbox
    link = re.search(r"https?://[^/\s]+(/grants/apply/confirm/\S+)", message.body)[1]
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == start
    assert client.get(start).status_code == 200
    assert client.get(link).status_code == 302  # signed in now: sent on, not confirmed twice
    assert Client().get(link).status_code == 400  # used


def test_registering_an_address_with_an_account_looks_the_same(mailoutbox, django_capture_on_commit_callbacks):
    """Whether or not the address has an account, the answer is the same page; only the e-mail differs."""
    User.objects.create_user("jo@bridport.example", "x" * 20, display_name="Jo", role="policy_officer")
    with django_capture_on_commit_callbacks(execute=True):
        taken = Client().post(reverse("grants:applicant_register"), REGISTER_FORM, follow=True)
        fresh = Client().post(
            reverse("grants:applicant_register"), {**REGISTER_FORM, "email": "new@bridport.example"}, follow=True
        )
    assert taken.redirect_chain == [(reverse("grants:applicant_register_sent"), 302)]
    assert fresh.redirect_chain == [(reverse("grants:applicant_register_sent"), 302)]
    normalise = lambda r: " ".join(text(r).replace("new@bridport.example", "jo@bridport.example").split())  # noqa: E731
    assert normalise(taken) == normalise(fresh)
    assert [m.subject.split(" with ")[0] for m in mailoutbox] == ["You already have an account", "Confirm your account"]


def test_registering_is_throttled_per_e_mail_address_and_per_network_address(settings):
    settings.THROTTLE_REQUESTS = 2

    def register(email, address):
        return Client().post(
            reverse("grants:applicant_register"), {**REGISTER_FORM, "email": email}, REMOTE_ADDR=address
        )

    # Per network address: a third attempt from one address is refused, whatever the e-mail address.
    assert register("a@one.example", "10.0.0.1").status_code == 302
    assert register("b@one.example", "10.0.0.1").status_code == 302
    refused = register("c@one.example", "10.0.0.1")
    assert refused.status_code == 429
    assert "There have been too many attempts to create an account. Wait 15 minutes and try again" in summary(refused)
    assert not User.objects.filter(email="c@one.example").exists()
    # Per e-mail address: a third attempt for one address is refused, from wherever it comes.
    assert register("target@two.example", "10.0.1.1").status_code == 302
    assert register("target@two.example", "10.0.1.2").status_code == 302
    assert register("target@two.example", "10.0.1.3").status_code == 429
    # Someone else, elsewhere, is not held up.
    assert register("d@three.example", "10.0.2.1").status_code == 302


def test_registering_keeps_what_was_typed_on_an_error():
    response = Client().post(
        reverse("grants:applicant_register"),
        {
            "organisation_name": "Bridport Community Cafe",
            "organisation_type": "charity",
            "charity_number": "12",
            "name": "Jo Bloggs",
            "email": "jo@bridport.example",
            "password": "a-long-and-unusual-passphrase",
            "password_again": "a-different-passphrase-entirely",
        },
    )
    errors = summary(response)
    assert "The passwords do not match. Enter the same password twice" in errors
    page = text(response)
    assert 'value="Bridport Community Cafe"' in page and 'value="jo@bridport.example"' in page
    assert 'value="charity" checked' in page
    assert not User.objects.filter(email="jo@bridport.example").exists()


def test_the_ineligible_answer_shows_the_questions_message(applicant_client, open_round):
    question = open_round.eligibility_questions.get()
    response = applicant_client.post(
        reverse("grants:application_start", args=[open_round.pk]), {f"question_{question.pk}": "no"}
    )
    assert "Your organisation cannot apply to this round" in text(response)
    assert question.ineligible_message in text(response)
    assert not Application.objects.exists()


def test_an_eligible_organisation_starts_and_sees_its_task_list(applicant_client, open_round):
    question = open_round.eligibility_questions.get()
    response = applicant_client.post(
        reverse("grants:application_start", args=[open_round.pk]), {f"question_{question.pk}": "yes"}
    )
    application = Application.objects.get()
    assert response["Location"] == reverse("grants:application_tasks", args=[application.pk])
    page = text(applicant_client.get(response["Location"]))
    for title in ("Organisation details", "Your project", "Plan priorities", "Budget", "Attachments"):
        assert title in page
    assert "Cannot start yet" in page
    # Starting again goes back to the same application.
    again = applicant_client.get(reverse("grants:application_start", args=[open_round.pk]))
    assert again["Location"] == response["Location"]


# --- Typed values are kept on every error -------------------------------------------------------------------------


def _budget_post(amount, lines):
    data = {"amount_requested": amount}
    for number, (item, value) in enumerate(lines, start=1):
        data[f"item_{number}"], data[f"amount_{number}"] = item, value
    return data


@pytest.mark.parametrize(
    ("amount", "lines", "message"),
    [
        ("99.99", [("Room hire", "99.99")], "Enter an amount of at least £100.00"),
        ("£3,000.01", [("Room hire", "3000.01")], "Enter an amount of no more than £3,000.00"),
        (
            "500",
            [("Room hire", "300"), ("Coach trip", "150")],
            "The budget lines add up to £450.00; they must add up to the amount requested, £500.00",
        ),
    ],
)
def test_the_budget_page_keeps_what_was_typed(applicant_client, draft, amount, lines, message):
    response = applicant_client.post(section_url(draft, "budget"), _budget_post(amount, lines))
    assert response.status_code == 200
    assert message in summary(response)
    page = text(response)
    assert f'value="{amount}"' in page
    for item, value in lines:
        assert f'value="{item}"' in page and f'value="{value}"' in page
    draft.refresh_from_db()
    assert draft.amount_requested == Decimal("2000.00") and not draft.budget_lines.exists()


def test_the_budget_lines_error_links_to_the_lines(applicant_client, draft):
    response = applicant_client.post(section_url(draft, "budget"), _budget_post("500", [("Room hire", "300")]))
    assert 'href="#budget-lines"' in summary(response)
    assert 'id="budget-lines"' in response.content.decode()


def test_a_saved_budget_returns_to_the_task_list(applicant_client, draft):
    response = applicant_client.post(
        section_url(draft, "budget"), _budget_post("500", [("Room hire", "300"), ("", ""), ("Coach", "200")])
    )
    assert response["Location"] == reverse("grants:application_tasks", args=[draft.pk])
    assert list(draft.budget_lines.values_list("item", flat=True)) == ["Room hire", "Coach"]
    page = text(applicant_client.get(section_url(draft, "budget")))
    assert 'value="Coach"' in page and 'value="200.00"' in page


def test_no_priority_is_an_error(applicant_client, draft):
    plan = PlanFactory(is_current=True)
    PriorityFactory(pillar__plan=plan, code="1.1", title="Vulnerability")
    response = applicant_client.post(section_url(draft, "priorities"), {})
    assert "Select at least one Police and Crime Plan priority the project meets" in summary(response)
    assert "1.1 Vulnerability" in text(response)


def test_the_project_page_keeps_what_was_typed(applicant_client, draft):
    response = applicant_client.post(
        section_url(draft, "project"),
        {
            "project_title": "Safer parks",
            "summary": "Lighting and patrols",
            "beneficiaries_expected": "forty",
            "outcomes": "People feel safer",
            "starts_on_day": "1",
            "starts_on_month": "5",
            "starts_on_year": "2027",
            "ends_on_day": "31",
            "ends_on_month": "4",
            "ends_on_year": "2027",
        },
    )
    assert "Enter the number of people as a whole number, like 40" in summary(response)
    page = text(response)
    assert 'value="Safer parks"' in page and 'value="forty"' in page and 'value="2027"' in page
    draft.refresh_from_db()
    assert draft.project_title.startswith("Test project")


def test_a_wrong_file_type_is_refused_and_the_choice_kept(applicant_client, draft):
    response = applicant_client.post(
        section_url(draft, "attachments"),
        {"kind": "accounts", "file": SimpleUploadedFile("accounts.pdf", b"MZ\x90\x00 a program")},
    )
    assert "The selected file must be a PDF, Word, Excel, OpenDocument, PNG or JPEG file" in summary(response)
    assert 'value="accounts" checked' in text(response)
    assert not draft.attachments.exists()


def test_a_file_over_the_limit_is_refused(applicant_client, draft, settings):
    settings.APPLICATION_UPLOAD_MAX_BYTES = 1024
    response = applicant_client.post(
        section_url(draft, "attachments"),
        {"kind": "accounts", "file": SimpleUploadedFile("accounts.pdf", PDF_BYTES + b"0" * 2048)},
    )
    assert "The selected file must be smaller than 1KB" in summary(response)
    assert "smaller than 1KB" in text(response)  # the hint names the limit too


def test_files_are_uploaded_listed_downloaded_and_removed(applicant_client, draft):
    response = applicant_client.post(
        section_url(draft, "attachments"),
        {"kind": "constitution", "file": SimpleUploadedFile("Our constitution.pdf", PDF_BYTES)},
    )
    assert response.status_code == 302
    attachment = draft.attachments.get()
    page = text(applicant_client.get(section_url(draft, "attachments")))
    assert "Our constitution.pdf" in page and "Still to upload: latest accounts, safeguarding policy" in page
    download = applicant_client.get(reverse("grants:attachment_download", args=[draft.pk, attachment.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF_BYTES
    applicant_client.post(reverse("grants:attachment_remove", args=[draft.pk, attachment.pk]))
    assert not draft.attachments.exists()


# --- Check answers, declaration and confirmation -----------------------------------------------------------------


def test_check_answers_refuses_to_continue_and_lists_what_is_missing(applicant_client, draft):
    response = applicant_client.post(reverse("grants:application_check", args=[draft.pk]))
    errors = summary(response)
    assert "Complete organisation details before you continue" in errors
    assert "Add your constitution or governing document, latest accounts and safeguarding policy" in errors
    assert 'href="#section-budget"' in errors
    assert "Your project before" not in errors  # the factory completed the project
    assert section_url(draft, "project") in response.content.decode()  # a Change link


def test_a_complete_application_is_submitted_and_confirmed(
    applicant_client, applicant, draft, mailoutbox, django_capture_on_commit_callbacks
):
    complete_application(draft)
    response = applicant_client.post(reverse("grants:application_check", args=[draft.pk]))
    assert response["Location"] == reverse("grants:application_declaration", args=[draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(
            response["Location"],
            {"declaration_name": "Sam Taylor", "declaration_role": "Treasurer", "confirmed": "on"},
        )
    draft.refresh_from_db()
    assert response["Location"] == reverse("grants:application_confirmation", args=[draft.pk])
    page = text(applicant_client.get(response["Location"]))
    assert "Application submitted" in page and draft.reference in page and "What happens next" in page
    assert re.fullmatch(r"CGS-\d{4}-0001", draft.reference)
    assert mailoutbox[0].subject == f"Application {draft.reference} received"
    # The sections now send the applicant to the read-only application.
    assert applicant_client.get(section_url(draft, "budget"))["Location"] == reverse(
        "grants:application_detail", args=[draft.pk]
    )


def test_submitting_after_the_close_keeps_what_was_typed(applicant_client, applicant, scheme):
    grant_round = OpenRoundFactory(scheme=scheme)
    application = complete_application(
        ApplicationFactory(round=grant_round, organisation=applicant.organisation, created_by=applicant)
    )
    url = reverse("grants:application_declaration", args=[application.pk])
    assert applicant_client.get(url).status_code == 200  # the page was opened while the round was open
    closes = (timezone.localtime() - dt.timedelta(days=1)).replace(hour=17, minute=0, second=0, microsecond=0)
    GrantRound.objects.filter(pk=grant_round.pk).update(opens_at=closes - dt.timedelta(days=30), closes_at=closes)
    response = applicant_client.post(
        url, {"declaration_name": "Sam Taylor", "declaration_role": "Chair", "confirmed": "on"}
    )
    assert (
        f"This round closed at 5pm UK time on {closes.day} {closes:%B %Y}. Applications can no longer be submitted"
        in summary(response)
    )
    page = text(response)
    assert 'value="Sam Taylor"' in page and 'value="Chair"' in page
    application.refresh_from_db()
    assert application.status == "draft"


# --- Who sees what -----------------------------------------------------------------------------------------------


def test_another_organisations_application_is_not_found(draft):
    stranger = Client()
    stranger.force_login(UserFactory(role="applicant"))
    file = AttachmentFactory(application=draft)
    for url in [
        reverse("grants:application_tasks", args=[draft.pk]),
        section_url(draft, "budget"),
        reverse("grants:application_check", args=[draft.pk]),
        reverse("grants:application_declaration", args=[draft.pk]),
        reverse("grants:application_detail", args=[draft.pk]),
        reverse("grants:application_confirmation", args=[draft.pk]),
        reverse("grants:attachment_download", args=[draft.pk, file.pk]),
    ]:
        assert stranger.get(url).status_code == 404, url
    assert stranger.post(section_url(draft, "budget"), _budget_post("500", [("Hall", "500")])).status_code == 404
    assert stranger.post(reverse("grants:attachment_remove", args=[draft.pk, file.pk])).status_code == 404
    assert draft.attachments.exists()


def test_staff_read_the_whole_application_but_cannot_change_it(client_for, draft):
    complete_application(draft)
    officer = client_for("commissioning_manager")
    page = text(officer.get(reverse("grants:application_detail", args=[draft.pk])))
    assert draft.project_title in page and "Room hire and materials" in page and "constitution.pdf" in page
    assert "Activity log" in page
    assert officer.get(section_url(draft, "budget")).status_code == 403
    assert client_for("evaluator").get(reverse("grants:application_detail", args=[draft.pk])).status_code == 404


def test_the_staff_list_filters_by_round_and_status(client_for, open_round, scheme):
    SubmittedApplicationFactory(round=open_round, project_title="Kept project")
    ApplicationFactory(round=open_round, project_title="Draft project")
    SubmittedApplicationFactory(round=OpenRoundFactory(scheme=scheme), project_title="Other round project")
    page = text(
        client_for("policy_officer").get(
            reverse("grants:application_list"), {"round": open_round.pk, "status": "submitted"}
        )
    )
    assert "Kept project" in page
    assert "Draft project" not in page and "Other round project" not in page


# --- Lists cost the same queries for 1 row or 30 ------------------------------------------------------------------


def _many(factory, n, **kwargs):
    return [factory(**kwargs) for _ in range(n)]


def test_the_staff_list_of_applications_is_query_bounded(client_for, open_round):
    client = client_for("commissioning_manager")
    url = reverse("grants:application_list")
    SubmittedApplicationFactory(round=open_round)
    one = count_queries(lambda: client.get(url))
    _many(SubmittedApplicationFactory, 29, round=open_round)
    response = client.get(url)
    assert "30 applications" in text(response)
    assert count_queries(lambda: client.get(url)) == one


def test_the_applicants_list_is_query_bounded(applicant_client, applicant, scheme):
    url = reverse("grants:application_list_mine")
    SubmittedApplicationFactory(round=OpenRoundFactory(scheme=scheme), organisation=applicant.organisation)
    one = count_queries(lambda: applicant_client.get(url))
    for _ in range(29):
        SubmittedApplicationFactory(round=OpenRoundFactory(scheme=scheme), organisation=applicant.organisation)
    assert "30 applications" in text(applicant_client.get(url))
    assert count_queries(lambda: applicant_client.get(url)) == one


def test_the_round_list_is_query_bounded(client_for, scheme):
    client = client_for("auditor")
    url = reverse("grants:round_list")
    OpenRoundFactory(scheme=scheme)
    one = count_queries(lambda: client.get(url))
    _many(OpenRoundFactory, 29, scheme=scheme)
    assert "30 rounds" in text(client.get(url))
    assert count_queries(lambda: client.get(url)) == one


def test_an_applications_page_does_not_grow_with_its_lines_and_files(client_for, draft):
    complete_application(draft)
    client = client_for("auditor")
    url = reverse("grants:application_detail", args=[draft.pk])
    one = count_queries(lambda: client.get(url))
    for n in range(7):
        AttachmentFactory(application=draft, kind="other", original_name=f"extra-{n}.pdf")
    assert count_queries(lambda: client.get(url)) == one


# --- Rounds, for officers ----------------------------------------------------------------------------------------


def test_an_officer_drafts_a_round_through_the_form(client_for, scheme):
    year = BudgetFactory(fund=scheme.fund).year
    terms = scheme.terms_versions.create(version="1", text="Terms", effective_from=dt.date(2026, 4, 1))
    response = client_for("commissioning_manager").post(
        reverse("grants:round_create"),
        {
            "scheme": scheme.pk,
            "name": "Spring round",
            "fund": scheme.fund.pk,
            "year": year.pk,
            "budget": "£6,000",
            "opens_at_day": "1",
            "opens_at_month": "2",
            "opens_at_year": "2027",
            "opens_time": "9am",
            "closes_at_day": "30",
            "closes_at_month": "4",
            "closes_at_year": "2027",
            "closes_time": "17:00",
            "terms": terms.pk,
            "guidance": "What we fund",
        },
    )
    grant_round = GrantRound.objects.get()
    assert response["Location"] == reverse("grants:round_detail", args=[grant_round.pk])
    assert when_text(grant_round.closes_at) == "5pm UK time on 30 April 2027"
    assert when_text(grant_round.opens_at) == "9am UK time on 1 February 2027"
    assert grant_round.budget == Decimal("6000.00")


def test_publishing_an_incomplete_round_shows_what_is_missing(client_for, scheme):
    grant_round = DraftRoundFactory(scheme=scheme)
    AssessmentCriterionFactory(round=grant_round, weight=Decimal("70"))
    client = client_for("policy_officer")
    detail = text(client.get(reverse("grants:round_detail", args=[grant_round.pk])))
    assert "The criteria weights add up to 70%; they must add up to 100%" in detail
    response = client.post(reverse("grants:round_publish", args=[grant_round.pk]))
    errors = summary(response)
    assert "The criteria weights add up to 70%; they must add up to 100%" in errors
    assert "Add at least one eligibility question" in errors
    grant_round.refresh_from_db()
    assert grant_round.status == GrantRound.Status.DRAFT


def test_questions_and_criteria_are_added_through_their_forms(client_for, scheme):
    grant_round = DraftRoundFactory(scheme=scheme)
    client = client_for("policy_officer")
    client.post(
        reverse("grants:question_add", args=[grant_round.pk]),
        {"text": "Are you based in Dorset?", "required_answer": "yes", "ineligible_message": "Dorset groups only."},
    )
    form = client.get(reverse("grants:criterion_add", args=[grant_round.pk]))
    assert 'value="Very poor"' in text(form) and 'value="Excellent"' in text(form)
    data = {"name": "Need", "weight": "100"}
    data |= {f"descriptor_{n}": label for n, label in enumerate(["None", "1", "2", "3", "4", "5"])}
    client.post(reverse("grants:criterion_add", args=[grant_round.pk]), data)
    assert grant_round.eligibility_questions.get().required_answer is True
    assert grant_round.criteria.get().descriptors == ["None", "1", "2", "3", "4", "5"]


def test_a_published_rounds_form_offers_only_what_may_change(client_for, open_round):
    client = client_for("commissioning_manager")
    url = reverse("grants:round_edit", args=[open_round.pk])
    page = text(client.get(url))
    assert 'name="closes_time"' in page and 'name="guidance"' in page
    assert 'name="budget"' not in page and 'name="fund"' not in page
    later = timezone.localtime(open_round.closes_at) + dt.timedelta(days=7)
    response = client.post(
        url,
        {
            "name": open_round.name,
            "guidance": "Extended by a week",
            "closes_at_day": later.day,
            "closes_at_month": later.month,
            "closes_at_year": later.year,
            "closes_time": "5pm",
        },
    )
    assert response.status_code == 302
    open_round.refresh_from_db()
    assert when_text(open_round.closes_at) == f"5pm UK time on {later.day} {later:%B %Y}"
    assert open_round.guidance == "Extended by a week"


def test_the_round_list_filters_by_status(client_for, scheme):
    OpenRoundFactory(scheme=scheme, name="Published round")
    DraftRoundFactory(scheme=scheme, name="Draft round")
    page = text(client_for("panel_member").get(reverse("grants:round_list"), {"status": "draft"}))
    assert "Draft round" in page and "Published round" not in page
