"""GOV.UK Design System rendering for every Django form (templates in core/templates/govuk/), and the small field
builders the apps' forms share."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.forms.renderers import TemplatesSetting

from commissioning.core.money import (
    DECIMAL_PLACES,
    MAX_DIGITS,
    NOT_AN_AMOUNT,
    AmountError,
    parse_amount,
    too_large_message,
)

SEARCH_TOO_LONG = {"max_length": "Search for 100 characters or fewer"}


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: separate day, month and year boxes."""

    template_name = "govuk/widgets/date.html"

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
            ),
            "month": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
            ),
            "year": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-4"}
            ),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    default_error_messages = {
        "invalid": "Enter a real date",
        "incomplete": "Enter a day, month and year",
    }

    def __init__(self, **kwargs):
        fields = (
            forms.IntegerField(min_value=1, max_value=31),
            forms.IntegerField(min_value=1, max_value=12),
            forms.IntegerField(min_value=1900, max_value=2200),
        )
        kwargs.setdefault("require_all_fields", True)
        super().__init__(fields=fields, **kwargs)
        # One message for the whole date, as the GOV.UK pattern asks, whichever box is wrong.
        for field in self.fields:
            field.error_messages = {
                "invalid": self.error_messages["invalid"],
                "min_value": self.error_messages["invalid"],
                "max_value": self.error_messages["invalid"],
                "required": self.error_messages["incomplete"],
            }

    def compress(self, data_list):
        if not data_list or all(part in (None, "") for part in data_list):
            return None
        if any(part in (None, "") for part in data_list):
            # A half-filled optional date is a mistake, not a blank.
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        day, month, year = data_list
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class MoneyField(forms.DecimalField):
    """Pounds and pence; accepts '£1,250.50'. Shown with a £ prefix.

    The text is read by core.money.parse_amount, the one amount parser of the project (forms and imports): so
    '1e3', '1_000', '£1,0,0,0', '1.000,50' and non-ASCII digits are refused as "Enter an amount in pounds and
    pence", and an amount past what the field holds (derived from max_digits and decimal_places) is refused as
    "Enter an amount less than £1,000,000,000,000", never with Django's "no more than 14 digits".
    """

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        super().__init__(**kwargs)
        too_large = too_large_message(self.max_digits, self.decimal_places)
        self.error_messages["invalid"] = NOT_AN_AMOUNT
        self.error_messages["max_decimal_places"] = "Enter an amount with no more than 2 decimal places (pence)"
        self.error_messages["max_digits"] = too_large
        self.error_messages["max_whole_digits"] = too_large
        self.error_messages["too_large"] = too_large

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            value = str(value)
        try:
            return parse_amount(str(value), max_digits=self.max_digits, decimal_places=self.decimal_places)
        except AmountError as error:
            if error.code == "too_large":
                raise forms.ValidationError(error.message, code="too_large") from None
            raise forms.ValidationError(self.error_messages[error.code], code=error.code) from None

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.update({"inputmode": "decimal", "data-prefix": "£"})
        return attrs


def add_service_errors(form, exc) -> None:
    """Show a service's ValidationError on the form: field errors by the field, others at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def too_long(label: str, length: int) -> str:
    return f"{label} must be {length} characters or fewer"


def _first_lower(label: str) -> str:
    return f"{label[0].lower()}{label[1:]}"


def _no_silent_truncation(field):
    # GOV.UK: say when text is too long rather than let the browser cut it off with maxlength.
    field.widget.attrs.pop("maxlength", None)
    return field


def text_field(label, *, max_length, required=True, help_text="", required_message=None) -> forms.CharField:
    """A one-line text box; a missing value is "Enter <label>" unless `required_message` says otherwise."""
    field = forms.CharField(label=label, max_length=max_length, required=required, help_text=help_text)
    field.error_messages["required"] = required_message or f"Enter {_first_lower(label)}"
    field.error_messages["max_length"] = too_long(label, max_length)
    return _no_silent_truncation(field)


def textarea_field(
    label, *, required=True, help_text="", required_message=None, max_length=None, rows=5
) -> forms.CharField:
    field = forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )
    field.error_messages["required"] = required_message or f"Enter {_first_lower(label)}"
    if max_length:
        field.error_messages["max_length"] = too_long(label, max_length)
    return _no_silent_truncation(field)


def date_field(label, *, required_message, help_text="For example, 27 3 2026") -> GovukDateField:
    field = GovukDateField(label=label, help_text=help_text)
    field.error_messages["required"] = required_message
    return field
