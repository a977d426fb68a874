"""Input for one-off proposals and the Local Innovation Fund. Forms check the shape of what people type;
services/proposals/ and services/innovation.py apply the rules and save."""

from django import forms

from commissioning.core.forms import GovukForm, MoneyField, date_field, text_field, textarea_field
from commissioning.grants.models import Approach, ProposalAssessment
from commissioning.grants.services.proposals import SCORE_DESCRIPTORS
from commissioning.organisations.forms import organisation_field

DATE_HINT = "For example, 27 3 2026"
SCORE_CHOICES = [(score, f"{score}: {text}") for score, text in SCORE_DESCRIPTORS.items()]
APPROVE, REJECT = "approve", "reject"
INVITE, CLOSE = "invite", "close"
INCLUDE, EXCLUDE, AMOUNT = "include", "exclude", "amount"


def _money(label, *, required=True, help_text="", required_message=None):
    field = MoneyField(label=label, required=required, help_text=help_text)
    field.error_messages["required"] = required_message or f"Enter {label[0].lower()}{label[1:]}"
    return field


def _radios(label, choices, *, required_message, help_text="", coerce=str):
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=coerce,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


def _score(label, *, help_text=""):
    return _radios(
        label,
        SCORE_CHOICES,
        coerce=int,
        help_text=help_text,
        required_message=f"Choose a score for {label[0].lower()}{label[1:]}",
    )


class _Choice(forms.ModelChoiceField):
    def __init__(self, label, *, required=True, required_message="", empty_label="Choose", help_text=""):
        super().__init__(
            queryset=None,
            label=label,
            required=required,
            empty_label=empty_label,
            help_text=help_text,
            error_messages={
                "required": required_message or f"Choose the {label[0].lower()}{label[1:]}",
                "invalid_choice": f"Choose an option from the list for ‘{label}’",
            },
        )


class _Priorities(forms.ModelMultipleChoiceField):
    def __init__(self):
        super().__init__(
            queryset=None,
            label="Police and Crime Plan priorities it meets",
            widget=forms.CheckboxSelectMultiple,
            help_text="Select all that apply",
            error_messages={
                "required": "Select at least one Police and Crime Plan priority the service meets",
                "invalid_choice": "Select priorities from the list",
                "invalid_pk_value": "Select priorities from the list",
            },
        )


# One-off proposals ---------------------------------------------------------------------------------------


class ApproachFilterForm(GovukForm):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All statuses"), *Approach.Status.choices],
        error_messages={"invalid_choice": "Select a status from the list"},
    )


class ApproachLogForm(GovukForm):
    organisation = organisation_field(
        label="Organisation that made the approach",
        scope="providers",
        required=False,
        help_text="Leave blank if it is not in the directory, and enter its name in the next box",
    )
    new_organisation_name = text_field(
        "Name of an organisation not in the directory",
        max_length=200,
        required=False,
        help_text="It is added to the directory as a voluntary or community organisation",
    )
    contact_name = text_field("Contact's name", max_length=150, required=False)
    contact_email = forms.EmailField(
        label="Contact's e-mail address",
        required=False,
        help_text="The invitation to complete a Proposal Form is sent here",
        error_messages={"invalid": "Enter an e-mail address in the correct format, like name@example.org"},
    )
    summary = text_field(
        "What they are asking for",
        max_length=300,
        help_text="One line, for example: funding for a youth diversion worker in Weymouth",
        required_message="Enter what they are asking for",
    )
    business_case = textarea_field(
        "Business case",
        help_text="The need, what the service would do, and why the PCC should fund it",
        required_message="Enter the business case",
    )
    amount_sought = _money("Amount sought", required=False, help_text="Leave blank if they did not say")
    received_on = date_field("Date received", required_message="Enter the date the approach was received")

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class TriageForm(GovukForm):
    outcome = _radios(
        "What happens next",
        [
            (INVITE, "Invite a Proposal Form: the approach is of interest and relevance"),
            (CLOSE, "Close the approach"),
        ],
        required_message="Choose whether to invite a Proposal Form or close the approach",
    )
    note = textarea_field(
        "Note",
        help_text="If you invite a Proposal Form, say what it should cover (this is e-mailed to the contact). "
        "If you close the approach, say why.",
        required_message="Enter what the Proposal Form should cover, or why the approach is being closed",
    )


class ProposalFormForm(GovukForm):
    service_name = text_field("Name of the service", max_length=200, required_message="Enter the name of the service")
    service_description = textarea_field("What the service will do", required_message="Enter what the service will do")
    who_it_is_for = textarea_field("Who it is for", rows=3, required_message="Enter who the service is for")
    cost_to_pcc = _money(
        "Cost to the PCC", help_text="The amount asked of the PCC", required_message="Enter the cost to the PCC"
    )
    total_cost = _money(
        "Total cost of the service",
        required=False,
        help_text="Including money from other funders; leave blank if the PCC pays it all",
    )
    starts_on = date_field("Start date", required_message="Enter the start date")
    ends_on = date_field("End date", required_message="Enter the end date")
    outcomes = textarea_field(
        "Outcomes it will deliver", required_message="Enter the outcomes the service will deliver"
    )
    kpis = textarea_field(
        "How success will be measured (KPIs)",
        required_message="Enter how success will be measured",
        help_text="For example, the number of people supported and how many report they cope better",
    )
    partners = textarea_field("Partners involved", required=False, rows=3)
    priorities = _Priorities()

    def __init__(self, *args, priorities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = priorities


class AssessmentForm(GovukForm):
    fit_with_priorities = _score("Fit with the Police and Crime Plan priorities")
    evidence_of_need = _score("Evidence of need")
    value_for_money = _score("Value for money")
    deliverability = _score("Deliverability", help_text="How likely the organisation is to deliver it")
    risks = textarea_field("Risks", required_message="Enter the risks")
    commentary = textarea_field("Commentary", required_message="Enter your commentary")
    recommendation = _radios(
        "Recommendation to the PCC and the Senior Management Team",
        ProposalAssessment.Recommendation.choices,
        required_message="Choose your recommendation",
    )
    recommended_amount = _money("Recommended amount", required=False, help_text="Needed when you recommend funding")
    fund = _Choice(
        "Fund to pay it from", required=False, empty_label="None", help_text="Needed when you recommend funding"
    )

    def __init__(self, *args, funds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds


class DecisionForm(GovukForm):
    outcome = _radios(
        "Your decision",
        [(APPROVE, "Approve the grant"), (REJECT, "Do not approve")],
        required_message="Choose whether to approve the grant",
    )
    smt_consulted = forms.BooleanField(
        label="The Senior Management Team has considered this recommendation", required=False
    )
    amount = _money("Amount of the grant", required=False, help_text="Needed when you approve")
    fund = _Choice("Fund it is paid from", required=False, empty_label="None", help_text="Needed when you approve")
    year = _Choice(
        "Financial year the money is committed in",
        required=False,
        empty_label="None",
        help_text="Needed when you approve",
    )
    decided_on = date_field("Date of the decision", required_message="Enter the date of the decision")
    reasons = textarea_field("Reasons for the decision", required_message="Enter the reasons for the decision")

    def __init__(self, *args, funds=None, years=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        self.fields["year"].queryset = years

    @property
    def approve(self) -> bool:
        return self.cleaned_data.get("outcome") == APPROVE


# Local Innovation Fund -----------------------------------------------------------------------------------


class CandidateForm(GovukForm):
    title = text_field("Project title", max_length=200, required_message="Enter the project title")
    organisation = organisation_field(
        label="Organisation",
        scope="providers",
        required_message="Enter the name of the organisation that would deliver it",
    )
    description = textarea_field("What the project would do", required_message="Enter what the project would do")
    anticipated_spend = _money(
        "Anticipated spend",
        help_text="What successful delivery would cost; a prioritised project is allowed this amount",
        required_message="Enter the anticipated spend",
    )
    likelihood_score = _score("Likelihood of successful delivery")
    priority_score = _score("Priority basis", help_text="How closely it serves the Police and Crime Plan priorities")
    need_score = _score("Assessment of need")
    priorities = _Priorities()
    year = _Choice("Financial year", required_message="Choose the financial year")

    def __init__(self, *args, organisations=None, priorities=None, years=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["priorities"].queryset = priorities
        self.fields["priorities"].label = "Police and Crime Plan priorities it serves"
        self.fields["year"].queryset = years


class CandidateFilterForm(GovukForm):
    year = _Choice("Financial year", required=False, empty_label="All years")

    def __init__(self, *args, years=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = years


def _weight(label):
    name = f"{label[0].lower()}{label[1:]}"
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "required": f"Enter the weight for {name}",
            "invalid": f"Enter the weight for {name} as a number, like 40",
            "min_value": f"Enter a weight of 0 or more for {name}",
            "max_digits": f"Enter a weight below 1000 for {name}",
            "max_whole_digits": f"Enter a weight below 1000 for {name}",
            "max_decimal_places": f"Enter a weight for {name} with no more than 2 decimal places",
        },
    )


class WeightsForm(GovukForm):
    effective_from = date_field("Used from", required_message="Enter the date the weights are used from")
    likelihood_weight = _weight("Likelihood of successful delivery")
    priority_weight = _weight("Priority basis")
    need_weight = _weight("Assessment of need")


class PrioritisationForm(GovukForm):
    fund = _Choice("Fund", required_message="Choose the fund")
    year = _Choice("Financial year", required_message="Choose the financial year")

    def __init__(self, *args, funds=None, years=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        self.fields["year"].queryset = years


class OverrideForm(GovukForm):
    action = _radios("Allowance", [], required_message="Choose whether to include, exclude or change the allowance")
    allowance = _money(
        "Amount of the allowance", required=False, help_text="Needed when you give a different allowance"
    )
    reason = text_field("Reason for the override", max_length=300, help_text="Shown with the ranked list")

    def __init__(self, *args, spend_shown="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            (INCLUDE, f"Include it with its full anticipated spend ({spend_shown})"),
            (EXCLUDE, "Exclude it (no allowance)"),
            (AMOUNT, "Give a different allowance"),
        ]


class ConfirmForm(GovukForm):
    """A button and nothing else."""
