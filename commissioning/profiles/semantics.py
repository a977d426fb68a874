"""The third layer of checking a profile (validation.py): semantic rules in code across its entries, namely
cross-references, duplicates, sums, overlaps and date order. Each rule reports every problem it finds."""

import datetime
from collections import defaultdict
from decimal import Decimal

from commissioning.profiles.problems import Problem, describe_path

HUNDRED = Decimal("100")
PENNY = Decimal("0.01")


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return Decimal(value)


def _items(data, *keys) -> list[tuple[tuple, dict]]:
    """(path, entry) for each mapping in the list at data[keys...], skipping malformed entries."""
    node = data
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, list):
        return []
    return [((*keys, i), item) for i, item in enumerate(node) if isinstance(item, dict)]


def _duplicates(entries, key, label, problems):
    """Report every entry whose `key` repeats an earlier entry's."""
    first_seen = {}
    for path, item in entries:
        value = item.get(key)
        if value is None or isinstance(value, list | dict):
            continue
        marker = value.casefold() if isinstance(value, str) else value
        if marker in first_seen:
            problems.append(Problem(path, f"duplicate {label} '{value}' (already used by {first_seen[marker]})"))
        else:
            first_seen[marker] = describe_path(path, None)


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}".removesuffix(".00")


def _check_money(path, value, problems):
    amount = _number(value)
    if amount is not None and amount != amount.quantize(PENNY):
        problems.append(Problem(path, f"{value} has more than two decimal places (money is in pounds and pence)"))


def semantic_problems(data: dict) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return problems

    # The plan, its pillars and priorities.
    plan = data.get("police_crime_plan") if isinstance(data.get("police_crime_plan"), dict) else {}
    starts, ends = _date(plan.get("starts_on")), _date(plan.get("ends_on"))
    if starts and ends and ends <= starts:
        problems.append(
            Problem(("police_crime_plan", "ends_on"), f"the plan ends ({ends}) before it starts ({starts})")
        )
    pillars = _items(data, "police_crime_plan", "pillars")
    _duplicates(pillars, "number", "pillar number", problems)
    priority_entries = [
        ((*path, "priorities", i), priority)
        for path, pillar in pillars
        for i, priority in enumerate(pillar.get("priorities") or [])
        if isinstance(priority, dict)
    ]
    _duplicates(priority_entries, "code", "priority code", problems)
    priority_codes = {str(p.get("code")) for _, p in priority_entries if isinstance(p.get("code"), str)}

    _duplicates(_items(data, "commissioning_objectives"), "number", "objective number", problems)
    _duplicates(_items(data, "panel_areas"), "code", "Panel area code", problems)
    _duplicates(_items(data, "panel_areas"), "name", "Panel area name", problems)

    # Strategy documents.
    documents = _items(data, "strategy_documents")
    _duplicates(documents, "title", "strategy title", problems)
    for path, document in documents:
        start, end = _date(document.get("period_start")), _date(document.get("period_end"))
        if start and end and end <= start:
            problems.append(Problem((*path, "period_end"), f"the period ends ({end}) before it starts ({start})"))
        version = document.get("first_version")
        if isinstance(version, dict):
            if version.get("status", "signed") == "signed" and "in_force_from" not in version:
                problems.append(Problem((*path, "first_version"), "a signed version needs in_force_from"))
            if version.get("status") == "draft" and "in_force_from" in version:
                problems.append(
                    Problem(
                        (*path, "first_version", "in_force_from"),
                        "a draft version is not in force; remove in_force_from or sign it",
                    )
                )

    # Partners and boards.
    partners = _items(data, "partners")
    _duplicates(partners, "code", "partner code", problems)
    _duplicates(partners, "name", "partner name", problems)
    for path, partner in partners:
        areas = [
            ((*path, "areas_of_interest", i), {"name": a})
            for i, a in enumerate(partner.get("areas_of_interest") or [])
            if isinstance(a, str)
        ]
        _duplicates(areas, "name", "area of interest", problems)
    partner_codes = {p.get("code") for _, p in partners if isinstance(p.get("code"), str)}
    boards = _items(data, "partnership_boards")
    _duplicates(boards, "name", "board name", problems)
    for path, board in boards:
        chair = board.get("chair")
        if isinstance(chair, str) and chair not in partner_codes:
            problems.append(Problem((*path, "chair"), f"'{chair}' is not the code of a partner in this profile"))
        for i, member in enumerate(board.get("members") or []):
            if isinstance(member, str) and member not in partner_codes:
                problems.append(
                    Problem((*path, "members", i), f"'{member}' is not the code of a partner in this profile")
                )
        for i, code in enumerate(board.get("priorities") or []):
            if isinstance(code, str) and code not in priority_codes:
                problems.append(
                    Problem(
                        (*path, "priorities", i),
                        f"unknown priority code '{code}'; the plan's "
                        f"priorities are {', '.join(sorted(priority_codes)) or 'none'}",
                    )
                )

    problems += _fund_problems(data)
    problems += _threshold_and_tier_problems(data)

    # KPI definitions.
    kpis = _items(data, "kpi_definitions")
    _duplicates(kpis, "code", "KPI code", problems)
    for path, kpi in kpis:
        breakdown = kpi.get("breakdown") or []
        if kpi.get("kind") == "breakdown" and not breakdown:
            problems.append(Problem(path, "a breakdown KPI needs a list of breakdown categories"))
        if kpi.get("kind") in {"count", "text"} and breakdown:
            problems.append(Problem((*path, "breakdown"), f"a {kpi['kind']} KPI has no breakdown categories"))
        not_known = kpi.get("not_known")
        if kpi.get("kind") == "breakdown" and breakdown and not_known not in breakdown:
            problems.append(
                Problem(
                    (*path, "not_known"),
                    "a breakdown KPI names its 'not known' category, one of its breakdown categories",
                )
            )
        _duplicates(
            [((*path, "breakdown", i), {"name": c}) for i, c in enumerate(breakdown) if isinstance(c, str)],
            "name",
            "breakdown category",
            problems,
        )

    # Settings.
    scheme = (
        (data.get("settings") or {}).get("community_grant_scheme") if isinstance(data.get("settings"), dict) else None
    )
    if isinstance(scheme, dict):
        low, high = _number(scheme.get("min_award")), _number(scheme.get("max_award"))
        for key in ("min_award", "max_award"):
            _check_money(("settings", "community_grant_scheme", key), scheme.get(key), problems)
        if low is not None and high is not None and high < low:
            problems.append(
                Problem(
                    ("settings", "community_grant_scheme", "max_award"),
                    f"the largest award ({_pounds(high)}) is below the smallest ({_pounds(low)})",
                )
            )
        fund_codes = {f.get("code") for _, f in _items(data, "funds") if isinstance(f.get("code"), str)}
        for key in ("fund", "top_up_fund"):
            code = scheme.get(key)
            if isinstance(code, str) and code not in fund_codes:
                problems.append(
                    Problem(
                        ("settings", "community_grant_scheme", key),
                        f"'{code}' is not the code of a fund in this profile",
                    )
                )
        if isinstance(scheme.get("fund"), str) and scheme.get("fund") == scheme.get("top_up_fund"):
            problems.append(
                Problem(
                    ("settings", "community_grant_scheme", "top_up_fund"),
                    "the top-up fund must be a different fund from the one awards are paid from",
                )
            )
    weights = (
        (data.get("settings") or {}).get("local_innovation_fund_weights")
        if isinstance(data.get("settings"), dict)
        else None
    )
    if isinstance(weights, dict):
        names = ("likelihood_weight", "priority_weight", "need_weight")
        values = [_number(weights.get(key)) for key in names]
        for key, value in zip(names, values, strict=True):
            if value is not None and value != value.quantize(PENNY):
                problems.append(
                    Problem(
                        ("settings", "local_innovation_fund_weights", key), f"{value} has more than two decimal places"
                    )
                )
        if all(v is not None for v in values) and not any(v > 0 for v in values):
            problems.append(
                Problem(("settings", "local_innovation_fund_weights"), "at least one weight must be more than 0")
            )
    return problems


def _fund_problems(data) -> list[Problem]:
    problems: list[Problem] = []
    funds = _items(data, "funds")
    _duplicates(funds, "code", "fund code", problems)
    _duplicates([(path, fund) for path, fund in funds if fund.get("role")], "role", "fund role", problems)
    by_code = {f.get("code"): (path, f) for path, f in funds if isinstance(f.get("code"), str)}
    for path, fund in funds:
        parent = fund.get("parent")
        if isinstance(parent, str) and parent not in by_code:
            problems.append(Problem((*path, "parent"), f"the parent fund '{parent}' is not defined in this profile"))
        if fund.get("is_ring_fenced") is True and not str(fund.get("ring_fence_purpose") or "").strip():
            problems.append(Problem(path, "a ring-fenced fund needs a ring_fence_purpose (what the money may fund)"))
        if fund.get("is_ring_fenced") is not True and str(fund.get("ring_fence_purpose") or "").strip():
            problems.append(
                Problem(
                    (*path, "ring_fence_purpose"),
                    "only a ring-fenced fund has a ring_fence_purpose; set is_ring_fenced: true",
                )
            )
    # Carry-forward: a part of a fund whose underspend is not carried forward (an annual grant) may not carry its
    # own forward, or the grant would roll into next year through it.
    for path, fund in funds:
        parent = by_code.get(fund.get("parent"))
        if fund.get("carries_forward") is True and parent is not None and parent[1].get("carries_forward") is False:
            problems.append(
                Problem(
                    (*path, "carries_forward"),
                    f"it is part of '{fund.get('parent')}', which does not carry forward; set carries_forward: false",
                )
            )
    # Cycles: following parents from any fund must end at a fund without a parent.
    reported = set()
    for code, (path, _fund) in by_code.items():
        seen, current = [], code
        while isinstance(current, str) and current in by_code and current not in seen:
            seen.append(current)
            current = by_code[current][1].get("parent")
        if isinstance(current, str) and current in seen and current not in reported:
            reported.update(seen)
            problems.append(Problem(path, f"the funds form a loop of parents: {' → '.join([*seen, current])}"))

    groups = _items(data, "fund_splits")
    group_keys = {}
    for path, group in groups:
        parent, when = group.get("parent"), group.get("effective_from")
        key = (parent, when)
        if key in group_keys:
            problems.append(
                Problem(
                    path,
                    f"{parent} already has a split from {when} at {group_keys[key]}; "
                    "put all its shares for that date in one entry",
                )
            )
        group_keys.setdefault(key, describe_path(path, data))
        if isinstance(parent, str) and parent not in by_code:
            problems.append(Problem((*path, "parent"), f"the fund '{parent}' is not defined in this profile"))
        shares = [((*path, "shares", i), s) for i, s in enumerate(group.get("shares") or []) if isinstance(s, dict)]
        _duplicates(shares, "fund", "fund in this split", problems)
        total = Decimal("0")
        complete = True
        for share_path, share in shares:
            child, percentage = share.get("fund"), _number(share.get("percentage"))
            if isinstance(child, str) and child not in by_code:
                problems.append(Problem((*share_path, "fund"), f"the fund '{child}' is not defined in this profile"))
            elif isinstance(child, str) and isinstance(parent, str) and by_code[child][1].get("parent") != parent:
                problems.append(
                    Problem(
                        (*share_path, "fund"),
                        f"'{child}' is not a sub-fund of '{parent}' (set parent: {parent} on the fund)",
                    )
                )
            if percentage is None:
                complete = False
                continue
            if percentage != percentage.quantize(PENNY):
                problems.append(Problem((*share_path, "percentage"), f"{percentage} has more than two decimal places"))
            total += percentage
        if shares and complete and total != HUNDRED:
            problems.append(
                Problem((*path, "shares"), f"the shares of '{parent}' from {when} add up to {total}%, not 100%")
            )
    return problems


def _threshold_and_tier_problems(data) -> list[Problem]:
    problems: list[Problem] = []
    thresholds = _items(data, "procurement_thresholds")
    seen = {}
    for path, threshold in thresholds:
        _check_money((*path, "amount"), threshold.get("amount"), problems)
        key = (threshold.get("regime"), threshold.get("category"), threshold.get("effective_from"))
        if key in seen:
            problems.append(Problem(path, f"the same regime, category and effective date is already at {seen[key]}"))
        seen.setdefault(key, describe_path(path, None))

    sets = defaultdict(list)
    for path, tier in _items(data, "standing_order_tiers"):
        _check_money((*path, "min_value"), tier.get("min_value"), problems)
        _check_money((*path, "max_value"), tier.get("max_value"), problems)
        if tier.get("tender_required") is True and not tier.get("procedures"):
            problems.append(Problem((*path, "procedures"), "a tier that needs a tender must list its procedures"))
        if tier.get("tender_required") is False and tier.get("procedures"):
            problems.append(Problem((*path, "procedures"), "only a tier that needs a tender lists procedures"))
        low, high = _number(tier.get("min_value")), _number(tier.get("max_value"))
        if low is None or (tier.get("max_value") is not None and high is None):
            continue  # the schema has reported the bad value
        if high is not None and high <= low:
            problems.append(
                Problem(
                    (*path, "max_value"),
                    f"max_value ({_pounds(high)}) must be more than min_value ({_pounds(low)})",
                )
            )
            continue
        if isinstance(tier.get("effective_from"), str):
            sets[tier["effective_from"]].append((low, high, path))
    for when, tiers in sets.items():
        tiers.sort(key=lambda t: t[0])
        if tiers[0][0] != 0:
            problems.append(
                Problem(
                    (*tiers[0][2], "min_value"),
                    f"the lowest tier from {when} starts at {_pounds(tiers[0][0])}, not £0, so smaller "
                    "purchases would have no route",
                )
            )
        for (low_a, high_a, path_a), (low_b, _high_b, path_b) in zip(tiers, tiers[1:], strict=False):
            where = describe_path(path_a, data)
            if low_a == low_b:
                problems.append(
                    Problem((*path_b, "min_value"), f"two tiers from {when} start at {_pounds(low_b)} ({where})")
                )
            elif high_a is None or low_b < high_a:
                upper = "with no upper value" if high_a is None else f"up to {_pounds(high_a)}"
                problems.append(
                    Problem((*path_b, "min_value"), f"overlaps {where}, which runs from {_pounds(low_a)} {upper}")
                )
            elif low_b > high_a:
                problems.append(
                    Problem(
                        (*path_b, "min_value"),
                        f"leaves a gap from {_pounds(high_a)} to {_pounds(low_b)} after {where}",
                    )
                )
    return problems
