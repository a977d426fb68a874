"""Forms for a return's narrative and case studies, and for feedback on a service (issue 11, point 3)."""

from django import forms

from commissioning.core.forms import GovukForm, date_field, text_field, textarea_field
from commissioning.monitoring.feedback_models import RATINGS, FeedbackSource


class NarrativeForm(GovukForm):
    achievements = textarea_field(
        "What went well",
        help_text="What the service achieved in the period, and for whom",
        required_message="Say what went well in the period",
        rows=6,
    )
    challenges = textarea_field(
        "What was difficult", required=False, help_text="Including anything behind figures far from a target"
    )
    next_period = textarea_field("Plans for the next period", required=False, rows=3)


class CaseStudyForm(GovukForm):
    title = text_field("Title", max_length=200, help_text="For example, Support after a burglary")
    story = textarea_field(
        "The person's story",
        help_text="Leave out names, places and anything else that could identify the person",
        required_message="Tell the person's story",
        rows=8,
    )
    outcome = textarea_field("What changed for the person", required=False, rows=3)
    consented_for_publication = forms.BooleanField(
        label="The person agreed that this case study may be published",
        required=False,
        help_text="Only case studies the person agreed to publish appear in the Police and Crime Panel report",
    )


class FeedbackForm(GovukForm):
    source = forms.ChoiceField(
        label="What kind of feedback",
        choices=FeedbackSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of feedback it is"},
    )
    given_by = text_field(
        "Who gave it",
        max_length=200,
        help_text="An organisation or a role, not a person's name, like Victim Care Unit or Survey of service users",
        required_message="Enter who gave the feedback",
    )
    received_on = date_field("When it was given", required_message="Enter the date the feedback was given")
    summary = textarea_field("Summary", required_message="Enter a summary of the feedback")
    rating = forms.TypedChoiceField(
        label="Rating",
        choices=[("", "No rating given"), *[(str(value), f"{value} – {label}") for value, label in RATINGS.items()]],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        initial="",
    )
    respondents = forms.IntegerField(
        label="For a survey, how many people replied",
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={
            "invalid": "The number of people who replied must be a whole number, like 12",
            "min_value": "The number of people who replied must be 1 or more",
        },
    )
