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


def one_of(field: str, choices: type[models.Choices], *, name: str) -> models.CheckConstraint:
    """A database check that `field` holds one of `choices`' values, built from the choices themselves so the
    two cannot drift apart."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": list(choices.values)}), name=name)


def separate_commitment_approval() -> bool:
    """Whether a commitment must be approved by someone other than whoever planned it (on unless the OPCC's
    profile turns it off)."""
    row = OpccSettings.objects.filter(pk=1).values_list("separate_commitment_approval", flat=True).first()
    return True if row is None else row
