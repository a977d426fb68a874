"""The 360Giving export of the demo: valid against the schema, no errors, and grants of every route
(test_giving_county.py: the same for generate_data's county scale)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from commissioning.grants.selectors import open_data
from commissioning.transparency import giving
from commissioning.transparency.tests.schema import errors


def export() -> tuple[dict, set]:
    context = giving.Context(source="https://example.org/open-data/360giving.json")
    package = json.loads("".join(giving.package_chunks(open_data.grants_made(), context)))
    return package, {record.route for record in open_data.grants_made()}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True, OPCC_PROFILE="dorset", MEDIA_ROOT=tmp_path_factory.mktemp("demo")),
        transaction.atomic(),
    ):
        call_command("setup_demo", stdout=StringIO())
        yield export()
        transaction.set_rollback(True)


def test_the_demo_export_is_valid_with_every_route(demo, db):
    package, routes = demo
    assert errors(package) == []
    assert routes == set(open_data.ROUTES)
    ids = [grant["id"] for grant in package["grants"]]
    assert len(ids) == len(set(ids)) and all(i.startswith("360G-dorsetopcc-") for i in ids)
