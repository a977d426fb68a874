"""The profile's monitoring configuration: breakdowns name their "not known" category and say whether they add
up; settings.kpi_rag sets the RAG rule (10% from April 2017 when the profile does not say)."""

import datetime as dt

from commissioning.monitoring.models import KpiDefinition, RagRule
from commissioning.profiles.loader import profile_load
from commissioning.profiles.tests.test_profiles import bad_copy, problems_of


def test_dorset_breakdowns_name_not_known_and_say_whether_they_add_up(db):
    profile_load(path_or_name="dorset")
    for definition in KpiDefinition.objects.filter(kind="breakdown"):
        assert definition.not_known in definition.breakdown, definition.code
        definition.full_clean()
    assert KpiDefinition.objects.get(code="gender").not_known == "Not known or prefer not to say"
    assert not KpiDefinition.objects.get(code="intervention-type").adds_up
    assert KpiDefinition.objects.get(code="ethnicity").adds_up
    assert list(RagRule.objects.values_list("effective_from", "amber_margin_percent")) == [(dt.date(2017, 4, 1), 10)]


def test_a_breakdown_without_its_not_known_category_is_named(db, tmp_path):
    path = bad_copy(tmp_path, ("    not_known: Not known or prefer not to say\n", "    not_known: Unknown\n"))
    [problem] = problems_of(path)
    assert "kpi_definitions[2].not_known (in code: gender): a breakdown KPI names its 'not known' category" in (problem)


def test_a_code_for_a_category_the_breakdown_does_not_have_is_named(db, tmp_path):
    path = bad_copy(tmp_path, ("      W2: Irish\n", "      W2: Irish Traveller\n"))
    [problem] = problems_of(path)
    assert "kpi_definitions[5].codes.W2 (in code: ethnicity): 'Irish Traveller' is not one of the KPI's categories" in (
        problem
    )


def test_without_a_rag_rule_the_default_is_set_once(db, tmp_path):
    profile_load(path_or_name="example")
    assert list(RagRule.objects.values_list("amber_margin_percent", flat=True)) == [10]
    RagRule.objects.update(amber_margin_percent=15)
    profile_load(path_or_name="example")
    assert list(RagRule.objects.values_list("amber_margin_percent", flat=True)) == [15]
