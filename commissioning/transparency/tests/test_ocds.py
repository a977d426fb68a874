"""The OCDS release package: valid against the vendored OCDS 1.1.5 schema (offline), every stage of a procurement
released, ocids from the configured prefix, streamed with a fixed number of queries per chunk, public, and the
export command writing the same package."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.core.models import OpccSettings
from commissioning.procurement.services import award as award_services
from commissioning.procurement.services import evaluation as evaluation_services
from commissioning.procurement.tests.evaluation_world import opened_tender
from commissioning.transparency.ocds.build import package_chunks

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parents[1] / "standards" / "ocds" / "1.1.5"
RELEASE_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


def validator() -> Draft4Validator:
    package = json.loads((SCHEMAS / "release-package-schema.json").read_text())
    release = json.loads((SCHEMAS / "release-schema.json").read_text())
    registry = Registry().with_resource(RELEASE_URL, Resource(contents=release, specification=DRAFT4))
    return Draft4Validator(package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def errors_of(package: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(package)]


def _settings(prefix="ocds-dorset0"):
    OpccSettings.objects.update_or_create(
        pk=1,
        defaults={
            "profile": "test",
            "opcc_name": "Test OPCC",
            "short_name": "Test",
            "area_name": "Test",
            "grants_prefix": "360G-test",
            "ocds_prefix": prefix,
        },
    )


def _contracted():
    """A tender evaluated by two evaluators, awarded, through standstill, with its contract signed."""
    manager, officer = UserFactory(role=Role.COMMISSIONING_MANAGER), UserFactory(role=Role.POLICY_OFFICER)
    pcc = UserFactory(role=Role.PCC)
    evaluators = [UserFactory(role=Role.EVALUATOR), UserFactory(role=Role.EVALUATOR)]
    tender, bids = opened_tender(manager=manager, officer=officer)
    c = tender.criteria_by_kind
    for assignment in evaluation_services.evaluators_assign(actor=manager, tender=tender, evaluators=evaluators):
        evaluation_services.evaluator_declare(actor=assignment.assessor, assignment=assignment, has_conflict=False)
        evaluation_services.bid_scores_save(
            actor=assignment.assessor,
            assignment=assignment,
            scores={c["quality"].pk: (4, "Good"), c["social_value"].pk: (3, "Fair")},
            submit=True,
        )
    for bid in bids:
        evaluation_services.bid_moderate(
            actor=manager, bid=bid, scores={c["quality"].pk: 4, c["social_value"].pk: 3}, rationale="Agreed"
        )
    results = evaluation_services.bids_rank(actor=manager, tender=tender)
    top = results[0]
    if top.abnormally_low:
        evaluation_services.abnormally_low_scrutiny_record(actor=manager, result=top, note="Explained")
    evaluation_services.award_recommend(actor=manager, tender=tender, bid=top.bid, recommendation="Highest score")
    award = award_services.award_decide(
        actor=pcc,
        tender=tender,
        decided_by=pcc,
        decided_on=dt.date(2026, 11, 18),
        reasons="Most advantageous",
        starts_on=dt.date(2027, 4, 1),
        ends_on=dt.date(2029, 3, 31),
    )
    award = award_services.award_letters_send(actor=manager, award=award, notice_on=dt.date(2026, 11, 20))
    award = award_services.contract_sign(actor=manager, award=award, signed_on=dt.date(2026, 12, 2))
    return tender


def test_every_stage_is_released_and_the_package_is_valid():
    _settings()
    tender = _contracted()
    opened_tender()  # a second case, still at evaluation
    package = json.loads("".join(package_chunks()))
    assert errors_of(package) == []
    assert package["version"] == "1.1"
    ocid = f"ocds-dorset0-{tender.case.reference}"
    tags = [r["tag"][0] for r in package["releases"] if r["ocid"] == ocid]
    assert tags == ["planning", "tender", "award", "contract"]
    contract = next(r for r in package["releases"] if r["tag"] == ["contract"])
    # Equal quality scores, so the lowest price (150,000, scrutinised as abnormally low) wins.
    assert contract["contracts"][0]["value"] == {"amount": 150000.0, "currency": "GBP"}
    assert len(package["releases"]) == 6


def test_a_prefix_without_ocds_is_completed():
    _settings(prefix="abc123")
    tender, _ = opened_tender()
    package = json.loads("".join(package_chunks()))
    assert {r["ocid"] for r in package["releases"]} == {f"ocds-abc123-{tender.case.reference}"}
    assert errors_of(package) == []


def test_the_package_streams_with_a_fixed_number_of_queries_per_chunk(django_assert_max_num_queries):
    _settings()
    for _ in range(5):
        opened_tender()
    with django_assert_max_num_queries(12):
        chunks = list(package_chunks(chunk_size=10))
    assert len(chunks) == 2 + 10  # head, 5 planning and 5 tender releases, tail
    assert errors_of(json.loads("".join(chunks))) == []


def test_public_url_and_export_command(tmp_path):
    _settings()
    opened_tender()
    response = Client().get("/open-data/ocds.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.streaming
    from_url = json.loads(b"".join(response.streaming_content))
    out = tmp_path / "ocds.json"
    call_command("export_ocds", "--out", str(out))
    from_file = json.loads(out.read_text())
    assert errors_of(from_file) == []
    assert [r["id"] for r in from_file["releases"]] == [r["id"] for r in from_url["releases"]]


def test_a_broken_release_is_caught_by_the_validator():
    _settings()
    opened_tender()
    package = json.loads("".join(package_chunks()))
    package["releases"][0]["tender"]["status"] = "open"  # not in the closed tenderStatus codelist
    assert errors_of(package)
