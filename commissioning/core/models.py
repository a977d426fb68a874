import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class OpccSettings(models.Model):
    """The installing OPCC's identity and publishing prefixes, loaded from its profile (one row)."""

    profile = models.SlugField(max_length=60, help_text="The profile last loaded, e.g. dorset")
    opcc_name = models.CharField("OPCC name", max_length=200)
    short_name = models.CharField(max_length=60)
    area_name = models.CharField("Police area", max_length=100)
    grants_prefix = models.CharField(
        "360Giving identifier prefix", max_length=60, help_text="Issued by 360Giving, e.g. 360G-dorsetopcc"
    )
    ocds_prefix = models.CharField("OCDS ocid prefix", max_length=30, help_text="Registered prefix, e.g. ocds-abc123")
    suppression_threshold = models.PositiveSmallIntegerField(
        default=5, help_text="Published and Panel figures show counts below this as * (with secondary suppression)"
    )
    separate_commitment_approval = models.BooleanField(
        default=True,
        help_text="Whoever planned a commitment cannot approve it (the OPCC's financial regulations; profile key "
        "settings.separate_commitment_approval)",
    )
    loaded_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "OPCC settings"
        verbose_name_plural = "OPCC settings"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="opcc_settings_single_row")]

    def __str__(self):
        return self.opcc_name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)


def opcc_settings() -> OpccSettings | None:
    """The OPCC's settings row, or None before a profile is loaded."""
    return OpccSettings.objects.filter(pk=1).first()


class ProcurementRegimeStart(models.Model):
    """The date from which procurements begun fall under a procurement law (dated configuration from the profile).

    Kept in core, the lowest layer, because both agreements (the regime a contract names) and procurement (the
    regime a new procurement runs under) read it; see docs/decisions/0013-procurement-regime-dates.md. The
    regime is the code procurement and agreements share (pcr_2015, pa_2023)."""

    regime = models.SlugField(max_length=16, unique=True, help_text="For example pa_2023")
    name = models.CharField(max_length=100, help_text="For example Procurement Act 2023")
    applies_from = models.DateField(help_text="Procurements begun on or after this date fall under it")
    source = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["applies_from"]
        constraints = [models.UniqueConstraint(fields=["applies_from"], name="procurement_regime_start_once_per_date")]

    def __str__(self):
        return f"{self.name} from {self.applies_from:%d %B %Y}"


class PublicationThreshold(models.Model):
    """From a date, contracts worth more than `contracts_over` are published with their documents (the Elected
    Local Policing Bodies (Specified Information) Order 2011: £10,000). Dated configuration from the profile, in
    core because agreements (which contracts) and transparency (the public page) both read it. A contract is
    published under the threshold in force on the day it starts."""

    applies_from = models.DateField(unique=True)
    contracts_over = models.DecimalField(max_digits=12, decimal_places=2)
    source = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["applies_from"]
        constraints = [models.CheckConstraint(condition=models.Q(contracts_over__gte=0), name="publication_over_ge_0")]

    def __str__(self):
        return f"Contracts over £{self.contracts_over:,.0f} published from {self.applies_from:%d %B %Y}"


# The Order's figure, used only until a profile configures its own.
DEFAULT_CONTRACTS_OVER = Decimal("10000")


def publication_thresholds() -> list[tuple[dt.date, Decimal]]:
    """[(applies from, contracts over)], oldest first, opening with the Order's £10,000 from the earliest date, so
    it applies before the first configured threshold (or when there is none)."""
    rows = PublicationThreshold.objects.order_by("applies_from").values_list("applies_from", "contracts_over")
    return [(dt.date.min, DEFAULT_CONTRACTS_OVER), *rows]


def contracts_over_on(thresholds: list[tuple[dt.date, Decimal]], day: dt.date) -> Decimal:
    """The threshold in force on `day`, from `publication_thresholds()` (read once by the caller)."""
    return [amount for applies_from, amount in thresholds if applies_from <= day][-1]


def procurement_regime_on(day: dt.date) -> ProcurementRegimeStart | None:
    """The procurement regime a procurement begun on `day` falls under: the latest to have started by then, or None
    before the first configured one (or before a profile is loaded)."""
    return ProcurementRegimeStart.objects.filter(applies_from__lte=day).order_by("-applies_from").first()


def procurement_regime_starts(regime: str) -> dt.date | None:
    """The date `regime` applies from, or None when the profile does not configure it."""
    return ProcurementRegimeStart.objects.filter(regime=regime).values_list("applies_from", flat=True).first()


def one_of(field: str, choices: type[models.Choices], *, name: str) -> models.CheckConstraint:
    """A database check that `field` holds one of `choices`' values, built from the choices themselves so the
    two cannot drift apart."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": list(choices.values)}), name=name)


def separate_commitment_approval() -> bool:
    """Whether a commitment must be approved by someone other than whoever planned it (on unless the OPCC's
    profile turns it off)."""
    row = OpccSettings.objects.filter(pk=1).values_list("separate_commitment_approval", flat=True).first()
    return True if row is None else row


class BackgroundJob(models.Model):
    """Work that runs in the task worker, not in a request (imports, exports), and what the person who started it
    sees of it: its progress, then its file or its problems (core.jobs has the rules, core.views.job_detail the
    page). Only the owner and administrators see a job; its id is a random UUID so addresses cannot be guessed."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "In progress"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="background_jobs")
    kind = models.CharField(max_length=60, help_text="What the job does, e.g. funds.import_payments")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_unit = models.CharField(max_length=30, default="rows")
    input = models.JSONField(default=dict, blank=True, help_text="What the task needs (rows to import, the year)")
    result = models.JSONField(default=dict, blank=True, help_text="What the page shows when the job has ended")
    errors = models.JSONField(default=list, blank=True, help_text="Problems found, one message each")
    file = models.FileField(upload_to="jobs/%Y/%m/", blank=True, max_length=255)
    file_name = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="core_job_owner_created_idx")]

    def __str__(self):
        return self.title

    @property
    def ended(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.ended else 0
        return min(100, self.progress_done * 100 // self.progress_total)
