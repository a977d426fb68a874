"""The organisation search behind the search-as-you-type fields (issue 9, point 3): a page without JavaScript,
JSON for the script, at most a page of matches, in the form's scope; and the fields resolving what was typed."""

import pytest
from django import forms
from django.urls import reverse

from commissioning.core.forms import SearchChoiceField, SearchMultipleChoiceField
from commissioning.organisations import selectors
from commissioning.organisations.forms import organisation_field
from commissioning.organisations.models import Organisation

URL = reverse("organisations:search")


@pytest.fixture
def directory(db):
    Organisation.objects.create(name="The OPCC", kind=Organisation.Kind.OPCC)
    Organisation.objects.create(name="Weymouth Youth Trust", kind=Organisation.Kind.VCSE)
    Organisation.objects.create(name="Youth Action Weymouth", kind=Organisation.Kind.VCSE)
    Organisation.objects.create(name="Closed Youth Club", kind=Organisation.Kind.VCSE, is_active=False)
    Organisation.objects.create(name="Twin", kind=Organisation.Kind.VCSE, postcode="DT1 1AA")
    Organisation.objects.create(name="Twin", kind=Organisation.Kind.PROVIDER, postcode="BH1 1AA")
    Organisation.objects.bulk_create(
        Organisation(name=f"Youth project {n:03d}", kind=Organisation.Kind.VCSE) for n in range(40)
    )


def test_json_gives_at_most_a_page_names_starting_with_the_words_first(directory, client_for):
    data = client_for("commissioning_manager").get(URL, {"q": "youth", "format": "json"}).json()
    labels = [result["label"] for result in data["results"]]
    assert len(labels) == selectors.SEARCH_LIMIT
    assert labels[0] == "Youth Action Weymouth" and "Closed Youth Club" not in labels


def test_a_shared_name_is_offered_with_its_id(directory, client_for):
    twins = sorted(Organisation.objects.filter(name="Twin").values_list("pk", flat=True))
    data = client_for("commissioning_manager").get(URL, {"q": "twin", "format": "json"}).json()
    assert sorted(r["label"] for r in data["results"]) == [f"Twin (ID {pk})" for pk in twins]


def test_the_page_works_without_javascript(directory, client_for):
    response = client_for("policy_officer").get(URL, {"q": "weymouth"})
    html = response.content.decode()
    assert response.status_code == 200 and "2 organisations found" in html
    assert "Weymouth Youth Trust" in html and "Organisations matching ‘weymouth’" in html


def test_the_providers_scope_leaves_out_the_opcc(directory, client_for):
    client = client_for("commissioning_manager")
    assert client.get(URL, {"q": "opcc", "format": "json", "scope": "providers"}).json()["results"] == []
    assert client.get(URL, {"q": "opcc", "format": "json"}).json()["results"][0]["label"] == "The OPCC"


def test_outsiders_may_not_search(directory, client_for):
    assert client_for("provider").get(URL, {"q": "youth"}).status_code == 403


def test_the_search_takes_two_queries_however_many_match(directory, client_for, django_assert_max_num_queries):
    client = client_for("commissioning_manager")
    client.get(URL, {"q": "youth", "format": "json"})
    with django_assert_max_num_queries(5):  # session, user, the search, the shared names
        client.get(URL, {"q": "youth", "format": "json"})


class OneForm(forms.Form):
    organisation = organisation_field(label="Organisation", scope="providers", required_message="Enter a name")
    members = organisation_field(label="Members", multiple=True, required=False)


def test_the_field_takes_a_name_in_any_case_an_id_label_or_an_id(directory):
    trust = Organisation.objects.get(name="Weymouth Youth Trust")
    for typed in ("weymouth youth trust", "  Weymouth   Youth Trust ", f"Weymouth Youth Trust (ID {trust.pk})"):
        form = OneForm({"organisation": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["organisation"] == trust


def test_the_field_explains_a_wrong_or_shared_name(directory):
    assert OneForm({"organisation": "Nowhere Trust"}).errors["organisation"] == [
        "There is no organisation called ‘Nowhere Trust’ to choose; check the name, or search for the organisation"
    ]
    assert "More than one organisation is called ‘Twin’" in OneForm({"organisation": "Twin"}).errors["organisation"][0]
    assert OneForm({"organisation": ""}).errors["organisation"] == ["Enter a name"]
    opcc = Organisation.objects.get(kind=Organisation.Kind.OPCC)
    assert not OneForm({"organisation": "The OPCC"}).is_valid()  # outside the field's scope
    assert not OneForm({"organisation": str(opcc.pk)}).is_valid()


def test_the_multiple_field_takes_one_name_a_line_and_reports_each_wrong_one(directory):
    form = OneForm(
        {
            "organisation": f"Twin (ID {Organisation.objects.filter(name='Twin').first().pk})",
            "members": "Weymouth Youth Trust\n\nyouth action weymouth\nWeymouth Youth Trust\nNope",
        }
    )
    assert not form.is_valid()
    assert form.errors["members"] == [
        "There is no organisation called ‘Nope’ to choose; check the name, or search for the organisation"
    ]
    form = OneForm({"organisation": "Youth Action Weymouth", "members": "Weymouth Youth Trust\nyouth action weymouth"})
    assert form.is_valid(), form.errors
    assert [o.name for o in form.cleaned_data["members"]] == ["Weymouth Youth Trust", "Youth Action Weymouth"]


def test_a_chosen_organisation_is_shown_by_name_when_the_form_comes_back(directory):
    trust = Organisation.objects.get(name="Weymouth Youth Trust")
    html = str(OneForm(initial={"organisation": trust, "members": [trust]})["organisation"])
    assert 'value="Weymouth Youth Trust"' in html and 'data-module="app-search"' in html
    assert f"{reverse('organisations:search')}?scope=providers" in html
    assert isinstance(OneForm.base_fields["organisation"], SearchChoiceField)
    assert isinstance(OneForm.base_fields["members"], SearchMultipleChoiceField)
