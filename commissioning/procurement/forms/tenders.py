"""Forms for quotes, tenders and bids. They check the shape of what people type and give GOV.UK error messages; the
services apply the rules (weights, deadlines, sealed bids) and save."""

from django import forms
from django.utils import timezone

from commissioning.core import uploads
from commissioning.core.forms import GovukDateField, GovukForm, MoneyField, date_field, text_field, textarea_field
from commissioning.core.uk_times import UkTimesMixin
from commissioning.organisations import forms as organisation_forms
from commissioning.procurement.models import CriterionKind
from commissioning.procurement.models.tenders import DEFAULT_DESCRIPTORS
from commissioning.procurement.services.tenders import UPLOAD_SETTING

DATE_HINT = "For example, 27 3 2027"


def file_field(label: str = "Choose the file", required: bool = True) -> forms.FileField:
    field = forms.FileField(
        label=label,
        required=required,
        error_messages={
            "required": uploads.NO_FILE,
            "empty": uploads.EMPTY,
            "invalid": uploads.NO_FILE,
            "missing": uploads.NO_FILE,
        },
    )
    limit = uploads.size_label(uploads.max_upload_bytes(UPLOAD_SETTING))
    field.help_text = f"{uploads.ALLOWED_HINT}, smaller than {limit}"
    return field


class ConfirmForm(GovukForm):
    """A button that needs no input (publish, open, submit): its errors show in the error summary."""


# --- Tenders -------------------------------------------------------------------------------------------------


class TenderForm(UkTimesMixin, GovukForm):
    uk_times = (("deadline", "deadline_time"), ("questions_close_at", "questions_close_time"))

    title = text_field("Title", max_length=200, required_message="Enter the tender's title")
    description = textarea_field(
        "Description",
        required_message="Enter a description of what is being bought",
        help_text="What is being bought, for whom, and for how long. Suppliers see this",
        rows=6,
    )
    deadline = GovukDateField(
        label="Date bids must arrive by", help_text=DATE_HINT, error_messages={"required": "Enter the deadline date"}
    )
    deadline_time = forms.CharField(
        label="Time bids must arrive by",
        help_text="UK time. For example, midday or 12:00",
        initial="12:00",
        max_length=10,
        error_messages={"required": "Enter the deadline time"},
    )
    questions_close_at = GovukDateField(
        label="Date clarification questions close (optional)",
        help_text=f"Leave empty to take questions until the deadline. {DATE_HINT}",
        required=False,
    )
    questions_close_time = forms.CharField(
        label="Time clarification questions close (optional)",
        help_text="UK time. For example, 5pm or 17:00",
        required=False,
        max_length=10,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_clock_change_questions()

    @classmethod
    def initial_for(cls, tender) -> dict:
        deadline = timezone.localtime(tender.deadline)
        initial = {
            "title": tender.title,
            "description": tender.description,
            "deadline": deadline.date(),
            "deadline_time": f"{deadline:%H:%M}",
        }
        if tender.questions_close_at:
            closes = timezone.localtime(tender.questions_close_at)
            initial.update(questions_close_at=closes.date(), questions_close_time=f"{closes:%H:%M}")
        return initial

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("questions_close_at") and not (self.data.get(self.add_prefix("questions_close_time")) or ""):
            self.add_error("questions_close_time", "Enter the time clarification questions close")
        return self.combine_uk_times(cleaned)


class DocumentForm(GovukForm):
    title = text_field(
        "Title of the document",
        max_length=200,
        required_message="Enter the title of the document",
        help_text="For example, Specification, Terms and conditions, Pricing schedule",
    )
    file = file_field()


class CriterionForm(GovukForm):
    kind = forms.ChoiceField(
        label="Type of criterion",
        choices=CriterionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of criterion"},
    )
    title = text_field("Title", max_length=200, required_message="Enter the criterion's title")
    guidance = textarea_field(
        "Question for bidders",
        required=False,
        help_text="What bidders answer, and what a good answer shows. Not needed for price",
        rows=4,
    )
    weight = forms.DecimalField(
        label="Weight (%)",
        min_value=0.01,
        max_value=100,
        decimal_places=2,
        help_text="Percentage of the total score. The criteria must add up to 100%",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the weight",
            "invalid": "Enter the weight as a number, like 40",
            "min_value": "The weight must be more than 0",
            "max_value": "The weight must be 100 or less",
            "max_decimal_places": "Enter the weight with no more than 2 decimal places",
            "max_digits": "The weight must be 100 or less",
        },
    )

    def __init__(self, *args, parent=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if parent is not None or editing:
            del self.fields["kind"]
        for score, text in enumerate(DEFAULT_DESCRIPTORS):
            field = text_field(f"Descriptor for a score of {score}", max_length=300, required_message="")
            field.error_messages["required"] = f"Enter the descriptor for a score of {score}"
            field.initial = text
            self.fields[f"descriptor_{score}"] = field

    def descriptors(self) -> list[str]:
        return [self.cleaned_data.get(f"descriptor_{score}", "") for score in range(6)]


class AnswerForm(GovukForm):
    answer = textarea_field(
        "Answer",
        required_message="Enter the answer",
        help_text="Published to every supplier with the question. Do not name who asked",
        rows=6,
    )


class OpeningForm(GovukForm):
    notes = textarea_field("Notes (optional)", required=False, rows=3, help_text="Anything the record should show")


# --- Quotes --------------------------------------------------------------------------------------------------


class QuoteInviteForm(GovukForm):
    supplier_name = text_field("Supplier's name", max_length=200, required_message="Enter the supplier's name")
    contact_email = forms.EmailField(
        label="Supplier's e-mail address (optional)",
        required=False,
        error_messages={"invalid": "Enter an e-mail address in the correct format, like name@example.com"},
    )
    invited_on = date_field("Date asked for a quote", required_message="Enter the date the quote was asked for")


class QuoteRecordForm(GovukForm):
    amount = MoneyField(
        label="Amount quoted",
        help_text="In pounds, including VAT",
        error_messages={"required": "Enter the amount quoted"},
    )
    received_on = date_field("Date received", required_message="Enter the date the quote was received")
    document = file_field("The quote (optional)", required=False)


class QuoteChooseForm(GovukForm):
    quote = forms.ChoiceField(
        label="Which quote is chosen?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the quote chosen", "invalid_choice": "Select the quote chosen"},
    )
    reason = textarea_field(
        "Reason for the choice",
        required_message="Enter why this quote is chosen",
        help_text="For example, the lowest price, or why the lowest price was not chosen",
        rows=4,
    )

    def __init__(self, *args, quotes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quote"].choices = [
            (str(q.pk), f"{q.supplier_name}: £{q.amount:,.2f}") for q in quotes if q.amount is not None
        ]


# --- Suppliers -----------------------------------------------------------------------------------------------


class QuestionForm(GovukForm):
    question = textarea_field(
        "Your question",
        required_message="Enter your question",
        max_length=2000,
        help_text="The question and its answer are published to every supplier, without your organisation's name",
        rows=5,
    )


class BidForm(GovukForm):
    """The price and an answer per question; fields named answer_<criterion id>."""

    price = MoneyField(
        label="Your total price",
        required=False,
        help_text="For the whole contract, in pounds, including VAT",
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            field = textarea_field(criterion.title, required=False, help_text=criterion.guidance, rows=6)
            self.fields[f"answer_{criterion.pk}"] = field
        self.criteria = list(criteria)

    def answers(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"answer_{c.pk}", "") for c in self.criteria}


class BidAttachmentForm(GovukForm):
    file = file_field()


# The supplier's registration is the shared one, as it stands.
RegisterForm = organisation_forms.RegisterForm
