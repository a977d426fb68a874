"""Forms for strategic reviews, exits and contract assessments. They check the shape of what people type; the
services (review_services.py, agreements.services.exits) apply the rules."""

from django import forms

from commissioning.agreements.models import AgreementExit
from commissioning.core.forms import GovukForm, MoneyField, date_field, textarea_field
from commissioning.monitoring.review_models import MetNeed, Rating, Recommendation, ValueForMoney


def _choice(label, choices, *, required=True, message=""):
    field = forms.ChoiceField(label=label, choices=choices, required=required, widget=forms.RadioSelect)
    field.error_messages["required"] = message or f"Select {label[0].lower()}{label[1:]}"
    return field


class FindingsForm(GovukForm):
    outcomes = textarea_field("Outcomes against objectives", required=False)
    met_need = _choice("Did the service meet the need?", MetNeed.choices, required=False)
    need_notes = textarea_field("How it met the need, or did not", required=False, rows=3)
    lessons = textarea_field("Lessons learned", required=False)
    value_for_money = _choice("Value for money", ValueForMoney.choices, required=False)
    value_for_money_notes = textarea_field("Value for money: the evidence", required=False, rows=3)
    recommendation = _choice("Recommendation", Recommendation.choices, required=False)
    recommendation_reasons = textarea_field("Reasons for the recommendation", required=False)


class ReviewDecisionForm(GovukForm):
    decision = _choice("Decision", Recommendation.choices, message="Select the decision")
    reasons = textarea_field("Reasons for the decision", required_message="Enter the reasons for the decision")
    new_ends_on = date_field(
        "New end date (for an extension)", required_message="Enter the new end date", help_text="For example, 31 3 2029"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_ends_on"].required = False


class ExitForm(GovukForm):
    kind = _choice("How does the agreement end?", AgreementExit.Kind.choices)
    notice_given_on = date_field("Date notice was given", required_message="Enter the date notice was given")
    notice_period_days = forms.IntegerField(
        label="Notice period in days",
        min_value=0,
        max_value=3650,
        help_text="0 if it ends at its end date without notice",
        error_messages={
            "required": "Enter the notice period in days, 0 or more",
            "invalid": "Enter the notice period as a whole number of days",
            "min_value": "Enter the notice period in days, 0 or more",
            "max_value": "Enter a notice period of 3650 days or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )
    reason = textarea_field("Why the agreement is ending", rows=3)
    service_users = _choice("What happens to the people the service supports?", AgreementExit.ServiceUsers.choices)
    transition_plan = textarea_field(
        "Transition plan", help_text="Who supports the people still using the service, from when, and how"
    )
    still_to_pay = MoneyField(
        label="Still to pay for work up to the end date",
        required=False,
        help_text="Kept committed in the year the agreement ends; everything else unpaid goes back to the fund",
    )


class AssessmentForm(GovukForm):
    period_starts_on = date_field("First day of the period assessed", required_message="Enter the first day")
    period_ends_on = date_field("Last day of the period assessed", required_message="Enter the last day")
    rating = _choice("Rating", Rating.choices, message="Select the rating")
    narrative = textarea_field(
        "Narrative", help_text="How the contract performed against each KPI, as it will be published"
    )
