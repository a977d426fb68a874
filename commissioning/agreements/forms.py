"""Input forms. They check the shape of what people type; services.py applies the rules and saves."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse_lazy

from commissioning.accounts.roles import OPCC_STAFF
from commissioning.agreements.models import Agreement, AgreementVariation, Service
from commissioning.agreements.services import UPLOAD_SETTING
from commissioning.core import uploads
from commissioning.core.forms import SEARCH_TOO_LONG, GovukDateField, GovukForm, MoneyField, SearchChoiceField, too_long
from commissioning.funds.models import FinancialYear, Fund
from commissioning.organisations.forms import organisation_field
from commissioning.organisations.models import Organisation
from commissioning.strategy.models import DecisionRecord, PanelArea
from commissioning.strategy.selectors import priority_choices

DATE_HINT = "For example, 1 4 2026"
APPROVE, REJECT = "approve", "reject"


def _reason_field(*, required: bool = False, label: str = "Reason for the change") -> forms.CharField:
    # The history keeps 100 characters of a reason.
    return forms.CharField(
        label=label,
        required=required,
        max_length=100,
        help_text="This is shown in the activity log",
        error_messages={"required": "Enter the reason for the change", "max_length": too_long(label, 100)},
    )


class OptionalDateField(GovukDateField):
    """A date that may be left blank, but not half filled in."""

    def __init__(self, **kwargs):
        kwargs["required"] = False
        super().__init__(**kwargs)

    def clean(self, value):
        if isinstance(value, (list, tuple)):
            filled = [part not in (None, "") for part in value]
            if any(filled) and not all(filled):
                raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        return super().clean(value)


def _providers(keep=None):
    """Active organisations other than the OPCC, and the one already chosen (so editing never drops it)."""
    queryset = Organisation.objects.filter(is_active=True).exclude(kind=Organisation.Kind.OPCC)
    if keep is not None:
        queryset = queryset | Organisation.objects.filter(pk=getattr(keep, "pk", keep))
    return queryset.order_by("name")


def _decisions():
    return DecisionRecord.objects.order_by("-year", "-sequence")


def decision_field(*, label: str) -> SearchChoiceField:
    """A PCC decision record chosen by typing its number (search as you type; a search page without JavaScript)."""
    return SearchChoiceField(
        queryset=_decisions(),
        search_url=reverse_lazy("strategy:decision_search"),
        noun="decision record",
        name_field="number",
        name_word="number",
        label=label,
        required=False,
        help_text="Its number, like 2026/014. Leave blank if none is recorded yet",
    )


# The register -------------------------------------------------------------------------------------------


class ServiceFilterForm(GovukForm):
    search = forms.CharField(
        label="Search by name, reference, provider or purpose",
        required=False,
        max_length=100,
        error_messages=SEARCH_TOO_LONG,
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All statuses"), *Service.Status.choices],
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    approach = forms.ChoiceField(
        label="Approach",
        required=False,
        choices=[("", "All approaches"), *Service.Approach.choices],
        error_messages={"invalid_choice": "Select an approach from the list"},
    )
    priority = forms.ModelChoiceField(
        label="Police and Crime Plan priority",
        required=False,
        queryset=priority_choices(),
        empty_label="All priorities",
        error_messages={"invalid_choice": "Select a priority from the list"},
    )
    panel_area = forms.ModelChoiceField(
        label="Panel area",
        required=False,
        queryset=PanelArea.objects.order_by("order", "name"),
        empty_label="All Panel areas",
        error_messages={"invalid_choice": "Select a Panel area from the list"},
    )


class ServiceForm(GovukForm):
    name = forms.CharField(
        label="Name of the service",
        max_length=200,
        error_messages={"required": "Enter the name of the service", "max_length": too_long("The name", 200)},
    )
    purpose = forms.CharField(
        label="Purpose",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the service does, and for whom",
        error_messages={"required": "Enter what the service is for"},
    )
    provider = organisation_field(
        label="Provider",
        scope="providers",
        help_text="The organisation that delivers the service",
        required_message="Enter the name of the organisation that provides the service",
        queryset=_providers(),
    )
    approach = forms.ChoiceField(
        label="Approach it came from",
        widget=forms.RadioSelect,
        choices=Service.Approach.choices,
        error_messages={"required": "Select the approach the service came from"},
    )
    priorities = forms.ModelMultipleChoiceField(
        label="Police and Crime Plan priorities",
        queryset=priority_choices(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={
            "required": "Select at least one Police and Crime Plan priority",
            "invalid_choice": "Select priorities from the list",
        },
    )
    main_panel_area = forms.ModelChoiceField(
        label="Main Police and Crime Panel area",
        queryset=PanelArea.objects.order_by("order", "name"),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="The Panel report counts each service once, under this area",
        error_messages={
            "required": "Select the main Police and Crime Panel area the service reports under",
            "invalid_choice": "Select a Panel area from the list",
        },
    )
    panel_areas = forms.ModelMultipleChoiceField(
        label="Other Police and Crime Panel areas",
        queryset=PanelArea.objects.order_by("order", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The areas its results are reported under. Select all that apply",
        error_messages={"invalid_choice": "Select Panel areas from the list"},
    )
    ring_fences = forms.ModelMultipleChoiceField(
        label="Ring-fenced purposes it serves",
        queryset=Fund.objects.filter(is_ring_fenced=True).order_by("order", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Money from a ring-fenced fund may only be committed to services serving its purpose",
        error_messages={"invalid_choice": "Select ring-fenced funds from the list"},
    )
    delivery_area = forms.CharField(
        label="Where it is delivered",
        required=False,
        max_length=200,
        help_text="For example, pan-Dorset",
        error_messages={"max_length": too_long("Where it is delivered", 200)},
    )
    starts_on = GovukDateField(
        label="Start date", help_text=DATE_HINT, error_messages={"required": "Enter the start date"}
    )
    ends_on = OptionalDateField(label="End date (optional)", help_text="Leave blank if the service is ongoing")
    lead_officer = forms.ModelChoiceField(
        label="Lead officer",
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label="Not assigned",
        error_messages={"invalid_choice": "Select an OPCC officer from the list"},
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = _providers(self.initial.get("provider"))
        self.fields["lead_officer"].queryset = (
            get_user_model()
            .objects.filter(role__in=sorted(OPCC_STAFF), is_active=True)
            .order_by("display_name", "email")
        )
        if editing:
            self.fields["reason"] = _reason_field()


class ServiceStatusForm(GovukForm):
    status = forms.ChoiceField(
        label="New status", widget=forms.RadioSelect, error_messages={"required": "Select the new status"}
    )
    reason = _reason_field(required=True, label="Why the status is changing")

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(choices)
        self.fields["reason"].error_messages["required"] = "Enter why the status is changing"


class CoFunderForm(GovukForm):
    """A partner's share, as an amount or as a percentage of the service's value (services.cofunder_add turns a
    percentage into pounds to the penny). When a value variation awaiting approval could cover shares above the
    signed value, the form also asks for an explicit confirmation and a reason (`ask_increase`)."""

    organisation = organisation_field(
        label="Partner organisation",
        scope="providers",
        required_message="Enter the name of the organisation that co-funds the service",
        queryset=_providers(),
    )
    amount = MoneyField(
        label="Their contribution in pounds",
        required=False,
        help_text="Over the life of the service, in pounds and pence. Or leave this blank and give a percentage",
    )
    percentage = forms.DecimalField(
        label="Or their contribution as a percentage of the service's value",
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        help_text="For example, 12.5. Worked out to the penny from the value of the signed agreements",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5", "data-suffix": "%"}),
        error_messages={
            "invalid": "Enter the percentage as a number, like 12.5",
            "min_value": "Enter a percentage more than 0 and no more than 100, like 12.5",
            "max_value": "Enter a percentage more than 0 and no more than 100, like 12.5",
            "max_digits": "Enter a percentage more than 0 and no more than 100, like 12.5",
            "max_whole_digits": "Enter a percentage more than 0 and no more than 100, like 12.5",
            "max_decimal_places": "Enter the percentage with no more than 2 decimal places",
        },
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=300,
        help_text="For example, paid yearly in advance",
        error_messages={"max_length": too_long("Notes", 300)},
    )

    def __init__(self, *args, editing: bool = False, ask_increase: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organisation"]
            self.fields["reason"] = _reason_field()
        if ask_increase:
            self.fields["confirm_increase"] = forms.BooleanField(
                label="The agreement is being varied upwards: accept shares above the signed value until the "
                "variation is decided",
                required=False,
            )
            self.fields["increase_reason"] = forms.CharField(
                label="Why the shares may come to more than the signed value for now",
                required=False,
                max_length=100,
                help_text="Only if you tick the box above. This is shown in the activity log",
                error_messages={"max_length": too_long("The reason", 100)},
            )

    def clean(self):
        cleaned = super().clean()
        if "amount" in self.errors or "percentage" in self.errors:
            return cleaned
        has_amount, has_percentage = cleaned.get("amount") is not None, cleaned.get("percentage") is not None
        if has_amount and has_percentage:
            self.add_error("amount", "Enter their contribution as an amount or as a percentage, not both")
        elif not (has_amount or has_percentage):
            self.add_error("amount", "Enter their contribution as an amount or as a percentage")
        return cleaned


# Agreements ---------------------------------------------------------------------------------------------


class AgreementForm(GovukForm):
    kind = forms.ChoiceField(
        label="Type of agreement",
        widget=forms.RadioSelect,
        choices=Agreement.Kind.choices,
        error_messages={"required": "Select the type of agreement"},
    )
    regime = forms.ChoiceField(
        label="Legal regime",
        widget=forms.RadioSelect,
        choices=Agreement.Regime.choices,
        help_text=(
            "A grant agreement is not a procurement. A contract names the regime it was let under: procurements "
            "started on or after 24 February 2025 fall under the Procurement Act 2023"
        ),
        error_messages={"required": "Select the legal regime of the agreement"},
    )
    value = MoneyField(
        label="Total value",
        help_text="Over the whole agreement, in pounds and pence",
        error_messages={"required": "Enter the total value of the agreement"},
    )
    starts_on = GovukDateField(
        label="Start date", help_text=DATE_HINT, error_messages={"required": "Enter the start date"}
    )
    ends_on = GovukDateField(label="End date", help_text=DATE_HINT, error_messages={"required": "Enter the end date"})
    conditions = forms.CharField(
        label="Conditions", widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text="What must be done"
    )
    repayment_conditions = forms.CharField(
        label="Repayment conditions",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="When the OPCC may ask for money back (Police Reform and Social Responsibility Act 2011, s9(3))",
    )
    payment_terms = forms.CharField(
        label="Payment terms",
        required=False,
        max_length=200,
        help_text="For example, quarterly in arrears",
        error_messages={"max_length": too_long("Payment terms", 200)},
    )
    decision = decision_field(label="PCC decision record")

    def __init__(self, *args, editing: bool = False, signed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if signed:
            for name in ("kind", "regime", "value", "starts_on", "ends_on"):
                del self.fields[name]
        if editing:
            self.fields["reason"] = _reason_field()


class ActivateForm(GovukForm):
    signed_on = GovukDateField(
        label="Date signed",
        help_text="The date the last party signed. For example, 27 3 2026",
        error_messages={"required": "Enter the date the agreement was signed"},
    )


class DocumentForm(GovukForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Signed grant agreement",
        error_messages={"required": "Enter a title for the document", "max_length": too_long("The title", 200)},
    )
    file = forms.FileField(
        label="Upload a file",
        error_messages={
            "required": uploads.NO_FILE,
            "empty": uploads.EMPTY,
            "invalid": uploads.NO_FILE,
            "missing": uploads.NO_FILE,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = uploads.size_label(uploads.max_upload_bytes(UPLOAD_SETTING))
        self.fields["file"].help_text = f"{uploads.ALLOWED_HINT}, smaller than {limit}"


class DocumentPublishForm(GovukForm):
    """Publish a document on the transparency pages (as it is, or as a redacted copy), or take it down."""

    publish = forms.TypedChoiceField(
        label="Publish this document on the transparency pages?",
        choices=[("yes", "Yes, publish it"), ("no", "No, do not publish it (take it down if published)")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to publish the document"},
    )
    redacted_file = forms.FileField(
        label="Redacted copy (optional)",
        required=False,
        error_messages={"empty": uploads.EMPTY, "invalid": uploads.NO_FILE},
    )
    redactions = forms.CharField(
        label="What was redacted",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the provider's bank details and staff names on page 4",
        error_messages={"max_length": too_long("What was redacted", 2000)},
    )
    redaction_reason = forms.CharField(
        label="Why it was redacted",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, personal data (Freedom of Information Act 2000, section 40)",
        error_messages={"max_length": too_long("Why it was redacted", 2000)},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = uploads.size_label(uploads.max_upload_bytes(UPLOAD_SETTING))
        self.fields[
            "redacted_file"
        ].help_text = f"Leave blank to publish the original. {uploads.ALLOWED_HINT}, smaller than {limit}"


class VariationForm(GovukForm):
    kind = forms.ChoiceField(
        label="Type of variation",
        widget=forms.RadioSelect,
        choices=AgreementVariation.Kind.choices,
        error_messages={"required": "Select the type of variation"},
    )
    description = forms.CharField(
        label="What changes, and why",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe what changes, and why it is needed"},
    )
    new_ends_on = OptionalDateField(label="New end date", help_text="Only for an extension. For example, 31 3 2029")
    value_change = MoneyField(
        label="Change in value",
        required=False,
        help_text="Only for a value change, in pounds and pence. Put a minus sign in front to reduce it, like -5000",
    )


class DecideForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[(APPROVE, "Approve"), (REJECT, "Reject")],
        error_messages={"required": "Select whether you approve or reject it"},
    )
    decision_note = forms.CharField(
        label="Note",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you reject it",
        error_messages={"max_length": too_long("The note", 300)},
    )

    def __init__(self, *args, reject_label: str = "Reject", note_hint: str = "", with_decision: bool = False, **kw):
        super().__init__(*args, **kw)
        self.fields["outcome"].choices = [(APPROVE, "Approve"), (REJECT, reject_label)]
        if note_hint:
            self.fields["decision_note"].help_text = note_hint
        if with_decision:
            self.fields["decision"] = decision_field(label="PCC decision record")

    @property
    def approve(self) -> bool:
        return self.cleaned_data.get("outcome") == APPROVE


# Pre-year review ----------------------------------------------------------------------------------------


class ReviewPrepareForm(GovukForm):
    fund = forms.ModelChoiceField(
        label="Fund",
        queryset=Fund.objects.order_by("order", "name"),
        empty_label="Select the fund",
        help_text="Usually the Commissioner's Safety Fund, which pays for agreements of two years or more",
        error_messages={"required": "Select the fund", "invalid_choice": "Select the fund from the list"},
    )
    year = forms.ModelChoiceField(
        label="The coming financial year",
        queryset=FinancialYear.objects.filter(status=FinancialYear.Status.OPEN).order_by("start_year"),
        empty_label="Select the year",
        error_messages={"required": "Select the financial year", "invalid_choice": "Select a year from the list"},
    )


class ReviewLineForm(GovukForm):
    adjusted_spend = MoneyField(
        label="Expected spend in the year",
        required=False,
        help_text="Leave blank to use the figure worked out from the agreement",
    )
    adjustment_reason = forms.CharField(
        label="Why it differs from the worked-out figure",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the provider has told us the service starts 3 months late",
        error_messages={"max_length": too_long("The reason", 300)},
    )
