"""Error messages read as English and name their field (GOV.UK's error message pattern, WCAG 3.3.1 and 3.3.3).

Every form class in a commissioning.<app>.forms module is built, sent empty, then sent with nonsense in every box.
Each message must not be Django's default wording ("This field is required.", "Enter a valid date.", "Select a
valid choice…"), must name its field (share a word with the field's label, unless ALLOWED says why not) and must
not read like a label pasted after "the" ("Choose the move money from"). No select shows Django's "---------".

Forms that need arguments are built by CONSTRUCTORS; a new form that cannot be built fails the test until it is
added there.
"""

import importlib
import inspect
import pkgutil
import re
from decimal import Decimal

import pytest
from django import forms
from django.core import validators
from django.http import QueryDict

import commissioning

# --- Finding every form -----------------------------------------------------------------------------------------


def _form_modules():
    modules = []
    for info in pkgutil.iter_modules(commissioning.__path__):
        name = f"commissioning.{info.name}.forms"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        modules.append(module)
        if hasattr(module, "__path__"):
            modules += [importlib.import_module(f"{name}.{sub.name}") for sub in pkgutil.iter_modules(module.__path__)]
    return modules


FORM_CLASSES = sorted(
    (
        cls
        for module in _form_modules()
        for cls in vars(module).values()
        if inspect.isclass(cls)
        and issubclass(cls, forms.BaseForm)
        and cls.__module__ == module.__name__
        # An abstract ModelForm (core.forms.GovukModelForm) has no model to build.
        and not (issubclass(cls, forms.BaseModelForm) and cls._meta.model is None)
    ),
    key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
)

# --- Django's own wording -----------------------------------------------------------------------------------------


def _django_messages() -> list[re.Pattern]:
    texts = set()

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("django."):
                texts.update(str(m) for m in getattr(sub, "default_error_messages", {}).values())
            walk(sub)

    texts.update(str(m) for m in forms.Field.default_error_messages.values())
    walk(forms.Field)
    for value in vars(validators).values():
        if inspect.isclass(value) and isinstance(getattr(value, "message", None), str | type(validators._)):
            texts.add(str(value.message))
    for text in ("Enter a valid value.", "Enter a valid email address.", "Enter a valid URL."):
        texts.add(text)
    patterns = []
    for text in texts:
        if len(text) < 8:
            continue
        pattern = re.escape(text)
        pattern = re.sub(r"%\\\((\w+)\\\)[sd]", ".*", pattern)
        patterns.append(re.compile(pattern + r"$"))
    return patterns


DJANGO_WORDING = _django_messages()
# A label pasted after "the", or a word twice ("from from"): the marks of a message built from a label that is not
# a noun.
NOT_ENGLISH = re.compile(
    r"\bthe (why|what|how|when|where|which|who|whether|move|your|a|an|is|are|has|have|do|does|if|i)\b|\b(\w+) \2\b",
    re.I,
)
STOP_WORDS = {"this", "that", "with", "from", "have", "does", "your", "will", "what", "which", "when", "there", "their"}

# (form class name, field name) -> why its messages need not share a word with its label.
ALLOWED = {
    # The label has no noun to repeat; the message is the label as an instruction.
    ("ProposalFormForm", "who_it_is_for"): "'Enter who the service is for' for 'Who it is for'",
}


def _words(text: str) -> set[str]:
    return {w[:4] for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 4 and w not in STOP_WORDS}


# --- Building forms that need arguments ----------------------------------------------------------------------------


def _funds_years(form_class):
    return lambda data: form_class(data, years=[2026, 2027])


def _budget_set(data):
    from commissioning.funds.forms import BudgetSetForm
    from commissioning.funds.selectors import fund_tree
    from commissioning.funds.tests.factories import FundFactory

    FundFactory(name="Victims Fund")
    leaves = [row for row in fund_tree() if not row.has_children]
    return BudgetSetForm(data, leaves=leaves, current={})


def _payment(data):
    from commissioning.funds.forms import PaymentForm

    return PaymentForm(data, due=[])


def _eligibility(data):
    from commissioning.grants.forms.apply import EligibilityForm
    from commissioning.grants.tests.factories import EligibilityQuestionFactory, OpenRoundFactory

    grant_round = OpenRoundFactory()
    EligibilityQuestionFactory(round=grant_round)
    return EligibilityForm(data, questions=grant_round.eligibility_questions.all())


def _priorities(data):
    from commissioning.grants.forms.apply import PrioritiesForm
    from commissioning.grants.selectors.applications import plan_priorities
    from commissioning.strategy.tests.factories import PriorityFactory

    PriorityFactory()
    return PrioritiesForm(data, priorities=plan_priorities())


def _budget(data):
    from commissioning.grants.forms.apply import BudgetForm
    from commissioning.grants.tests.factories import GrantSchemeFactory

    return BudgetForm(data, scheme=GrantSchemeFactory())


def _rounds(form_class):
    def build(data):
        from commissioning.grants.models import GrantRound

        return form_class(data, rounds=GrantRound.objects.all())

    return build


def _criteria(form_class, **extra):
    def build(data):
        from commissioning.grants.tests.factories import AssessmentCriterionFactory

        criterion = AssessmentCriterionFactory(weight=Decimal("100"))
        return form_class(data, criteria=[criterion], **extra)

    return build


def _award_accept(data):
    from commissioning.grants.forms.awards import AwardAcceptForm

    return AwardAcceptForm(data, organisation_name="Bournemouth Community Trust")


def _round(data):
    from commissioning.funds.models import FinancialYear, Fund
    from commissioning.grants.forms.rounds import RoundForm
    from commissioning.grants.models import GrantScheme, TermsVersion
    from commissioning.grants.tests.factories import GrantSchemeFactory, TermsVersionFactory

    GrantSchemeFactory()
    TermsVersionFactory()
    return RoundForm(
        data,
        schemes=GrantScheme.objects.all(),
        funds=Fund.objects.all(),
        years=FinancialYear.objects.all(),
        terms=TermsVersion.objects.all(),
    )


def _sign_in(data):
    from commissioning.accounts.forms import SignInForm

    return SignInForm(None, data=data)


def _with(form_path, **arguments):
    """A form built as its view builds it: `arguments` maps each keyword to a function giving its value."""

    def build(data):
        module_name, class_name = form_path.rsplit(".", 1)
        form_class = getattr(importlib.import_module(module_name), class_name)
        return form_class(data, **{key: make() for key, make in arguments.items()})

    return build


def _people():
    from commissioning.accounts.tests.factories import UserFactory
    from commissioning.grants.selectors.assessment import assessor_choices

    return assessor_choices(actor=UserFactory())


def _funds():
    from commissioning.funds.models import Fund

    return Fund.objects.all()


def _proposals(name):
    return lambda: getattr(importlib.import_module("commissioning.grants.selectors.proposals"), name)()


def _innovation(name):
    return lambda: getattr(importlib.import_module("commissioning.grants.selectors.innovation"), name)()


def _strategy(name):
    return lambda: getattr(importlib.import_module("commissioning.strategy.selectors"), name)()


def _monitoring_kpis():
    from commissioning.monitoring.tests.factories import ServiceKpiFactory

    return [ServiceKpiFactory()]


def _user(form_class):
    def build(data):
        from commissioning.accounts.tests.factories import UserFactory

        return form_class(UserFactory(), data)

    return build


CONSTRUCTORS = {
    "commissioning.accounts.forms.SignInForm": _sign_in,
    "commissioning.accounts.forms.SetPasswordForm": "user",
    "commissioning.accounts.forms.PasswordChangeForm": "user",
    "commissioning.funds.forms.YearFilterForm": "years",
    "commissioning.funds.forms.PaymentFilterForm": "years",
    "commissioning.funds.forms.CommitmentPlanForm": "years",
    "commissioning.funds.forms.VirementRequestForm": "years",
    "commissioning.funds.forms.BudgetSetForm": _budget_set,
    "commissioning.funds.forms.PaymentForm": _payment,
    "commissioning.grants.forms.apply.EligibilityForm": _eligibility,
    "commissioning.grants.forms.apply.PrioritiesForm": _priorities,
    "commissioning.grants.forms.apply.BudgetForm": _budget,
    "commissioning.grants.forms.apply.ApplicationFilterForm": "rounds",
    "commissioning.grants.forms.awards.AwardFilterForm": "rounds",
    "commissioning.procurement.forms.evaluation.AssignEvaluatorsForm": _with(
        "commissioning.procurement.forms.evaluation.AssignEvaluatorsForm", people=_people
    ),
    "commissioning.procurement.forms.evaluation.DecisionForm": _with(
        "commissioning.procurement.forms.evaluation.DecisionForm", pccs=_people
    ),
    "commissioning.procurement.forms.evaluation.ContractForm": _with(
        "commissioning.procurement.forms.evaluation.ContractForm", funds=_funds
    ),
    "commissioning.evaluation.forms.ScoresForm": "criteria+submit",
    "commissioning.evaluation.forms.ModerationForm": "criteria",
    "commissioning.grants.forms.assess.AssignForm": _with(
        "commissioning.grants.forms.assess.AssignForm", people=_people
    ),
    "commissioning.grants.forms.assess.RoundAssignForm": _with(
        "commissioning.grants.forms.assess.RoundAssignForm", people=_people
    ),
    "commissioning.grants.forms.awards.AwardAcceptForm": _award_accept,
    "commissioning.grants.forms.rounds.RoundForm": _round,
    "commissioning.grants.forms.proposals.ApproachLogForm": _with(
        "commissioning.grants.forms.proposals.ApproachLogForm", organisations=_proposals("organisations_for_approach")
    ),
    "commissioning.grants.forms.proposals.ProposalFormForm": _with(
        "commissioning.grants.forms.proposals.ProposalFormForm", priorities=_proposals("priorities_for_proposals")
    ),
    "commissioning.grants.forms.proposals.AssessmentForm": _with(
        "commissioning.grants.forms.proposals.AssessmentForm", funds=_proposals("funds_to_pay_from")
    ),
    "commissioning.grants.forms.proposals.DecisionForm": _with(
        "commissioning.grants.forms.proposals.DecisionForm",
        funds=_proposals("funds_to_pay_from"),
        years=_proposals("open_years"),
    ),
    "commissioning.grants.forms.proposals.PrioritisationForm": _with(
        "commissioning.grants.forms.proposals.PrioritisationForm",
        funds=_innovation("funds_for_prioritisation"),
        years=_innovation("open_years"),
    ),
    "commissioning.grants.forms.proposals.CandidateFilterForm": _with(
        "commissioning.grants.forms.proposals.CandidateFilterForm", years=_innovation("years")
    ),
    "commissioning.grants.forms.proposals.CandidateForm": _with(
        "commissioning.grants.forms.proposals.CandidateForm",
        organisations=_proposals("organisations_for_approach"),
        priorities=_proposals("priorities_for_proposals"),
        years=_innovation("open_years"),
    ),
    "commissioning.monitoring.forms.ReturnForm": _with(
        "commissioning.monitoring.forms.ReturnForm", kpis=_monitoring_kpis
    ),
    "commissioning.strategy.forms.DocumentForm": _with(
        "commissioning.strategy.forms.DocumentForm", plans=_strategy("plan_list")
    ),
    "commissioning.strategy.forms.DecisionForm": _with(
        "commissioning.strategy.forms.DecisionForm", decision_makers=_strategy("decision_makers")
    ),
}


def _build(form_class, data):
    how = CONSTRUCTORS.get(f"{form_class.__module__}.{form_class.__qualname__}")
    if how == "user":
        return _user(form_class)(data)
    if how == "years":
        return _funds_years(form_class)(data)
    if how == "rounds":
        return _rounds(form_class)(data)
    if how == "criteria":
        return _criteria(form_class)(data)
    if how == "criteria+submit":
        return _criteria(form_class, submit=True)(data)
    if how:
        return how(data)
    try:
        return form_class(data)
    except TypeError as exc:
        pytest.fail(
            f"{form_class.__module__}.{form_class.__qualname__} needs arguments ({exc}): add it to CONSTRUCTORS"
        )


# --- Sending forms ----------------------------------------------------------------------------------------------


def _nonsense(form) -> QueryDict:
    """Nonsense in every box: 'x' for text, choices and each part of a date."""
    data = QueryDict(mutable=True)
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            for suffix in widget.widgets_names:
                data[key + suffix] = "x"
        elif not isinstance(field, forms.FileField | forms.BooleanField):
            data[key] = "x"
    return data


def _problems(form) -> list[str]:
    problems = []
    name = type(form).__name__
    form.is_valid()
    for field_name, errors in form.errors.items():
        field = form.fields.get(field_name)
        label = str(field.label or field_name.replace("_", " ")) if field else ""
        # A message names its field when it shares a word with the label, the hint or the options ("Select yes or
        # no", "Select whether you approve or reject it").
        naming = f"{label} {field.help_text} " if field else ""
        if field is not None and isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            naming += " ".join(str(text) for _value, text in field.choices if isinstance(text, str))
        for message in errors:
            where = f"{type(form).__module__}.{name}.{field_name}: {message!r}"
            if any(pattern.match(message) for pattern in DJANGO_WORDING):
                problems.append(f"{where} is Django's default wording")
            if NOT_ENGLISH.search(message):
                problems.append(f"{where} does not read as English")
            if field and (name, field_name) not in ALLOWED and not _words(naming) & _words(message):
                problems.append(f"{where} does not name the field {label!r}")
    return problems


@pytest.mark.django_db
def test_every_form_is_found():
    assert len(FORM_CLASSES) > 80, len(FORM_CLASSES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form_class", FORM_CLASSES, ids=lambda cls: f"{cls.__module__.split('.', 1)[1]}.{cls.__name__}"
)
def test_error_messages_name_their_field_in_english(form_class):
    empty = _build(form_class, QueryDict())
    problems = _problems(empty)
    problems += _problems(_build(form_class, _nonsense(empty)))
    rendered = str(_build(form_class, None))
    if "---------" in rendered:
        problems.append(f"{form_class.__name__} shows Django's '---------' as a choice")
    assert not problems, "\n".join(problems)
