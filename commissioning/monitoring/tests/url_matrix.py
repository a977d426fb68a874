"""Role × URL expectations for monitoring (contract in commissioning/testing/matrix.py).

world.monitored_service is delivered by the provider's organisation and co-funded by the partner's;
world.unmonitored_service by neither. A record a person may not see is a 404; a page they may see but not use
is a 403. Police and Crime Panel members read the register but not providers' returns.
"""

import datetime as dt

from commissioning.accounts.roles import OPCC_STAFF
from commissioning.agreements.tests.factories import CoFunderFactory
from commissioning.monitoring.models import ReturnStatus
from commissioning.monitoring.tests import url_matrix_reviews
from commissioning.monitoring.tests.factories import (
    GenderDefinitionFactory,
    KpiReturnFactory,
    ServiceFactory,
    ServiceKpiFactory,
    story_records,
)
from commissioning.testing.matrix import UrlCase, expect, roles

STAFF = sorted(r.value for r in OPCC_STAFF)
EVERY_RETURN = [*STAFF, "auditor"]
OWN_RETURN_READERS = [*EVERY_RETURN, "provider", "partner"]
OFFICERS = ("commissioning_manager", "policy_officer")


def _change(readers, doers):
    return expect(404, **{**roles(*readers, status=403), **roles(*doers, status=200)})


OWN = expect(404, **roles(*OWN_RETURN_READERS, status=200))
OTHER = expect(404, **roles(*EVERY_RETURN, status=200))
MANAGE = _change(OWN_RETURN_READERS, OFFICERS)
LIST = expect(403, **roles(*OWN_RETURN_READERS, status=200))
OVERDUE = expect(403, **roles(*EVERY_RETURN, status=200))
SUBMIT = _change(OWN_RETURN_READERS, ("provider",))
DECIDE = _change(OWN_RETURN_READERS, OFFICERS)
PROVIDERS_ONLY = expect(403, provider=200)  # a provider's API tokens: its own people manage them


def setup(world):
    users = world.users
    world.monitored_service = ServiceFactory(
        name="Matrix Monitored Service", provider=users["provider"].organisation, starts_on=dt.date(2025, 4, 1)
    )
    CoFunderFactory(service=world.monitored_service, organisation=users["partner"].organisation)
    world.unmonitored_service = ServiceFactory(name="Matrix Service Nobody Outside Monitors")
    world.monitored_kpi = ServiceKpiFactory(
        service=world.monitored_service, definition=GenderDefinitionFactory(), name="", kind=""
    )
    world.due_return = KpiReturnFactory(
        service=world.monitored_service,
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2025, 6, 30),
        due_on=dt.date(2025, 7, 28),
    )
    world.submitted_return = KpiReturnFactory(service=world.monitored_service, status=ReturnStatus.SUBMITTED)
    from commissioning.monitoring.api_tokens import token_create

    world.api_token, _secret = token_create(actor=users["provider"], name="Matrix case management system")
    url_matrix_reviews.setup(world)  # strategic reviews, exits and large contracts
    story_records(world.submitted_return, author=users["provider"], officer=users["commissioning_manager"])


def _service(world):
    return {"pk": world.monitored_service.pk}


CASES = [
    UrlCase("monitoring:service_monitoring", OWN, kwargs=_service),
    UrlCase("monitoring:service_monitoring", OTHER, kwargs=lambda world: {"pk": world.unmonitored_service.pk}),
    UrlCase("monitoring:service_performance", OWN, kwargs=_service),
    UrlCase("monitoring:kpis_attach", MANAGE, kwargs=_service),
    UrlCase("monitoring:kpi_add", MANAGE, kwargs=_service),
    UrlCase("monitoring:schedule_edit", MANAGE, kwargs=_service),
    UrlCase("monitoring:kpi_edit", MANAGE, kwargs=lambda world: {"pk": world.monitored_kpi.pk}),
    UrlCase("monitoring:return_list", LIST),
    UrlCase("monitoring:return_list", LIST, query="status=overdue"),
    UrlCase("monitoring:overdue_list", OVERDUE),
    UrlCase("monitoring:return_detail", OWN, kwargs=lambda world: {"pk": world.due_return.pk}),
    UrlCase("monitoring:return_detail", OWN, kwargs=lambda world: {"pk": world.submitted_return.pk}),
    UrlCase("monitoring:return_submit", SUBMIT, kwargs=lambda world: {"pk": world.due_return.pk}),
    UrlCase("monitoring:return_template", OWN, kwargs=lambda world: {"pk": world.due_return.pk, "extension": "xlsx"}),
    UrlCase("monitoring:return_template", OWN, kwargs=lambda world: {"pk": world.due_return.pk, "extension": "csv"}),
    UrlCase("monitoring:return_upload", SUBMIT, kwargs=lambda world: {"pk": world.due_return.pk}),
    UrlCase("monitoring:return_decide", DECIDE, kwargs=lambda world: {"pk": world.submitted_return.pk}),
    UrlCase("monitoring:case_upload", SUBMIT, kwargs=lambda world: {"pk": world.due_return.pk}),
    UrlCase("monitoring:case_template", OWN, kwargs=lambda world: {"pk": world.due_return.pk}),
    UrlCase("monitoring:api_token_list", PROVIDERS_ONLY),
    UrlCase("monitoring:api_token_create", PROVIDERS_ONLY),
    UrlCase("monitoring:api_token_revoke", PROVIDERS_ONLY, kwargs=lambda world: {"pk": world.api_token.pk}),
    UrlCase("monitoring:narrative_edit", SUBMIT, kwargs=lambda world: {"pk": world.due_return.pk}),
    UrlCase("monitoring:narrative_edit", SUBMIT, kwargs=lambda world: {"pk": world.submitted_return.pk}),
    UrlCase("monitoring:case_study_add", SUBMIT, kwargs=lambda world: {"pk": world.due_return.pk}),
    UrlCase("monitoring:feedback_add", MANAGE, kwargs=_service),
]
CASES += url_matrix_reviews.CASES
