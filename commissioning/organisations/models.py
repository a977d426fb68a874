import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of


class AreaOfInterest(models.Model):
    """An area of combined interest between the OPCC and a partner (seed, Section 5 table)."""

    name = models.CharField(max_length=120, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "areas of interest"

    def __str__(self):
        return self.name


class OrganisationKind(models.TextChoices):
    OPCC = "opcc", "The OPCC"
    STATUTORY = "statutory", "Statutory partner"
    VCSE = "vcse", "Voluntary or community organisation"
    PROVIDER = "provider", "Provider (business or social enterprise)"
    FUNDER = "funder", "Funder"


class Organisation(models.Model):
    Kind = OrganisationKind

    class CharityRegister(models.TextChoices):
        ENGLAND_WALES = "GB-CHC", "Charity Commission for England and Wales"
        SCOTLAND = "GB-SC", "Scottish Charity Regulator"
        NORTHERN_IRELAND = "GB-NIC", "Charity Commission for Northern Ireland"

    # Stable key used by profiles (e.g. "dorset-police"); blank for organisations added in the app.
    code = models.SlugField(max_length=60, unique=True, null=True, blank=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    description = models.TextField(blank=True)
    charity_register = models.CharField(
        max_length=8, choices=CharityRegister.choices, default=CharityRegister.ENGLAND_WALES, blank=True
    )
    charity_number = models.CharField(max_length=12, blank=True)
    company_number = models.CharField(
        "Companies House number", max_length=8, blank=True, help_text="8 characters, for example 01234567"
    )
    other_org_id = models.CharField(
        "Other organisation identifier",
        max_length=60,
        blank=True,
        help_text=("An org-id.guide identifier such as GB-GOR-PB123, when there is no charity or company number"),
    )
    org_id = models.CharField("Organisation identifier", max_length=80, editable=False, db_index=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    areas_of_interest = models.ManyToManyField(AreaOfInterest, blank=True, related_name="organisations")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[areas_of_interest])

    class Meta:
        ordering = ["name"]
        # The directory and the search fields list organisations by name (issue 9: index what lists sort on).
        indexes = [models.Index(fields=["name", "id"], name="organisation_name_idx")]
        constraints = [
            one_of("kind", OrganisationKind, name="organisation_kind_valid"),
            models.UniqueConstraint(fields=["kind"], condition=Q(kind="opcc"), name="organisation_one_opcc"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # org_id is derived data kept in a column so that lists and open-data exports can use it.
        self.org_id = self.compute_org_id()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "org_id"}
        super().save(*args, **kwargs)
        if not self.org_id:
            # The local fallback identifier is built from the primary key, known only after the first
            # insert: write it to the row and to the history record the insert has just made.
            self.org_id = self.compute_org_id()
            type(self).objects.filter(pk=self.pk).update(org_id=self.org_id)
            self.history.filter(org_id="").update(org_id=self.org_id)

    def clean(self):
        errors = {}
        if self.charity_number and not re.fullmatch(r"[A-Z]{0,2}\d{5,8}(-\d+)?", self.charity_number.strip()):
            errors["charity_number"] = "Enter a charity number like 1234567"
        if self.company_number:
            number = self.company_number.strip().upper()
            if not re.fullmatch(r"([A-Z]{2}\d{6}|\d{1,8})", number):
                errors["company_number"] = "Enter a Companies House number like 01234567 or SC123456"
        if self.other_org_id and not re.fullmatch(r"[A-Z]{2,3}-[A-Z0-9]{2,8}-\S+", self.other_org_id.strip()):
            errors["other_org_id"] = "Enter an identifier from org-id.guide, like GB-GOR-PB123"
        if errors:
            raise ValidationError(errors)

    def compute_org_id(self) -> str:
        """The org-id.guide identifier: charity, then company, then any other, else a local 360G id."""
        from commissioning.organisations.identifiers import org_id_for

        return org_id_for(
            charity_register=self.charity_register,
            charity_number=self.charity_number,
            company_number=self.company_number,
            other_org_id=self.other_org_id,
            local_id=self.code or (str(self.pk) if self.pk else ""),
        )


class Contact(models.Model):
    """A named contact at an organisation. Demo data uses job titles, never real people."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    is_primary = models.BooleanField("Main contact", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_primary=True),
                name="contact_one_primary_per_organisation",
            )
        ]

    def __str__(self):
        return self.name


class PartnershipBoard(models.Model):
    """A partnership group or board OPCC staff sit on (seed, Section 5 "Partnership Groups/Boards")."""

    name = models.CharField(max_length=200, unique=True)
    purpose = models.TextField()
    chair = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_boards",
        verbose_name="Chaired by",
    )
    members = models.ManyToManyField(Organisation, related_name="boards", blank=True)
    priorities = models.ManyToManyField("strategy.Priority", related_name="boards", blank=True)
    meeting_frequency = models.CharField(max_length=60, blank=True, help_text="For example, quarterly")
    opcc_representative = models.CharField(
        "OPCC representative (role)",
        max_length=150,
        blank=True,
        help_text="A role, such as Commissioning Manager",
    )
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords(m2m_fields=[members, priorities])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class BoardMeeting(models.Model):
    board = models.ForeignKey(PartnershipBoard, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField("Date of meeting")
    notes = models.TextField()
    actions = models.TextField("Actions agreed", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.board} meeting on {self.held_on:%d %B %Y}"


class ActivityKind(models.TextChoices):
    INFLUENCE = "influence", "Influencing decision-makers"
    PARTNERSHIP = "partnership", "Partnership working"
    POLITICAL_SUPPORT = "political_support", "Political support"
    CHALLENGE = "challenge", "Challenging statutory responsibilities"


class NonFinancialActivity(models.Model):
    """Non-financial commissioning (seed, Section 3): influence, partnership, political support, challenge."""

    Kind = ActivityKind

    kind = models.CharField("Type of activity", max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField("What was done")
    occurred_on = models.DateField("Date")
    partners = models.ManyToManyField(Organisation, related_name="non_financial_activities")
    priorities = models.ManyToManyField("strategy.Priority", related_name="non_financial_activities")
    objectives = models.ManyToManyField("strategy.CommissioningObjective", related_name="+", blank=True)
    board = models.ForeignKey(
        PartnershipBoard,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="Partnership board (if any)",
    )
    intended_outcome = models.TextField(blank=True)
    outcome = models.TextField("Outcome so far", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[partners, priorities, objectives])

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name_plural = "non-financial activities"
        constraints = [one_of("kind", ActivityKind, name="nonfinancial_kind_valid")]

    def __str__(self):
        return self.title
