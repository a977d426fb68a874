"""Input for the decision, award and end-of-grant report pages. Forms check the shape of input; the rules live in
services/awards.py and services/reports.py, whose errors come back under the same field names."""

from django import forms

from commissioning.core.forms import GovukDateField, MoneyField
from commissioning.core.money import format_money
from commissioning.grants.models import Award


def _text(label, *, max_length, required=True, help_text="", required_message=""):
    field = forms.CharField(label=label, max_length=max_length, required=required, help_text=help_text)
    field.error_messages["required"] = required_message or f"Enter {label[0].lower()}{label[1:]}"
    field.error_messages["max_length"] = f"{label} must be {max_length} characters or fewer"
    # GOV.UK: say when text is too long rather than let the browser cut it off.
    field.widget.attrs.pop("maxlength", None)
    return field


def _textarea(label, *, required=True, help_text="", required_message="", rows=5):
    field = forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )
    field.error_messages["required"] = required_message or f"Enter {label[0].lower()}{label[1:]}"
    return field


def _date(label, *, required_message, help_text="For example, 24 11 2026"):
    field = GovukDateField(label=label, help_text=help_text)
    field.error_messages["required"] = required_message
    return field


def _radios(label, choices, *, required_message, help_text=""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


def application_choice_label(application) -> str:
    return (
        f"{application.reference}: {application.organisation.name}, {application.project_title} "
        f"({format_money(application.recommended_amount)})"
    )


class RoundDecisionForm(forms.Form):
    """The PCC's decision on a round: which recommended applications to fund (all ticked to begin with)."""

    awarded = forms.MultipleChoiceField(
        label="Applications to fund",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick any application the PCC decides not to fund. Those not ticked are told they have not "
        "been funded.",
    )
    decided_on = _date("Date of the decision", required_message="Enter the date of the decision")
    reasons = _textarea(
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


class ApplicationDecisionForm(forms.Form):
    """The PCC's decision on one application."""

    outcome = _radios(
        "Decision",
        [("award", "Award a grant"), ("decline", "Do not fund")],
        required_message="Select whether to award a grant",
    )
    amount = MoneyField(
        label="Amount of the grant",
        required=False,
        help_text="Leave blank to award the panel's recommended amount",
    )
    decided_on = _date("Date of the decision", required_message="Enter the date of the decision")
    reasons = _textarea(
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


class AwardAcceptForm(forms.Form):
    accept = forms.BooleanField(label="I accept the grant terms and conditions")
    name = _text("Your full name", max_length=150, required_message="Enter your full name")

    def __init__(self, *args, organisation_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["accept"]
        field.label = f"I accept the grant terms and conditions on behalf of {organisation_name}"
        field.error_messages["required"] = (
            f"Tick the box to confirm you accept the terms and conditions on behalf of {organisation_name}"
        )


class AwardDeclineForm(forms.Form):
    reason = _textarea("Why are you declining the grant?", required=False, rows=3)


class ReportForm(forms.Form):
    """The end-of-grant report. Nothing is required to save it; services/reports.py checks it when it is sent."""

    what_was_done = _textarea("What the project did", required=False, help_text="What happened, where and when")
    spend_summary = _textarea(
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
    outcomes = _textarea("Outcomes", required=False, help_text="What changed for the people who took part")
    case_study = _textarea(
        "Case study",
        required=False,
        help_text="One person's or group's story, without names or details that could identify them",
    )


class ReportReviewForm(forms.Form):
    outcome = _radios(
        "What do you want to do with the report?",
        [("sign_off", "Sign off the report"), ("return", "Return it for more information")],
        required_message="Select whether to sign off the report or return it",
    )
    note = _textarea(
        "Note",
        required=False,
        help_text="Needed when you return the report: say what the organisation needs to add or change",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == "return" and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Enter what the organisation needs to add or change")
        return cleaned


class RepaymentForm(forms.Form):
    amount = MoneyField(label="Amount to repay")
    reason = _textarea(
        "Which condition was not met",
        help_text="Sent to the organisation and kept with the repayment",
        required_message="Enter which condition of the grant was not met",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].error_messages["required"] = "Enter the amount to repay"


STATUS_CHOICES = [("", "Any status"), *Award.Status.choices]


class AwardFilterForm(forms.Form):
    round = forms.ModelChoiceField(label="Round", queryset=None, required=False, empty_label="All rounds")
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, required=False)
    overdue = forms.BooleanField(label="Only awards with an overdue end-of-grant report", required=False)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
