"""Input forms for monitoring. They check the shape of what people type; services.py applies the rules."""

import re

from django import forms

from commissioning.core.forms import GovukDateField, GovukForm, date_field, text_field, textarea_field, too_long
from commissioning.monitoring.models import Direction, Frequency, KpiKind, ReturnDecision, ServiceKpi
from commissioning.monitoring.services import TOTAL, field_name

WHOLE = re.compile(r"[0-9]+")
WHOLE_NUMBER = "must be a whole number, 0 or more, like 12"


class OptionalDateField(GovukDateField):
    def __init__(self, **kwargs):
        kwargs["required"] = False
        super().__init__(**kwargs)


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=100,
        help_text="This is shown in the activity log",
        error_messages={"max_length": too_long("Reason for the change", 100)},
    )


def _target_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="Target for each reporting period",
        required=False,
        min_value=0,
        help_text="A whole number. Leave blank if the measure has no target",
        error_messages={"invalid": f"Target {WHOLE_NUMBER}", "min_value": f"Target {WHOLE_NUMBER}"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )


class KpiSettingsForm(GovukForm):
    """What every service KPI has: unit, target, direction, frequency and dates."""

    unit = text_field("What is counted", max_length=60, help_text="For example, people or referrals")
    target = _target_field()
    direction = forms.ChoiceField(
        label="Which is better",
        choices=Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether a higher or a lower figure is better"},
    )
    frequency = forms.ChoiceField(
        label="How often it is reported",
        choices=Frequency.choices,
        error_messages={"required": "Select how often it is reported"},
    )
    effective_from = date_field("Reported from", required_message="Enter the date the service starts reporting it")
    effective_to = OptionalDateField(label="Reported until", help_text="Leave blank while the service reports it")


class KpiChangeForm(KpiSettingsForm):
    reason = _reason_field()


class OwnKpiForm(KpiSettingsForm):
    """One of the service's own measures."""

    name = text_field("Name of the measure", max_length=200, required_message="Enter the name of the measure")
    description = textarea_field("What it counts and how", required=False, rows=3)
    kind = forms.ChoiceField(
        label="What kind of measure",
        choices=[(KpiKind.COUNT, "A count"), (KpiKind.BREAKDOWN, "A count broken down by category")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of measure it is"},
    )
    categories = forms.CharField(
        label="Categories, for a breakdown",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One category on each line, including the one that means not known",
    )
    not_known = forms.CharField(
        label="The category that means not known, for a breakdown",
        required=False,
        max_length=200,
        help_text="For example, Not known",
        error_messages={"max_length": too_long("The category", 200)},
    )
    adds_up = forms.TypedChoiceField(
        label="Do the categories add up to the total?",
        choices=[("yes", "Yes, each one is counted in exactly one category"), ("no", "No, one may be in several")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        error_messages={"required": "Select whether the categories add up to the total"},
    )

    field_order = ["name", "description", "kind", "categories", "not_known", "adds_up", "unit", "target"]

    def clean(self):
        data = super().clean()
        lines = [line.strip() for line in (data.get("categories") or "").splitlines() if line.strip()]
        data["breakdown"] = lines
        if data.get("kind") == KpiKind.BREAKDOWN and not lines:
            self.add_error("categories", "Enter the categories, one on each line")
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("categories", None)
        return data


class ScheduleForm(GovukForm):
    frequency = forms.ChoiceField(
        label="How often the provider makes a return",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how often the provider makes a return"},
    )
    days_to_submit = forms.IntegerField(
        label="Days after the end of each period the return is due",
        min_value=1,
        max_value=90,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the number of days",
            "invalid": "Enter a number of days from 1 to 90",
            "min_value": "Enter a number of days from 1 to 90",
            "max_value": "Enter a number of days from 1 to 90",
        },
    )


class ReturnForm(GovukForm):
    """A box for each figure the return asks for: each KPI's total and, for a breakdown, each category.

    A figure that is not a whole number is passed to the service as None, so the service reports every
    problem, with its own words, in one go."""

    note = forms.CharField(
        label="Anything the OPCC should know about these figures",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, kpis: list[ServiceKpi], initial_values: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpis = kpis
        self.groups = []
        for kpi in kpis:
            cells = [TOTAL, *kpi.categories] if kpi.is_breakdown else [TOTAL]
            names = []
            for category in cells:
                name = field_name(kpi, category)
                label = category or (f"Total {kpi.unit}" if kpi.is_breakdown else f"Number of {kpi.unit}")
                self.fields[name] = forms.CharField(
                    label=label, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
                )
                if initial_values and (kpi.pk, category) in initial_values:
                    self.fields[name].initial = initial_values[(kpi.pk, category)]
                names.append(name)
            self.groups.append({"kpi": kpi, "fields": [self[name] for name in names]})
        self.order_fields([name for group in self.groups for name in (f.name for f in group["fields"])] + ["note"])

    def values(self) -> dict:
        """The figures for the service: a whole number, None when it is not one, absent when left blank."""
        values = {}
        for kpi in self.kpis:
            for category in [TOTAL, *kpi.categories] if kpi.is_breakdown else [TOTAL]:
                text = (self.cleaned_data.get(field_name(kpi, category)) or "").strip().replace(",", "")
                if text == "":
                    continue
                values[(kpi.pk, category)] = int(text) if WHOLE.fullmatch(text) else None
        return values


class DecisionForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Your decision",
        choices=[
            (ReturnDecision.Outcome.ACCEPTED, "Accept the return"),
            (ReturnDecision.Outcome.QUERIED, "Query it with the provider"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to accept or query the return"},
    )
    comments = textarea_field(
        "Comments for the provider",
        required=False,
        help_text="Needed when you query the return: say what to check or correct",
    )


class UploadForm(GovukForm):
    file = forms.FileField(
        label="Upload the completed template",
        help_text="A CSV or Excel (.xlsx) file, smaller than 5MB",
        error_messages={"required": "Select the completed template", "empty": "The selected file is empty"},
    )
