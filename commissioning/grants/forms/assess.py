"""Input for assessment pages. Forms check the shape of input; the rules live in services/assessment.py,
whose errors come back under the same field names (score_<criterion id>, comment_<criterion id>)."""

from django import forms

from commissioning.core.forms import GovukForm, MoneyField
from commissioning.evaluation.forms import (  # noqa: F401  (the shared forms, ADR 0015)
    CommentField,
    DeclarationForm,
    ModerationForm,
    ScoresForm,
    score_choices,
)
from commissioning.grants.forms._common import radios
from commissioning.grants.services.assessment import min_assessors

YES_NO = [("yes", "Yes"), ("no", "No")]


def _textarea(label, *, required=False, help_text="", required_message="", rows=4):
    field = forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )
    if required_message:
        field.error_messages["required"] = required_message
    return field


class EligibilityForm(GovukForm):
    eligible = radios(
        "Is the application eligible?",
        [("yes", "Yes, it meets the round's eligibility rules"), ("no", "No, it is not eligible")],
        required_message="Select whether the application is eligible",
    )
    note = _textarea(
        "Note",
        help_text="Needed when it is not eligible: the applicant is told the reason",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("eligible") == "no" and not cleaned.get("note", "").strip():
            self.add_error("note", "Enter why the application is not eligible; the applicant is told the reason")
        return cleaned

    def service_data(self) -> dict:
        return {"eligible": self.cleaned_data["eligible"] == "yes", "note": self.cleaned_data["note"]}


class AssignForm(GovukForm):
    assessor = forms.ModelChoiceField(
        label="Assessor",
        queryset=None,
        empty_label="Select an assessor",
        help_text="Evaluators and OPCC staff. They see only the organisation and the project title until they "
        "declare any conflict of interest",
        error_messages={"required": "Select an assessor", "invalid_choice": "Select an assessor from the list"},
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = people
        self.fields["assessor"].label_from_instance = _person_label


class RoundAssignForm(GovukForm):
    assessors = forms.ModelMultipleChoiceField(
        label="Assessors for every eligible application",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each is assigned to every eligible application they are not already assigned to",
        error_messages={"required": "Select at least one assessor", "invalid_choice": "Select assessors from the list"},
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = people
        self.fields["assessors"].label_from_instance = _person_label


def _person_label(user) -> str:
    return f"{user.display_name} ({user.role_label})"


def moderation_help() -> str:
    needed = min_assessors()
    return (
        f"Moderation needs at least {needed} submitted assessment{'s' if needed != 1 else ''} from assessors "
        "without a conflict of interest (a system administrator sets how many). Assessors who have not submitted "
        "by then can no longer score."
    )


class RecommendationForm(GovukForm):
    recommend = radios(
        "Does the panel recommend funding?",
        [("yes", "Recommend funding"), ("no", "Do not recommend")],
        required_message="Select whether the panel recommends funding",
    )
    amount = MoneyField(
        label="Amount recommended",
        required=False,
        help_text="No more than requested, within the scheme's limits and the round's budget",
    )
    note = _textarea("Note", help_text="Needed when not recommended: the applicant is told the reason")

    def clean(self):
        cleaned = super().clean()
        recommend = cleaned.get("recommend")
        if recommend == "yes" and cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", "Enter the amount to recommend")
        if recommend == "no" and not cleaned.get("note", "").strip():
            self.add_error("note", "Enter why the application is not recommended; the applicant is told the reason")
        return cleaned

    def service_data(self) -> dict:
        data = self.cleaned_data
        recommend = data["recommend"] == "yes"
        return {"recommend": recommend, "amount": data["amount"] if recommend else None, "note": data["note"]}
