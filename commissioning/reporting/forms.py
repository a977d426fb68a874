"""Choosing the Panel report's period, and writing a highlight or case study for it."""

from django import forms

from commissioning.core.forms import GovukForm, GovukModelForm
from commissioning.reporting.models import PanelHighlight

QUARTERS = [
    ("", "The whole year"),
    ("Q1", "Q1 (April to June)"),
    ("Q2", "Q2 (July to September)"),
    ("Q3", "Q3 (October to December)"),
    ("Q4", "Q4 (January to March)"),
]


class PeriodForm(GovukForm):
    year = forms.ChoiceField(
        label="Financial year",
        error_messages={"required": "Select a financial year", "invalid_choice": "Select a financial year"},
    )
    quarter = forms.ChoiceField(
        label="Quarter", choices=QUARTERS, required=False, error_messages={"invalid_choice": "Select a quarter"}
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(label, label) for label in years]


class HighlightForm(GovukModelForm):
    class Meta:
        model = PanelHighlight
        fields = ["panel_area", "kind", "title", "body"]
        labels = {"panel_area": "Panel area", "kind": "Highlight or case study", "body": "Text"}
        error_messages = {
            "panel_area": {"required": "Select the Panel area", "invalid_choice": "Select a Panel area from the list"},
            "kind": {
                "required": "Select whether it is a highlight or a case study",
                "invalid_choice": "Select highlight or case study",
            },
            "title": {"required": "Enter a title", "max_length": "The title must be 200 characters or fewer"},
            "body": {"required": "Enter the text of the highlight or case study"},
        }
        widgets = {
            "panel_area": forms.RadioSelect,
            "kind": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel_area"].empty_label = None
