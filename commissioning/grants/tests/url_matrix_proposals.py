"""Role × URL expectations for one-off proposals and the Local Innovation Fund (contract in
commissioning/testing/matrix.py).

The approaches come from the applicant's organisation, so its applicant may complete the invited one's Proposal
Form; a partner or provider of another organisation cannot see it (404). Pages a person may not use are 403.
"""

import datetime as dt
from decimal import Decimal

from commissioning.accounts.roles import OPCC_STAFF
from commissioning.grants.tests.factories import (
    ApproachFactory,
    InnovationCandidateFactory,
    InnovationWeightsFactory,
    PrioritisationEntryFactory,
    PrioritisationFactory,
    ProposalAssessmentFactory,
    ProposalFormFactory,
)
from commissioning.testing.matrix import UrlCase, expect, roles

STAFF = sorted(r.value for r in OPCC_STAFF)
READERS = expect(403, **roles(*STAFF, "auditor", status=200))
STAFF_ONLY = expect(403, **roles(*STAFF, status=200))
COMMISSIONING_MANAGER = expect(403, commissioning_manager=200)
PCC = expect(403, pcc=200)
OFFICERS = expect(403, commissioning_manager=200, policy_officer=200)
APPROVERS = expect(403, cfo=200, pcc=200)
# Staff complete the form on the organisation's behalf; the organisation's own applicant may too; auditors see the
# approach but may not; people of other organisations and others do not see it.
COMPLETE_PROPOSAL = expect(404, **roles(*STAFF, "applicant", status=200), auditor=403)


def setup(world):
    users = world.users
    organisation = users["applicant"].organisation
    cm = users["commissioning_manager"]
    world.proposals_new = ApproachFactory(
        organisation=organisation, reference="APP-2030-0001", logged_by=users["policy_officer"]
    )
    world.proposals_invited = ApproachFactory(
        organisation=organisation,
        reference="APP-2030-0002",
        status="invited",
        triage_note="Cover the costs and outcomes",
        triaged_by=cm,
        logged_by=cm,
    )
    received = ProposalFormFactory(
        approach__organisation=organisation, approach__reference="APP-2030-0003", approach__logged_by=cm
    )
    world.proposals_received = received.approach
    assessed = ProposalAssessmentFactory(
        proposal__approach__organisation=organisation,
        proposal__approach__reference="APP-2030-0004",
        proposal__approach__logged_by=cm,
        proposal__submitted_by=users["applicant"],
        assessed_by=cm,
        fund__code="proposals-matrix-fund",
    )
    world.proposals_assessed = assessed.proposal.approach

    weights = InnovationWeightsFactory(effective_from=dt.date(2020, 4, 1))
    prioritisation = PrioritisationFactory(
        fund__code="proposals-matrix-innovation-fund",
        year__start_year=2034,
        weights=weights,
        prepared_by=users["policy_officer"],
    )
    world.innovation_prioritisation = prioritisation
    world.innovation_entry = PrioritisationEntryFactory(prioritisation=prioritisation, rank=1, allowance=Decimal("0"))
    world.innovation_candidate = InnovationCandidateFactory(year=prioritisation.year, scored_by=users["policy_officer"])


def _pk(attribute):
    return lambda world: {"pk": getattr(world, attribute).pk}


CASES = [
    UrlCase("grants:approach_list", READERS),
    UrlCase("grants:approach_list", READERS, query="status=new"),
    UrlCase("grants:approach_log", STAFF_ONLY),
    UrlCase("grants:approach_detail", READERS, kwargs=_pk("proposals_new")),
    UrlCase("grants:approach_detail", READERS, kwargs=_pk("proposals_assessed")),
    UrlCase("grants:approach_triage", COMMISSIONING_MANAGER, kwargs=_pk("proposals_new")),
    UrlCase("grants:proposal_form", COMPLETE_PROPOSAL, kwargs=_pk("proposals_invited")),
    UrlCase("grants:proposal_assess", COMMISSIONING_MANAGER, kwargs=_pk("proposals_received")),
    UrlCase("grants:proposal_decide", PCC, kwargs=_pk("proposals_assessed")),
    UrlCase("grants:prioritisation_list", READERS),
    UrlCase("grants:prioritisation_create", OFFICERS),
    UrlCase("grants:prioritisation_detail", READERS, kwargs=_pk("innovation_prioritisation")),
    UrlCase(
        "grants:prioritisation_override",
        OFFICERS,
        kwargs=lambda world: {"pk": world.innovation_prioritisation.pk, "entry_pk": world.innovation_entry.pk},
    ),
    UrlCase("grants:prioritisation_recalculate", OFFICERS, kwargs=_pk("innovation_prioritisation")),
    UrlCase("grants:prioritisation_approve", APPROVERS, kwargs=_pk("innovation_prioritisation")),
    UrlCase("grants:candidate_list", READERS),
    UrlCase("grants:candidate_list", READERS, query="year=1"),
    UrlCase("grants:candidate_create", OFFICERS),
    UrlCase("grants:candidate_edit", OFFICERS, kwargs=_pk("innovation_candidate")),
    UrlCase("grants:innovation_weights", READERS),
]
