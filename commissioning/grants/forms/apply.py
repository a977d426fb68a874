"""Forms for rounds and for the applicant journey. They check the shape of what people type and give GOV.UK
error messages; the services apply the rules (limits, sums, dates) and save."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from commissioning.core import uploads
from commissioning.core.forms import GovukDateField, MoneyField
from commissioning.core.money import format_money
from commissioning.funds.models import FinancialYear, Fund
from commissioning.grants.models import Application, Attachment, GrantRound, GrantScheme, TermsVersion
from commissioning.grants.selectors.rounds import DEFAULT_DESCRIPTORS
from commissioning.grants.services.applications import (
    BUDGET_LINE_LIMIT,
    PRIORITY_REQUIRED,
    UPLOAD_SETTING,
    OrganisationType,
)
from commissioning.grants.services.rounds import CHANGEABLE_ONCE_PUBLISHED
from commissioning.strategy.models import Priority

LONDON = ZoneInfo("Europe/London")
DATE_HINT = "For example, 30 1 2027"
TIME_PATTERN = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
YES, NO = "yes", "no"
YES_NO = ((YES, "Yes"), (NO, "No"))


def _too_long(label: str, length: int) -> str:
    return f"{label} must be {length} characters or fewer"


def _text(label, *, required_message, max_length=None, textarea=False, help_text="", required=True, rows=5):
    messages = {"required": required_message}
    if max_length:
        messages["max_length"] = _too_long(label, max_length)
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if textarea else forms.TextInput,
        error_messages=messages,
    )


def parse_time(value: str) -> dt.time:
    """17:00, 5pm, 5:30pm, 9.15am, 12 midday is 12pm. Raises ValueError."""
    match = TIME_PATTERN.match((value or "").strip().replace(" ", ""))
    if not match:
        raise ValueError(value)
    hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if suffix:
        if not 1 <= hour <= 12:
            raise ValueError(value)
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(value)
    return dt.time(hour, minute)


def london(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=LONDON)


# --- Rounds --------------------------------------------------------------------------------------------------


class RoundForm(forms.Form):
    """A round's details. Once published only its name, guidance and closing time are shown."""

    scheme = forms.ModelChoiceField(
        label="Grant scheme",
        queryset=GrantScheme.objects.none(),
        empty_label=None,
        error_messages={"required": "Select the grant scheme", "invalid_choice": "Select the grant scheme"},
    )
    name = _text("Name of the round", required_message="Enter a name for the round", max_length=200)
    fund = forms.ModelChoiceField(
        label="Fund the awards are paid from",
        queryset=Fund.objects.none(),
        help_text="The scheme's fund, or its top-up fund",
        error_messages={"required": "Select the fund the awards are paid from"},
    )
    year = forms.ModelChoiceField(
        label="Financial year",
        queryset=FinancialYear.objects.none(),
        error_messages={"required": "Select the financial year"},
    )
    budget = MoneyField(
        label="Budget for the round",
        help_text="In pounds, like 12000",
        error_messages={"required": "Enter the round's budget"},
    )
    opens_at = GovukDateField(
        label="Date the round opens", help_text=DATE_HINT, error_messages={"required": "Enter the date it opens"}
    )
    opens_time = forms.CharField(
        label="Time the round opens",
        help_text="For example, 9am or 09:00",
        initial="9am",
        max_length=10,
        error_messages={"required": "Enter the time it opens"},
    )
    closes_at = GovukDateField(
        label="Date the round closes", help_text=DATE_HINT, error_messages={"required": "Enter the date it closes"}
    )
    closes_time = forms.CharField(
        label="Time the round closes",
        help_text="For example, 5pm or 17:00",
        initial="5pm",
        max_length=10,
        error_messages={"required": "Enter the time it closes"},
    )
    terms = forms.ModelChoiceField(
        label="Terms and conditions",
        queryset=TermsVersion.objects.none(),
        error_messages={"required": "Select the terms and conditions for the round"},
    )
    guidance = _text(
        "Guidance for applicants",
        required_message="Enter guidance for applicants",
        textarea=True,
        rows=8,
        help_text="Shown on the round's public page: what the round funds and how it will be assessed",
    )

    def __init__(self, *args, schemes, funds, years, terms, published=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
        self.fields["fund"].queryset = funds
        self.fields["year"].queryset = years
        self.fields["terms"].queryset = terms
        self.fields["terms"].label_from_instance = lambda t: f"{t.scheme.name}, version {t.version}"
        self.fields["year"].label_from_instance = lambda y: y.label
        if published:
            for name in list(self.fields):
                if name not in (*CHANGEABLE_ONCE_PUBLISHED, "closes_time"):
                    del self.fields[name]

    @classmethod
    def initial_for(cls, grant_round: GrantRound) -> dict:
        opens, closes = timezone.localtime(grant_round.opens_at), timezone.localtime(grant_round.closes_at)
        return {
            "scheme": grant_round.scheme_id,
            "name": grant_round.name,
            "fund": grant_round.fund_id,
            "year": grant_round.year_id,
            "budget": grant_round.budget,
            "opens_at": opens.date(),
            "opens_time": f"{opens:%H:%M}",
            "closes_at": closes.date(),
            "closes_time": f"{closes:%H:%M}",
            "terms": grant_round.terms_id,
            "guidance": grant_round.guidance,
        }

    def clean(self):
        cleaned = super().clean()
        for date_field, time_field in (("opens_at", "opens_time"), ("closes_at", "closes_time")):
            if time_field not in self.fields:
                continue
            raw = cleaned.pop(time_field, None)
            time = None
            if raw:
                try:
                    time = parse_time(raw)
                except ValueError:
                    self.add_error(time_field, "Enter a time, like 5pm or 17:00")
            day = cleaned.get(date_field)
            if day and time:
                cleaned[date_field] = london(day, time)
            elif date_field in cleaned:
                cleaned.pop(date_field)
        return cleaned


class QuestionForm(forms.Form):
    text = _text("Question", required_message="Enter the question", max_length=300, help_text="Asked with yes or no")
    hint = _text("Hint", required_message="", max_length=300, required=False, help_text="Shown under the question")
    required_answer = forms.ChoiceField(
        label="Which answer lets an organisation apply?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which answer lets an organisation apply"},
    )
    ineligible_message = _text(
        "What to tell an organisation that gives the other answer",
        required_message="Enter what to tell an organisation that cannot apply",
        max_length=300,
        textarea=True,
        rows=3,
    )

    @staticmethod
    def initial_for(question) -> dict:
        return {
            "text": question.text,
            "hint": question.hint,
            "required_answer": YES if question.required_answer else NO,
            "ineligible_message": question.ineligible_message,
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["required_answer"] = data["required_answer"] == YES
        return data


class CriterionForm(forms.Form):
    name = _text("Criterion", required_message="Enter the name of the criterion", max_length=200)
    guidance = _text(
        "Guidance for assessors", required_message="", textarea=True, rows=3, required=False, max_length=2000
    )
    weight = forms.DecimalField(
        label="Weight (%)",
        help_text="The criteria's weights must add up to 100% before the round can be published",
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the weight as a percentage",
            "invalid": "Enter the weight as a number, like 25",
            "max_decimal_places": "Enter the weight with no more than 2 decimal places",
            "max_digits": "Enter a weight of more than 0% and no more than 100%",
            "max_whole_digits": "Enter a weight of more than 0% and no more than 100%",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for score, default in enumerate(DEFAULT_DESCRIPTORS):
            self.fields[f"descriptor_{score}"] = forms.CharField(
                label=f"Descriptor for a score of {score}",
                initial=default,
                max_length=300,
                error_messages={
                    "required": f"Enter a descriptor for a score of {score}",
                    "max_length": _too_long(f"The descriptor for {score}", 300),
                },
            )

    @staticmethod
    def initial_for(criterion) -> dict:
        initial = {"name": criterion.name, "guidance": criterion.guidance, "weight": criterion.weight}
        for score, text in enumerate(criterion.descriptors or []):
            initial[f"descriptor_{score}"] = text
        return initial

    def service_data(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if not key.startswith("descriptor_")}
        data["descriptors"] = [self.cleaned_data[f"descriptor_{score}"] for score in range(len(DEFAULT_DESCRIPTORS))]
        return data


class ConfirmForm(forms.Form):
    """A button that needs no input (remove, publish, continue): its errors show in the error summary."""


# --- Registering ---------------------------------------------------------------------------------------------


class RegisterForm(forms.Form):
    organisation_name = _text(
        "Name of your organisation", required_message="Enter the name of your organisation", max_length=200
    )
    organisation_type = forms.ChoiceField(
        label="Type of organisation",
        choices=OrganisationType.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of organisation"},
    )
    charity_number = _text(
        "Charity number",
        required_message="",
        max_length=12,
        required=False,
        help_text="If your organisation is a registered charity, for example 1234567",
    )
    company_number = _text(
        "Company number",
        required_message="",
        max_length=8,
        required=False,
        help_text="If your organisation is a company, the 8 characters from Companies House, for example 01234567",
    )
    name = _text("Your full name", required_message="Enter your full name", max_length=150)
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="We will send you a copy of your application and our decision",
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


# --- The application -----------------------------------------------------------------------------------------


class EligibilityForm(forms.Form):
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
                error_messages={"required": "Select yes or no"},
            )

    def answers(self) -> dict[int, bool]:
        return {q.pk: self.cleaned_data[f"question_{q.pk}"] == YES for q in self.questions}


class OrganisationForm(forms.Form):
    charity_number = _text(
        "Charity number",
        required_message="",
        max_length=12,
        required=False,
        help_text="If your organisation is a registered charity, for example 1234567",
    )
    company_number = _text(
        "Company number",
        required_message="",
        max_length=8,
        required=False,
        help_text="If your organisation is a company, for example 01234567",
    )
    address = _text(
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


class ProjectForm(forms.Form):
    project_title = _text("Project title", required_message="Enter the project title", max_length=200)
    summary = _text(
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
    outcomes = _text(
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


class PrioritiesForm(forms.Form):
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


class BudgetForm(forms.Form):
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


class AttachmentForm(forms.Form):
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


class DeclarationForm(forms.Form):
    declaration_name = _text("Your full name", required_message="Enter your full name", max_length=150)
    declaration_role = _text(
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


class ApplicationFilterForm(forms.Form):
    round = forms.ModelChoiceField(
        label="Round", queryset=GrantRound.objects.none(), required=False, empty_label="All rounds"
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "All statuses"), *Application.Status.choices], required=False
    )

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
