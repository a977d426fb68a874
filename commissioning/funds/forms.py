"""Input forms for the funds pages. They check the shape of what people type; services apply the money rules.

Field names match the keys of the services' ValidationErrors (amount, reason, fund, year, reference, paid_on,
frequency, scheduled, to_fund, note, kind), so core.forms.add_service_errors shows each refusal by its field.
"""

from django import forms

from commissioning.core.forms import GovukDateField, GovukForm, MoneyField
from commissioning.core.money import format_money
from commissioning.funds.models import BudgetLine, FinancialYear, Fund, ScheduledPayment
from commissioning.funds.selectors import fund_tree
from commissioning.funds.services import FREQUENCIES

APPROVE, REJECT = "approve", "reject"
DATE_HINT = "For example, 27 3 2027"
# The history keeps 100 characters of a reason.
REASON_LENGTH = 100


def year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def reason_field(
    *, required: bool = True, label: str = "Reason", hint: str = "", required_message: str = ""
) -> forms.CharField:
    """A reason kept in the history. A label that is not a noun ("Why the money should move") needs its own
    `required_message`."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_LENGTH,
        help_text=hint or "This is kept in the activity log with your name",
        error_messages={
            "required": required_message or f"Enter the {label.lower()}",
            "max_length": f"{label} must be {REASON_LENGTH} characters or fewer",
        },
    )


def money_field(*, label: str = "Amount", hint: str = "", required: bool = True, **kwargs) -> MoneyField:
    field = MoneyField(label=label, help_text=hint, required=required, **kwargs)
    field.error_messages["required"] = f"Enter the {label.lower()}"
    return field


def fund_label(fund: Fund, depth: int = 0) -> str:
    """How a fund reads in a list: "Core Victims Fund (part of Victims Fund)", with its ring-fence."""
    parts = [fund.name]
    if fund.parent_id and depth:
        parts.append(f"(part of {fund.parent.name})")
    if fund.is_ring_fenced:
        parts.append("– ring-fenced")
    return " ".join(parts)


def fund_choices(*, blank: str = "", own_money: bool = False) -> list[tuple[str, str]]:
    """Every fund in tree order (one query). With own_money, a fund with parts says that only its own money is
    meant (a commitment from it is checked against that, not its parts' money: ADR 0007)."""
    choices = [("", blank)] if blank else []
    choices += [
        (
            str(row.fund.pk),
            fund_label(row.fund, row.depth)
            + (" – its own money, not its parts'" if own_money and row.has_children else ""),
        )
        for row in fund_tree()
    ]
    return choices


class FundChoiceField(forms.TypedChoiceField):
    """A fund from the tree, returned as the Fund."""

    def __init__(
        self,
        *,
        label: str = "Fund",
        blank: str = "Choose a fund",
        own_money: bool = False,
        required_message: str = "",
        **kwargs,
    ):
        required_message = required_message or f"Select the {label.lower()}"
        super().__init__(
            label=label,
            choices=lambda: fund_choices(blank=blank, own_money=own_money),
            coerce=lambda pk: Fund.objects.select_related("parent").get(pk=int(pk)),
            error_messages={
                "required": required_message,
                "invalid_choice": f"Select a fund from the list for ‘{label}’",
            },
            **kwargs,
        )


def open_years_around(today_start: int, *, ahead: int = 2, extra=()) -> list[int]:
    """Open years from last year to `ahead` years on, plus any others already open (closed years take no money)."""
    closed = set(FinancialYear.objects.filter(status=FinancialYear.Status.CLOSED).values_list("start_year", flat=True))
    opened = set(FinancialYear.objects.filter(status=FinancialYear.Status.OPEN).values_list("start_year", flat=True))
    wanted = set(range(today_start - 1, today_start + ahead + 1)) | opened | set(extra)
    return sorted(y for y in wanted if y not in closed and 2000 <= y <= 2100)


# --- Choosing a year and filtering lists ---------------------------------------------------------------------


class YearFilterForm(GovukForm):
    year = forms.TypedChoiceField(label="Financial year", coerce=int)

    def __init__(self, data=None, *, years, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [(str(y), year_label(y)) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = "Choose a year from the list"


class PaymentFilterForm(YearFilterForm):
    fund = forms.TypedChoiceField(label="Fund", required=False, coerce=int)

    def __init__(self, data=None, *, years, **kwargs):
        super().__init__(data, years=years, **kwargs)
        self.fields["year"].required = False
        self.fields["year"].choices = [("", "All years"), *self.fields["year"].choices]
        self.fields["fund"].choices = fund_choices(blank="All funds")
        self.fields["fund"].error_messages["invalid_choice"] = "Choose a fund from the list"


# --- Budgets and streams ------------------------------------------------------------------------------------


class BudgetSetForm(GovukForm):
    """One amount per fund that has no sub-funds, pre-filled with its budget now, and one reason for them all."""

    def __init__(self, data=None, *, leaves, current: dict[int, object], **kwargs):
        super().__init__(data, **kwargs)
        self.leaves = list(leaves)
        for row in self.leaves:
            fund = row.fund
            hint = []
            if fund.parent_id:
                hint.append(f"Part of {fund.parent.name}.")
            if fund.is_ring_fenced:
                hint.append(f"Ring-fenced: {fund.ring_fence_purpose}")
            field = money_field(label=fund.name, hint=" ".join(hint), initial=current.get(fund.pk), min_value=0)
            field.error_messages["required"] = f"Enter the budget for {fund.name}; enter 0 for none"
            field.error_messages["min_value"] = f"Enter a budget of £0.00 or more for {fund.name}"
            field.error_messages["invalid"] = f"Enter the budget for {fund.name} in pounds and pence, like 1250.50"
            self.fields[self.field_name(fund)] = field
        self.fields["reason"] = reason_field(
            label="Reason for the budgets", hint="For example, approved by the senior management team on 3 March"
        )

    @staticmethod
    def field_name(fund: Fund) -> str:
        return f"fund_{fund.pk}"

    def changed_amounts(self, current: dict[int, object]) -> list[tuple[Fund, object]]:
        """(fund, amount) for the funds whose amount differs from their budget now."""
        changed = []
        for row in self.leaves:
            amount = self.cleaned_data[self.field_name(row.fund)]
            if amount != current.get(row.fund.pk):
                changed.append((row.fund, amount))
        return changed


class BuildFromStreamsForm(GovukForm):
    reason = reason_field(required=False, hint="Optional. This is kept in the activity log with your name")


class BudgetLineForm(GovukForm):
    kind = forms.ChoiceField(
        label="Type of change",
        widget=forms.RadioSelect,
        choices=[
            (kind.value, kind.label)
            for kind in (BudgetLine.Kind.ADJUSTMENT, BudgetLine.Kind.PRE_YEAR_REVIEW, BudgetLine.Kind.CARRY_FORWARD)
        ],
        error_messages={"required": "Choose the type of change"},
    )
    amount = money_field(hint="Use a minus sign to take money out, for example -2500.00")
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=300,
        help_text="Shown in the list of budget lines. Leave blank to use the reason",
        error_messages={"max_length": "Description must be 300 characters or fewer"},
    )
    reason = reason_field()


class StreamAllocationForm(GovukForm):
    amount = money_field(
        hint="What the stream provides in the year. Budgets follow when the year's budgets are built from the streams"
    )
    confirmed = forms.BooleanField(label="The funder has confirmed this amount", required=False)
    reason = reason_field(required=False, hint="Optional. This is kept in the activity log with your name")


# --- Commitments ---------------------------------------------------------------------------------------------


class CommitmentPlanForm(GovukForm):
    fund = FundChoiceField(
        own_money=True,
        help_text="Ring-fenced money may only pay for services that serve its purpose. A fund with parts commits "
        "only its own money; to use a part's money, choose the part",
    )
    year = forms.TypedChoiceField(label="Financial year", coerce=int)
    amount = money_field(hint="What the fund will pay under this agreement in the year")
    reason = reason_field(required=False, hint="Optional. This is kept in the activity log with your name")

    def __init__(self, data=None, *, years, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [(str(y), year_label(y)) for y in years]
        self.fields["year"].error_messages = {
            "required": "Choose the financial year",
            "invalid_choice": "Choose a year the agreement covers from the list",
        }


class ConfirmForm(GovukForm):
    """An action that needs no more than an optional note for the history."""

    reason = reason_field(required=False, label="Note", hint="Optional. This is kept in the activity log")


class CommitmentVaryForm(GovukForm):
    amount = money_field(label="New amount", hint="What the commitment is worth now, after anything released")
    reason = reason_field(label="Reason for the change")


class CommitmentReleaseForm(GovukForm):
    amount = money_field(
        label="Amount to release",
        required=False,
        hint="Leave blank to release everything not yet paid, which finishes the commitment",
    )
    reason = reason_field(label="Reason for releasing the money")


class PaymentScheduleForm(GovukForm):
    frequency = forms.ChoiceField(
        label="How often",
        widget=forms.RadioSelect,
        choices=[(name, name.capitalize()) for name in FREQUENCIES],
        error_messages={"required": "Choose how often the provider is paid"},
    )
    in_arrears = forms.TypedChoiceField(
        label="When in each period",
        widget=forms.RadioSelect,
        choices=[("yes", "In arrears, at the end of each period"), ("no", "In advance, at the start of each period")],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Choose whether payments are made in arrears or in advance"},
    )


class PaymentForm(GovukForm):
    scheduled = forms.TypedChoiceField(
        label="Scheduled payment this settles",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a payment that is due under this commitment"},
    )
    amount = money_field(label="Amount paid")
    paid_on = GovukDateField(
        label="Date paid",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date the payment was made"},
    )
    reference = forms.CharField(
        label="Payment reference",
        max_length=60,
        help_text="The finance system's reference; each payment has its own",
        error_messages={
            "required": "Enter the finance system's payment reference",
            "max_length": "Payment reference must be 60 characters or fewer",
        },
    )

    def __init__(self, data=None, *, due: list[ScheduledPayment], **kwargs):
        super().__init__(data, **kwargs)
        self.due = {row.pk: row for row in due}
        if due:
            self.fields["scheduled"].choices = [("", "None")] + [
                (str(row.pk), f"{format_money(row.amount)} due {row.due_on.day} {row.due_on:%B %Y}") for row in due
            ]
        else:
            del self.fields["scheduled"]

    def clean_scheduled(self):
        pk = self.cleaned_data.get("scheduled")
        return self.due.get(pk) if pk else None


class RepaymentRequestForm(GovukForm):
    amount = money_field(label="Amount to ask back")
    reason = reason_field(
        label="Which condition was not met", required_message="Enter which condition of the grant was not met"
    )


class RepaymentReceiveForm(GovukForm):
    paid_on = GovukDateField(
        label="Date received",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date the repayment was received"},
    )
    reference = forms.CharField(
        label="Payment reference",
        max_length=60,
        help_text="The finance system's reference for the money received",
        error_messages={
            "required": "Enter the finance system's payment reference",
            "max_length": "Payment reference must be 60 characters or fewer",
        },
    )


class RepaymentWaiveForm(GovukForm):
    reason = reason_field(label="Why the repayment is waived", required_message="Enter why the repayment is waived")


# --- Virements and the year end ----------------------------------------------------------------------------


class VirementRequestForm(GovukForm):
    year = forms.TypedChoiceField(label="Financial year", coerce=int)
    from_fund = FundChoiceField(label="Move money from", required_message="Select the fund to move money from")
    to_fund = FundChoiceField(label="Move money to", required_message="Select the fund to move money to")
    amount = money_field()
    reason = reason_field(label="Why the money should move", required_message="Enter why the money should move")

    def __init__(self, data=None, *, years, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [(str(y), year_label(y)) for y in years]
        self.fields["year"].error_messages = {
            "required": "Choose the financial year",
            "invalid_choice": "Choose an open year from the list",
        }

    def clean(self):
        cleaned = super().clean()
        source, target = cleaned.get("from_fund"), cleaned.get("to_fund")
        if source and target and source.pk == target.pk:
            self.add_error("to_fund", "Choose a different fund to move the money to")
        return cleaned


class VirementDecideForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[(APPROVE, "Approve the transfer"), (REJECT, "Reject the transfer")],
        error_messages={"required": "Choose whether to approve or reject the transfer"},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you reject it",
        error_messages={"max_length": "Note must be 300 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == REJECT and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Enter why the transfer is rejected")
        return cleaned


class YearEndForm(GovukForm):
    reason = reason_field(label="Reason", hint="For example, accounts for the year signed off. Kept in the log")
