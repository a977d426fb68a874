"""The provider API (monitoring/api.py) and its tokens (api_tokens.py): a token reads and writes only its own
organisation's services; a revoked or unknown token is refused; only a hash of the secret is stored; a
submission gets the same checks as the web form, with every problem by field; the token pages."""

import datetime as dt
import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.monitoring import api_tokens, services
from commissioning.monitoring.api_models import ApiToken
from commissioning.monitoring.models import ReturnStatus, ReturnVersion
from commissioning.monitoring.tests.factories import (
    GenderDefinitionFactory,
    KpiDefinitionFactory,
    KpiReturnFactory,
    ServiceFactory,
)

PERIOD = {"starts_on": "2026-04-01", "ends_on": "2026-06-30"}
GOOD = [
    {"measure": "beneficiaries", "value": 10},
    {"measure": "gender", "value": 10},
    {"measure": "gender", "category": "Female", "value": 7},
    {"measure": "gender", "category": "Male", "value": 2},
    {"measure": "gender", "category": "Not known", "value": 1},
]


@pytest.fixture
def world(users):
    """Provider A (the `provider` user) and provider B, each with a service, its KPIs and a due return."""
    KpiDefinitionFactory(), GenderDefinitionFactory()
    provider_a = users["provider"]
    provider_b = UserFactory(role=Role.PROVIDER, email="provider-b@example.org")
    made = {}
    for key, person in (("a", provider_a), ("b", provider_b)):
        service = ServiceFactory(name=f"Service of {key.upper()}", provider=person.organisation)
        services.kpis_attach_minimum_dataset(actor=users["policy_officer"], service=service)
        made[key] = {"user": person, "service": service, "return": KpiReturnFactory(service=service)}
        made[key]["token"], made[key]["secret"] = api_tokens.token_create(actor=person, name=f"System {key}")
    return made


def _client(secret):
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _submit(client, kpi_return, figures=GOOD, **extra):
    body = {**PERIOD, "figures": figures, **extra}
    return client.post(f"/api/returns/{kpi_return.pk}/versions", data=json.dumps(body), content_type="application/json")


def test_the_schema_and_docs_need_no_token_and_fetch_nothing_from_elsewhere():
    client = Client()
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/returns/{return_id}/versions" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    policy = docs["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer opcc_unknown", "Token abc"])
def test_a_missing_or_unknown_token_is_401(header):
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    assert client.get("/api/services").status_code == 401


def test_a_session_opens_nothing(client_for, world):
    assert client_for("provider").get("/api/services").status_code == 401
    assert client_for("policy_officer").get(f"/api/returns/{world['a']['return'].pk}").status_code == 401


def test_a_token_lists_only_its_own_services_with_their_kpis_and_returns(world):
    response = _client(world["a"]["secret"]).get("/api/services")
    assert response.status_code == 200
    listed = response.json()
    assert [s["name"] for s in listed] == ["Service of A"]
    assert [m["code"] for m in listed[0]["measures"]] == ["beneficiaries", "gender"]
    assert listed[0]["measures"][1]["categories"] == ["Female", "Male", "Not known"]
    assert listed[0]["schedule"] == {"frequency": "quarterly", "days_to_submit": 28}
    assert listed[0]["returns"][0]["id"] == world["a"]["return"].pk
    assert listed[0]["returns"][0]["can_submit"] is True
    returns = _client(world["a"]["secret"]).get("/api/returns").json()
    assert [r["id"] for r in returns] == [world["a"]["return"].pk]


def test_another_providers_service_and_return_are_404_to_read_and_write(world):
    client = _client(world["a"]["secret"])
    other = world["b"]
    assert client.get(f"/api/services/{other['service'].pk}").status_code == 404
    assert client.get(f"/api/returns/{other['return'].pk}").status_code == 404
    assert client.get(f"/api/returns/{other['return'].pk}/versions").status_code == 404
    assert _submit(client, other["return"]).status_code == 404
    assert not other["return"].versions.exists()
    assert client.get(f"/api/services/{world['a']['service'].pk}").status_code == 200


def test_a_good_submission_is_a_new_version_made_by_the_api(world):
    client = _client(world["a"]["secret"])
    kpi_return = world["a"]["return"]
    response = _submit(client, kpi_return, note="Quarter one")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 1 and body["method"] == "api" and body["note"] == "Quarter one"
    assert {"measure": "gender", "category": "Female", "value": 7} in body["figures"]
    version = kpi_return.versions.get()
    assert version.method == ReturnVersion.Method.API
    assert version.submitted_by == world["a"]["user"]
    kpi_return.refresh_from_db()
    assert kpi_return.status == ReturnStatus.SUBMITTED
    # Once submitted it cannot be submitted again until queried.
    again = _submit(client, kpi_return)
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "return"
    got = client.get(f"/api/returns/{kpi_return.pk}").json()
    assert got["status"] == "submitted" and got["versions"][0]["number"] == 1
    assert [m["code"] for m in got["measures"]] == ["beneficiaries", "gender"]
    assert len(client.get(f"/api/returns/{kpi_return.pk}/versions").json()) == 1


def test_after_a_query_the_provider_resubmits_and_every_version_is_kept(users, world):
    client = _client(world["a"]["secret"])
    kpi_return = world["a"]["return"]
    assert _submit(client, kpi_return).status_code == 201
    services.return_query(actor=users["policy_officer"], kpi_return=kpi_return, comments="Check the men")
    figures = [dict(f) for f in GOOD]
    figures[3]["value"], figures[2]["value"] = 3, 6
    assert _submit(client, kpi_return, figures).status_code == 201
    versions = client.get(f"/api/returns/{kpi_return.pk}/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[1]["decisions"][0] == {
        **versions[1]["decisions"][0],
        "outcome": "queried",
        "comments": "Check the men",
    }
    kpi_return.refresh_from_db()
    assert kpi_return.status == ReturnStatus.RESUBMITTED


def test_every_problem_is_reported_by_field_and_nothing_is_saved(world):
    client = _client(world["a"]["secret"])
    kpi_return = world["a"]["return"]
    figures = [
        {"measure": "beneficiaries", "value": -1},
        {"measure": "gender", "value": 10},
        {"measure": "gender", "category": "Female", "value": 7},
        {"measure": "gender", "category": "Male", "value": 2},
        {"measure": "gender", "category": "Not known", "value": 2},
        {"measure": "gender", "category": "Martian", "value": 1},
        {"measure": "ethnicity", "value": 1},
        {"measure": "gender", "category": "female", "value": 7},
    ]
    response = _submit(client, kpi_return, figures, starts_on="2026-01-01")
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(fields) == {
        "starts_on",
        "beneficiaries.total",
        "gender.total",
        "figures[5].category",
        "figures[6].measure",
        "figures[7]",
    }
    assert "whole number, 0 or more" in fields["beneficiaries.total"]
    assert "add up to 11 but the total is 10" in fields["gender.total"]
    assert not kpi_return.versions.exists()


def test_missing_figures_and_figures_that_are_not_whole_numbers(world):
    client = _client(world["a"]["secret"])
    kpi_return = world["a"]["return"]
    missing = _submit(client, kpi_return, GOOD[:2])
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"gender.Female", "gender.Male", "gender.Not known"}
    not_whole = _submit(client, kpi_return, [{**GOOD[0], "value": 1.5}, *GOOD[1:]])
    assert not_whole.status_code == 422
    assert not_whole.json()["errors"][0] == {
        "field": "figures.0.value",
        "message": "Enter a whole number, 0 or more, like 12",
    }
    assert _submit(client, kpi_return, [{**GOOD[0], "value": "10"}, *GOOD[1:]]).status_code == 422
    assert not kpi_return.versions.exists()


def test_a_revoked_token_is_refused_at_once(world):
    client = _client(world["a"]["secret"])
    assert client.get("/api/services").status_code == 200
    api_tokens.token_revoke(actor=world["a"]["user"], token=world["a"]["token"])
    assert client.get("/api/services").status_code == 401
    assert _submit(client, world["a"]["return"]).status_code == 401
    assert not world["a"]["return"].versions.exists()


def test_a_token_stops_when_its_creator_leaves_the_organisation(world):
    person = world["a"]["user"]
    person.is_active = False
    person.save()
    assert _client(world["a"]["secret"]).get("/api/services").status_code == 401


def test_only_a_hash_of_the_secret_is_stored(world):
    token, secret = world["a"]["token"], world["a"]["secret"]
    assert secret.startswith("opcc_") and len(secret) > 40
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in json.dumps(stored, default=str)
    for row in token.history.all().values():
        assert secret not in json.dumps(row, default=str)
    assert secret.startswith(f"opcc_{token.prefix}")


def test_only_a_providers_own_people_manage_its_tokens(users, world):
    with pytest.raises(PermissionDenied):
        api_tokens.token_create(actor=users["policy_officer"], name="Not allowed")
    with pytest.raises(PermissionDenied):
        api_tokens.token_revoke(actor=world["b"]["user"], token=world["a"]["token"])
    assert world["a"]["token"].is_active


def test_the_token_pages_create_show_once_list_and_revoke(client_for, world):
    client = client_for("provider")
    created = client.post(reverse("monitoring:api_token_create"), {"name": "Case system"})
    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(name="Case system")
    secret = created.context["secret"]
    assert secret in created.content.decode()
    assert _client(secret).get("/api/services").status_code == 200
    listing = client.get(reverse("monitoring:api_token_list")).content.decode()
    assert "Case system" in listing and "System b" not in listing and secret not in listing
    assert client.post(reverse("monitoring:api_token_create"), {"name": ""}).status_code == 200
    revoked = client.post(reverse("monitoring:api_token_revoke", args=[token.pk]))
    assert revoked.status_code == 302
    assert _client(secret).get("/api/services").status_code == 401
    other = world["b"]["token"]
    assert client.post(reverse("monitoring:api_token_revoke", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_a_return_whose_period_has_not_ended_cannot_be_submitted(world):
    service = world["a"]["service"]
    later = KpiReturnFactory(
        service=service, starts_on=dt.date(2099, 4, 1), ends_on=dt.date(2099, 6, 30), due_on=dt.date(2099, 7, 28)
    )
    response = _submit(_client(world["a"]["secret"]), later, **{"starts_on": "2099-04-01", "ends_on": "2099-06-30"})
    assert response.status_code == 409
