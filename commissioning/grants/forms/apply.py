"""Forms for the applicant journey: registering, then each section of the application. They check the shape of
what people type and give GOV.UK error messages; the services apply the rules (limits, sums, dates) and save.
The round set-up forms are in rounds.py (and stay importable from here)."""

from django import forms

from commissioning.core import uploads
from commissioning.core.forms import GovukDateField, GovukForm, MoneyField
from commissioning.core.money import format_money
from commissioning.core.uk_times import parse_time as parse_time
from commissioning.grants.forms._common import DATE_HINT, YES, YES_NO, text_input

# The confirmation and the round set-up forms, importable from here as before.
from commissioning.grants.forms._common import ConfirmForm as ConfirmForm
from commissioning.grants.forms.rounds import CriterionForm as CriterionForm
from commissioning.grants.forms.rounds import QuestionForm as QuestionForm
from commissioning.grants.forms.rounds import RoundForm as RoundForm
from commissioning.grants.forms.rounds import london as london
from commissioning.grants.models import Application, Attachment, GrantRound
from commissioning.grants.services.applications import (
    BUDGET_LINE_LIMIT,
    PRIORITY_REQUIRED,
    UPLOAD_SETTING,
    OrganisationType,
)
from commissioning.organisations import forms as organisation_forms
from commissioning.strategy.models import Priority

# --- Registering ---------------------------------------------------------------------------------------------


class RegisterForm(organisation_forms.RegisterForm):
    """The shared registration (organisations.forms.RegisterForm) with the type of voluntary or community
    organisation, grants' hints and its order of fields."""

    organisation_type = forms.ChoiceField(
        label="Type of organisation",
        choices=OrganisationType.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of organisation"},
    )

    field_order = ["organisation_name", "organisation_type", "charity_number", "company_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["charity_number"].help_text = "If your organisation is a registered charity, for example 1234567"
        self.fields["email"].help_text = "We will send you a copy of your application and our decision"
        # These boxes have always carried the browser's maxlength here (the shared form, like core.forms, leaves
        # it off so that too long an answer is said, not cut off).
        for name in ("organisation_name", "charity_number", "company_number", "name"):
            self.fields[name].widget.attrs["maxlength"] = str(self.fields[name].max_length)


# --- The application -----------------------------------------------------------------------------------------


class EligibilityForm(GovukForm):
    """One yes/no radio question per eligibility question of the round."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = forms.ChoiceField(
                label=question.text,
                help_text=question.hint,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select yes or no to ‘{question.text}’"},
            )

    def answers(self) -> dict[int, bool]:
        return {q.pk: self.cleaned_data[f"question_{q.pk}"] == YES for q in self.questions}


class OrganisationForm(GovukForm):
    charity_number = text_input(
        "Charity number",
        required_message="",
        max_length=12,
        required=False,
        help_text="If your organisation is a registered charity, for example 1234567",
    )
    company_number = text_input(
        "Company number",
        required_message="",
        max_length=8,
        required=False,
        help_text="If your organisation is a company, for example 01234567",
    )
    address = text_input(
        "Address of your organisation",
        required_message="Enter your organisation's address",
        textarea=True,
        rows=4,
        max_length=1000,
        help_text="Do not include the postcode",
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}),
        error_messages={
            "required": "Enter your organisation's postcode",
            "max_length": "Enter a real postcode, like BH15 1AA",
        },
    )

    @staticmethod
    def initial_for(organisation) -> dict:
        return {
            "charity_number": organisation.charity_number,
            "company_number": organisation.company_number,
            "address": organisation.address,
            "postcode": organisation.postcode,
        }


class ProjectForm(GovukForm):
    project_title = text_input("Project title", required_message="Enter the project title", max_length=200)
    summary = text_input(
        "Summary of the project",
        required_message="Enter a summary of the project",
        textarea=True,
        max_length=5000,
        help_text="What the project will do, where, and who it is for",
    )
    beneficiaries_expected = forms.IntegerField(
        label="How many people do you expect the project to help?",
        help_text="Count people, not visits or contacts",
        min_value=1,
        max_value=10_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter how many people the project expects to help",
            "invalid": "Enter the number of people as a whole number, like 40",
            "min_value": "Enter a number of people of 1 or more",
            "max_value": "Enter a number of people of 10,000,000 or fewer",
        },
    )
    outcomes = text_input(
        "What will the project achieve?",
        required_message="Enter what the project will achieve",
        textarea=True,
        max_length=5000,
        help_text="The difference it will make, and how you will know",
    )
    starts_on = GovukDateField(
        label="Date the project starts",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date the project starts"},
    )
    ends_on = GovukDateField(
        label="Date the project ends",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date the project ends"},
    )

    @staticmethod
    def initial_for(application) -> dict:
        return {field: getattr(application, field) for field in ProjectForm.base_fields}


class PrioritiesForm(GovukForm):
    priorities = forms.ModelMultipleChoiceField(
        label="Which Police and Crime Plan priorities does the project meet?",
        help_text="Select all that apply",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": PRIORITY_REQUIRED,
            "invalid_choice": "Select priorities of the current Police and Crime Plan",
            "invalid_pk_value": "Select priorities of the current Police and Crime Plan",
        },
    )

    def __init__(self, *args, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["priorities"]
        field.queryset = Priority.objects.filter(pk__in=[p.pk for p in priorities])
        # Labels and order from the plan as listed, without a query per checkbox.
        field.choices = [(p.pk, f"{p.code} {p.title}") for p in priorities]


class BudgetForm(GovukForm):
    """The amount requested and up to BUDGET_LINE_LIMIT lines (item and amount); blank rows are ignored."""

    amount_requested = MoneyField(
        label="How much are you asking for?",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"required": "Enter the amount you are asking for"},
    )

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "amount_requested"
        ].help_text = f"Between {format_money(scheme.min_award)} and {format_money(scheme.max_award)}"
        for number in range(1, BUDGET_LINE_LIMIT + 1):
            self.fields[f"item_{number}"] = forms.CharField(
                label=f"Budget line {number}: what it is for",
                required=False,
                max_length=200,
                error_messages={"max_length": f"Budget line {number} must be 200 characters or fewer"},
            )
            self.fields[f"amount_{number}"] = MoneyField(
                label=f"Budget line {number}: amount",
                required=False,
                widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
            )

    def rows(self):
        """(number, item field, amount field) for the template."""
        return [(n, self[f"item_{n}"], self[f"amount_{n}"]) for n in range(1, BUDGET_LINE_LIMIT + 1)]

    def lines(self) -> list[tuple[str, object]]:
        return [
            (self.cleaned_data.get(f"item_{n}", ""), self.cleaned_data.get(f"amount_{n}"))
            for n in range(1, BUDGET_LINE_LIMIT + 1)
        ]

    @staticmethod
    def initial_for(application) -> dict:
        initial = {"amount_requested": application.amount_requested}
        for number, line in enumerate(application.budget_lines.all(), start=1):
            initial[f"item_{number}"] = line.item
            initial[f"amount_{number}"] = line.amount
        return initial


class AttachmentForm(GovukForm):
    kind = forms.ChoiceField(
        label="What is the document?",
        choices=Attachment.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of document"},
    )
    file = forms.FileField(
        label="Choose the file",
        error_messages={
            "required": uploads.NO_FILE,
            "empty": uploads.EMPTY,
            "invalid": uploads.NO_FILE,
            "missing": uploads.NO_FILE,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = uploads.size_label(uploads.max_upload_bytes(UPLOAD_SETTING))
        self.fields["file"].help_text = f"{uploads.ALLOWED_HINT}, smaller than {limit}"


class DeclarationForm(GovukForm):
    declaration_name = text_input("Your full name", required_message="Enter your full name", max_length=150)
    declaration_role = text_input(
        "Your role in the organisation",
        required_message="Enter your role in the organisation",
        max_length=150,
        help_text="For example, Treasurer or Chair",
    )
    confirmed = forms.BooleanField(
        label="I confirm the declaration is true",
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("confirmed"):
            self.add_error("confirmed", "Confirm that the declaration is true to submit the application")
        return cleaned


class ApplicationFilterForm(GovukForm):
    round = forms.ModelChoiceField(
        label="Round", queryset=GrantRound.objects.none(), required=False, empty_label="All rounds"
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "All statuses"), *Application.Status.choices], required=False
    )

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
