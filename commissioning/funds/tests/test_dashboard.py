"""The fund dashboard: its figures are the selectors', the charts and their tables carry the same numbers, the
SVG keeps to the Content-Security-Policy, queries stay bounded, and every page passes axe-core."""

import datetime as dt
import os
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.core.dates import FinancialYear as FY
from commissioning.core.money import format_money
from commissioning.funds import charts, selectors, services
from commissioning.funds.tests.factories import AgreementFactory, FinancialYearFactory, FundFactory

D = Decimal
URL = reverse("funds:dashboard")


class Tables(HTMLParser):
    """Each <table id=...> as a list of rows of cell texts; each <svg id=...> with its <text> and <title>s."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.svg_titles: dict[str, list[str]] = {}
        self.svg_values: dict[str, list[str]] = {}
        self._table = self._row = self._cell = self._svg = None
        self._svg_text: list[str] | None = None
        self._in_value = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._table = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "svg":
            self._svg = attrs.get("id")
            self.svg_titles[self._svg], self.svg_values[self._svg] = [], []
        elif self._svg and tag == "title":
            self._svg_text = []
        elif self._svg and tag == "text" and attrs.get("class") == "app-chart__value":
            self._in_value = True
            self._svg_text = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "svg":
            self._svg = None
        elif self._svg and tag == "title" and self._svg_text is not None:
            self.svg_titles[self._svg].append("".join(self._svg_text))
            self._svg_text = None
        elif self._svg and tag == "text" and self._in_value:
            self.svg_values[self._svg].append("".join(self._svg_text))
            self._in_value, self._svg_text = False, None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._svg_text is not None:
            self._svg_text.append(data)


@pytest.fixture
def money_world(world):
    """Budgets, commitments and a payment in 2026/27: the Victims Fund with its two parts, and the Safety Fund."""
    world.budget(world.core, "9300")
    world.budget(world.csa, "700")
    world.budget(world.safety, "25000.50")
    core = world.approved(world.core, "5000")
    services.payment_record(
        actor=world.finance, commitment=core, amount="1250", paid_on=dt.date(2026, 6, 30), reference="P1"
    )
    world.approved(world.csa, "600", agreement=world.csa_agreement)
    services.commitment_plan(
        actor=world.finance, fund=world.safety, year=world.year, agreement=AgreementFactory(), amount="2000"
    )
    return world


def get(client_for, role="finance_officer", **params):
    response = client_for(role).get(URL, params)
    assert response.status_code == 200
    return response


def test_each_fund_shows_the_selectors_figures(money_world, client_for):
    response = get(client_for, year="2026")
    positions = selectors.fund_positions(year=money_world.year)
    page = Tables(response.content.decode())
    rows = page.tables["funds-table"][1:]  # after the headings
    assert len(rows) == len(positions) + 1  # and the total
    for row, position in zip(rows, positions, strict=False):
        assert row[0].startswith(position.fund.name)
        assert row[1:6] == [
            format_money(position.budget),
            format_money(position.committed),
            format_money(position.paid),
            format_money(position.available)
            # A fund with parts also shows its own money, the figure a commitment from it is checked against.
            + (f"{format_money(position.own_available)} of its own" if position.has_children else ""),
            format_money(position.forecast),
        ]
    victims = next(p for p in positions if p.fund == money_world.victims)
    assert (victims.budget, victims.committed, victims.paid) == (D("10000.00"), D("5600.00"), D("1250.00"))
    assert rows[-1][:6] == [
        "All funds",
        "£35,000.50",
        "£5,600.00",
        "£1,250.00",
        "£29,400.50",
        "£7,600.00",
    ]


def test_sub_funds_are_indented_and_named_as_parts(money_world, client_for):
    html = get(client_for, year="2026/27").content.decode()
    assert "govuk-!-padding-left-4" in html
    assert "(part of Victims Fund)" in html
    assert "Ring-fenced" in html


def test_the_chart_and_its_table_carry_the_same_numbers(money_world, client_for):
    page = Tables(get(client_for, year="2026").content.decode())
    table = page.tables["funds-chart-table"][1:]
    tops = [p for p in selectors.fund_positions(year=money_world.year) if p.depth == 0]
    assert [row[0] for row in table] == [p.fund.name for p in tops]
    from_table = [value for row in table for value in row[1:]]
    # the bar labels, fund by fund: budget, committed, paid
    assert page.svg_values["funds-chart"] == from_table
    titles = page.svg_titles["funds-chart"]
    assert titles[0] == "Budget, committed and paid by fund, 2026/27"
    for row in table:
        for series, value in zip(("budget", "committed", "paid"), row[1:], strict=True):
            assert f"{row[0]}: {series} {value}" in titles


def test_with_one_top_level_fund_the_chart_compares_its_parts(money_world, client_for):
    root = FundFactory(name="Safer Dorset Fund")
    for fund in (money_world.victims, money_world.safety):
        fund.parent = root
        fund.save()
    page = Tables(get(client_for, year="2026").content.decode())
    table = page.tables["funds-chart-table"][1:]
    assert [row[0] for row in table] == ["Victims Fund", "Commissioner's Safety Fund"]
    assert page.svg_values["funds-chart"] == [value for row in table for value in row[1:]]
    assert page.svg_titles["funds-chart"][0] == "Budget, committed and paid by part of the Safer Dorset Fund, 2026/27"


def test_the_trend_chart_and_its_table_carry_the_same_numbers(money_world, client_for):
    for start in (2022, 2023, 2024, 2025):
        year = FinancialYearFactory(start_year=start)
        services.budget_set_total(
            actor=money_world.finance, fund=money_world.safety, year=year, amount=str(1000 * start), reason="Test"
        )
    page = Tables(get(client_for, year="2026").content.decode())
    table = page.tables["trend-table"][1:]
    assert [row[0] for row in table] == ["2022/23", "2023/24", "2024/25", "2025/26", "2026/27"]
    assert table[0][1] == format_money(2022000)
    assert table[-1][1:] == ["£35,000.50", "£5,600.00", "£1,250.00"]
    titles = page.svg_titles["trend-chart"]
    for row in table:
        for series, value in zip(("budget", "committed", "paid"), row[1:], strict=True):
            assert f"{row[0]} {series}: {value}" in titles


def test_the_trend_of_one_fund_uses_its_positions_over_the_years(money_world, client_for):
    earlier = FinancialYearFactory(start_year=2025)
    services.budget_set_total(
        actor=money_world.finance, fund=money_world.csa, year=earlier, amount="650", reason="Test"
    )
    response = get(client_for, year="2026", trend=str(money_world.victims.pk))
    table = Tables(response.content.decode()).tables["trend-table"][1:]
    expected = selectors.fund_positions_over_years(fund=money_world.victims, years=[earlier, money_world.year])
    assert table == [
        [p.year.label, format_money(p.budget), format_money(p.committed), format_money(p.paid)] for p in expected
    ]
    assert "Victims Fund" in response.context["trend_name"]


def test_the_svg_is_an_accessible_image_without_inline_styles_or_scripts(money_world, client_for):
    html = get(client_for, year="2026").content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 2
    for svg in svgs:
        chart_id = re.search(r'<svg[^>]* id="([^"]+)"', svg).group(1)
        assert 'role="img"' in svg
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in svg
        assert f'<title id="{chart_id}-title">' in svg and f'<desc id="{chart_id}-desc">' in svg
        assert "style=" not in svg and "<script" not in svg and "<style" not in svg
    # the table comes straight after its chart
    assert re.search(
        r'</svg></div>\s*(<!--.*?-->\s*)?<div class="app-table-scroll"[^>]*>\s*<table class="govuk-table[^"]*" '
        r'id="funds-chart-table"',
        html,
    )


def test_chart_text_is_escaped():
    svg = charts.bar_chart(
        chart_id="c",
        title="<b>T</b>",
        description="d",
        categories=['<script>alert("x")</script>'],
        series=[charts.Series("Budget", charts.BLUE, [D("10")])],
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;T&lt;/b&gt;" in svg


def test_chart_draws_zero_and_negative_amounts():
    svg = charts.bar_chart(
        chart_id="c",
        title="t",
        description="d",
        categories=["A"],
        series=[charts.Series("Paid", charts.GREEN, [D("-5.00")]), charts.Series("Budget", charts.BLUE, [D("0")])],
    )
    assert 'width="0' in svg and "-£5.00" in svg and "£0.00" in svg
    assert charts.short_money(D("1500000")) == "£1.5m" and charts.short_money(D("250000")) == "£250k"


def test_it_links_to_each_funds_page_and_payments(money_world, client_for):
    html = get(client_for, year="2026").content.decode()
    core = money_world.core.pk
    assert f'href="{reverse("funds:fund_detail", args=[core])}?year=2026"' in html
    assert f'href="{reverse("funds:payment_list")}?fund={core}&amp;year=2026"' in html
    assert f'action="{reverse("funds:dashboard_export")}"' in html and 'name="year" value="2026"' in html


def test_import_links_show_only_to_those_who_may_import(money_world, client_for):
    finance = get(client_for, "finance_officer", year="2026").content.decode()
    assert reverse("funds:import_budget_lines") in finance and reverse("funds:import_payments") in finance
    cfo = get(client_for, "cfo", year="2026").content.decode()
    assert reverse("funds:import_budget_lines") in cfo and reverse("funds:import_payments") not in cfo
    auditor = get(client_for, "auditor", year="2026").content.decode()
    assert reverse("funds:import_budget_lines") not in auditor


def test_default_year_is_the_one_containing_today(world, client_for):
    this = FY.for_date(timezone.localdate()).start_year
    FinancialYearFactory(start_year=this - 1)
    FinancialYearFactory(start_year=this)
    FinancialYearFactory(start_year=this + 1)
    assert get(client_for).context["year"].start_year == this


def test_without_the_current_year_it_shows_the_latest(users, client_for):
    FinancialYearFactory(start_year=2019)
    FinancialYearFactory(start_year=2020)
    assert get(client_for).context["year"].start_year == 2020


def test_no_years_yet(users, client_for):
    html = get(client_for).content.decode()
    assert "No financial years have been set up yet" in html


@pytest.mark.parametrize("year", ["1999", "2030/31", "nonsense", "2026/28"])
def test_an_unknown_year_is_not_found(world, client_for, year):
    assert client_for("finance_officer").get(URL, {"year": year}).status_code == 404


def test_an_unknown_trend_fund_is_not_found(world, client_for):
    assert client_for("finance_officer").get(URL, {"year": "2026", "trend": "999999"}).status_code == 404


def _many(world, count: int) -> None:
    """`count` funds (half of them sub-funds), each with a budget, an approved commitment and a payment, in each
    of five years."""
    years = [FinancialYearFactory(start_year=start) for start in range(2022, 2027)]
    parent = None
    for n in range(count):
        fund = FundFactory(parent=parent if n % 2 else None)
        parent = fund
        for year in years:
            services.budget_set_total(actor=world.finance, fund=fund, year=year, amount="1000", reason="Test")
            commitment = services.commitment_plan(
                actor=world.finance, fund=fund, year=year, agreement=world.agreement, amount="100"
            )
            services.commitment_approve(actor=world.cfo, commitment=commitment)
            services.payment_record(
                actor=world.finance,
                commitment=commitment,
                amount="10",
                paid_on=year.fy.starts_on,
                reference=f"P-{n}-{year.start_year}",
            )


@pytest.mark.parametrize("count", [1, 40])
def test_queries_do_not_grow_with_the_number_of_funds(world, client_for, django_assert_max_num_queries, count):
    _many(world, count)
    client = client_for("finance_officer")
    # session and user (2), years (1), the year's positions (4), four earlier years' positions (16)
    with django_assert_max_num_queries(25):
        response = client.get(URL, {"year": "2026"})
    assert response.status_code == 200
    with django_assert_max_num_queries(25):
        response = client.get(URL, {"year": "2026", "trend": str(world.safety.pk)})
    assert response.status_code == 200


# --- Accessibility (axe-core in headless chromium) ----------------------------------------------------------

# Playwright's sync API runs an event loop in the test thread; the ORM calls here are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no chromium at {CHROMIUM}")
def test_dashboard_and_import_pages_pass_axe(page, live_server, money_world, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    client = Client()
    client.force_login(money_world.finance)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    axe = Axe()
    failures = []

    def check(label):
        results = axe.run(page)
        if results.violations_count:
            failures.append(f"{label}\n{results.generate_report()}")

    for url in (
        URL + "?year=2026",
        reverse("funds:import_budget_lines"),
        reverse("funds:import_payments"),
    ):
        page.goto(live_server.url + url)
        check(url)

    # an upload with nothing chosen: the error summary and the field's error
    page.goto(live_server.url + reverse("funds:import_budget_lines"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    check("import with no file")

    # a file with problems: the preview lists every row's problems
    bad = tmp_path / "bad.csv"
    bad.write_text("fund code,year,kind,amount,description\nnope,2026/27,adjustment,abc,Test\n", encoding="utf-8")
    page.goto(live_server.url + reverse("funds:import_budget_lines"))
    page.set_input_files("input[type=file]", str(bad))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    check("preview with problems")

    # a good file: the check's job page asks to confirm the import
    good = tmp_path / "good.csv"
    good.write_text("fund code,year,kind,amount,description\nsafety,2026/27,adjustment,10.00,Test\n", encoding="utf-8")
    page.goto(live_server.url + reverse("funds:import_budget_lines"))
    page.set_input_files("input[type=file]", str(good))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Import" in page.locator("main form button[type=submit]").inner_text()
    check("preview ready to import")
    assert not failures, "\n\n".join(failures)
