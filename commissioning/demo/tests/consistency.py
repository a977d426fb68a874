"""The rules demo and generated data keep to be true to themselves (issue 8, point 6). Each returns what breaks
its rule (empty when it holds), so a failing test names the records."""

import datetime as dt

from django.apps import apps
from django.db.models import F, Sum

from commissioning.agreements.models import Agreement, CoFunder
from commissioning.funds.models import Commitment, FinancialYear, Payment, ScheduledPayment
from commissioning.strategy.models import SignOffStatus, StrategyVersion

BUSINESS_APPS = ("accounts", "organisations", "strategy", "funds", "agreements", "grants", "monitoring", "procurement")
SIGNATORIES = {"pcc", "chief_executive", "cfo", "director_operations"}


def fy_start(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def business_models() -> tuple[list, list]:
    """(concrete models, history models) of the business apps."""
    models, histories = [], []
    for label in BUSINESS_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.proxy or model._meta.abstract:
                continue
            (histories if model.__name__.startswith("Historical") else models).append(model)
    return models, histories


def empty_models() -> list[str]:
    models, histories = business_models()
    return [m._meta.label for m in models + histories if not m.objects.exists()]


def services_co_funded_beyond_their_agreements() -> list[tuple]:
    co_funding = dict(CoFunder.objects.values("service_id").annotate(t=Sum("amount")).values_list("service_id", "t"))
    worth = dict(
        Agreement.objects.filter(service_id__in=co_funding)
        .values("service_id")
        .annotate(t=Sum("value"))
        .values_list("service_id", "t")
    )
    return [(pk, total, worth.get(pk)) for pk, total in co_funding.items() if total > (worth.get(pk) or 0)]


def running_agreement_years_without_commitment(*, current_start_year: int) -> list[tuple]:
    """Each financial year (held in the database, up to the current one) of an active agreement with no commitment."""
    years = set(FinancialYear.objects.values_list("start_year", flat=True))
    committed = set(Commitment.objects.values_list("agreement_id", "year__start_year"))
    missing = []
    for pk, reference, starts_on, ends_on in Agreement.objects.filter(status=Agreement.Status.ACTIVE).values_list(
        "pk", "reference", "starts_on", "ends_on"
    ):
        for year in range(fy_start(starts_on), min(fy_start(ends_on), current_start_year) + 1):
            if year in years and (pk, year) not in committed:
                missing.append((reference, year))
    return missing


def payments_out_of_year_or_before_the_agreement() -> list[tuple]:
    """Payments out dated outside their commitment's financial year or before the agreement starts; money back
    dated before either."""
    wrong = []
    rows = Payment.objects.values_list(
        "reference", "amount", "paid_on", "commitment__year__start_year", "commitment__agreement__starts_on"
    )
    for reference, amount, paid_on, year, starts_on in rows:
        begins, ends = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
        if paid_on < starts_on or paid_on < begins or (amount > 0 and paid_on > ends):
            wrong.append((reference, paid_on, year, starts_on))
    return wrong


def grant_payments_due_before_their_decision() -> list[tuple]:
    return list(
        ScheduledPayment.objects.filter(
            commitment__agreement__kind=Agreement.Kind.GRANT,
            commitment__agreement__decision__isnull=False,
            due_on__lt=F("commitment__agreement__decision__decided_on"),
        ).values_list("commitment__agreement__reference", "due_on", "commitment__agreement__decision__decided_on")
    )


def commitments_approved_by_their_planner() -> list[tuple]:
    """Separation of duties: whoever planned a commitment did not approve it, unless the approval was made under
    the PCC's recorded decision (a grant award accepted, a one-off grant decided, a contract awarded after a tender),
    as funds.services.commitment_approve allows."""
    return list(
        Commitment.objects.filter(approved_by__isnull=False, approved_by=F("created_by"))
        .filter(agreement__decision__isnull=True)
        .values_list("pk", "agreement__reference")
    )


def signed_versions_without_four_signatures() -> list[tuple]:
    wrong = []
    for version in StrategyVersion.objects.filter(status=SignOffStatus.SIGNED).prefetch_related("signatures"):
        roles = {s.role for s in version.signatures.all()}
        if roles != SIGNATORIES:
            wrong.append((version.document_id, version.number, sorted(roles)))
    return wrong


def versions_waiting_for_the_pcc() -> list[StrategyVersion]:
    return [
        v
        for v in StrategyVersion.objects.filter(status=SignOffStatus.AWAITING).prefetch_related("signatures")
        if {s.role for s in v.signatures.all()} == SIGNATORIES - {"pcc"}
    ]
