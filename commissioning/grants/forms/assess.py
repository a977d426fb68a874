"""Input for assessment pages. Forms check the shape of input; the rules live in services/assessment.py,
whose errors come back under the same field names (score_<criterion id>, comment_<criterion id>)."""

from django import forms

from commissioning.core.forms import GovukForm, MoneyField
from commissioning.grants.forms._common import radios
from commissioning.grants.services.assessment import comment_field, min_assessors, score_field

YES_NO = [("yes", "Yes"), ("no", "No")]


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
    return [(str(n), f"{n}: {descriptors[n]}" if n < len(descriptors) and descriptors[n] else str(n)) for n in range(6)]


class EligibilityForm(GovukForm):
    eligible = radios(
        "Is the application eligible?",
        [("yes", "Yes, it meets the round's eligibility rules"), ("no", "No, it is not eligible")],
        required_message="Select whether the application is eligible",
    )
    note = _textarea(
        "Note",
        help_text="Needed when it is not eligible: the applicant is told the reason",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("eligible") == "no" and not cleaned.get("note", "").strip():
            self.add_error("note", "Enter why the application is not eligible; the applicant is told the reason")
        return cleaned

    def service_data(self) -> dict:
        return {"eligible": self.cleaned_data["eligible"] == "yes", "note": self.cleaned_data["note"]}


class AssignForm(GovukForm):
    assessor = forms.ModelChoiceField(
        label="Assessor",
        queryset=None,
        empty_label="Select an assessor",
        help_text="Evaluators and OPCC staff. They see only the organisation and the project title until they "
        "declare any conflict of interest",
        error_messages={"required": "Select an assessor", "invalid_choice": "Select an assessor from the list"},
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = people
        self.fields["assessor"].label_from_instance = _person_label


class RoundAssignForm(GovukForm):
    assessors = forms.ModelMultipleChoiceField(
        label="Assessors for every eligible application",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each is assigned to every eligible application they are not already assigned to",
        error_messages={"required": "Select at least one assessor", "invalid_choice": "Select assessors from the list"},
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = people
        self.fields["assessors"].label_from_instance = _person_label


def _person_label(user) -> str:
    return f"{user.display_name} ({user.role_label})"


class DeclarationForm(GovukForm):
    declaration = radios(
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
                label=f"Score for {criterion.name}",
                choices=score_choices(criterion),
                widget=forms.RadioSelect,
                required=False,
                help_text=criterion.guidance,
                error_messages={"invalid_choice": f"Choose a score from 0 to 5 for {criterion.name}"},
            )
            self.fields[comment_field(criterion.pk)] = CommentField(
                label=f"Comment on {criterion.name}", help_text="Explain your score against the descriptors"
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
                self.add_error(score_name, f"Choose a score for {criterion.name} before you submit")
            elif not score and comment:
                self.add_error(score_name, f"Choose a score for {criterion.name} to save your comment")
            if score and not comment:
                self.add_error(comment_name, f"Enter a comment explaining your score for {criterion.name}")
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
            message = f"Choose the agreed score for {criterion.name}"
            self.fields[score_field(criterion.pk)] = forms.ChoiceField(
                label=f"Agreed score for {criterion.name} ({criterion.weight.normalize():f}%)",
                choices=score_choices(criterion),
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )
        self.order_fields([*(score_field(c.pk) for c in self.criteria), "rationale"])

    def service_scores(self) -> dict:
        return {c.pk: int(self.cleaned_data[score_field(c.pk)]) for c in self.criteria}


def moderation_help() -> str:
    needed = min_assessors()
    return (
        f"Moderation needs at least {needed} submitted assessment{'s' if needed != 1 else ''} from assessors "
        "without a conflict of interest (a system administrator sets how many). Assessors who have not submitted "
        "by then can no longer score."
    )


class RecommendationForm(GovukForm):
    recommend = radios(
        "Does the panel recommend funding?",
        [("yes", "Recommend funding"), ("no", "Do not recommend")],
        required_message="Select whether the panel recommends funding",
    )
    amount = MoneyField(
        label="Amount recommended",
        required=False,
        help_text="No more than requested, within the scheme's limits and the round's budget",
    )
    note = _textarea("Note", help_text="Needed when not recommended: the applicant is told the reason")

    def clean(self):
        cleaned = super().clean()
        recommend = cleaned.get("recommend")
        if recommend == "yes" and cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", "Enter the amount to recommend")
        if recommend == "no" and not cleaned.get("note", "").strip():
            self.add_error("note", "Enter why the application is not recommended; the applicant is told the reason")
        return cleaned

    def service_data(self) -> dict:
        data = self.cleaned_data
        recommend = data["recommend"] == "yes"
        return {"recommend": recommend, "amount": data["amount"] if recommend else None, "note": data["note"]}
