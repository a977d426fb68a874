"""Rounds and the applicant journey's services (issue 5, points 1 and 2): every rule and its message."""

import datetime as dt
import re
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.funds.tests.factories import BudgetFactory, FinancialYearFactory, FundFactory
from commissioning.grants.models import Application, ApplicationBudgetLine, Attachment, GrantRound
from commissioning.grants.selectors import applications as application_selectors
from commissioning.grants.selectors.rounds import DEFAULT_DESCRIPTORS, when_text
from commissioning.grants.services import applications as services
from commissioning.grants.services import rounds as round_services
from commissioning.grants.tests.factories import (
    PDF_BYTES,
    ApplicationFactory,
    AssessmentCriterionFactory,
    DraftRoundFactory,
    EligibilityQuestionFactory,
    GrantSchemeFactory,
    OpenRoundFactory,
    TermsVersionFactory,
    complete_application,
)
from commissioning.organisations.models import Organisation
from commissioning.organisations.tests.factories import OrganisationFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def messages_of(caught) -> dict:
    return caught.value.message_dict


@pytest.fixture
def current_plan():
    """The current Police and Crime Plan with three priorities."""
    plan = PlanFactory(is_current=True)
    return [PriorityFactory(pillar__plan=plan, code=f"1.{n}") for n in (1, 2, 3)]


@pytest.fixture
def community_scheme():
    """Dorset's Community Grant Scheme limits: £100 to £3,000."""
    return GrantSchemeFactory(code="community-grant-scheme", name="Community Grant Scheme")


@pytest.fixture
def open_round(community_scheme):
    grant_round = OpenRoundFactory(scheme=community_scheme)
    EligibilityQuestionFactory(round=grant_round)
    return grant_round


@pytest.fixture
def draft(users, open_round):
    applicant = users["applicant"]
    return ApplicationFactory(round=open_round, organisation=applicant.organisation, created_by=applicant)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- Rounds ------------------------------------------------------------------------------------------------------


def _round_data(scheme, **changes):
    now = timezone.now()
    data = {
        "scheme": scheme,
        "name": "Spring 2027",
        "opens_at": now + dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=40),
        "budget": "6000",
        "fund": scheme.fund,
        "year": FinancialYearFactory(start_year=2026),
        "terms": TermsVersionFactory(scheme=scheme),
        "guidance": "Projects that keep young people safe.",
    }
    return {**data, **changes}


def test_officers_draft_a_round_from_the_schemes_fund(users, community_scheme):
    grant_round = round_services.round_create(actor=users["policy_officer"], **_round_data(community_scheme))
    assert grant_round.status == GrantRound.Status.DRAFT
    assert grant_round.budget == Decimal("6000.00")
    assert grant_round.history.first().history_change_reason == "Round drafted"


def test_only_commissioning_officers_run_rounds(users, community_scheme):
    for role in ("finance_officer", "pcc", "auditor", "applicant", "evaluator"):
        with pytest.raises(PermissionDenied):
            round_services.round_create(actor=users[role], **_round_data(community_scheme))


def test_a_round_is_paid_from_the_schemes_fund_and_uses_its_terms(users, community_scheme):
    other_terms = TermsVersionFactory()
    with pytest.raises(ValidationError) as caught:
        round_services.round_create(
            actor=users["commissioning_manager"],
            **_round_data(community_scheme, fund=FundFactory(), terms=other_terms),
        )
    errors = messages_of(caught)
    assert errors["fund"] == [f"Select the scheme's fund, {community_scheme.fund.name}"]
    assert errors["terms"] == ["Select terms and conditions of the Community Grant Scheme"]
    assert not GrantRound.objects.exists()


def test_a_round_closes_after_it_opens(users, community_scheme):
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        round_services.round_create(
            actor=users["commissioning_manager"],
            **_round_data(community_scheme, opens_at=now, closes_at=now - dt.timedelta(hours=1), name=" "),
        )
    assert messages_of(caught) == {
        "closes_at": ["The round must close after it opens"],
        "name": ["Enter a name for the round"],
    }


def test_criteria_get_six_default_descriptors_and_weights_never_pass_100(users):
    grant_round = DraftRoundFactory()
    officer = users["commissioning_manager"]
    criterion = round_services.criterion_add(actor=officer, grant_round=grant_round, name="Need", weight="60")
    assert criterion.descriptors == list(DEFAULT_DESCRIPTORS)
    assert DEFAULT_DESCRIPTORS == ("No answer", "Very poor", "Poor", "Satisfactory", "Good", "Excellent")
    with pytest.raises(ValidationError) as caught:
        round_services.criterion_add(actor=officer, grant_round=grant_round, name="Value", weight="50")
    assert messages_of(caught)["weight"] == ["The weights would add up to 110%; they must add up to no more than 100%"]
    with pytest.raises(ValidationError) as caught:
        round_services.criterion_add(
            actor=officer, grant_round=grant_round, name="Value", weight="40", descriptors=["a", "b", "", "d", "e", "f"]
        )
    assert messages_of(caught) == {"descriptor_2": ["Enter a descriptor for a score of 2"]}


def test_questions_and_criteria_change_only_while_the_round_is_a_draft(users, open_round):
    with pytest.raises(ValidationError) as caught:
        round_services.eligibility_question_add(
            actor=users["policy_officer"], grant_round=open_round, text="Based in Dorset?", ineligible_message="No"
        )
    assert caught.value.messages == ["Eligibility questions can change only while the round is a draft"]


def _ready_round(budget="5000"):
    """A draft round of a fund with £12,000 in 2026/27, a question and criteria of 100%."""
    fund = FundFactory(name="Police Property Act fund")
    year = FinancialYearFactory(start_year=2026)
    BudgetFactory(fund=fund, year=year, amount=Decimal("12000.00"))
    scheme = GrantSchemeFactory(fund=fund)
    grant_round = DraftRoundFactory(scheme=scheme, fund=fund, year=year, budget=Decimal(budget))
    EligibilityQuestionFactory(round=grant_round)
    AssessmentCriterionFactory(round=grant_round, weight=Decimal("60"))
    AssessmentCriterionFactory(round=grant_round, weight=Decimal("40"))
    return grant_round


def test_a_complete_round_is_published(users):
    grant_round = round_services.round_publish(actor=users["commissioning_manager"], grant_round=_ready_round())
    assert grant_round.status == GrantRound.Status.PUBLISHED
    assert grant_round.history.first().history_change_reason == "Round published"


def test_publishing_refuses_weights_not_adding_up_and_no_questions(users):
    grant_round = _ready_round()
    grant_round.criteria.first().delete()
    grant_round.eligibility_questions.all().delete()
    with pytest.raises(ValidationError) as caught:
        round_services.round_publish(actor=users["commissioning_manager"], grant_round=grant_round)
    assert caught.value.messages == [
        "The criteria weights add up to 40%; they must add up to 100%",
        "Add at least one eligibility question",
    ]
    grant_round.refresh_from_db()
    assert grant_round.status == GrantRound.Status.DRAFT


def test_publishing_refuses_a_budget_over_the_funds_available_money(users):
    grant_round = _ready_round(budget="12000.01")
    with pytest.raises(ValidationError) as caught:
        round_services.round_publish(actor=users["commissioning_manager"], grant_round=grant_round)
    assert caught.value.messages == [
        "The round's budget of £12,000.01 is more than the £12,000.00 available in Police Property Act fund in 2026/27"
    ]


def test_other_open_rounds_of_the_fund_count_against_its_money(users):
    first = round_services.round_publish(actor=users["commissioning_manager"], grant_round=_ready_round("8000"))
    second = DraftRoundFactory(scheme=first.scheme, fund=first.fund, year=first.year, budget=Decimal("5000"))
    EligibilityQuestionFactory(round=second)
    AssessmentCriterionFactory(round=second)
    with pytest.raises(ValidationError) as caught:
        round_services.round_publish(actor=users["commissioning_manager"], grant_round=second)
    assert caught.value.messages == [
        "The round's budget of £5,000.00 is more than the £4,000.00 available in Police Property Act fund in 2026/27 "
        "after £8,000.00 for other open rounds"
    ]


def test_publishing_refuses_a_round_that_has_already_closed(users):
    grant_round = _ready_round()
    GrantRound.objects.filter(pk=grant_round.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=10), closes_at=timezone.now() - dt.timedelta(days=1)
    )
    grant_round.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        round_services.round_publish(actor=users["commissioning_manager"], grant_round=grant_round)
    assert caught.value.messages == [
        f"The round closed at {when_text(grant_round.closes_at)}. Set a closing time in the future"
    ]


def test_a_published_round_may_extend_its_closing_time_but_not_change_its_budget(users, open_round):
    later = open_round.closes_at + dt.timedelta(days=7)
    officer = users["policy_officer"]
    updated = round_services.round_update(actor=officer, grant_round=open_round, data={"closes_at": later})
    assert updated.closes_at == later
    with pytest.raises(ValidationError) as caught:
        round_services.round_update(actor=officer, grant_round=open_round, data={"budget": "99999"})
    assert messages_of(caught) == {"budget": ["The budget cannot change once the round is published"]}


# --- Times in words ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (dt.datetime(2027, 1, 30, 17, 0), "5pm UK time on 30 January 2027"),
        (dt.datetime(2027, 7, 1, 9, 30), "9:30am UK time on 1 July 2027"),
        (dt.datetime(2027, 7, 1, 12, 0), "midday UK time on 1 July 2027"),
        (dt.datetime(2027, 7, 1, 0, 0), "midnight UK time on 1 July 2027"),
    ],
)
def test_times_are_shown_in_london_time_the_govuk_way(local, expected):
    moment = local.replace(tzinfo=LONDON).astimezone(dt.UTC)
    assert when_text(moment) == expected


# --- Registering -------------------------------------------------------------------------------------------------

REGISTRATION = {
    "organisation_name": "Poole Youth Club",
    "organisation_type": "charity",
    "charity_number": "1234567",
    "name": "Sam Taylor",
    "email": "Sam@PooleYouth.example",
    "password": "a-long-and-unusual-passphrase",
}


def test_an_organisation_registers_its_first_applicant(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.applicant_register(**REGISTRATION)
    assert (user.role, user.email, user.display_name) == ("applicant", "sam@pooleyouth.example", "Sam Taylor")
    assert user.check_password(REGISTRATION["password"])
    assert not user.is_active  # until the e-mailed link is followed
    organisation = user.organisation
    assert (organisation.kind, organisation.name) == (Organisation.Kind.VCSE, "Poole Youth Club")
    assert organisation.org_id == "GB-CHC-1234567"
    assert organisation.description.startswith("Registered charity")
    [message] = mailoutbox
    assert message.to == ["sam@pooleyouth.example"] and "Poole Youth Club" in message.body
    link = re.search(r"https?://\S+/grants/apply/confirm/(\S+)/(\S+)/", message.body)
    assert link, message.body
    assert services.applicant_confirm(uidb64=link[1], token=link[2]) == user
    user.refresh_from_db()
    assert user.is_active
    # The link works once.
    assert services.applicant_confirm(uidb64=link[1], token=link[2]) is None


def test_a_confirmation_link_that_is_wrong_opens_nothing():
    user = services.applicant_register(**REGISTRATION)
    assert services.applicant_confirm(uidb64="MQ", token="not-a-token") is None
    assert services.applicant_confirm(uidb64="!!", token="x") is None
    user.refresh_from_db()
    assert not user.is_active


def test_registering_an_address_that_has_an_account_creates_nothing_and_tells_its_owner(
    django_capture_on_commit_callbacks, mailoutbox
):
    """The same answer as for a new address (no error naming the address); its owner hears about it."""
    owner = User.objects.create_user("taken@example.org", "x" * 20, display_name="Taken", role="policy_officer")
    organisations, people = Organisation.objects.count(), User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.applicant_register(**{**REGISTRATION, "email": "Taken@Example.org"})
    assert result is None
    assert (Organisation.objects.count(), User.objects.count()) == (organisations, people)
    [message] = mailoutbox
    assert message.to == [owner.email] and "You already have an account" in message.subject
    assert "/account/sign-in/" in message.body and "/account/password-reset/" in message.body


def test_registering_again_before_confirming_sends_a_new_link(django_capture_on_commit_callbacks, mailoutbox):
    again = {**REGISTRATION, "charity_number": "", "organisation_type": "community_group"}
    with django_capture_on_commit_callbacks(execute=True):
        services.applicant_register(**again)
        services.applicant_register(**again)
    assert [m.subject.startswith("Confirm your account") for m in mailoutbox] == [True, True]
    assert User.objects.filter(email="sam@pooleyouth.example").count() == 1


def test_registering_checks_numbers_e_mail_and_password_and_saves_nothing_on_error():
    OrganisationFactory(name="Already Here", charity_number="7654321")
    User.objects.create_user("taken@example.org", "x" * 20, display_name="Taken", role="policy_officer")
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.applicant_register(
            **{
                **REGISTRATION,
                "company_number": "12-34",
                "email": "taken@example.org",
                "password": "password",
                "organisation_type": "club",
            }
        )
    errors = messages_of(caught)
    assert errors["company_number"] == ["Enter a Companies House number like 01234567 or SC123456"]
    assert "email" not in errors  # never says the address has an account
    assert "This password is too short. It must contain at least 12 characters." in errors["password"]
    assert errors["organisation_type"] == ["Select the type of organisation"]
    with pytest.raises(ValidationError) as caught:
        services.applicant_register(**{**REGISTRATION, "charity_number": "7654321"})
    assert messages_of(caught)["charity_number"][0].startswith("An organisation with this charity number is already")
    assert Organisation.objects.count() == before


# --- Starting ----------------------------------------------------------------------------------------------------


def test_the_ineligible_answer_stops_an_application_with_its_message(users, open_round):
    question = open_round.eligibility_questions.get()
    with pytest.raises(services.NotEligible) as caught:
        services.application_start(actor=users["applicant"], grant_round=open_round, answers={question.pk: False})
    assert caught.value.reasons == ["Only voluntary and community organisations can apply to this scheme."]
    assert not Application.objects.exists()


def test_an_eligible_organisation_starts_one_application_per_round(users, open_round):
    question = open_round.eligibility_questions.get()
    applicant = users["applicant"]
    application = services.application_start(actor=applicant, grant_round=open_round, answers={question.pk: True})
    assert (application.status, application.organisation) == ("draft", applicant.organisation)
    assert application.eligibility_answers == {str(question.pk): True}
    with pytest.raises(ValidationError):
        services.application_start(actor=applicant, grant_round=open_round, answers={question.pk: True})


def test_only_applicants_start_applications_and_only_in_open_rounds(users, open_round):
    question = open_round.eligibility_questions.get()
    with pytest.raises(PermissionDenied):
        services.application_start(actor=users["provider"], grant_round=open_round, answers={question.pk: True})
    closed = OpenRoundFactory(
        closes_at=timezone.now() - dt.timedelta(minutes=1), opens_at=timezone.now() - dt.timedelta(days=9)
    )
    with pytest.raises(ValidationError) as caught:
        services.application_start(actor=users["applicant"], grant_round=closed, answers={})
    assert caught.value.messages == [
        f"This round closed at {when_text(closed.closes_at)}. Applications can no longer be started"
    ]


# --- Sections ----------------------------------------------------------------------------------------------------


def _budget(draft, actor, amount, lines):
    return services.application_budget_update(actor=actor, application=draft, amount_requested=amount, lines=lines)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("99.99", "Enter an amount of at least £100.00"),
        ("3000.01", "Enter an amount of no more than £3,000.00"),
        ("", "Enter the amount you are asking for"),
    ],
)
def test_the_amount_is_within_the_schemes_limits(users, draft, amount, message):
    with pytest.raises(ValidationError) as caught:
        _budget(draft, users["applicant"], amount, [("Room hire", amount or "10")])
    assert messages_of(caught)["amount_requested"] == [message]


def test_the_limits_come_from_the_scheme(users, draft):
    scheme = draft.round.scheme
    scheme.min_award, scheme.max_award = Decimal("250.00"), Decimal("5000.00")
    scheme.save()
    with pytest.raises(ValidationError) as caught:
        _budget(draft, users["applicant"], "200", [("Room hire", "200")])
    assert messages_of(caught)["amount_requested"] == ["Enter an amount of at least £250.00"]
    _budget(draft, users["applicant"], "4500", [("Room hire", "4500")])


def test_budget_lines_must_add_up_to_the_amount_and_nothing_is_half_saved(users, draft):
    applicant = users["applicant"]
    _budget(draft, applicant, "1000", [("Room hire", "600"), ("", None), ("Coach", "400")])
    with pytest.raises(ValidationError) as caught:
        _budget(draft, applicant, "1500", [("Room hire", "600"), ("Coach", "400.50")])
    assert messages_of(caught) == {
        "lines": ["The budget lines add up to £1,000.50; they must add up to the amount requested, £1,500.00"]
    }
    draft.refresh_from_db()
    assert draft.amount_requested == Decimal("1000.00")
    assert list(draft.budget_lines.values_list("item", "amount")) == [
        ("Room hire", Decimal("600.00")),
        ("Coach", Decimal("400.00")),
    ]


def test_each_budget_line_needs_an_item_and_an_amount(users, draft):
    with pytest.raises(ValidationError) as caught:
        _budget(draft, users["applicant"], "500", [("Room hire", None), ("", "500"), ("", None)])
    assert messages_of(caught) == {
        "amount_1": ["Enter an amount of more than £0.00 for budget line 1"],
        "item_2": ["Enter what budget line 2 is for"],
    }
    with pytest.raises(ValidationError) as caught:
        _budget(draft, users["applicant"], "500", [("", None)])
    assert messages_of(caught) == {"lines": ["Enter at least one budget line: what the money is for and how much"]}


def test_at_least_one_plan_priority(users, draft, current_plan):
    with pytest.raises(ValidationError) as caught:
        services.application_priorities_set(actor=users["applicant"], application=draft, priorities=[])
    assert messages_of(caught) == {
        "priorities": ["Select at least one Police and Crime Plan priority the project meets"]
    }
    services.application_priorities_set(actor=users["applicant"], application=draft, priorities=current_plan[:2])
    assert set(draft.priorities.all()) == set(current_plan[:2])
    with pytest.raises(ValidationError):
        services.application_priorities_set(actor=users["applicant"], application=draft, priorities=[PriorityFactory()])


def test_the_project_needs_every_answer_and_dates_in_order(users, draft):
    with pytest.raises(ValidationError) as caught:
        services.application_project_update(
            actor=users["applicant"],
            application=draft,
            project_title="Safer streets",
            summary="",
            beneficiaries_expected=0,
            outcomes="Fewer thefts",
            starts_on=dt.date(2027, 5, 1),
            ends_on=dt.date(2027, 4, 1),
        )
    assert messages_of(caught) == {
        "summary": ["Enter a summary of the project"],
        "beneficiaries_expected": ["Enter a number of people of 1 or more"],
        "ends_on": ["The end date must be the same as or after the start date"],
    }


def test_organisation_details_are_checked_by_the_organisation_rules(users, draft):
    with pytest.raises(ValidationError) as caught:
        services.application_organisation_update(
            actor=users["applicant"], application=draft, address="", postcode="nowhere", charity_number="12"
        )
    assert messages_of(caught) == {
        "address": ["Enter your organisation's address"],
        "postcode": ["Enter a real postcode, like BH15 1AA"],
        "charity_number": ["Enter a charity number like 1234567"],
    }
    organisation = services.application_organisation_update(
        actor=users["applicant"], application=draft, address="1 High Street, Poole", postcode="bh15 1aa"
    )
    assert organisation.postcode == "BH15 1AA"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("constitution.pdf", b"MZ\x90\x00\x03\x00\x00\x00 a Windows program"),  # an .exe renamed .pdf
        ("constitution.exe", b"MZ\x90\x00"),
        ("constitution.docx", PDF_BYTES),
    ],
)
def test_a_file_of_the_wrong_type_is_refused(users, draft, name, content):
    with pytest.raises(ValidationError) as caught:
        services.application_attachment_add(
            actor=users["applicant"], application=draft, kind="constitution", file=upload(name, content)
        )
    assert messages_of(caught) == {
        "file": ["The selected file must be a PDF, Word, Excel, OpenDocument, PNG or JPEG file"]
    }
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(users, draft, settings):
    big = upload("accounts.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        services.application_attachment_add(actor=users["applicant"], application=draft, kind="accounts", file=big)
    assert messages_of(caught) == {"file": ["The selected file must be smaller than 10MB"]}
    settings.APPLICATION_UPLOAD_MAX_BYTES = 50 * 1024
    with pytest.raises(ValidationError) as caught:
        services.application_attachment_add(
            actor=users["applicant"],
            application=draft,
            kind="accounts",
            file=upload("accounts.pdf", PDF_BYTES + b"0" * (50 * 1024)),
        )
    assert messages_of(caught) == {"file": ["The selected file must be smaller than 50KB"]}


def test_an_allowed_file_is_kept_and_can_be_removed(users, draft):
    attachment = services.application_attachment_add(
        actor=users["applicant"], application=draft, kind="safeguarding", file=upload("Policy.PDF", PDF_BYTES)
    )
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "Policy.PDF",
        "application/pdf",
        len(PDF_BYTES),
    )
    services.application_attachment_remove(actor=users["applicant"], attachment=attachment)
    assert not draft.attachments.exists()
    assert Attachment.history.filter(history_type="-").get().history_user == users["applicant"]


def test_another_organisations_applicant_cannot_change_a_draft(users, draft):
    from commissioning.accounts.tests.factories import UserFactory

    stranger = UserFactory(role="applicant")
    with pytest.raises(PermissionDenied):
        _budget(draft, stranger, "500", [("Room hire", "500")])
    with pytest.raises(PermissionDenied):
        _budget(draft, users["commissioning_manager"], "500", [("Room hire", "500")])


# --- Submitting --------------------------------------------------------------------------------------------------


def _submit(application, actor, **changes):
    data = {"declaration_name": "Sam Taylor", "declaration_role": "Treasurer", "confirmed": True, **changes}
    return services.application_submit(actor=actor, application=application, **data)


def test_a_complete_application_is_submitted_with_a_reference_and_acknowledged(
    users, draft, django_capture_on_commit_callbacks, mailoutbox
):
    complete_application(draft)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = _submit(draft, users["applicant"])
    year = timezone.localdate().year
    assert submitted.reference == f"CGS-{year}-0001"
    assert (submitted.status, submitted.declaration_role) == ("submitted", "Treasurer")
    assert submitted.submitted_at is not None
    [message] = mailoutbox
    assert message.subject == f"Application CGS-{year}-0001 received"
    assert message.to == [users["applicant"].email]
    assert "What happens next" in message.body


def test_references_are_numbered_in_turn_and_never_reused(users, open_round):
    year = timezone.localdate().year
    ApplicationFactory(round=open_round, status="submitted", reference=f"CGS-{year}-0007")
    references = []
    for _ in range(2):
        from commissioning.accounts.tests.factories import UserFactory

        applicant = UserFactory(role="applicant")
        application = complete_application(
            ApplicationFactory(round=open_round, organisation=applicant.organisation, created_by=applicant)
        )
        references.append(_submit(application, applicant).reference)
    assert references == [f"CGS-{year}-0008", f"CGS-{year}-0009"]
    assert all(re.fullmatch(r"CGS-\d{4}-\d{4}", reference) for reference in references)


def test_an_incomplete_application_is_refused_with_the_sections_to_finish(users, draft):
    with pytest.raises(ValidationError) as caught:
        _submit(draft, users["applicant"], confirmed=False, declaration_role=" ")
    assert messages_of(caught) == {
        "__all__": ["You have not finished these sections: Organisation details, Plan priorities, Budget, Attachments"],
        "declaration_role": ["Enter your role in the organisation"],
        "confirmed": ["Confirm that the declaration is true to submit the application"],
    }
    draft.refresh_from_db()
    assert (draft.status, draft.reference) == ("draft", None)


def test_submitting_after_the_close_is_refused(users, community_scheme):
    closes = dt.datetime(2027, 1, 30, 17, 0, tzinfo=LONDON)
    grant_round = OpenRoundFactory(scheme=community_scheme, opens_at=closes - dt.timedelta(days=30), closes_at=closes)
    applicant = users["applicant"]
    application = complete_application(
        ApplicationFactory(round=grant_round, organisation=applicant.organisation, created_by=applicant)
    )
    with mock.patch.object(timezone, "now", return_value=closes + dt.timedelta(seconds=1)):
        with pytest.raises(ValidationError) as caught:
            _submit(application, applicant)
        assert caught.value.messages == [
            "This round closed at 5pm UK time on 30 January 2027. Applications can no longer be submitted"
        ]
        # Changing the draft is refused too.
        with pytest.raises(ValidationError) as caught:
            _budget(application, applicant, "500", [("Room hire", "500")])
        assert caught.value.messages == [
            "This round closed at 5pm UK time on 30 January 2027. Applications can no longer be changed"
        ]
    application.refresh_from_db()
    assert application.status == "draft" and application.reference is None
    assert ApplicationBudgetLine.objects.filter(application=application).count() == 1


def test_a_submitted_application_cannot_be_submitted_or_changed_again(users, draft):
    complete_application(draft)
    _submit(draft, users["applicant"])
    with pytest.raises(PermissionDenied):
        _submit(draft, users["applicant"])
    with pytest.raises(PermissionDenied):
        _budget(draft, users["applicant"], "500", [("Room hire", "500")])


def test_the_task_list_follows_the_sections(users, draft):
    application = application_selectors.application_get_for_user(user=users["applicant"], pk=draft.pk)
    statuses = {task.slug: task.status for task in application_selectors.application_tasks(application)}
    assert statuses == {
        "organisation": "Not started",
        "project": "Completed",  # the factory filled it in
        "priorities": "Not started",
        "budget": "In progress",  # an amount but no lines yet
        "attachments": "Not started",
        "check": "Cannot start yet",
    }
    complete_application(draft)
    application = application_selectors.application_get_for_user(user=users["applicant"], pk=draft.pk)
    assert {task.status for task in application_selectors.application_tasks(application)} == {
        "Completed",
        "Not started",
    }


def test_review_findings_the_project_must_run_in_the_rounds_financial_year(users):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from commissioning.grants.services import applications as application_services
    from commissioning.grants.tests.factories import ApplicationFactory, OpenRoundFactory

    application = ApplicationFactory(
        round=OpenRoundFactory(), created_by=users["applicant"], organisation=users["applicant"].organisation
    )
    year = application.round.year.fy
    with pytest.raises(ValidationError) as caught:
        application_services.application_project_update(
            actor=users["applicant"],
            application=application,
            project_title="Youth club",
            summary="Sessions",
            beneficiaries_expected=20,
            outcomes="Fewer incidents",
            starts_on=year.ends_on + dt.timedelta(days=1),
            ends_on=year.ends_on + dt.timedelta(days=90),
        )
    assert "starts_on" in caught.value.message_dict
