"""GOV.UK Design System rendering for every Django form (templates in core/templates/govuk/), GOV.UK error
messages built from each field's label (GovukForm, GovukModelForm), and the small field builders the apps' forms
share."""

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.db.models.functions import Lower
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name
from django.utils.choices import BaseChoiceIterator

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

    # Generic: a GovukForm replaces them with "<Label> must be a real date" and "<Label> must include a day, month
    # and year".
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
        self.share_messages()

    def share_messages(self):
        """One message for the whole date, as the GOV.UK pattern asks, whichever box is wrong."""
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


MONEY_INVALID = NOT_AN_AMOUNT
MONEY_PENCE = "Enter an amount with no more than 2 decimal places (pence)"


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


# --- Choosing one record among thousands: search as you type (issue 9, point 3) ------------------------------
#
# A <select> of every organisation grows with the data (3 MB at national scale). These fields are a text box
# instead: the person types the record's name; GOV.UK's accessible-autocomplete (core/static/core/search.js)
# turns the box into a search-as-you-type list fed by a search address (e.g. organisations:search) that
# returns at most a page of matches. Without JavaScript the box stays a text box, and a link opens the same
# search as a page. The server resolves the name typed to the record, within the field's queryset, so nothing
# outside it can be chosen; a name shared by several records is offered as "Name (ID 42)".

SEARCH_LABEL_ID = re.compile(r"^(?P<name>.*) \(ID (?P<pk>\d+)\)$")


def search_label(obj, *, shared: bool, name_field: str = "name") -> str:
    """How a record is written in a search field: its name, with its ID when another record has the same name."""
    name = str(getattr(obj, name_field))
    return f"{name} (ID {obj.pk})" if shared else name


def search_labels(queryset, objects, *, name_field: str = "name") -> list[str]:
    """The labels of `objects` (one query to find which names are shared in `queryset`)."""
    names = {str(getattr(o, name_field)).lower() for o in objects}
    shared = {
        row["lower"]
        for row in queryset.model._default_manager.annotate(lower=Lower(name_field))
        .filter(lower__in=names)
        .values("lower")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
    }
    return [
        search_label(o, shared=str(getattr(o, name_field)).lower() in shared, name_field=name_field) for o in objects
    ]


class SearchWidget(forms.TextInput):
    """A text box that JavaScript turns into a search-as-you-type list (data-module="app-search")."""

    template_name = "govuk/widgets/search.html"

    def __init__(self, *, search_url: str = "", noun: str = "", name_word: str = "name", multiple=False, attrs=None):
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.search_url, self.noun, self.name_word, self.multiple = search_url, noun, name_word, multiple

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = str(self.search_url)
        context["widget"].update(
            {"search_url": url, "noun": self.noun, "name_word": self.name_word, "multiple": self.multiple}
        )
        return context


class SearchTextarea(SearchWidget):
    """Several records, one name a line; JavaScript adds a search box that appends the chosen name."""

    template_name = "govuk/widgets/search_multiple.html"
    input_type = "textarea"

    def __init__(self, **kwargs):
        super().__init__(multiple=True, **kwargs)

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def value_from_datadict(self, data, files, name):
        """One name a line; several values of the field (as checkboxes would send) are read as several lines."""
        if hasattr(data, "getlist"):
            return "\n".join(str(v) for v in data.getlist(name))
        value = data.get(name)
        return "\n".join(str(v) for v in value) if isinstance(value, list | tuple) else value


class SearchChoiceField(forms.Field):
    """One record of `queryset` (records with a `name`) chosen by typing its name; cleaned to the record.

    `search_url` is the search address (a URL name and a query, resolved lazily), `noun` names the record in
    messages ("organisation"), `name_field` is the field typed (its name; a decision's number)."""

    widget = SearchWidget

    def __init__(self, *, queryset, search_url, noun: str, name_field: str = "name", name_word="name", **kwargs):
        self.queryset, self.noun, self.name_field = queryset, noun, name_field
        kwargs.setdefault("widget", self.widget(search_url=search_url, noun=noun, name_word=name_word))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if value in (None, ""):
            return ""
        if isinstance(value, str) and not value.isdigit():
            return value  # what was typed, shown again with its error
        obj = value if hasattr(value, "pk") else self.queryset.model._default_manager.filter(pk=value).first()
        if obj is None:
            return ""
        return search_labels(self.queryset, [obj], name_field=self.name_field)[0]

    def resolve(self, text: str):
        text = " ".join(str(text).split())
        if text.isdigit():  # an ID on its own, as a script or an older form sends
            found = self.queryset.filter(pk=int(text)).first()
            if found is not None:
                return found
        match = SEARCH_LABEL_ID.match(text)
        if match:
            found = self.queryset.filter(pk=int(match["pk"])).first()
            if found is not None:
                return found
            text = match["name"]
        found = list(self.queryset.filter(**{f"{self.name_field}__iexact": text})[:2])
        if len(found) == 1:
            return found[0]
        if found:
            raise ValidationError(
                f"More than one {self.noun} is called ‘{text}’; search for it and choose the one you mean",
                code="ambiguous",
            )
        raise ValidationError(
            f"There is no {self.noun} called ‘{text}’ to choose; check the name, or search for the {self.noun}",
            code="invalid_choice",
        )

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        return self.resolve(value)


class SearchMultipleChoiceField(SearchChoiceField):
    """Several records of `queryset`, one name a line; cleaned to a list of records (each once)."""

    widget = SearchTextarea

    def prepare_value(self, value):
        if not value:
            return ""
        if isinstance(value, str):
            return value
        objects = [v for v in value if hasattr(v, "pk")]
        ids = [v for v in value if not hasattr(v, "pk")]
        if ids:
            objects += list(self.queryset.model._default_manager.filter(pk__in=ids))
        return "\n".join(search_labels(self.queryset, objects, name_field=self.name_field))

    def to_python(self, value):
        chosen, errors = [], []
        for line in (value or "").splitlines():
            if not line.strip():
                continue
            try:
                obj = self.resolve(line)
            except ValidationError as error:
                errors.extend(error.messages)
                continue
            if obj not in chosen:
                chosen.append(obj)
        if errors:
            raise ValidationError(errors)
        return chosen

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        return True


# --- GOV.UK error messages from the label -------------------------------------------------------------------------
#
# Django's own wording ("This field is required.", "Enter a valid date.", "Select a valid choice. x is not one of
# the available choices.") names no field. A GovukForm replaces each message a form has not written itself with one
# in the GOV.UK pattern, built from the field's label: "Enter the payment reference", "Select the type of change",
# "Date paid must be a real date", "Reason must be 100 characters or fewer". A label that is a question or does not
# read as a noun ("How much are you asking for?", "Move money from") is quoted instead of pasted after "the"; a form
# gives such fields their own messages where that reads better. tests/test_form_messages.py walks every form.

QUESTION_WORDS = {
    "how", "what", "when", "where", "which", "who", "why", "whether", "is", "are", "does", "do", "did", "has", "have",
    "can", "will", "would", "should", "was", "were", "if",
}  # fmt: skip
DETERMINERS = {"the", "a", "an", "your", "their", "its", "any", "each", "every", "this", "these", "our", "all", "no"}
PREPOSITIONS = {"from", "to", "for", "with", "by", "of", "in", "on", "at", "about", "and", "or"}
# Our own field classes' generic messages, replaced like Django's.
GENERIC_MESSAGES = {
    GovukDateField.default_error_messages["invalid"],
    GovukDateField.default_error_messages["incomplete"],
    MONEY_INVALID,
    MONEY_PENCE,
}
DJANGO_EMPTY_LABEL = "---------"


def _label_text(field, name) -> str:
    label = str(field.label) if field.label else pretty_name(name)
    return re.sub(r"\s*\(optional\)\s*$", "", label.strip(), flags=re.I)


def _noun_phrase(label: str) -> str | None:
    """'Payment reference' -> 'the payment reference'; None when the label is a question or does not end as a noun
    ('Move money from'), so cannot follow 'Enter'."""
    words = label.rstrip(":. ").split()
    if not words or label.endswith("?") or words[0].lower() in QUESTION_WORDS or words[-1].lower() in PREPOSITIONS:
        return None
    first, rest = words[0], words[1:]
    # "PCC decision record" and "Police and Crime Plan priorities" keep their capitals.
    proper = first.isupper() or any(word[:1].isupper() for word in rest if word != "I")
    text = " ".join([first if proper else first[:1].lower() + first[1:], *rest])
    return text if first.lower() in DETERMINERS else f"the {text}"


def _subject(label: str) -> str:
    """The label as the subject of "... must be ...": itself, or quoted when it is a question."""
    return f"The answer to ‘{label}’" if _noun_phrase(label) is None else label.rstrip(":. ")


def _verb(field) -> str:
    choosing = (forms.ChoiceField, forms.ModelChoiceField, forms.ModelMultipleChoiceField, forms.FileField)
    return "Select" if isinstance(field, choosing) else "Enter"


def _ask(field, label: str) -> str:
    """What to do when the field is empty: "Enter the payment reference", "Select the type of change"."""
    if isinstance(field, forms.BooleanField):
        return f"Select ‘{label}’ to continue"
    phrase = _noun_phrase(label)
    if phrase is None:
        return f"{_verb(field)} an answer to ‘{label}’"
    return f"{_verb(field)} {phrase}"


def _messages_for(field, label: str) -> dict[str, str]:
    subject = _subject(label)
    ask = _ask(field, label)
    out = {"required": ask}
    if isinstance(field, GovukDateField):
        out["invalid"] = f"{subject} must be a real date"
        out["incomplete"] = f"{subject} must include a day, month and year"
    elif isinstance(field, forms.DateField | forms.DateTimeField):
        out["invalid"] = f"{subject} must be a real date"
    elif isinstance(field, MoneyField):
        out["invalid"] = f"{subject} must be in pounds and pence, like 1250.50"
        out["max_decimal_places"] = f"{subject} must have no more than 2 decimal places (pence)"
    elif isinstance(field, forms.IntegerField):
        out["invalid"] = f"{subject} must be a whole number"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        out["invalid"] = f"{subject} must be a number"
        out["max_decimal_places"] = f"{subject} must have no more than %(max)s decimal places"
        out["max_digits"] = f"{subject} must have no more than %(max)s digits"
        out["max_whole_digits"] = f"{subject} must have no more than %(max)s digits before the decimal point"
    elif isinstance(field, forms.EmailField):
        out["invalid"] = (
            f"Enter {_noun_phrase(label) or 'an e-mail address'} in the correct format, like name@example.org"
        )
    elif isinstance(field, forms.URLField):
        out["invalid"] = (
            f"Enter {_noun_phrase(label) or 'a web address'} in the correct format, like https://www.example.org"
        )
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        out["min_value"] = f"{subject} must be %(limit_value)s or more"
        out["max_value"] = f"{subject} must be %(limit_value)s or less"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        out["invalid_choice"] = f"{ask} from the list" if not ask.endswith("to continue") else ask
        out["invalid_list"] = out["invalid_choice"]
        out["invalid_pk_value"] = out["invalid_choice"]
    if isinstance(field, forms.FileField):
        out["invalid"] = f"The file for {subject[:1].lower() + subject[1:]} could not be read: choose it again"
        out["missing"] = out["invalid"]
        out["empty"] = f"The file for {subject[:1].lower() + subject[1:]} is empty"
        out["max_length"] = (
            f"The name of the file for {subject[:1].lower() + subject[1:]} must be %(max)d characters or fewer"
        )
    elif isinstance(field, forms.CharField):
        out["max_length"] = f"{subject} must be %(limit_value)d characters or fewer"
        out["min_length"] = f"{subject} must be %(limit_value)d characters or more"
    return out


def _is_default(field, code: str) -> bool:
    """True when the field's message for `code` is missing or is Django's (or our generic) wording."""
    message = field.error_messages.get(code)
    if message is None:
        return True
    message = str(message)
    if message in GENERIC_MESSAGES:
        return True
    for klass in type(field).__mro__:
        if klass.__module__.startswith("django.") and code in klass.__dict__.get("default_error_messages", {}):
            if str(klass.__dict__["default_error_messages"][code]) == message:
                return True
    return False


def govuk_error_messages(form) -> None:
    """Give every field of `form` GOV.UK messages built from its label, where the form has not written its own, and
    replace Django's "---------" in select boxes. Safe to call again: messages it wrote are rewritten if the
    label changed; messages a form wrote are never touched."""
    for name, field in form.fields.items():
        label = _label_text(field, name)
        ours = getattr(field, "_govuk_messages", {})
        written = {}
        for code, message in _messages_for(field, label).items():
            current = field.error_messages.get(code)
            if (code in ours and current == ours[code]) or _is_default(field, code):
                field.error_messages[code] = message
                written[code] = message
        field._govuk_messages = {**ours, **written}
        if isinstance(field, GovukDateField):
            field.share_messages()
        _replace_empty_label(field, label)


def _replace_empty_label(field, label: str) -> None:
    blank = "None" if not field.required else (_ask(field, label) if _noun_phrase(label) else "Select one")
    if isinstance(field, forms.ModelChoiceField) and field.empty_label == DJANGO_EMPTY_LABEL:
        field.empty_label = blank
    elif isinstance(field, forms.ChoiceField) and not isinstance(field.choices, BaseChoiceIterator):
        # Lazy choices (a function) are left alone: the project's never use Django's dashes.
        choices = list(field.choices)
        if any(value == "" and text == DJANGO_EMPTY_LABEL for value, text in choices):
            field.choices = [(value, blank if value == "" else text) for value, text in choices]


class GovukErrorMessagesMixin:
    """GOV.UK error messages from each field's label (govuk_error_messages), for fields set in the class, in
    __init__, or added later."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_error_messages(self)

    def full_clean(self):
        govuk_error_messages(self)
        super().full_clean()

    def get_context(self):
        govuk_error_messages(self)
        return super().get_context()


class GovukForm(GovukErrorMessagesMixin, forms.Form):
    """The project's Form: Django's, with GOV.UK error messages."""


class GovukModelForm(GovukErrorMessagesMixin, forms.ModelForm):
    """The project's ModelForm: Django's, with GOV.UK error messages."""
