"""setup_demo: refused without DEBUG; otherwise idempotent, with one demo user per role."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from commissioning.accounts.models import User
from commissioning.accounts.roles import Role
from commissioning.demo.story import DEMO_PASSWORD, demo_email
from commissioning.organisations.models import Contact, NonFinancialActivity, Organisation, PartnershipBoard
from commissioning.strategy.models import DecisionRecord

APPS = ["core", "accounts", "organisations", "strategy", "funds", "procurement", "monitoring"]


@pytest.fixture
def demo_settings(settings):
    settings.DEBUG = True
    # Hashing 14 passwords with the production hasher is slow and proves nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.OPCC_PROFILE = "dorset"
    return settings


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count() for label in APPS for model in apps.get_app_config(label).get_models()
    }


def run_demo() -> str:
    out = StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


def test_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    before = row_counts()
    with pytest.raises(CommandError, match="setup_demo refused: DEBUG is off"):
        call_command("setup_demo")
    assert row_counts() == before


def test_running_twice_gives_the_same_state(db, demo_settings):
    first = run_demo()
    before = row_counts()
    second = run_demo()
    assert row_counts() == before  # history tables included: the second run saved nothing
    assert re.search(r"Demo data: [1-9]\d* created, 0 unchanged, 0 updated\.", first)
    assert re.search(r"Demo data: 0 created, [1-9]\d* unchanged, 0 updated\.", second)
    assert re.search(r"Loaded profile 'dorset' .*: 0 created, \d+ unchanged, 0 updated\.", second)


def test_one_demo_user_per_role_who_can_sign_in(db, demo_settings):
    output = run_demo()
    demo_users = User.objects.filter(email__endswith="@demo.opcc.invalid")
    assert sorted(demo_users.values_list("role", flat=True)) == sorted(Role.values)
    for role in Role:
        user = User.objects.get(email=demo_email(role.value))
        assert user.role == role.value and user.is_active
        assert user.display_name == f"Demo {role.label}"
        assert user.check_password(DEMO_PASSWORD)
        assert re.search(rf"{re.escape(role.label)}\s+{re.escape(user.email)}\s+{DEMO_PASSWORD}", output)
    assert User.objects.get(email="pcc@demo.opcc.invalid").display_name == "Demo Police and Crime Commissioner"
    assert User.objects.get(role=Role.ADMIN, email__endswith="demo.opcc.invalid").is_staff
    assert User.objects.get(email=demo_email("partner")).organisation.code == "dorset-police"
    assert User.objects.get(email=demo_email("provider")).organisation.name == "Wessex Restorative Partnership (demo)"
    applicant_organisation = User.objects.get(email=demo_email("applicant")).organisation
    assert applicant_organisation.kind == Organisation.Kind.VCSE and applicant_organisation.name.endswith("(demo)")


def test_a_changed_demo_user_is_put_back(db, demo_settings):
    run_demo()
    user = User.objects.get(email=demo_email("cfo"))
    user.set_password("something-else-entirely")
    user.role = Role.AUDITOR
    user.save()
    run_demo()
    user.refresh_from_db()
    assert user.role == Role.CFO and user.check_password(DEMO_PASSWORD)


def test_demo_data_is_invented_and_linked(db, demo_settings):
    run_demo()
    opcc = Organisation.objects.get(kind=Organisation.Kind.OPCC)
    assert opcc.name == "Office of the Police and Crime Commissioner for Dorset"
    demo_organisations = Organisation.objects.filter(name__endswith="(demo)")
    assert demo_organisations.count() == 3
    assert demo_organisations.get(code="demo-harbourside-womens-aid").org_id == "GB-CHC-9990001"
    assert demo_organisations.get(code="demo-wessex-restorative").org_id == "GB-COH-99000001"
    # contacts by job title only
    assert Contact.objects.exists() and all(c.name == c.job_title for c in Contact.objects.all())
    assert Contact.objects.filter(organisation__code="demo-harbourside-womens-aid", is_primary=True).count() == 1
    boards = PartnershipBoard.objects.filter(
        name__in=["Dorset Community Safety Partnership", "Dorset Criminal Justice Board"]
    )
    assert boards.count() == 2 and all(board.members.exists() for board in boards)
    assert NonFinancialActivity.objects.count() == 2
    assert all(a.priorities.exists() and a.partners.exists() for a in NonFinancialActivity.objects.all())
    # The demo's own decisions (setup_demo also generates a decade of county data with decisions of its own).
    decisions = DecisionRecord.objects.exclude(decided_by__email__endswith="@generated.opcc.invalid")
    assert decisions.count() == 3
    assert all(re.fullmatch(r"\d{4}/\d{3}", d.number) for d in decisions)
    assert {d.decided_by.email for d in decisions} == {"pcc@demo.opcc.invalid"}
