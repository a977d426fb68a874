"""OPCC profiles: Dorset and the example load, loading is idempotent, and a bad profile changes nothing."""

import datetime as dt
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

from commissioning.accounts.models import User
from commissioning.core.models import OpccSettings
from commissioning.funds.models import Fund, FundSplit
from commissioning.monitoring.models import KpiDefinition
from commissioning.organisations.models import Organisation, PartnershipBoard
from commissioning.procurement.models import ProcurementThreshold, StandingOrderTier
from commissioning.profiles.loader import SYSTEM_USER_EMAIL, profile_load, profile_read
from commissioning.profiles.validation import ProfileError
from commissioning.strategy.models import (
    CommissioningObjective,
    PanelArea,
    Pillar,
    PoliceCrimePlan,
    Priority,
    StrategyDocument,
    StrategyVersion,
)

DORSET = settings.PROFILES_DIR / "dorset" / "profile.yaml"
APPS = ["core", "accounts", "organisations", "strategy", "funds", "procurement", "monitoring"]


def row_counts() -> dict[str, int]:
    """Rows in every table of the apps a profile touches, history tables included."""
    return {
        model._meta.label: model.objects.count() for label in APPS for model in apps.get_app_config(label).get_models()
    }


def bad_copy(tmp_path, *replacements: tuple[str, str], name="profile.yaml"):
    """A copy of the Dorset profile with each (old, new) text replaced exactly once."""
    text = DORSET.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, f"the test's anchor text is not unique: {old!r}"
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        profile_load(path_or_name=path)
    return caught.value.problems


# --- the Dorset profile -----------------------------------------------------------------------------------


def test_dorset_loads_with_the_seed_configuration(db):
    summary = profile_load(path_or_name="dorset")
    assert summary.total("created") > 90 and summary.total("updated") == 0

    opcc = OpccSettings.objects.get()
    assert opcc.opcc_name == "Office of the Police and Crime Commissioner for Dorset"
    assert (opcc.profile, opcc.grants_prefix, opcc.ocds_prefix) == (
        "dorset",
        "360G-dorsetopcc",
        "ocds-dorset0",
    )
    assert Organisation.objects.get(kind="opcc").name == opcc.opcc_name

    plan = PoliceCrimePlan.objects.get(is_current=True)
    assert list(Pillar.objects.filter(plan=plan).values_list("title", flat=True)) == [
        "Protecting People at Risk of Harm",
        "Working With Our Communities",
        "Supporting Victims, Witnesses and Reducing Reoffending",
        "Transforming for the Future",
    ]
    codes = list(Priority.objects.filter(pillar__plan=plan).values_list("code", flat=True))
    assert codes == [f"{p}.{n}" for p in range(1, 5) for n in range(1, 4)]
    assert Priority.objects.get(code="3.3").title == "Restorative justice"
    assert CommissioningObjective.objects.count() == 6
    assert CommissioningObjective.objects.get(number=6).title == "Transparency"
    assert list(PanelArea.objects.values_list("name", flat=True)) == [
        "Sexual Violence",
        "Domestic Violence",
        "Restorative Justice",
        "Prevention Activities",
        "Offender Management",
        "Drugs and Alcohol",
        "Mental Health",
    ]

    document = StrategyDocument.objects.get(title="Commissioning Strategy 2017–2021")
    assert document.review_interval_months == 12 and document.plan == plan
    version = document.versions.get()
    assert (version.number, version.status) == (1, "signed")
    assert version.in_force_from.date() == dt.date(2017, 3, 31)  # midnight 1 April 2017 in London, in UTC
    assert version.review_due_on == dt.date(2018, 4, 1)
    assert "Martyn" not in version.body and "Section" not in version.summary
    system = User.objects.get(email=SYSTEM_USER_EMAIL)
    assert version.prepared_by == system and not system.is_active and not system.has_usable_password()

    partners = Organisation.objects.filter(kind="statutory")
    assert partners.count() == 9
    police = partners.get(code="dorset-police")
    assert police.areas_of_interest.count() == 11
    assert set(partners.get(code="nhs-england").areas_of_interest.values_list("name", flat=True)) == {
        "Healthcare",
        "Sexual Violence",
        "Mental Health",
    }
    assert partners.get(code="nhs-dorset-icb").areas_of_interest.filter(name="Mental Health").exists()
    assert not partners.get(code="ddc-crc").is_active
    board = PartnershipBoard.objects.get(name="Dorset Criminal Justice Board")
    assert police in board.members.all() and board.priorities.filter(code="3.1").exists()

    csa = Fund.objects.get(code="victims-csa")
    assert csa.is_ring_fenced and csa.ring_fence_purpose and csa.parent.code == "victims-fund"
    assert csa.parent.parent.code == "safer-dorset-fund"
    assert Fund.objects.get(code="police-property-act-fund").parent.code == "safer-dorset-fund"
    split = {s.child.code: s.percentage for s in FundSplit.objects.filter(parent__code="victims-fund")}
    assert split == {"core-victims-fund": Decimal("93.00"), "victims-csa": Decimal("7.00")}

    assert ProcurementThreshold.objects.get(
        regime="pa_2023", category="sub_central_goods_services", effective_from=dt.date(2026, 1, 1)
    ).amount == Decimal("207720.00")
    assert ProcurementThreshold.objects.get(
        regime="pcr_2015", category="light_touch", effective_from=dt.date(2024, 1, 1)
    ).amount == Decimal("663540.00")
    assert StandingOrderTier.objects.filter(effective_from=dt.date(2017, 4, 1)).count() == 5

    minimum = KpiDefinition.objects.filter(is_minimum_dataset=True)
    assert minimum.count() == 11
    ethnicity = minimum.get(code="ethnicity")
    assert [group["heading"] for group in ethnicity.groups] == [
        "Asian, Asian British or Asian Welsh",
        "Black, Black British, Black Welsh, Caribbean or African",
        "Mixed or Multiple ethnic groups",
        "White",
        "Other ethnic group",
    ]
    assert len(ethnicity.breakdown) == 19 + 1 and ethnicity.breakdown[-1] == ethnicity.not_known == "Not stated"
    assert minimum.get(code="crime-type").applies_when == "if applicable"
    assert summary.settings["panel_suppression_threshold"] == 5
    scheme_settings = summary.settings["community_grant_scheme"]
    assert (scheme_settings["min_award"], scheme_settings["max_award"]) == (100, 3000)


def test_loading_twice_creates_nothing_new(db):
    first = profile_load(path_or_name="dorset")
    before = row_counts()
    second = profile_load(path_or_name="dorset")
    assert row_counts() == before  # history tables included: nothing was re-saved
    assert (second.total("created"), second.total("updated")) == (0, 0)
    assert second.total("unchanged") == first.total("created")
    assert f"0 created, {first.total('created')} unchanged, 0 updated" in str(second)


def test_load_profile_command_prints_a_one_line_summary(db):
    out = StringIO()
    call_command("load_profile", "dorset", stdout=out)
    call_command("load_profile", str(DORSET), stdout=out)
    first, second = out.getvalue().strip().splitlines()
    assert re.fullmatch(
        r"Loaded profile 'dorset' from profiles/dorset/profile\.yaml: \d+ created, 0 unchanged, "
        r"0 updated\.",
        first,
    )
    assert re.search(r": 0 created, \d+ unchanged, 0 updated\.$", second)


def test_a_changed_profile_updates_only_what_changed(db, tmp_path):
    profile_load(path_or_name="dorset")
    path = bad_copy(tmp_path, ("name: Other Grant Funding", "name: Other grant funding (bids)"))
    summary = profile_load(path_or_name=path)
    assert (summary.total("created"), summary.total("updated")) == (0, 1)
    assert Fund.objects.get(code="other-grant-funding").name == "Other grant funding (bids)"
    history = Fund.objects.get(code="other-grant-funding").history.first()
    assert history.history_change_reason == "Loaded from profile dorset"


def test_a_later_strategy_version_is_left_alone(db):
    profile_load(path_or_name="dorset")
    version = StrategyVersion.objects.get()
    version.body = "Edited in the service"
    version.save()
    profile_load(path_or_name="dorset")
    assert StrategyVersion.objects.get().body == "Edited in the service"


def test_the_example_profile_loads_its_own_configuration(db):
    summary = profile_load(path_or_name="example")
    assert summary.profile == "example" and summary.total("created") > 0
    assert OpccSettings.objects.get().short_name == "Exampleshire OPCC"
    assert Priority.objects.filter(code="SV1").exists()
    assert StrategyVersion.objects.get().status == "draft"
    assert FundSplit.objects.filter(parent__code="exampleshire-victims-fund").count() == 2
    assert profile_load(path_or_name="example").total("created") == 0


def test_a_second_profile_takes_over_as_the_current_plan(db):
    profile_load(path_or_name="dorset")
    profile_load(path_or_name="example")
    assert PoliceCrimePlan.objects.get(is_current=True).title.startswith("Exampleshire")
    assert Organisation.objects.filter(kind="opcc").count() == 1


# --- bad profiles ---------------------------------------------------------------------------------------


def test_a_bad_profile_lists_every_problem_and_changes_nothing(db, tmp_path):
    profile_load(path_or_name="dorset")
    before = row_counts()
    path = bad_copy(
        tmp_path,
        # would be an update if anything were written
        ("  short_name: Dorset OPCC\n", "  short_name: Dorset OPCC (changed)\n"),
        # unknown priority code
        ('priorities: ["3.1", "3.2", "3.3"]', 'priorities: ["3.1", "3.2", "9.9"]'),
        # splits summing to 99
        ("percentage: 7.00", "percentage: 6.00"),
        # missing required key
        ("    route: Three written quotes\n", ""),
        # duplicate partner code
        ("  - code: nhs-england\n", "  - code: dorset-police\n"),
    )
    problems = problems_of(path)
    assert len(problems) == 4, problems
    text = "\n".join(problems)
    assert all(p.startswith(f"{path}, line ") for p in problems)
    assert (
        "partnership_boards[1].priorities[2] (in name: Dorset Criminal Justice Board): unknown priority "
        "code '9.9'" in text
    )
    assert (
        "fund_splits[0].shares (in parent: victims-fund, effective_from: 2017-04-01): the shares of "
        "'victims-fund' from 2017-04-01 add up to 99.00%, not 100%" in text
    )
    assert "standing_order_tiers[2] (name: Three written quotes): the required key 'route' is missing" in text
    assert (
        "partners[3] (code: dorset-police): duplicate partner code 'dorset-police' (already used by "
        "partners[0])" in text
    )
    assert row_counts() == before
    assert OpccSettings.objects.get().short_name == "Dorset OPCC"


def test_an_empty_database_stays_empty_after_a_bad_profile(db, tmp_path):
    before = row_counts()
    problems_of(bad_copy(tmp_path, ("percentage: 93.00", "percentage: 92.00")))
    assert row_counts() == before


def test_a_yaml_syntax_error_reports_its_line(db, tmp_path):
    path = bad_copy(tmp_path, ("  - code: bcp-council\n    name: BCP Council", "  - code: bcp-council\n   name: BCP"))
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text == "   name: BCP")
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}, line {line}: YAML syntax error")


@pytest.mark.parametrize(
    "replacements, expected",
    [
        (
            [("    ring_fence_purpose: Services supporting victims of child sexual abuse only.\n", "")],
            "funds[6] (code: victims-csa): a ring-fenced fund needs a ring_fence_purpose",
        ),
        (
            [
                (
                    "    parent: victims-fund\n    purpose: Commissioning services for victims of all crime.",
                    "    parent: victim-fund\n    purpose: Commissioning services for victims of all crime.",
                )
            ],
            "funds[5].parent (in code: core-victims-fund): the parent fund 'victim-fund' is not defined",
        ),
        (
            [("  starts_on: 2017-04-01", "  starts_on: 2017-02-30")],
            "police_crime_plan.starts_on: '2017-02-30' is not a real date; write dates as YYYY-MM-DD",
        ),
        (
            [("    max_value: 20000\n", "    max_value: 25000\n")],
            "standing_order_tiers[3].min_value (in name: Three quotes by e-tendering): overlaps "
            "standing_order_tiers[2] (name: Three written quotes), which runs from £3,000 up to £25,000",
        ),
        (
            [("    max_value: 20000\n", "    max_value: 15000\n")],
            "leaves a gap from £15,000 to £20,000 after standing_order_tiers[2]",
        ),
        (
            [('        - code: "1.3"', "        - code: 1.3")],
            "police_crime_plan.pillars[0].priorities[2].code (in code: 1.3): must be text, not a number "
            '(put it in quotes: "1.3")',
        ),
        (
            [('        - code: "2.1"', '        - code: "1.1"')],
            "duplicate priority code '1.1'",
        ),
        (
            [("fund_splits:", "fund_split:")],
            "unknown key 'fund_split' (did you mean 'fund_splits'?)",
        ),
        (
            [("  area_name: Dorset\n", "  area_name: Dorset\n  area_name: Dorset\n")],
            "the key 'area_name' appears twice",
        ),
        (
            [("    percentage: 93.00", "    percentage: 93.005")],
            "93.005 has more than two decimal places",
        ),
        (
            [
                (
                    "{regime: pa_2023, category: works, amount: 5193000,",
                    "{regime: pa_2023, category: work, amount: 5193000,",
                )
            ],
            "'work' is not one of: sub_central_goods_services, light_touch, works, below_threshold_publication",
        ),
        (
            [
                (
                    "    members: [dorset-police, national-probation-service, dorset-yos]",
                    "    members: [dorset-police, probation, dorset-yos]",
                )
            ],
            "partnership_boards[1].members[1] (in name: Dorset Criminal Justice Board): 'probation' is not "
            "the code of a partner",
        ),
    ],
)
def test_each_kind_of_problem_is_named_with_its_entry(db, tmp_path, replacements, expected):
    problems = problems_of(bad_copy(tmp_path, *replacements))
    assert any(expected in p for p in problems), problems


def test_the_command_exits_with_the_problem_list(db, tmp_path):
    path = bad_copy(tmp_path, ("percentage: 7.00", "percentage: 6.00"))
    with pytest.raises(CommandError) as caught:
        call_command("load_profile", str(path))
    message = str(caught.value)
    assert "1 problem found, nothing was changed" in message and "add up to 99.00%" in message


def test_an_unknown_profile_name_lists_the_known_ones(db):
    with pytest.raises(ProfileError) as caught:
        profile_read(path_or_name="atlantis")
    assert "no such profile file" in str(caught.value) and "dorset" in str(caught.value)


# --- the Community Grant Scheme and Local Innovation Fund weights (issue 5) -------------------------------------

GRANT_MODELS = ["GrantScheme", "TermsVersion", "InnovationWeights"]


def grant_row_counts() -> dict[str, int]:
    """Rows of the grant configuration a profile loads, history tables included."""
    models = [apps.get_model("grants", name) for name in GRANT_MODELS]
    return {m._meta.label: m.objects.count() for m in models} | {
        f"{m._meta.label} history": m.history.count() for m in models
    }


def test_dorset_creates_the_community_grant_scheme_with_its_first_terms(db):
    from commissioning.grants.models import GrantScheme, InnovationWeights

    profile_load(path_or_name="dorset")
    scheme = GrantScheme.objects.get(code="community-grant-scheme")
    assert scheme.name == "Community Grant Scheme"
    assert (scheme.min_award, scheme.max_award) == (Decimal("100.00"), Decimal("3000.00"))
    assert scheme.fund.code == "police-property-act-fund"
    assert scheme.top_up_fund.name == "Safer Dorset Fund"
    assert "Dorset" in scheme.who_can_apply and scheme.is_active
    terms = scheme.terms_versions.get()
    assert (terms.version, terms.effective_from) == ("1", dt.date(2017, 4, 1))
    assert "must be repaid" in terms.text
    weights = InnovationWeights.objects.get()
    assert weights.effective_from == dt.date(2017, 4, 1)
    assert weights.likelihood_weight == weights.priority_weight == weights.need_weight > 0
    assert scheme.history.first().history_change_reason == "Loaded from profile dorset"


def test_loading_the_grant_configuration_twice_changes_nothing(db):
    profile_load(path_or_name="dorset")
    before = grant_row_counts()
    summary = profile_load(path_or_name="dorset")
    assert grant_row_counts() == before
    for label in ("grant schemes", "terms versions", "innovation weights"):
        assert summary.counts[label]["unchanged"] == 1, label


def test_changed_limits_update_the_scheme(db, tmp_path):
    from commissioning.grants.models import GrantScheme

    profile_load(path_or_name="dorset")
    summary = profile_load(path_or_name=bad_copy(tmp_path, ("    max_award: 3000\n", "    max_award: 5000\n")))
    assert summary.counts["grant schemes"]["updated"] == 1
    assert GrantScheme.objects.get(code="community-grant-scheme").max_award == Decimal("5000.00")


def test_terms_used_by_a_round_are_never_rewritten(db, tmp_path):
    from commissioning.grants.models import TermsVersion
    from commissioning.grants.tests.factories import GrantRoundFactory

    profile_load(path_or_name="dorset")
    terms = TermsVersion.objects.get()
    GrantRoundFactory(scheme=terms.scheme, terms=terms, fund=terms.scheme.fund)
    path = bad_copy(tmp_path, ("        4. The organisation must have", "        4. The group must have"))
    problems = problems_of(path)
    assert any("terms version 1 is used by grant rounds and cannot change" in p for p in problems), problems
    # A new version is added alongside the one in use.
    path = bad_copy(
        tmp_path,
        ("        4. The organisation must have", "        4. The group must have"),
        ('      version: "1"\n', '      version: "2"\n'),
        name="second.yaml",
    )
    profile_load(path_or_name=path)
    assert sorted(TermsVersion.objects.values_list("version", flat=True)) == ["1", "2"]


def test_the_example_profile_has_its_own_scheme_and_weights(db):
    from commissioning.grants.models import GrantScheme, InnovationWeights

    profile_load(path_or_name="example")
    scheme = GrantScheme.objects.get(code="community-grant-scheme")
    assert (scheme.name, scheme.max_award, scheme.top_up_fund) == (
        "Exampleshire Community Fund",
        Decimal("5000.00"),
        None,
    )
    assert InnovationWeights.objects.get().likelihood_weight == Decimal("40.00")


def test_without_weights_in_the_profile_equal_weights_from_april_2017_are_set_once(db, tmp_path):
    from commissioning.grants.models import InnovationWeights

    text = DORSET.read_text(encoding="utf-8")
    start = text.index("  # Local Innovation Fund: the weights")
    end = text.index("    need_weight: 1\n", start) + len("    need_weight: 1\n")
    path = tmp_path / "profile.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    profile_load(path_or_name=path)
    weights = InnovationWeights.objects.get()
    assert weights.effective_from == dt.date(2017, 4, 1)
    assert weights.likelihood_weight == weights.priority_weight == weights.need_weight
    assert profile_load(path_or_name=path).total("created") == 0


@pytest.mark.parametrize(
    "replacements, expected",
    [
        (
            [("    fund: police-property-act-fund\n", "    fund: police-property-fund\n")],
            "settings.community_grant_scheme.fund: 'police-property-fund' is not the code of a fund in this profile",
        ),
        (
            [("    top_up_fund: safer-dorset-fund\n", "    top_up_fund: police-property-act-fund\n")],
            "the top-up fund must be a different fund from the one awards are paid from",
        ),
        (
            [("    min_award: 100\n", "    min_award: 100.001\n")],
            "100.001 has more than two decimal places",
        ),
        (
            [('      version: "1"\n', "")],
            "settings.community_grant_scheme.terms: the required key 'version' is missing",
        ),
        (
            [
                (
                    "    likelihood_weight: 1\n    priority_weight: 1\n    need_weight: 1\n",
                    "    likelihood_weight: 0\n    priority_weight: 0\n    need_weight: 0\n",
                )
            ],
            "settings.local_innovation_fund_weights: at least one weight must be more than 0",
        ),
    ],
)
def test_a_bad_grant_scheme_is_named(db, tmp_path, replacements, expected):
    from commissioning.grants.models import GrantScheme

    problems = problems_of(bad_copy(tmp_path, *replacements))
    assert any(expected in p for p in problems), problems
    assert not GrantScheme.objects.exists()


# --- Carry-forward, declared per fund (issue 13 point 2) ----------------------------------------------------


def test_dorset_s_annual_victims_money_does_not_carry_forward(db):
    profile_load(path_or_name=DORSET)
    carries = dict(Fund.objects.values_list("code", "allows_carry_forward"))
    assert carries["victims-fund"] is False
    assert carries["core-victims-fund"] is False
    assert carries["victims-csa"] is False
    assert carries["safer-dorset-fund"] is True and carries["commissioners-safety-fund"] is True


def test_every_fund_says_whether_it_carries_forward(db, tmp_path):
    path = bad_copy(
        tmp_path,
        (
            "    funded_by: Government departments (competitive bids)\n    carries_forward: true\n",
            "    funded_by: Government departments (competitive bids)\n",
        ),
    )
    [problem] = problems_of(path)
    assert "funds[7] (code: other-grant-funding): the required key 'carries_forward' is missing" in problem
    assert not Fund.objects.exists()


def test_a_part_of_an_annual_fund_cannot_carry_forward(db, tmp_path):
    anchor = (
        "    ring_fence_purpose: Services supporting victims of child sexual abuse only.\n    carries_forward: false\n"
    )
    path = bad_copy(tmp_path, (anchor, anchor.replace("false", "true")))
    [problem] = problems_of(path)
    assert problem.endswith(
        "funds[6].carries_forward (in code: victims-csa): it is part of 'victims-fund', which does not carry "
        "forward; set carries_forward: false"
    )
    assert not Fund.objects.exists()


def test_priorities_name_the_panel_area_grant_made_services_report_under(db):
    from commissioning.strategy.models import Priority

    profile_load(path_or_name="dorset")
    areas = dict(Priority.objects.values_list("code", "panel_area__code"))
    assert areas["3.3"] == "restorative-justice" and areas["3.1"] == "domestic-violence"
