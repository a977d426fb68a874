"""The profile's procurement configuration: structured standing-order tiers, the dates each procurement law applies
from, and who approves each step of a commissioning case (issue 10, point 4)."""

import datetime as dt

from commissioning.core.models import ProcurementRegimeStart, procurement_regime_on
from commissioning.procurement.models import ApprovalRole, StandingOrderTier
from commissioning.procurement.selectors import approval_role_for
from commissioning.profiles.loader import profile_load
from commissioning.profiles.tests.test_profiles import DORSET, bad_copy, problems_of


def test_the_dorset_profile_loads_structured_tiers_regimes_and_approvers(db):
    profile_load(path_or_name=DORSET)
    tender = StandingOrderTier.objects.get(name="Tender")
    assert (tender.tender_required, tender.quotes_required, tender.procedures) == (
        True,
        3,
        ["open", "competitive_flexible"],
    )
    quotes = StandingOrderTier.objects.get(name="Three written quotes")
    assert (quotes.tender_required, quotes.quotes_required, quotes.procedures) == (False, 3, [])
    assert ProcurementRegimeStart.objects.count() == 2
    assert procurement_regime_on(dt.date(2025, 2, 23)).regime == "pcr_2015"
    assert procurement_regime_on(dt.date(2025, 2, 24)).regime == "pa_2023"
    assert approval_role_for("exemption", dt.date(2026, 12, 4)) == "cfo"
    assert approval_role_for("proceed", dt.date(2026, 12, 4)) == "pcc"
    assert ApprovalRole.objects.count() == 3
    # Loading again changes nothing.
    summary = profile_load(path_or_name=DORSET)
    assert summary.counts["procurement regime starts"].get("created", 0) == 0


def test_a_tender_tier_must_list_its_procedures(db, tmp_path):
    path = bad_copy(tmp_path, ("    procedures: [open, competitive_flexible]\n", ""))
    problems = "\n".join(problems_of(path))
    assert "a tier that needs a tender must list its procedures" in problems


def test_the_structured_route_is_required(db, tmp_path):
    path = bad_copy(tmp_path, ("    quotes_required: 2\n", ""))
    problems = "\n".join(problems_of(path))
    assert "the required key 'quotes_required' is missing" in problems
