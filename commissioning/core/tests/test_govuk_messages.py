"""core.forms.GovukForm: GOV.UK error messages built from each field's label where a form writes none."""

import pytest
from django import forms

from commissioning.core.forms import GovukDateField, GovukForm, MoneyField


class Example(GovukForm):
    reference = forms.CharField(label="Payment reference", max_length=5)
    kind = forms.ChoiceField(label="Type of change", choices=[("a", "Adjustment")])
    paid_on = GovukDateField(label="Date paid")
    amount = MoneyField()
    count = forms.IntegerField(label="Number of people", min_value=1)
    move_from = forms.ChoiceField(label="Move money from", choices=[("1", "Fund")])
    asked = forms.CharField(label="How much are you asking for?")
    own = forms.CharField(label="Note", error_messages={"required": "Enter a note for the log"})
    agree = forms.BooleanField(label="I agree to the terms")
    lead = forms.ModelChoiceField(label="PCC decision record", queryset=None, required=False)


def _errors(data):
    form = Example(data)
    form.is_valid()
    return {name: errors[0] for name, errors in form.errors.items()}


def test_empty_fields_are_asked_for_by_their_label():
    errors = _errors({})
    assert errors["reference"] == "Enter the payment reference"
    assert errors["kind"] == "Select the type of change"
    assert errors["paid_on"] == "Enter the date paid"
    assert errors["amount"] == "Enter the amount"  # no label: the field's name
    assert errors["count"] == "Enter the number of people"
    assert errors["agree"] == "Select ‘I agree to the terms’ to continue"
    assert errors["own"] == "Enter a note for the log"  # a form's own message is kept


def test_labels_that_are_not_nouns_are_quoted_not_pasted_after_the():
    errors = _errors({})
    assert errors["move_from"] == "Select an answer to ‘Move money from’"
    assert errors["asked"] == "Enter an answer to ‘How much are you asking for?’"


def test_wrong_values_name_the_field():
    errors = _errors(
        {
            "reference": "TOO-LONG",
            "kind": "x",
            "paid_on_day": "31",
            "paid_on_month": "2",
            "paid_on_year": "2026",
            "amount": "lots",
            "count": "0",
        }
    )
    assert errors["reference"] == "Payment reference must be 5 characters or fewer"
    assert errors["kind"] == "Select the type of change from the list"
    assert errors["paid_on"] == "Date paid must be a real date"
    assert errors["amount"] == "Amount must be in pounds and pence, like 1250.50"
    assert errors["count"] == "Number of people must be 1 or more"


def test_a_label_changed_after_the_form_is_built_is_followed():
    form = Example({})
    form.fields["reference"].label = "Finance system reference"
    form.is_valid()
    assert form.errors["reference"] == ["Enter the finance system reference"]


@pytest.mark.django_db
def test_no_select_shows_django_dashes():
    from commissioning.accounts.models import User

    form = Example()
    form.fields["lead"].queryset = User.objects.all()
    rendered = str(form)
    assert "---------" not in rendered
    assert ">None</option>" in rendered
