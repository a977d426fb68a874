"""Input forms. They check the shape of what people type; services.py applies the rules and saves."""

import re

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import lazy

from commissioning.core.forms import (
    SEARCH_TOO_LONG,
    GovukDateField,
    GovukForm,
    SearchChoiceField,
    SearchMultipleChoiceField,
    text_field,
    too_long,
)
from commissioning.organisations import selectors
from commissioning.organisations.identifiers import normalise_company_number
from commissioning.organisations.models import (
    AreaOfInterest,
    NonFinancialActivity,
    Organisation,
    PartnershipBoard,
)
from commissioning.strategy.models import CommissioningObjective
from commissioning.strategy.selectors import priority_choices

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"
URL_INVALID = "Enter the website address in the correct format, like https://www.example.org"


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=100,
        help_text="This is shown in the activity log, for example 'Charity registered in March'",
        error_messages={"max_length": too_long("Reason for the change", 100)},
    )


def _search_url(scope: str) -> str:
    return f"{reverse('organisations:search')}?scope={scope}"


search_url = lazy(_search_url, str)


def organisation_field(
    *, label, scope="active", required=True, help_text="", required_message="", multiple=False, queryset=None
):
    """A search-as-you-type organisation field (core.forms.SearchChoiceField): the page stays the same size however
    many organisations there are. `scope` is what the search offers ("active" or "providers"); the field accepts
    only organisations in `queryset` (by default the same). With `multiple`, one organisation a line."""
    field_class = SearchMultipleChoiceField if multiple else SearchChoiceField
    messages = {"required": required_message} if required_message else {}
    return field_class(
        queryset=queryset if queryset is not None else selectors.organisations_for_choosing(scope),
        search_url=search_url(scope),
        noun="organisation",
        label=label,
        required=required,
        help_text=help_text,
        error_messages=messages,
    )


def _organisations_to_choose(keep=()):
    """Active organisations other than the OPCC (whose staff take part in every board and activity),
    plus any in `keep`, the ones already chosen, so that editing never drops a closed organisation."""
    return Organisation.objects.filter(
        (Q(is_active=True) & ~Q(kind=Organisation.Kind.OPCC)) | Q(pk__in=[getattr(o, "pk", o) for o in keep])
    ).order_by("name")


class OrganisationFilterForm(GovukForm):
    search = forms.CharField(
        label="Search by name, identifier or postcode",
        required=False,
        max_length=100,
        error_messages=SEARCH_TOO_LONG,
    )
    kind = forms.ChoiceField(
        label="Type of organisation",
        required=False,
        choices=[("", "All types"), *Organisation.Kind.choices],
        error_messages={"invalid_choice": "Select a type of organisation from the list"},
    )


class OrganisationForm(GovukForm):
    name = forms.CharField(
        label="Organisation name",
        max_length=200,
        error_messages={
            "required": "Enter the organisation name",
            "max_length": too_long("Organisation name", 200),
        },
    )
    kind = forms.ChoiceField(
        label="Type of organisation",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of organisation"},
    )
    description = forms.CharField(
        label="What the organisation does", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    charity_number = forms.CharField(
        label="Charity number",
        required=False,
        max_length=20,
        help_text="For example 1234567. Leave blank if the organisation is not a registered charity",
        error_messages={"max_length": "Enter a charity number like 1234567"},
    )
    charity_register = forms.ChoiceField(
        label="Charity regulator",
        widget=forms.RadioSelect,
        required=False,
        choices=Organisation.CharityRegister.choices,
        initial=Organisation.CharityRegister.ENGLAND_WALES,
        help_text="Only needed when you give a charity number",
    )
    company_number = forms.CharField(
        label="Companies House number",
        required=False,
        max_length=20,
        help_text="8 characters, for example 01234567 or SC123456",
        error_messages={"max_length": "Enter a Companies House number like 01234567 or SC123456"},
    )
    other_org_id = forms.CharField(
        label="Other organisation identifier",
        required=False,
        max_length=60,
        help_text=(
            "An identifier from org-id.guide, such as GB-GOR-PB123, for an organisation with no charity "
            "or company number"
        ),
        error_messages={"max_length": too_long("Other organisation identifier", 60)},
    )
    address = forms.CharField(label="Address", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        error_messages={"max_length": "Enter a real postcode, like BH1 1AA"},
    )
    website = forms.URLField(
        label="Website", required=False, assume_scheme="https", error_messages={"invalid": URL_INVALID}
    )
    email = forms.EmailField(label="Email address", required=False, error_messages={"invalid": EMAIL_INVALID})
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=30,
        error_messages={"max_length": too_long("Phone number", 30)},
    )
    areas_of_interest = forms.ModelMultipleChoiceField(
        label="Areas of combined interest",
        queryset=AreaOfInterest.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply",
    )

    def __init__(self, *args, editing: bool = False, is_opcc: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = Organisation.Kind.choices
        # There is one OPCC; only its own record offers the OPCC type.
        self.fields["kind"].choices = kinds if is_opcc else [c for c in kinds if c[0] != Organisation.Kind.OPCC]
        if editing:
            self.fields["is_active"] = forms.BooleanField(
                label="This organisation is active",
                required=False,
                help_text="Untick when the organisation has closed or no longer works with the OPCC",
            )
            self.fields["reason"] = _reason_field()

    def clean_company_number(self):
        number = normalise_company_number(self.cleaned_data["company_number"])
        if number and not re.fullmatch(r"[A-Z]{2}\d{6}|\d{8}", number):
            raise forms.ValidationError("Enter a Companies House number like 01234567 or SC123456")
        return number


class ContactForm(GovukForm):
    name = forms.CharField(
        label="Name",
        max_length=150,
        error_messages={"required": "Enter the contact's name", "max_length": too_long("Name", 150)},
    )
    job_title = forms.CharField(
        label="Job title",
        required=False,
        max_length=150,
        error_messages={"max_length": too_long("Job title", 150)},
    )
    email = forms.EmailField(label="Email address", required=False, error_messages={"invalid": EMAIL_INVALID})
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=30,
        error_messages={"max_length": too_long("Phone number", 30)},
    )
    is_primary = forms.BooleanField(
        label="Make this the main contact", required=False, help_text="An organisation has one main contact"
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("email") or cleaned.get("phone")):
            self.add_error("email", "Enter an email address or a phone number for the contact")
        return cleaned


class BoardFilterForm(GovukForm):
    search = forms.CharField(
        label="Search by name or purpose", required=False, max_length=100, error_messages=SEARCH_TOO_LONG
    )


class BoardForm(GovukForm):
    name = forms.CharField(
        label="Name of the board or group",
        max_length=200,
        error_messages={
            "required": "Enter the name of the board or group",
            "max_length": too_long("Name of the board or group", 200),
        },
    )
    purpose = forms.CharField(
        label="Purpose",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the board's purpose: what it is for"},
    )
    chair = organisation_field(
        label="Organisation that chairs the board", required=False, help_text="Leave blank if not recorded"
    )
    members = organisation_field(
        label="Member organisations",
        scope="providers",
        multiple=True,
        required=False,
        help_text="One organisation a line. OPCC staff are recorded as the OPCC representative",
        queryset=_organisations_to_choose(),
    )
    priorities = forms.ModelMultipleChoiceField(
        label="Police and Crime Plan priorities the board supports",
        queryset=priority_choices(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Select priorities from the list"},
    )
    meeting_frequency = forms.CharField(
        label="How often it meets",
        required=False,
        max_length=60,
        help_text="For example, quarterly",
        error_messages={"max_length": too_long("How often it meets", 60)},
    )
    opcc_representative = forms.CharField(
        label="OPCC representative (role)",
        required=False,
        max_length=150,
        help_text="A role, such as Commissioning Manager",
        error_messages={"max_length": too_long("OPCC representative", 150)},
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = _organisations_to_choose(self.initial.get("members", ()))
        if editing:
            self.fields["is_active"] = forms.BooleanField(
                label="The board still meets", required=False, help_text="Untick when the board has closed"
            )
            self.fields["reason"] = _reason_field()


class MeetingForm(GovukForm):
    held_on = GovukDateField(
        label="Date of meeting",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the meeting"},
    )
    notes = forms.CharField(
        label="Notes of the meeting",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter notes of the meeting"},
    )
    actions = forms.CharField(
        label="Actions agreed",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Who will do what, and by when",
    )


class ActivityFilterForm(GovukForm):
    search = forms.CharField(
        label="Search by title or description", required=False, max_length=100, error_messages=SEARCH_TOO_LONG
    )
    kind = forms.ChoiceField(
        label="Type of activity",
        required=False,
        choices=[("", "All types"), *NonFinancialActivity.Kind.choices],
        error_messages={"invalid_choice": "Select a type of activity from the list"},
    )


class ActivityForm(GovukForm):
    kind = forms.ChoiceField(
        label="Type of activity",
        widget=forms.RadioSelect,
        choices=NonFinancialActivity.Kind.choices,
        error_messages={"required": "Select the type of activity"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter a title for the activity", "max_length": too_long("Title", 200)},
    )
    description = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what was done"},
    )
    occurred_on = GovukDateField(
        label="Date",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the activity"},
    )
    partners = organisation_field(
        label="Partner organisations",
        scope="providers",
        multiple=True,
        help_text="One organisation a line",
        required_message="Enter at least one partner organisation",
        queryset=_organisations_to_choose(),
    )
    priorities = forms.ModelMultipleChoiceField(
        label="Police and Crime Plan priorities",
        queryset=priority_choices(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={
            "required": "Select at least one Police and Crime Plan priority",
            "invalid_choice": "Select priorities from the list",
        },
    )
    objectives = forms.ModelMultipleChoiceField(
        label="Commissioning objectives",
        queryset=CommissioningObjective.objects.order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply",
    )
    board = forms.ModelChoiceField(
        label="Partnership board",
        queryset=PartnershipBoard.objects.order_by("name"),
        required=False,
        empty_label="Not part of a board's work",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a board from the list"},
    )
    intended_outcome = forms.CharField(
        label="Intended outcome", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    outcome = forms.CharField(label="Outcome so far", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = _organisations_to_choose(self.initial.get("partners", ()))
        if editing:
            self.fields["reason"] = _reason_field()


# --- Registering: an organisation and its first account ---------------------------------------------------------


class RegisterForm(GovukForm):
    """An organisation registering itself with its first person's account: a grant applicant's (grants) or a
    supplier's (procurement). Each route subclasses it for its own hints, questions and order of fields;
    `service_data()` gives its registering service's keyword arguments."""

    organisation_name = text_field(
        "Name of your organisation", max_length=200, required_message="Enter the name of your organisation"
    )
    company_number = text_field(
        "Company number",
        max_length=8,
        required=False,
        help_text="If your organisation is a company, the 8 characters from Companies House, for example 01234567",
    )
    charity_number = text_field(
        "Charity number", max_length=12, required=False, help_text="If your organisation is a registered charity"
    )
    name = text_field("Your full name", max_length=150, required_message="Enter your full name")
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        },
    )
    password = forms.CharField(
        label="Create a password",
        help_text="At least 12 characters. Do not use a password that is easy to guess",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a password"},
    )
    password_again = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again"},
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password"), cleaned.get("password_again")
        if first and second and first != second:
            self.add_error("password_again", "The passwords do not match. Enter the same password twice")
        return cleaned

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("password_again", None)
        return data
