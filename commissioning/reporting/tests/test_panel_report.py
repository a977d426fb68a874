"""The Police and Crime Panel report: its figures equal an independent aggregation written here in raw SQL from the
same rows; each service counts once; only accepted returns count; suppression holds across its tables; it runs in
a fixed number of queries; its pages, files and command work."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from commissioning.funds.models import Payment
from commissioning.funds.tests.factories import AgreementFactory, CommitmentFactory, FinancialYearFactory
from commissioning.monitoring.models import KpiReturn
from commissioning.reporting.exports import report_data, report_xlsx
from commissioning.reporting.models import SuppressionRule
from commissioning.reporting.selectors.panel import Period, panel_report, suppression_threshold_on
from commissioning.reporting.suppression import MARK
from commissioning.reporting.tests.factories import PanelHighlightFactory, make_return, reporting_service
from commissioning.strategy.tests.factories import PanelAreaFactory

Q1 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
Q2 = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
LAST_Q4 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


@pytest.fixture
def areas(db):
    return [
        PanelAreaFactory(code="sexual-violence", name="Sexual Violence", order=1),
        PanelAreaFactory(code="domestic-violence", name="Domestic Violence", order=2),
        PanelAreaFactory(code="mental-health", name="Mental Health", order=7),
    ]


def _service(area, extra_areas=(), **kwargs):
    service, people, gender = reporting_service(area, **kwargs)
    if extra_areas:
        service.panel_areas.set([area, *extra_areas])
    return service, people, gender


@pytest.fixture
def world(areas, users):
    """Three services in two areas, returns in several states, money in 2026/27."""
    sv, dv, mh = areas
    a, a_people, a_gender = _service(sv, extra_areas=[dv, mh])  # in three areas, counted under its main one only
    b, b_people, b_gender = _service(dv)
    c, c_people, c_gender = _service(dv)
    make_return(a, starts_on=Q1[0], ends_on=Q1[1], figures={a_people: 40, a_gender: {"Female": 30, "Male": 10}})
    make_return(a, starts_on=Q2[0], ends_on=Q2[1], figures={a_people: 35, a_gender: {"Female": 20, "Male": 15}})
    # Accepted after a query: only the accepted version counts (the queried one carries doubled figures).
    make_return(
        b, starts_on=Q1[0], ends_on=Q1[1], versions=2, figures={b_people: 25, b_gender: {"Female": 15, "Male": 10}}
    )
    # Submitted but not accepted: not counted.
    make_return(
        c,
        starts_on=Q1[0],
        ends_on=Q1[1],
        status=KpiReturn.Status.SUBMITTED,
        figures={c_people: 99, c_gender: {"Female": 50, "Male": 49}},
    )
    make_return(c, starts_on=Q2[0], ends_on=Q2[1], figures={c_people: 60, c_gender: {"Female": 31, "Male": 29}})
    # The previous year's last quarter.
    make_return(b, starts_on=LAST_Q4[0], ends_on=LAST_Q4[1], figures={b_people: 50})
    year = FinancialYearFactory(start_year=2026)
    for service, amount in ((a, "12000.00"), (b, "8000.00"), (c, "5000.00")):
        commitment = CommitmentFactory(
            year=year, agreement=AgreementFactory(service=service), amount=Decimal(amount), status="committed"
        )
        Payment.objects.create(
            commitment=commitment,
            paid_on=dt.date(2026, 5, 1),
            amount=Decimal(amount) / 4,
            reference=f"PAY-{service.pk}",
            recorded_by=users["finance_officer"],
        )
    return {"areas": areas, "services": (a, b, c)}


def independent_people(starts_on, ends_on) -> dict:
    """People supported by main Panel area, written straight in SQL over the same tables: accepted returns
    inside the period, the accepted version's beneficiaries total."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT area.code, SUM(value.value)
            FROM monitoring_returnvalue value
            JOIN monitoring_servicekpi kpi ON kpi.id = value.kpi_id
            JOIN monitoring_kpidefinition def ON def.id = kpi.definition_id
            JOIN monitoring_returnversion version ON version.id = value.version_id
            JOIN monitoring_kpireturn ret ON ret.id = version.kpi_return_id
            JOIN agreements_service service ON service.id = ret.service_id
            JOIN strategy_panelarea area ON area.id = service.main_panel_area_id
            WHERE def.code = 'beneficiaries' AND value.category = '' AND ret.status = 'accepted'
              AND ret.starts_on >= %s AND ret.ends_on <= %s
              AND version.number = (SELECT MAX(v2.number) FROM monitoring_returnversion v2
                                    WHERE v2.kpi_return_id = ret.id)
            GROUP BY area.code
            """,
            [starts_on, ends_on],
        )
        return dict(cursor.fetchall())


def independent_gender(starts_on, ends_on) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT area.code, value.category, SUM(value.value)
            FROM monitoring_returnvalue value
            JOIN monitoring_servicekpi kpi ON kpi.id = value.kpi_id
            JOIN monitoring_kpidefinition def ON def.id = kpi.definition_id
            JOIN monitoring_returnversion version ON version.id = value.version_id
            JOIN monitoring_kpireturn ret ON ret.id = version.kpi_return_id
            JOIN agreements_service service ON service.id = ret.service_id
            JOIN strategy_panelarea area ON area.id = service.main_panel_area_id
            WHERE def.code = 'gender' AND value.category <> '' AND ret.status = 'accepted'
              AND ret.starts_on >= %s AND ret.ends_on <= %s
              AND version.number = (SELECT MAX(v2.number) FROM monitoring_returnversion v2
                                    WHERE v2.kpi_return_id = ret.id)
            GROUP BY area.code, value.category
            """,
            [starts_on, ends_on],
        )
        return {(code, category): n for code, category, n in cursor.fetchall()}


def independent_money() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT area.code, SUM(c.amount - c.released_amount)
            FROM funds_commitment c
            JOIN agreements_agreement a ON a.id = c.agreement_id
            JOIN agreements_service s ON s.id = a.service_id
            JOIN strategy_panelarea area ON area.id = s.main_panel_area_id
            JOIN funds_financialyear y ON y.id = c.year_id
            WHERE y.start_year = 2026 AND c.status IN ('approved', 'committed', 'released')
            GROUP BY area.code
            """
        )
        committed = {code: Decimal(str(v)).quantize(Decimal("0.01")) for code, v in cursor.fetchall()}
        cursor.execute(
            """
            SELECT area.code, SUM(p.amount)
            FROM funds_payment p
            JOIN funds_commitment c ON c.id = p.commitment_id
            JOIN agreements_agreement a ON a.id = c.agreement_id
            JOIN agreements_service s ON s.id = a.service_id
            JOIN strategy_panelarea area ON area.id = s.main_panel_area_id
            WHERE p.paid_on BETWEEN '2026-04-01' AND '2027-03-31'
            GROUP BY area.code
            """
        )
        paid = {code: Decimal(str(v)).quantize(Decimal("0.01")) for code, v in cursor.fetchall()}
    return {"committed": committed, "paid": paid}


@pytest.mark.django_db
@pytest.mark.parametrize("period", [Period(2026), Period(2026, 1), Period(2026, 2)])
@pytest.mark.parametrize("today", [dt.date(2026, 10, 15), dt.date(2027, 6, 1)], ids=["year-running", "year-ended"])
def test_the_reports_figures_equal_an_independent_aggregation(world, period, today):
    report = panel_report(period=period, suppressed=False, today=today)
    now, before = report.period, report.previous
    expected = independent_people(now.starts_on, now.ends_on)
    got = {row.code: row.people.value for row in report.areas if row.people.value}
    assert got == expected
    assert report.total.people.value == sum(expected.values())
    previous = independent_people(before.starts_on, before.ends_on)
    assert {row.code: row.previous_people.value for row in report.areas if row.previous_people.value} == previous
    gender = independent_gender(now.starts_on, now.ends_on)
    (breakdown,) = report.breakdowns
    got_gender = {(code, category): cell.value for (category, code), cell in breakdown.cells.items() if cell.value}
    assert got_gender == gender


@pytest.mark.django_db
def test_a_year_still_running_is_compared_like_for_like_with_the_same_days_of_the_year_before(world):
    """On 15 October 2026 the year to date (1 April to 15 October) is compared with 1 April to 15 October 2025,
    not with the whole of 2025/26, whose last quarter (50 people) came after that day."""
    running = panel_report(period=Period(2026), suppressed=False, today=dt.date(2026, 10, 15))
    assert (running.period.starts_on, running.period.ends_on) == (dt.date(2026, 4, 1), dt.date(2026, 10, 15))
    assert (running.previous.starts_on, running.previous.ends_on) == (dt.date(2025, 4, 1), dt.date(2025, 10, 15))
    assert running.period.label == "2026/27 to 15 October 2026"
    assert running.previous.label == "2025/26 to 15 October 2025"
    assert running.total.previous_people.value == 0
    ended = panel_report(period=Period(2026), suppressed=False, today=dt.date(2027, 6, 1))
    assert ended.period.label == "2026/27" and ended.previous.ends_on == dt.date(2026, 3, 31)
    assert ended.total.previous_people.value == 50
    # A quarter still running against the same days of the quarter before.
    quarter = panel_report(period=Period(2026, 3), suppressed=False, today=dt.date(2026, 11, 15))
    assert (quarter.previous.starts_on, quarter.previous.ends_on) == (dt.date(2026, 7, 1), dt.date(2026, 8, 15))
    # A period not yet begun is not cut.
    assert panel_report(period=Period(2027), suppressed=False, today=dt.date(2026, 10, 15)).period.label == "2027/28"


@pytest.mark.django_db
def test_money_equals_an_independent_aggregation(world):
    report = panel_report(period=Period(2026), suppressed=False)
    money = independent_money()
    assert {row.code: row.committed for row in report.areas if row.committed} == money["committed"]
    assert {row.code: row.paid for row in report.areas if row.paid} == money["paid"]


@pytest.mark.django_db
def test_each_service_counts_once_under_its_main_area(world):
    report = panel_report(period=Period(2026, 1), suppressed=False)
    by_code = {row.code: row for row in report.areas}
    assert by_code["sexual-violence"].people.value == 40  # service a, though it also sits in two other areas
    assert by_code["mental-health"].people.value == 0
    assert by_code["domestic-violence"].people.value == 25  # the accepted version, not the queried one (50)
    assert report.total.services == 3
    a, b, c = world["services"]
    lines = {row.code: [line.name for line in row.service_lines] for row in report.areas}
    assert lines["sexual-violence"] == [a.name]
    assert sorted(lines["domestic-violence"]) == sorted([b.name, c.name])
    assert lines["mental-health"] == []


@pytest.mark.django_db
def test_small_numbers_are_suppressed_so_the_total_minus_the_visible_areas_does_not_reveal_them(areas):
    sv, dv, mh = areas
    for area, n in ((sv, 3), (dv, 40), (mh, 30)):
        service, people, _gender = _service(area)
        make_return(service, starts_on=Q1[0], ends_on=Q1[1], figures={people: n})
    report = panel_report(period=Period(2026, 1))
    by_code = {row.code: row for row in report.areas}
    assert by_code["sexual-violence"].people.shown == MARK
    shown = [row.people.shown for row in report.areas]
    # A second area is hidden too, so 73 minus what is visible is not 3.
    assert shown.count(MARK) >= 2
    visible = sum(value for value in shown if value != MARK)
    assert report.total.people.shown == MARK or report.total.people.value - visible != 3
    # The change column does not give it back either (3 - 0 shown as a change of +3).
    assert by_code["sexual-violence"].change.shown == MARK


@pytest.mark.django_db
def test_the_demographic_table_and_the_summary_side_by_side_reveal_nothing(areas):
    """The gender table's row totals across areas, its area totals, and the summary, all on one page."""
    sv, dv, mh = areas
    figures = {sv: {"Female": 30, "Male": 2}, dv: {"Female": 20, "Male": 25}, mh: {"Female": 18, "Male": 22}}
    for area, split in figures.items():
        service, people, gender = _service(area)
        make_return(service, starts_on=Q1[0], ends_on=Q1[1], figures={people: sum(split.values()), gender: split})
    report = panel_report(period=Period(2026, 1))
    (breakdown,) = report.breakdowns
    assert breakdown.cells[("Male", "sexual-violence")].hidden
    # Within its row: the "Male" total across areas less the visible areas must not give 2.
    male = [breakdown.cells[("Male", a.code)] for a in report.areas]
    visible_male = sum(c.value for c in male if not c.hidden)
    assert (
        breakdown.row_totals["Male"].hidden
        or breakdown.row_totals["Male"].value - visible_male != 2
        or (sum(1 for c in male if c.hidden) >= 2)
    )
    assert sum(1 for c in male if c.hidden) >= 2 or breakdown.row_totals["Male"].hidden
    # Within its column: the area's total less its visible categories must not give 2.
    column = [breakdown.cells[(c, "sexual-violence")] for c in breakdown.categories]
    assert sum(1 for c in column if c.hidden) >= 2 or breakdown.column_totals["sexual-violence"].hidden


@pytest.mark.django_db
def test_staff_may_see_unsuppressed_figures_and_panel_members_may_not(areas, client_for):
    sv, dv, _mh = areas
    for area, n in ((sv, 3), (dv, 40)):
        service, people, _gender = _service(area)
        make_return(service, starts_on=Q1[0], ends_on=Q1[1], figures={people: n})
    url = reverse("reporting:panel_report") + "?year=2026/27&quarter=Q1&unsuppressed=1"
    staff = client_for("policy_officer").get(url)
    assert b"These figures are not suppressed" in staff.content
    panel = client_for("panel_member").get(url)
    assert b"These figures are not suppressed" not in panel.content
    assert MARK.encode() in panel.content
    assert b"Show unsuppressed figures" not in panel.content


@pytest.mark.django_db
def test_the_threshold_is_dated(db):
    SuppressionRule.objects.create(effective_from=dt.date(2025, 4, 1), threshold=5)
    SuppressionRule.objects.create(effective_from=dt.date(2026, 10, 1), threshold=10)
    assert suppression_threshold_on(dt.date(2026, 9, 30)) == 5
    assert suppression_threshold_on(dt.date(2026, 12, 31)) == 10


@pytest.mark.django_db
def test_the_report_page_runs_in_a_fixed_number_of_queries(areas, client_for, django_assert_max_num_queries):
    client = client_for("panel_member")
    url = reverse("reporting:panel_report") + "?year=2026/27"
    FinancialYearFactory(start_year=2026)
    service, people, gender = _service(areas[0])
    make_return(service, starts_on=Q1[0], ends_on=Q1[1], figures={people: 12, gender: {"Female": 6, "Male": 6}})
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for n in range(12):
        service, people, gender = _service(areas[n % 3])
        for quarter in (Q1, Q2):
            make_return(
                service,
                starts_on=quarter[0],
                ends_on=quarter[1],
                figures={people: 20 + n, gender: {"Female": 10, "Male": 10 + n}},
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_highlights_appear_in_their_period(world, client_for):
    PanelHighlightFactory(start_year=2026, quarter=1, panel_area=world["areas"][0], title="Quicker ISVA contact")
    PanelHighlightFactory(start_year=2026, quarter=2, panel_area=world["areas"][0], title="Not this quarter")
    page = client_for("panel_member").get(reverse("reporting:panel_report") + "?year=2026/27&quarter=Q1")
    assert b"Quicker ISVA contact" in page.content
    assert b"Not this quarter" not in page.content
    # The services by name, under their main area, on screen and in the files.
    a, _b, _c = world["services"]
    assert b'data-services="sexual-violence"' in page.content and a.name.encode() in page.content
    report = panel_report(period=Period(2026, 1))
    by_code = {area["code"]: area for area in report_data(report)["areas"]}
    assert [line["name"] for line in by_code["sexual-violence"]["service_list"]] == [a.name]
    sheet = load_workbook(io.BytesIO(report_xlsx(report)))["Services"]
    assert ("Sexual Violence", a.name) in {row[:2] for row in sheet.iter_rows(values_only=True)}


@pytest.mark.django_db
def test_an_officer_adds_a_highlight(areas, client_for):
    client = client_for("policy_officer")
    url = reverse("reporting:highlight_add") + "?year=2026/27&quarter=Q1"
    response = client.post(url, {"panel_area": areas[0].pk, "kind": "case_study", "title": "", "body": ""})
    assert b"Enter a title" in response.content
    response = client.post(
        url, {"panel_area": areas[0].pk, "kind": "case_study", "title": "A safer home", "body": "Anonymised."}
    )
    assert response.status_code == 302
    page = client.get(reverse("reporting:panel_report") + "?year=2026/27&quarter=Q1")
    assert b"A safer home" in page.content


@pytest.mark.django_db
def test_the_files_carry_the_same_suppressed_figures(areas, client_for):
    sv, dv, _mh = areas
    for area, n in ((sv, 3), (dv, 40)):
        service, people, _gender = _service(area)
        make_return(service, starts_on=Q1[0], ends_on=Q1[1], figures={people: n})
    client = client_for("panel_member")
    response = client.get(reverse("reporting:panel_report_file", args=["xlsx"]) + "?year=2026/27&quarter=Q1")
    assert response["Content-Disposition"].endswith('panel-report-2026-27-q1.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content))["Panel areas"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Sexual Violence"][6] == MARK
    assert rows["Domestic Violence"][6] in (40, MARK)
    pdf = client.get(reverse("reporting:panel_report_file", args=["pdf"]) + "?year=2026/27&quarter=Q1")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_the_command_writes_json_pdf_and_xlsx(world, tmp_path):
    out = io.StringIO()
    call_command("panel_report", "--year", "2026/27", "--quarter", "Q2", "--out", str(tmp_path / "r.json"), stdout=out)
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["period"] == "Q2 2026/27"
    assert {a["code"] for a in data["areas"]} >= {"sexual-violence", "domestic-violence", "total"}
    call_command("panel_report", "--year", "2026/27", "--out", str(tmp_path / "r.xlsx"), stdout=out)
    assert load_workbook(tmp_path / "r.xlsx")["Panel areas"]["A1"].value.startswith("Police and Crime Panel report")
    call_command("panel_report", "--year", "2026/27", "--out", str(tmp_path / "r.pdf"), stdout=out)
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_periods():
    assert Period.parse("2025/26", "Q2").starts_on == dt.date(2025, 7, 1)
    assert Period.parse("2025/26", "Q4").ends_on == dt.date(2026, 3, 31)
    assert Period.parse("2025/26", "Q1").previous() == Period(2024, 4)
    assert Period.parse("2025/26").previous().label == "2024/25"
    with pytest.raises(ValueError):
        Period.parse("2025/26", "Q5")
