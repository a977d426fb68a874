"""Forms for setting up a grant round: its details, eligibility questions and assessment criteria. They check
the shape of what officers type and give GOV.UK error messages; services/rounds.py applies the rules and saves."""

import datetime as dt

from django import forms
from django.utils import timezone

from commissioning.core.forms import GovukDateField, GovukForm, MoneyField, too_long
from commissioning.core.uk_times import UK, UkTimesMixin, uk_datetime
from commissioning.funds.models import FinancialYear, Fund
from commissioning.grants.forms._common import DATE_HINT, NO, YES, YES_NO, text_input
from commissioning.grants.models import GrantRound, GrantScheme, TermsVersion
from commissioning.grants.selectors.rounds import DEFAULT_DESCRIPTORS
from commissioning.grants.services.rounds import CHANGEABLE_ONCE_PUBLISHED

LONDON = UK


def london(day: dt.date, time: dt.time) -> dt.datetime:
    """`time` on `day` in UK time; a time the clock changes skip or repeat is refused (core.forms.uk_datetime)."""
    return uk_datetime(day, time)


# --- Rounds --------------------------------------------------------------------------------------------------


class RoundForm(UkTimesMixin, GovukForm):
    """A round's details. Once published only its name, guidance and closing time are shown. Times are UK time;
    one the clocks skip is refused, and one they repeat gets a question which is meant (core.forms.UkTimesMixin).
    """

    uk_times = (("opens_at", "opens_time"), ("closes_at", "closes_time"))

    scheme = forms.ModelChoiceField(
        label="Grant scheme",
        queryset=GrantScheme.objects.none(),
        empty_label=None,
        error_messages={"required": "Select the grant scheme", "invalid_choice": "Select the grant scheme"},
    )
    name = text_input("Name of the round", required_message="Enter a name for the round", max_length=200)
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
        help_text="UK time. For example, 9am or 09:00",
        initial="9am",
        max_length=10,
        error_messages={"required": "Enter the time it opens"},
    )
    closes_at = GovukDateField(
        label="Date the round closes", help_text=DATE_HINT, error_messages={"required": "Enter the date it closes"}
    )
    closes_time = forms.CharField(
        label="Time the round closes",
        help_text="UK time. For example, 5pm or 17:00",
        initial="5pm",
        max_length=10,
        error_messages={"required": "Enter the time it closes"},
    )
    terms = forms.ModelChoiceField(
        label="Terms and conditions",
        queryset=TermsVersion.objects.none(),
        error_messages={"required": "Select the terms and conditions for the round"},
    )
    guidance = text_input(
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
        self.add_clock_change_questions()

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
        return self.combine_uk_times(super().clean())


class QuestionForm(GovukForm):
    text = text_input(
        "Question", required_message="Enter the question", max_length=300, help_text="Asked with yes or no"
    )
    hint = text_input("Hint", required_message="", max_length=300, required=False, help_text="Shown under the question")
    required_answer = forms.ChoiceField(
        label="Which answer lets an organisation apply?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which answer lets an organisation apply"},
    )
    ineligible_message = text_input(
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


class CriterionForm(GovukForm):
    name = text_input("Criterion", required_message="Enter the name of the criterion", max_length=200)
    guidance = text_input(
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
                    "max_length": too_long(f"The descriptor for {score}", 300),
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
