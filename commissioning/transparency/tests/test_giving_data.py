"""The open data of the demo, built once for the module: the 360Giving export valid against its schema, with
grants of every route, and the OCDS release package valid against the vendored OCDS 1.1.5 schema, with planning,
tender, award and contract releases (test_giving_county.py: the same for generate_data's county scale)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from commissioning.grants.selectors import open_data
from commissioning.transparency import giving
from commissioning.transparency.tests.schema import errors
from commissioning.transparency.tests.test_ocds import errors_of


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


def test_the_demo_ocds_export_is_valid_with_every_stage(demo, db, tmp_path):
    out = tmp_path / "ocds.json"
    call_command("export_ocds", "--out", str(out), stdout=StringIO())
    package = json.loads(out.read_text())
    assert errors_of(package) == []
    tags = {tag for release in package["releases"] for tag in release["tag"]}
    assert {"planning", "tender", "award", "contract"} <= tags
    ids = [release["id"] for release in package["releases"]]
    assert len(ids) == len(set(ids))
