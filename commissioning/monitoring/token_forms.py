"""Forms for the provider API's tokens and for case-level return files (issue 11, point 2)."""

from django import forms

from commissioning.core.forms import GovukForm, text_field
from commissioning.monitoring.imports_large import MAX_BYTES, MAX_CASES


class ApiTokenForm(GovukForm):
    name = text_field(
        "Name",
        max_length=100,
        help_text="What will use it, for example ‘Case management system’. This helps you tell your tokens apart",
        required_message="Enter a name for the token, like the system that will use it",
    )


class CaseFileForm(GovukForm):
    file = forms.FileField(
        label="Upload the case-level file",
        help_text=f"A CSV or Excel (.xlsx) file, smaller than {MAX_BYTES // (1024 * 1024)}MB, with one row for each "
        f"case, up to {MAX_CASES:,} cases",
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={
            "required": "Select the case-level file",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV or Excel file",
            "missing": "Select a CSV or Excel file",
        },
    )
