"""The shared activity log (core/history.py), read here from a person's history."""

import pytest

from commissioning.accounts import services
from commissioning.core.history import history_for
from commissioning.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_short_values_show_old_and_new_and_links_are_only_named(users, django_assert_num_queries):
    person = users["policy_officer"]
    services.user_update(
        actor=users["admin"],
        user=person,
        display_name=person.display_name,
        job_title="Lead officer",
        role="commissioning_manager",
        organisation=OrganisationFactory(),
        is_active=False,
        reason="Promoted",
    )
    with django_assert_num_queries(1):
        newest = history_for(person)[0]
    assert newest.action == "Changed" and newest.what == "Changed"
    assert newest.reason == "Promoted"
    assert [str(change) for change in newest.changes] == [
        "Is active: yes to no",
        "Job title: none to Lead officer",
        "Organisation",
        "Role: Policy and Commissioning Officer to Commissioning Manager",
    ]
