"""Input for the strategy pages. Forms check the shape of input; the rules live in services.py."""

from django import forms

from commissioning.core.forms import GovukForm, MoneyField, date_field, text_field, textarea_field
from commissioning.strategy.models import LegalBasis

REASON_HELP = "Shown in the activity log"


class ReasonMixin(GovukForm):
    reason = text_field("Reason for the change", max_length=100, required=False, help_text=REASON_HELP)


class PlanForm(ReasonMixin):
    title = text_field("Title", max_length=200, required_message="Enter the title of the plan")
    starts_on = date_field("Start date", required_message="Enter the start date")
    ends_on = date_field("End date", required_message="Enter the end date")

    field_order = ["title", "starts_on", "ends_on", "reason"]

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", "The end date must be after the start date")
        return cleaned


class PillarForm(ReasonMixin):
    title = text_field("Title", max_length=200, required_message="Enter the title of the pillar")
    description = textarea_field("Description", required=False)

    field_order = ["title", "description", "reason"]


class PriorityForm(GovukForm):
    code = text_field("Code", max_length=10, help_text="For example 1.2", required_message="Enter the priority's code")
    title = text_field("Title", max_length=200, required_message="Enter the title of the priority")
    description = textarea_field("Description", required=False)


class PriorityEditForm(ReasonMixin, PriorityForm):
    field_order = ["code", "title", "description", "reason"]


class DocumentForm(GovukForm):
    title = text_field(
        "Title",
        max_length=200,
        help_text="For example, Commissioning Strategy 2027 to 2031",
        required_message="Enter the title of the strategy",
    )
    period_start = date_field(
        "Start of the period the strategy covers", required_message="Enter the start of the period"
    )
    period_end = date_field("End of the period the strategy covers", required_message="Enter the end of the period")
    review_interval_months = forms.IntegerField(
        label="Months between reviews",
        min_value=1,
        max_value=60,
        initial=12,
        help_text="The commissioning strategy is reviewed every year, so this is usually 12",
        error_messages={
            "required": "Enter the number of months between reviews",
            "invalid": "Enter the number of months between reviews as a whole number, like 12",
            "min_value": "Months between reviews must be 1 or more",
            "max_value": "Months between reviews must be 60 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    plan = forms.ModelChoiceField(
        label="Police and Crime Plan it serves", queryset=None, required=False, empty_label="None"
    )

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", "The end of the period must be after its start")
        return cleaned


class VersionCreateForm(GovukForm):
    summary = text_field(
        "Summary of changes",
        max_length=300,
        help_text="What this version changes and why, in a sentence or two",
        required_message="Enter a summary of the changes",
    )
    start_from_in_force = forms.BooleanField(label="Start from the text of the version in force", required=False)
    body = textarea_field(
        "Strategy text",
        required=False,
        rows=20,
        help_text="Leave empty when starting from the text of the version in force",
    )

    def __init__(self, *args, in_force=None, **kwargs):
        super().__init__(*args, **kwargs)
        if in_force is None:
            del self.fields["start_from_in_force"]
            self.fields["body"].help_text = ""
            self.fields["body"].required = True
            self.fields["body"].error_messages["required"] = "Enter the strategy text"
        else:
            self.fields[
                "start_from_in_force"
            ].label = f"Start from the text of version {in_force.number}, the version in force"

    def clean(self):
        cleaned = super().clean()
        if (
            "start_from_in_force" in self.fields
            and not cleaned.get("start_from_in_force")
            and not cleaned.get("body", "").strip()
            and "body" not in self.errors
        ):
            self.add_error("body", "Enter the strategy text, or choose to start from the version in force")
        return cleaned


class VersionEditForm(GovukForm):
    summary = text_field("Summary of changes", max_length=300, required_message="Enter a summary of the changes")
    body = textarea_field("Strategy text", rows=20, required_message="Enter the strategy text")


class ActionForm(GovukForm):
    """A button with no fields (submit, share); carries errors from the service to the error summary."""


class SignForm(GovukForm):
    comment = textarea_field(
        "Comment", required=False, max_length=300, rows=3, help_text="Recorded with your signature"
    )


class VariationForm(GovukForm):
    title = text_field("Title", max_length=200, required_message="Enter a title for the variation")
    reason = textarea_field("Why the variation is needed", required_message="Enter why the variation is needed")
    change = textarea_field("What changes", rows=8, required_message="Enter what the variation changes")


class WithdrawForm(GovukForm):
    reason = textarea_field(
        "Why the variation is being withdrawn",
        max_length=1000,
        required_message="Enter why the variation is being withdrawn",
    )


class DecisionForm(GovukForm):
    subject = text_field("Subject", max_length=250, required_message="Enter the subject of the decision")
    legal_basis = forms.ChoiceField(
        label="Legal basis",
        choices=LegalBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the legal basis for the decision"},
    )
    decision = textarea_field("Decision", required_message="Enter the decision")
    reasons = textarea_field("Reasons for the decision", required_message="Enter the reasons for the decision")
    amount = MoneyField(
        label="Amount",
        required=False,
        min_value=0,
        help_text="Leave empty if the decision is not about money",
    )
    decided_by = forms.ModelChoiceField(
        label="Decided by",
        queryset=None,
        empty_label=None,
        error_messages={
            "required": "Select the Police and Crime Commissioner who made the decision",
            "invalid_choice": "Select the Police and Crime Commissioner who made the decision",
        },
    )
    decided_on = date_field("Date of the decision", required_message="Enter the date of the decision")
    publishable = forms.TypedChoiceField(
        label="Publish this decision?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        help_text="Decisions are published unless there is a reason not to, such as personal information",
        error_messages={"required": "Select yes if the decision is to be published"},
    )
    not_publishable_reason = text_field(
        "Reason for not publishing",
        max_length=300,
        required=False,
        help_text="Needed only if the decision is not to be published",
    )

    def __init__(self, *args, decision_makers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = decision_makers
        self.fields["amount"].error_messages["min_value"] = "Enter an amount of £0 or more"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("publishable") is False and not cleaned.get("not_publishable_reason", "").strip():
            self.add_error("not_publishable_reason", "Enter why the decision is not to be published")
        return cleaned
