"""The KPI framework beyond the minimum dataset (issue 11, point 1): breakdowns that add up (or not) with their
"not known" category, 2021 Census ethnicity with police self-defined ethnicity codes both ways, and measures
funders require attached through their funding streams."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.funds.tests.factories import CommitmentFactory, FundFactory, FundingStreamFactory
from commissioning.monitoring import imports, services
from commissioning.monitoring.funder_kpis import category_for, funder_kpis_attach, heading_for, police_codes_for
from commissioning.monitoring.models import FunderKpi, KpiDefinition, ServiceKpi
from commissioning.monitoring.services import TOTAL, check_values
from commissioning.monitoring.tests.factories import (
    FunderKpiFactory,
    KpiDefinitionFactory,
    KpiReturnFactory,
    ServiceFactory,
)
from commissioning.profiles.loader import profile_load

ETHNICITY = {
    "groups": [
        {"heading": "Asian, Asian British or Asian Welsh", "categories": ["Chinese", "Indian"]},
        {"heading": "White", "categories": ["Irish", "Roma", "Other White"]},
    ],
    "codes": {"A4": "Chinese", "O1": "Chinese", "A1": "Indian", "W2": "Irish", "W9": "Other White", "NS": "Not stated"},
}


@pytest.fixture
def ethnicity(db):
    return KpiDefinitionFactory(
        code="ethnicity",
        name="Ethnicity",
        kind="breakdown",
        breakdown=["Chinese", "Indian", "Irish", "Roma", "Other White", "Not stated"],
        not_known="Not stated",
        order=6,
        **ETHNICITY,
    )


@pytest.fixture
def service(users):
    return ServiceFactory(name="Safe Steps", provider=users["provider"].organisation, starts_on=dt.date(2025, 4, 1))


# The profile's ethnicity ---------------------------------------------------------------------------------------


def test_the_profile_has_the_2021_census_groups_and_the_police_codes(db):
    profile_load(path_or_name="dorset")
    ethnicity = KpiDefinition.objects.get(code="ethnicity")
    ethnicity.full_clean()
    assert len(ethnicity.groups) == 5
    assert sum(len(group["categories"]) for group in ethnicity.groups) == 19
    assert ethnicity.breakdown[-1] == ethnicity.not_known == "Not stated"
    # 18 codes and NS, and the older O1 for Chinese.
    assert len(ethnicity.codes) == 20
    assert {"W1", "W2", "W3", "W9", "M1", "A1", "A4", "B1", "O2", "O9", "NS"} <= set(ethnicity.codes)
    assert category_for(ethnicity, "W1") == "English, Welsh, Scottish, Northern Irish or British"
    assert heading_for(ethnicity, "Roma") == "White"
    assert police_codes_for(ethnicity, "Roma") == []
    assert police_codes_for(ethnicity, "Chinese") == ["A4", "O1"]
    # Every census group but Roma has a police code.
    no_code = [c for c in ethnicity.breakdown if not police_codes_for(ethnicity, c)]
    assert no_code == ["Roma"]


# Categories by name or by code, both ways ----------------------------------------------------------------------


def test_a_category_is_read_by_its_name_or_its_code_and_codes_read_back(ethnicity):
    assert category_for(ethnicity, "chinese") == "Chinese"  # by name, any case
    assert category_for(ethnicity, "A4") == category_for(ethnicity, "o1") == "Chinese"  # by police code
    assert category_for(ethnicity, "NS") == category_for(ethnicity, "Unknown") == "Not stated"
    assert category_for(ethnicity, "Z9") is None
    for category in ethnicity.breakdown:  # police code -> census group -> police codes
        for code in police_codes_for(ethnicity, category):
            assert category_for(ethnicity, code) == category
    assert heading_for(ethnicity, "Irish") == "White" and heading_for(ethnicity, "Not stated") == ""


def test_codes_and_headings_must_name_the_categories(ethnicity):
    ethnicity.codes = {"W4": "Welsh Traveller"}
    ethnicity.groups = [{"heading": "White", "categories": ["Irish"]}, {"heading": "Other", "categories": ["Irish"]}]
    with pytest.raises(ValidationError) as error:
        ethnicity.full_clean()
    assert error.value.message_dict["codes"] == ["Each code must stand for one of the categories"]
    assert error.value.message_dict["groups"] == ["A category may be under one heading only"]


def _upload(rows):
    out = io.StringIO()
    csv.writer(out).writerows([["Period", "Measure code", "Measure", "Category", "Value"], *rows])
    return SimpleUploadedFile("return.csv", out.getvalue().encode(), content_type="text/csv")


def test_an_upload_may_use_census_names_or_police_codes(users, service, ethnicity):
    [kpi] = services.kpis_attach_minimum_dataset(actor=users["policy_officer"], service=service)
    kpi_return = KpiReturnFactory(service=service)
    period = kpi_return.period_code
    rows = [
        [period, "ethnicity", "Ethnicity", "Total", "20"],
        [period, "ethnicity", "Ethnicity", "A4", "3"],  # police code
        [period, "ethnicity", "Ethnicity", "Indian", "4"],  # census name
        [period, "ethnicity", "Ethnicity", "W2", "5"],
        [period, "ethnicity", "Ethnicity", "roma", "1"],
        [period, "ethnicity", "Ethnicity", "W9", "2"],
        [period, "ethnicity", "Ethnicity", "NS", "5"],
    ]
    version = imports.import_return(actor=users["provider"], kpi_return=kpi_return, upload=_upload(rows))
    saved = {value.category: value.value for value in version.values.all()}
    assert saved == {"": 20, "Chinese": 3, "Indian": 4, "Irish": 5, "Roma": 1, "Other White": 2, "Not stated": 5}


def test_two_codes_for_one_category_are_reported_by_row(users, service, ethnicity):
    services.kpis_attach_minimum_dataset(actor=users["policy_officer"], service=service)
    kpi_return = KpiReturnFactory(service=service)
    period = kpi_return.period_code
    rows = [[period, "ethnicity", "Ethnicity", "A4", "3"], [period, "ethnicity", "Ethnicity", "O1", "1"]]
    with pytest.raises(imports.ReturnFileProblems) as error:
        imports.import_return(actor=users["provider"], kpi_return=kpi_return, upload=_upload(rows))
    assert (3, "Category", "Ethnicity: O1 (Chinese) is already in row 2") in [
        (p.row, p.column, p.message) for p in error.value.problems
    ]


# Breakdowns that add up, and the not known category ------------------------------------------------------------


def _kpi(**fields):
    return ServiceKpi(pk=1, name="Sessions", kind="breakdown", unit="people", **fields)


def test_a_breakdown_that_must_add_up_names_the_not_known_category_when_it_does_not():
    kpi = _kpi(breakdown=["Bournemouth", "Poole", "Not known"], not_known="Not known", adds_up=True)
    values = {(1, TOTAL): 10, (1, "Bournemouth"): 4, (1, "Poole"): 4, (1, "Not known"): 0}
    [problem] = check_values([kpi], values)
    assert problem.category == TOTAL
    assert "add up to 8 but the total is 10" in problem.message and "‘Not known’" in problem.message
    values[(1, "Not known")] = 2
    assert check_values([kpi], values) == []


def test_a_breakdown_where_people_may_be_in_several_categories_need_not_add_up():
    kpi = _kpi(breakdown=["Advice", "Advocacy", "Not known"], not_known="Not known", adds_up=False)
    assert check_values([kpi], {(1, TOTAL): 10, (1, "Advice"): 9, (1, "Advocacy"): 7, (1, "Not known"): 1}) == []
    [problem] = check_values([kpi], {(1, TOTAL): 10, (1, "Advice"): 11, (1, "Advocacy"): 7, (1, "Not known"): 0})
    assert problem.category == "Advice" and "cannot be more than the total" in problem.message


def test_every_breakdown_has_a_not_known_category(users, service):
    with pytest.raises(ValidationError) as error:
        services.kpi_add(
            users["policy_officer"], service, name="By area", kind="breakdown", breakdown=["North", "South"]
        )
    assert "not_known" in error.value.message_dict


# Funder-required measures through funding streams ----------------------------------------------------------------


@pytest.fixture
def victims_funds(db):
    victims = FundFactory(code="victims-fund", name="Victims Fund")
    core = FundFactory(code="core-victims-fund", name="Core Victims Fund", parent=victims)
    stream = FundingStreamFactory(code="moj-victims-grant", name="Ministry of Justice victims grant", fund=victims)
    required = FunderKpiFactory(stream=stream)
    return victims, core, stream, required


def test_a_service_funded_from_a_streams_fund_gets_its_funders_measures_once(users, service, victims_funds):
    _, core, stream, required = victims_funds
    CommitmentFactory(fund=core, agreement__service=service)
    added = funder_kpis_attach(service=service)
    assert [(kpi.definition, kpi.required_by, kpi.effective_from) for kpi in added] == [
        (required.definition, stream, service.starts_on)
    ]
    assert funder_kpis_attach(service=service) == []  # idempotent
    assert service.kpis.count() == 1
    # It is asked for in the service's returns.
    kpi_return = KpiReturnFactory(service=service)
    assert [kpi.label for kpi in services.kpis_for_return(kpi_return)] == ["Victims supported"]


def test_a_measure_already_reported_is_marked_as_required_not_added_again(users, service, victims_funds):
    _, core, stream, required = victims_funds
    KpiDefinition.objects.filter(pk=required.definition_id).update(is_minimum_dataset=True)
    services.kpis_attach_minimum_dataset(actor=users["policy_officer"], service=service)
    CommitmentFactory(fund=core, agreement__service=service)
    assert funder_kpis_attach(service=service) == []
    assert service.kpis.get().required_by == stream


def test_a_service_funded_elsewhere_gets_no_funders_measures(service, victims_funds):
    CommitmentFactory(fund=FundFactory(code="safety"), agreement__service=service)
    assert funder_kpis_attach(service=service) == []


def test_returns_made_due_attach_the_funders_measures(users, service, victims_funds):
    _, core, _, _ = victims_funds
    CommitmentFactory(fund=core, agreement__service=service)
    created = services.returns_ensure(service=service, today=dt.date(2025, 7, 15))
    assert len(created) == 1
    assert [kpi.label for kpi in services.kpis_for_return(created[0])] == ["Victims supported"]


def test_the_profile_requires_the_moj_measures_of_its_victims_grant(db):
    profile_load(path_or_name="dorset")
    required = FunderKpi.objects.select_related("stream__fund", "definition")
    assert sorted((r.stream.code, r.stream.fund.code, r.definition.code) for r in required) == [
        ("moj-victims-grant", "victims-fund", "coping-and-recovery"),
        ("moj-victims-grant", "victims-fund", "victims-supported"),
    ]
    profile_load(path_or_name="dorset")  # loading again changes nothing
    assert FunderKpi.objects.count() == 2
