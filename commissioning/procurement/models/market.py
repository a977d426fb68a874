"""Market analysis of a commissioning case (issue 10, point 2): engagement events with their attendees, the
questions asked and the answers published to everyone, and notes on the market's appetite."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of


class MarketEventKind(models.TextChoices):
    MEETING = "meeting", "Market engagement meeting"
    OPEN_DAY = "open_day", "Supplier open day"
    WEBINAR = "webinar", "Online briefing"
    QUESTIONNAIRE = "questionnaire", "Market questionnaire"


class MarketEvent(models.Model):
    Kind = MarketEventKind

    case = models.ForeignKey("procurement.CommissioningCase", on_delete=models.CASCADE, related_name="market_events")
    kind = models.CharField(max_length=16, choices=MarketEventKind.choices)
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    attendees = models.TextField(help_text="The organisations that came, one a line")
    notes = models.TextField(blank=True, help_text="What was presented and discussed")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "held_on", "pk"]
        constraints = [one_of("kind", MarketEventKind, name="market_event_kind_valid")]

    def __str__(self):
        return f"{self.title} ({self.held_on:%d %B %Y})"

    @property
    def attendee_list(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class MarketQuestion(models.Model):
    """A question asked at an event. Its answer is published to every interested supplier, without the asker."""

    event = models.ForeignKey(MarketEvent, on_delete=models.CASCADE, related_name="questions")
    question = models.TextField()
    answer = models.TextField(blank=True)
    published_on = models.DateField(null=True, blank=True, help_text="When the answer was published to everyone")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | ~Q(answer=""), name="market_question_published_has_answer"
            )
        ]

    def __str__(self):
        return self.question[:80]


class Appetite(models.TextChoices):
    STRONG = "strong", "Strong: several capable suppliers"
    SOME = "some", "Some: a few suppliers"
    LIMITED = "limited", "Limited: one or two suppliers"
    NONE = "none", "None found"


class MarketNote(models.Model):
    """A note on the market's appetite for the service."""

    Appetite = Appetite

    case = models.ForeignKey("procurement.CommissioningCase", on_delete=models.CASCADE, related_name="market_notes")
    appetite = models.CharField(max_length=10, choices=Appetite.choices)
    note = models.TextField()
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "recorded_on", "pk"]
        constraints = [one_of("appetite", Appetite, name="market_note_appetite_valid")]

    def __str__(self):
        return f"{self.get_appetite_display()} ({self.recorded_on:%d %B %Y})"
