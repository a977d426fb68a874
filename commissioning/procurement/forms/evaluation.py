"""Input for tender evaluation and award pages. The declaration, scores and moderation forms are the shared ones
(commissioning.evaluation.forms, ADR 0015); the rules live in the services, whose errors come back under the same
field names."""

from django import forms

from commissioning.core.forms import GovukForm, date_field, text_field, textarea_field
from commissioning.evaluation.forms import DeclarationForm, ModerationForm, ScoresForm  # noqa: F401
from commissioning.procurement.models import Bid


def _person_label(user) -> str:
    return f"{user.display_name} ({user.role_label})"


class AssignEvaluatorsForm(GovukForm):
    evaluators = forms.ModelMultipleChoiceField(
        label="Evaluators for every bid",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each declares any conflict of interest with a bidder before reading that bid",
        error_messages={
            "required": "Select at least one evaluator",
            "invalid_choice": "Select evaluators from the list",
        },
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].queryset = people
        self.fields["evaluators"].label_from_instance = _person_label


class RecommendForm(GovukForm):
    bid = forms.ModelChoiceField(
        label="Bid to recommend",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the bid to recommend",
            "invalid_choice": "Select the bid to recommend from the list",
        },
    )
    recommendation = textarea_field(
        "Why this bid is the most advantageous tender",
        required_message="Enter why this bid is the most advantageous tender",
    )

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bid"].queryset = Bid.objects.filter(pk__in=[r.bid_id for r in results])
        labels = {r.bid_id: f"Rank {r.rank}: {r.bid.organisation.name}, {r.total_score} out of 100" for r in results}
        self.fields["bid"].label_from_instance = lambda bid: labels.get(bid.pk, str(bid))


class ScrutinyForm(GovukForm):
    note = textarea_field(
        "Outcome of the scrutiny",
        help_text="The bidder's explanation of its low price and whether it is accepted",
        required_message="Enter the outcome of the scrutiny: the bidder's explanation and your view",
    )


class DecisionForm(GovukForm):
    decided_by = forms.ModelChoiceField(
        label="Police and Crime Commissioner",
        queryset=None,
        empty_label="Select the PCC",
        error_messages={"required": "Select the PCC who made the decision", "invalid_choice": "Select the PCC"},
    )
    decided_on = date_field("Date of the decision", required_message="Enter the date of the decision")
    reasons = textarea_field("Reasons", help_text="Every bidder is told them", required_message="Enter the reasons")
    starts_on = date_field("Contract starts", required_message="Enter the date the contract starts")
    ends_on = date_field("Contract ends", required_message="Enter the date the contract ends")

    def __init__(self, *args, pccs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = pccs


class LettersForm(GovukForm):
    notice_on = date_field(
        "Date the contract award notice was published", required_message="Enter the date the notice was published"
    )
    notice_reference = text_field("Notice reference", max_length=60, required=False, help_text="For example, UK6")


class ContractForm(GovukForm):
    signed_on = date_field("Date the contract was signed", required_message="Enter the date the contract was signed")
    fund = forms.ModelChoiceField(
        label="Fund",
        queryset=None,
        required=False,
        empty_label="The commissioning case's fund",
        help_text="The money is committed from this fund for every financial year the contract runs",
    )

    def __init__(self, *args, funds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds


class DetailsNoticeForm(GovukForm):
    published_on = date_field(
        "Date the contract details notice was published", required_message="Enter the date the notice was published"
    )
    reference = text_field("Notice reference", max_length=60, required=False, help_text="For example, UK7")
