"""Forms for commissioning cases before the tender. They check the shape of what people type; the services apply the
rules and save. Error messages are GOV.UK's, built from each label (core.forms.GovukForm) unless written here."""

from django import forms
from django.contrib.auth import get_user_model

from commissioning.accounts.roles import OPCC_STAFF
from commissioning.agreements.models import Service
from commissioning.core.forms import GovukDateField, GovukForm, MoneyField
from commissioning.funds.models import Fund
from commissioning.monitoring.models import KpiDefinition
from commissioning.organisations.forms import organisation_field
from commissioning.organisations.models import PartnershipBoard
from commissioning.procurement.models import (
    Appetite,
    CaseStage,
    EngagementMethod,
    ExemptionGround,
    MarketEventKind,
    ProcurementRoute,
    Responsibility,
)
from commissioning.procurement.models.specification import KpiDirection, KpiFrequency
from commissioning.strategy.selectors import priority_choices

DATE_HINT = "For example, 1 4 2027"
APPROVE, DECLINE = "approve", "decline"


def _text(label, *, required=True, help_text="", rows=4):
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


class OptionalDateField(GovukDateField):
    def __init__(self, **kwargs):
        kwargs["required"] = False
        super().__init__(**kwargs)

    def clean(self, value):
        if isinstance(value, list | tuple) and not any(part not in (None, "") for part in value):
            return None
        return super().clean(value)


class CaseFilterForm(GovukForm):
    search = forms.CharField(label="Search by title or reference", required=False, max_length=100)
    stage = forms.ChoiceField(label="Stage", required=False, choices=[("", "Any stage"), *CaseStage.choices])


class CaseForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200, help_text="The need, in a few words")
    need_summary = _text("The need in a few sentences", rows=3)
    priorities = forms.ModelMultipleChoiceField(
        label="Police and Crime Plan priorities it serves",
        queryset=priority_choices(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply",
    )
    estimated_value = MoneyField(
        label="Estimated whole-life value",
        required=False,
        help_text="In pounds, including VAT, for the whole contract with any extensions",
    )
    light_touch = forms.BooleanField(
        label="A light-touch service (such as victim support, health or social services)", required=False
    )
    procurement_starts_on = OptionalDateField(
        label="When the procurement begins",
        help_text="The date of its first notice or invitation: it decides the law that applies. " + DATE_HINT,
    )
    contract_starts_on = OptionalDateField(label="When the service should start", help_text=DATE_HINT)
    contract_months = forms.IntegerField(
        label="Length of the contract in months", required=False, min_value=1, max_value=240
    )
    fund = forms.ModelChoiceField(
        label="Fund it would be paid from", queryset=Fund.objects.order_by("order", "name"), required=False
    )
    lead_officer = forms.ModelChoiceField(
        label="Lead officer",
        queryset=get_user_model().objects.filter(role__in=list(OPCC_STAFF), is_active=True).order_by("email"),
        required=False,
    )


class NeedsForm(GovukForm):
    problem = _text("The problem or gap", help_text="What is missing or not working, and for whom")
    evidence = _text("Evidence of the need", help_text="Figures, reports, what people say")
    data_sources = _text("Data sources", required=False, help_text="Where the evidence comes from", rows=3)
    groups_affected = _text("Groups affected", help_text="Who is affected, and where", rows=3)
    priorities = forms.ModelMultipleChoiceField(
        label="Police and Crime Plan priorities it serves",
        queryset=priority_choices(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply",
    )


class PrioritiesForm(GovukForm):
    priority_fit = _text("How the need fits the Police and Crime Plan")
    responsibility = forms.ChoiceField(
        label="Whose responsibility is it?", choices=Responsibility.choices, widget=forms.RadioSelect
    )
    partner = organisation_field(
        label="Partner organisation responsible or co-commissioning",
        required=False,
        help_text="Leave blank when the OPCC commissions it alone",
    )
    responsibility_notes = _text("Notes on responsibility", required=False, rows=3)


class ResourceForm(GovukForm):
    service = forms.ModelChoiceField(
        label="Service in the register",
        queryset=Service.objects.exclude(status=Service.Status.ENDED).order_by("name"),
        required=False,
        help_text="Services serving its priorities",
    )
    description = forms.CharField(
        label="Or another resource", required=False, max_length=200, help_text="For example, a partner's service"
    )
    capacity = _text("Capacity", help_text="How many people it can help, waiting times, where it runs", rows=3)
    outcomes = _text("Outcomes", help_text="What it achieves, from its returns or reviews", rows=3)
    gaps = _text("Gaps", required=False, help_text="What it does not cover", rows=3)

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        if services is not None:
            self.fields["service"].queryset = services


class EngagementForm(GovukForm):
    who = forms.CharField(label="Who was engaged", max_length=200, help_text="For example, a survivors' forum")
    board = forms.ModelChoiceField(
        label="Partnership board",
        queryset=PartnershipBoard.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text="If it was at a partnership board",
    )
    service_users = forms.BooleanField(label="People who use or would use the service took part", required=False)
    method = forms.ChoiceField(label="Method of engagement", choices=EngagementMethod.choices, widget=forms.RadioSelect)
    held_on = GovukDateField(label="Date", help_text=DATE_HINT)
    heard = _text("What was heard")
    changed = _text("What changed because of it", required=False, rows=3)


class RecommendationForm(GovukForm):
    recommendation = _text("Recommendation", help_text="What should be commissioned, how, and why", rows=6)


class DecisionForm(GovukForm):
    approve = forms.ChoiceField(
        label="Decision",
        choices=[(APPROVE, "Approve"), (DECLINE, "Do not approve")],
        widget=forms.RadioSelect,
    )
    note = _text("Reasons for the decision")


class MarketEventForm(GovukForm):
    kind = forms.ChoiceField(label="Type of event", choices=MarketEventKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label="Title", max_length=200)
    held_on = GovukDateField(label="Date", help_text=DATE_HINT)
    attendees = _text("Organisations that came", help_text="One a line", rows=4)
    notes = _text("Notes", required=False, help_text="What was presented and discussed")


class QuestionForm(GovukForm):
    question = _text("Question", help_text="Record it without the name of the asker", rows=3)
    answer = _text("Answer", required=False, rows=4)
    publish = forms.BooleanField(label="Publish the answer to every supplier now", required=False)


class AnswerForm(GovukForm):
    answer = _text("Answer", rows=4)
    publish = forms.BooleanField(label="Publish the answer to every supplier now", required=False)


class MarketNoteForm(GovukForm):
    appetite = forms.ChoiceField(label="Market appetite", choices=Appetite.choices, widget=forms.RadioSelect)
    note = _text("Note", help_text="What suppliers said, capacity, likely prices")


class NoticeForm(GovukForm):
    published_on = GovukDateField(label="Date published", help_text=DATE_HINT)
    reference = forms.CharField(
        label="Notice reference", required=False, max_length=60, help_text="For example, its Find a Tender number"
    )
    url = forms.URLField(label="Web address of the notice", required=False, max_length=300, assume_scheme="https")


class SpecificationForm(GovukForm):
    timeliness = _text("Timeliness", required=False, help_text="How quickly people are seen, hours of service")
    standards = _text("Standards of delivery", required=False, help_text="Accreditation, quality, safeguarding")
    delivery = _text("How the service is delivered", required=False, help_text="Methods, places, partners")
    recipients = _text("To whom", required=False, help_text="Who is eligible and how they are referred")
    outcomes = _text("Outcomes", required=False)
    social_value = _text("Social value", required=False)


class SpecificationKpiForm(GovukForm):
    definition = forms.ModelChoiceField(
        label="Minimum-dataset measure",
        queryset=KpiDefinition.objects.filter(is_minimum_dataset=True).order_by("order", "name"),
        required=False,
        help_text="Or leave blank and name the service's own measure",
    )
    name = forms.CharField(label="Name of the service's own measure", required=False, max_length=200)
    unit = forms.CharField(label="Unit", max_length=60, initial="people", help_text="What is counted")
    target = forms.IntegerField(label="Target for each period", required=False, min_value=0)
    direction = forms.ChoiceField(label="Direction", choices=KpiDirection.choices, widget=forms.RadioSelect)
    frequency = forms.ChoiceField(label="How often it is reported", choices=KpiFrequency.choices)


class RouteChoiceForm(GovukForm):
    route = forms.ChoiceField(label="Route", choices=[], widget=forms.RadioSelect)
    quotes = forms.IntegerField(
        label="Number of written quotes", required=False, min_value=1, max_value=20, help_text="For quotes only"
    )
    reason = _text("Why a stricter route than required", required=False, rows=3, help_text="Only when it is stricter")

    def __init__(self, *args, routes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = list(routes) or [
            c for c in ProcurementRoute.choices if c[0] != ProcurementRoute.DIRECT_AWARD
        ]


class ExemptionForm(GovukForm):
    ground = forms.ChoiceField(label="Legal ground", choices=ExemptionGround.choices, widget=forms.RadioSelect)
    justification = _text(
        "Justification", help_text="The facts that meet the ground, and the provision relied on (e.g. Schedule 5)"
    )
    supplier = forms.CharField(label="Supplier to be awarded the contract", max_length=200)
