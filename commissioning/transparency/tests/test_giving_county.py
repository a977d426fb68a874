"""The open data of generate_data's county scale: the 360Giving export valid against its schema, with grants of
every route generate_data makes, and the OCDS release package valid against the vendored OCDS schema. (A module of
its own so its data is not generated inside the demo's.)"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from commissioning.grants.selectors import open_data
from commissioning.transparency.ocds.build import package_chunks
from commissioning.transparency.tests.schema import errors
from commissioning.transparency.tests.test_giving_data import export
from commissioning.transparency.tests.test_ocds import errors_of


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(OPCC_PROFILE="dorset"), transaction.atomic():
        call_command("generate_data", "--scale", "county", "--seed", "1", stdout=StringIO())
        yield export()
        transaction.set_rollback(True)


def test_the_county_export_is_valid_with_every_route_generated(county, db):
    package, routes = county
    assert errors(package) == []
    # generate_data makes community awards, one-off grants and other grant agreements (no Local Innovation
    # Fund prioritisations: those are in the demo).
    assert {open_data.COMMUNITY, open_data.ONE_OFF, open_data.REGISTER} <= routes
    assert len(package["grants"]) > 100


def test_the_county_ocds_export_is_valid(county, db):
    package = json.loads("".join(package_chunks()))
    assert errors_of(package) == []
    # generate_data makes commissioning cases (contracted ones with a route, and current ones still being planned)
    # but no tenders, bids or awards: those are in the demo. So the county package holds planning releases only.
    tags = {tag for release in package["releases"] for tag in release["tag"]}
    assert tags == {"planning"}
    assert len(package["releases"]) > 10
