"""The open data of generate_data's county scale: the 360Giving export valid against its schema, with grants of
every route (issue 12), and the OCDS release package valid against the vendored OCDS schema with planning, tender,
award and contract releases (issue 10). (A module of its own so its data is not generated inside the demo's.)"""

import json
from collections import Counter
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
    # Community awards, one-off grants, Local Innovation Fund allowances and other grant agreements.
    assert routes == set(open_data.ROUTES)
    assert len(package["grants"]) > 100
    ids = [grant["id"] for grant in package["grants"]]
    assert len(ids) == len(set(ids))
    programmes = Counter(grant["grantProgramme"][0]["title"] for grant in package["grants"])
    assert programmes["Local Innovation Fund"] >= 15  # a few allowances a year
    assert programmes["One-off grants"] >= 5 and programmes["Community Grant Scheme"] >= 50


def test_the_county_ocds_export_is_valid_with_every_stage(county, db):
    package = json.loads("".join(package_chunks()))
    assert errors_of(package) == []
    # Every case with a route has its planning release; past years' open tenders run to an award and a contract,
    # and this year's tender is open for bids (its tender release only).
    tags = Counter(tag for release in package["releases"] for tag in release["tag"])
    assert set(tags) == {"planning", "tender", "award", "contract"}
    assert tags["tender"] == tags["award"] + 1 >= 13 and tags["contract"] == tags["award"]
    awards = [release["awards"][0] for release in package["releases"] if "award" in release["tag"]]
    contracts = [release["contracts"][0] for release in package["releases"] if "contract" in release["tag"]]
    assert {a["id"] for a in awards} == {c["awardID"] for c in contracts}
    assert all(c["id"].startswith("GEN-AGR-") for c in contracts)  # the agreements generate_data made
    assert all(a["value"]["amount"] > 0 and len(a["suppliers"]) == 1 for a in awards)
    opened = [r["tender"] for r in package["releases"] if "tender" in r["tag"] and r["tender"]["status"] == "complete"]
    assert len(opened) == tags["award"] and all(2 <= t["numberOfTenderers"] <= 4 for t in opened)
