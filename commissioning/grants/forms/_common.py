"""What the grants forms share: a text box and radios with GOV.UK messages, yes or no, and a confirmation."""

from django import forms

from commissioning.core.forms import GovukForm, too_long

DATE_HINT = "For example, 30 1 2027"
YES, NO = "yes", "no"
YES_NO = ((YES, "Yes"), (NO, "No"))


def text_input(label, *, required_message, max_length=None, textarea=False, help_text="", required=True, rows=5):
    messages = {"required": required_message}
    if max_length:
        messages["max_length"] = too_long(label, max_length)
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if textarea else forms.TextInput,
        error_messages=messages,
    )


def radios(label, choices, *, required_message, help_text=""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


class ConfirmForm(GovukForm):
    """A button that needs no input (remove, publish, continue): its errors show in the error summary."""
