"""Input for the decision, award and end-of-grant report pages. Forms check the shape of input; the rules live in
services/awards.py and services/reports.py, whose errors come back under the same field names."""

from django import forms

from commissioning.core.forms import GovukForm, MoneyField, date_field, text_field, textarea_field
from commissioning.core.money import format_money
from commissioning.grants.forms._common import radios
from commissioning.grants.models import Award

DATE_HINT = "For example, 24 11 2026"


def application_choice_label(application) -> str:
    return (
        f"{application.reference}: {application.organisation.name}, {application.project_title} "
        f"({format_money(application.recommended_amount)})"
    )


class RoundDecisionForm(GovukForm):
    """The PCC's decision on a round: which recommended applications to fund (all ticked to begin with)."""

    awarded = forms.MultipleChoiceField(
        label="Applications to fund",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick any application the PCC decides not to fund. Those not ticked are told they have not "
        "been funded.",
    )
    decided_on = date_field(
        "Date of the decision", required_message="Enter the date of the decision", help_text=DATE_HINT
    )
    reasons = textarea_field(
        "Reasons for the decision",
        help_text="These are published with the decision and sent to every applicant",
        required_message="Enter the reasons for the decision",
    )

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awarded"].choices = [(str(a.pk), application_choice_label(a)) for a in applications]
        self.fields["awarded"].error_messages["invalid_choice"] = "Choose only applications shown on this page"

    def clean_awarded(self):
        return {int(pk) for pk in self.cleaned_data["awarded"]}


class ApplicationDecisionForm(GovukForm):
    """The PCC's decision on one application."""

    outcome = radios(
        "Decision",
        [("award", "Award a grant"), ("decline", "Do not fund")],
        required_message="Select whether to award a grant",
    )
    amount = MoneyField(
        label="Amount of the grant",
        required=False,
        help_text="Leave blank to award the panel's recommended amount",
    )
    decided_on = date_field(
        "Date of the decision", required_message="Enter the date of the decision", help_text=DATE_HINT
    )
    reasons = textarea_field(
        "Reasons for the decision",
        help_text="These are published with the decision and sent to the applicant",
        required_message="Enter the reasons for the decision",
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["award"] = cleaned.pop("outcome", None) == "award"
        if not cleaned["award"]:
            cleaned["amount"] = None
        return cleaned


class AwardAcceptForm(GovukForm):
    accept = forms.BooleanField(label="I accept the grant terms and conditions")
    name = text_field("Your full name", max_length=150, required_message="Enter your full name")

    def __init__(self, *args, organisation_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["accept"]
        field.label = f"I accept the grant terms and conditions on behalf of {organisation_name}"
        field.error_messages["required"] = (
            f"Tick the box to confirm you accept the terms and conditions on behalf of {organisation_name}"
        )


class AwardDeclineForm(GovukForm):
    reason = textarea_field("Why are you declining the grant?", required=False, rows=3)


class ReportForm(GovukForm):
    """The end-of-grant report. Nothing is required to save it; services/reports.py checks it when it is sent."""

    what_was_done = textarea_field("What the project did", required=False, help_text="What happened, where and when")
    spend_summary = textarea_field(
        "Spend against the budget",
        required=False,
        help_text="For each line of your budget, what you spent. Say if anything cost more or less than planned",
    )
    amount_spent = MoneyField(label="How much of the grant was spent", required=False)
    beneficiaries = forms.IntegerField(
        label="How many people benefited",
        required=False,
        min_value=0,
        help_text="Count people, not contacts: someone who came 5 times is 1 person",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={
            "invalid": "Enter the number of people as a whole number, like 45",
            "min_value": "Enter 0 or more people",
        },
    )
    outcomes = textarea_field("Outcomes", required=False, help_text="What changed for the people who took part")
    case_study = textarea_field(
        "Case study",
        required=False,
        help_text="One person's or group's story, without names or details that could identify them",
    )


class ReportReviewForm(GovukForm):
    outcome = radios(
        "What do you want to do with the report?",
        [("sign_off", "Sign off the report"), ("return", "Return it for more information")],
        required_message="Select whether to sign off the report or return it",
    )
    note = textarea_field(
        "Note",
        required=False,
        help_text="Needed when you return the report: say what the organisation needs to add or change",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == "return" and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Enter what the organisation needs to add or change")
        return cleaned


class RepaymentForm(GovukForm):
    amount = MoneyField(label="Amount to repay")
    reason = textarea_field(
        "Which condition was not met",
        help_text="Sent to the organisation and kept with the repayment",
        required_message="Enter which condition of the grant was not met",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].error_messages["required"] = "Enter the amount to repay"


STATUS_CHOICES = [("", "Any status"), *Award.Status.choices]


class AwardFilterForm(GovukForm):
    round = forms.ModelChoiceField(label="Round", queryset=None, required=False, empty_label="All rounds")
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, required=False)
    overdue = forms.BooleanField(label="Only awards with an overdue end-of-grant report", required=False)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
