"""Input every evaluation shares (ADR 0015): the declaration of interests, an assessor's scores with a comment
each, and the moderation meeting's agreed scores with the rationale. Forms check the shape of input; the rules
live in evaluation.services, whose errors come back under the same field names (score_<criterion id>,
comment_<criterion id>, details, rationale)."""

from django import forms

from commissioning.core.forms import GovukForm
from commissioning.evaluation.models import MAX_SCORE
from commissioning.evaluation.services import comment_field, score_field


def _radios(label, choices, *, required_message, help_text=""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


def _textarea(label, *, required=False, help_text="", required_message="", rows=4):
    field = forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )
    if required_message:
        field.error_messages["required"] = required_message
    return field


class CommentField(forms.CharField):
    """A comment shown as required, since every score needs one; whether it is missing is decided in the
    form's clean(), because a draft may leave a criterion (score and comment) empty."""

    def __init__(self, **kwargs):
        super().__init__(required=True, widget=forms.Textarea(attrs={"rows": 4}), **kwargs)

    def validate(self, value):
        if value not in self.empty_values:
            super().validate(value)


def score_choices(criterion) -> list[tuple[str, str]]:
    """0 to 5, each labelled with the criterion's written descriptor."""
    descriptors = criterion.descriptors if isinstance(criterion.descriptors, list) else []
    return [
        (str(n), f"{n}: {descriptors[n]}" if n < len(descriptors) and descriptors[n] else str(n))
        for n in range(MAX_SCORE + 1)
    ]


class DeclarationForm(GovukForm):
    declaration = _radios(
        "Do you have a conflict of interest with this organisation or project?",
        [("none", "I have no conflict of interest"), ("conflict", "I have a conflict of interest")],
        required_message="Select whether you have a conflict of interest",
        help_text="For example, you work for, volunteer with, or are related to someone at the organisation",
    )
    details = _textarea(
        "Details of the conflict",
        help_text="Needed if you have a conflict. The officer running the assessment will read this",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("declaration") == "conflict" and not cleaned.get("details", "").strip():
            self.add_error(
                "details", "Describe the conflict of interest, so the officer can decide who assesses instead"
            )
        return cleaned

    def service_data(self) -> dict:
        return {"has_conflict": self.cleaned_data["declaration"] == "conflict", "details": self.cleaned_data["details"]}


class ScoresForm(GovukForm):
    """A 0-5 score and a comment for each criterion. `submit` (the "Submit scores" button) asks for every
    criterion; saving a draft takes what is there, but a score always needs its comment."""

    def __init__(self, *args, criteria, submit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.submit = submit
        for criterion in self.criteria:
            self.fields[score_field(criterion.pk)] = forms.ChoiceField(
                label=f"Score for {criterion}",
                choices=score_choices(criterion),
                widget=forms.RadioSelect,
                required=False,
                help_text=criterion.guidance,
                error_messages={"invalid_choice": f"Choose a score from 0 to 5 for {criterion}"},
            )
            self.fields[comment_field(criterion.pk)] = CommentField(
                label=f"Comment on {criterion}", help_text="Explain your score against the descriptors"
            )

    def rows(self):
        """(criterion, score field, comment field) for the template, criterion by criterion."""
        for criterion in self.criteria:
            yield criterion, self[score_field(criterion.pk)], self[comment_field(criterion.pk)]

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            score_name, comment_name = score_field(criterion.pk), comment_field(criterion.pk)
            if score_name in self.errors:
                continue
            score, comment = cleaned.get(score_name), (cleaned.get(comment_name) or "").strip()
            if not score and self.submit:
                self.add_error(score_name, f"Choose a score for {criterion} before you submit")
            elif not score and comment:
                self.add_error(score_name, f"Choose a score for {criterion} to save your comment")
            if score and not comment:
                self.add_error(comment_name, f"Enter a comment explaining your score for {criterion}")
        return cleaned

    def service_scores(self) -> dict:
        data = self.cleaned_data
        return {
            c.pk: (
                int(data[score_field(c.pk)]) if data.get(score_field(c.pk)) else None,
                data.get(comment_field(c.pk), ""),
            )
            for c in self.criteria
        }


class ModerationForm(GovukForm):
    """The agreed score for each criterion and the rationale."""

    rationale = _textarea(
        "Rationale",
        required=True,
        rows=6,
        help_text="What the panel discussed and why it agreed these scores, especially where assessors differed",
        required_message="Enter the rationale: what the panel discussed and why it agreed these scores",
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            message = f"Choose the agreed score for {criterion}"
            self.fields[score_field(criterion.pk)] = forms.ChoiceField(
                label=f"Agreed score for {criterion} ({criterion.weight.normalize():f}%)",
                choices=score_choices(criterion),
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )
        self.order_fields([*(score_field(c.pk) for c in self.criteria), "rationale"])

    def service_scores(self) -> dict:
        return {c.pk: int(self.cleaned_data[score_field(c.pk)]) for c in self.criteria}
