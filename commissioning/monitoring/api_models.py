"""Models for the provider API and case-level returns (issue 11, point 2), kept apart from models.py so the
returns' own models stay readable; models.py imports them so Django finds them.

An ApiToken lets a provider organisation's systems use the API (commissioning/monitoring/api.py). Only a hash
of its secret is kept: the secret is shown once, when it is created, and cannot be read back. A token acts for
its organisation's services only, in the name of the person who created it; revoking it stops it at once.

A ReturnCase is one row of a case-level file (one case per row, with its breakdown fields) that became a return
version: the figures of the version are the cases counted (imports_large.py); the rows are kept with the version
so an officer can see how each figure was made. They carry the provider's own case reference, never a name.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

PREFIX_LENGTH = 8


def hash_secret(secret: str) -> str:
    """The SHA-256 of a token's secret, as hex: what is stored and looked up. The secret is 256 random bits, so a
    fast hash is enough (a slow password hash guards guessable passwords, not random keys)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What uses it, e.g. our case management system")
    prefix = models.CharField(max_length=PREFIX_LENGTH, help_text="The start of the secret, to tell tokens apart")
    secret_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False), name="api_token_revoked_by_someone"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ReturnCase(models.Model):
    """One case of a case-level file, as counted into a return version."""

    version = models.ForeignKey("monitoring.ReturnVersion", on_delete=models.CASCADE, related_name="cases")
    row = models.PositiveIntegerField(help_text="The row of the file, the headings being row 1")
    reference = models.CharField(max_length=100, help_text="The provider's own case reference")
    data = models.JSONField(default=dict, help_text="The case's answer for each measure, by measure code")

    class Meta:
        ordering = ["version", "row"]
        constraints = [
            models.UniqueConstraint(fields=["version", "reference"], name="return_case_reference_once"),
        ]

    def __str__(self):
        return f"Case {self.reference} of {self.version}"
