"""Reading and checking an OPCC profile before anything is written.

Three layers, each reporting every problem it finds (not just the first):
1. YAML: syntax errors with their line number; duplicate keys (which YAML would silently overwrite).
2. JSON Schema (schema.json, draft 2020-12): shapes, required keys, types, dates, codes.
3. Semantic rules in code: cross-references, duplicates, sums, overlaps and date order.

A problem names the file, the line where known, the entry (e.g. ``funds[6] (code: victims-csa)``) and what is
wrong.
"""

import datetime
import difflib
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import jsonschema
import yaml

SCHEMA_PATH = Path(__file__).with_name("schema.json")
HUNDRED = Decimal("100")
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Problem:
    path: tuple  # keys and list indexes from the top of the document; () for the whole file
    message: str
    line: int | None = None


class ProfileError(Exception):
    """A profile that cannot be loaded. `problems` lists every problem found, each as one readable line."""

    def __init__(self, file: str, problems: list[str]):
        self.file = file
        self.problems = problems
        super().__init__(str(self))

    def __str__(self):
        count = len(self.problems)
        heading = f"{self.file}: {count} problem{'s' if count != 1 else ''} found, nothing was changed:"
        return "\n".join([heading, *(f"  - {p}" for p in self.problems)])


# --- YAML -----------------------------------------------------------------------------------------------

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _ProfileYamlLoader(yaml.SafeLoader):
    """SafeLoader keeping dates as text (the schema checks them) and reading decimals as Decimal."""


_ProfileYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_decimal(loader, node):
    text = loader.construct_scalar(node).replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text  # .inf / .nan: left as text so the schema reports "not a number"
    return value if value.is_finite() else text


_ProfileYamlLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _walk_nodes(node, path, lines, problems):
    """Record the line of every value by its path, and report duplicate keys."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key == "<<":
                continue
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(
                        path,
                        f"the key '{key}' appears twice (lines {seen[key]} and {line}); "
                        "YAML would silently keep only the last one",
                        line,
                    )
                )
            seen[key] = line
            _walk_nodes(value_node, (*path, key), lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk_nodes(item, (*path, index), lines, problems)


def parse_yaml(text: str) -> tuple[object, dict[tuple, int], list[Problem]]:
    """The document, the line of each path, and problems (a syntax error stops here with its line)."""
    loader = _ProfileYamlLoader(text)
    lines: dict[tuple, int] = {}
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines, [Problem((), "the file is empty", 1)]
        _walk_nodes(node, (), lines, problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = "; ".join(str(p) for p in (exc.context, exc.problem) if p)
        return None, lines, [Problem((), f"YAML syntax error: {detail}", mark.line + 1 if mark else None)]
    except yaml.YAMLError as exc:
        return None, lines, [Problem((), f"YAML error: {exc}")]
    finally:
        loader.dispose()
    return data, lines, problems


# --- naming entries -------------------------------------------------------------------------------------


def _identity(item) -> str:
    """How an entry names itself in messages: its code, number, name or other stable key."""
    if not isinstance(item, dict):
        return ""
    for key in ("code", "number", "name", "title", "sector", "fund"):
        if isinstance(item.get(key), str | int | Decimal) and not isinstance(item.get(key), bool):
            return f"{key}: {item[key]}"
    keys = [k for k in ("regime", "category", "parent", "effective_from") if isinstance(item.get(k), str)]
    return ", ".join(f"{k}: {item[k]}" for k in keys)


def describe_path(path: tuple, data) -> str:
    """``partners[3].areas_of_interest[1] (in code: nhs-england)``, ``funds[6] (code: victims-csa)``."""
    if not path:
        return "the whole file"
    text, node, named, named_is_last = "", data, "", False
    for position, segment in enumerate(path):
        if isinstance(segment, int):
            text += f"[{segment}]"
            node = node[segment] if isinstance(node, list) and segment < len(node) else None
            identity = _identity(node)
            if identity:
                named, named_is_last = identity, position == len(path) - 1
        else:
            text += f".{segment}" if text else str(segment)
            node = node.get(segment) if isinstance(node, dict) else None
            named_is_last = False
    if named:
        text += f" ({named})" if named_is_last else f" (in {named})"
    return text


def _line_for(path: tuple, lines: dict[tuple, int]) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def format_problems(file: str, data, lines: dict[tuple, int], problems: list[Problem]) -> list[str]:
    out = []
    for problem in sorted(problems, key=lambda p: p.line or _line_for(p.path, lines) or 0):
        line = problem.line or _line_for(problem.path, lines)
        where = f"{file}, line {line}" if line else file
        entry = f"{describe_path(problem.path, data)}: " if problem.path else ""
        out.append(f"{where}: {entry}{problem.message}")
    return out


# --- JSON Schema ----------------------------------------------------------------------------------------


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


_TYPE_NAMES = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys to values",
    "null": "empty",
}


def _kind_of(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | Decimal):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty" if value is None else type(value).__name__


def _schema_message(error: jsonschema.ValidationError) -> str:
    hint = error.schema.get("x-hint") if isinstance(error.schema, dict) else None
    value = error.instance
    if error.validator == "required":
        missing = [k for k in error.validator_value if not (isinstance(value, dict) and k in value)]
        return f"the required key '{missing[0] if missing else error.validator_value}' is missing"
    if error.validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        parts = []
        for key in extras:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            parts.append(f"'{key}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
        return f"unknown key {', '.join(parts)}; allowed keys are {', '.join(allowed)}"
    if error.validator == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        message = f"must be {' or '.join(_TYPE_NAMES.get(w, w) for w in wanted)}, not {_kind_of(value)}"
        if "string" in wanted and isinstance(value, int | Decimal):
            message += f' (put it in quotes: "{value}")'
        return message + (f"; expected {hint}" if hint else "")
    if error.validator == "format" and error.validator_value == "date":
        return f"'{value}' is not a real date; write dates as YYYY-MM-DD, such as 2017-04-01"
    if error.validator == "pattern":
        return f"'{value}' is not {hint}" if hint else f"'{value}' does not match {error.validator_value}"
    if error.validator == "enum":
        return f"'{value}' is not one of: {', '.join(str(v) for v in error.validator_value)}"
    if error.validator == "const":
        return f"must be {error.validator_value!r}, not {value!r}"
    if error.validator in {"minLength", "minItems"}:
        return "must not be empty"
    if error.validator == "maxLength":
        return f"is {len(value)} characters long; the most allowed is {error.validator_value}"
    if error.validator in {"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"}:
        words = {
            "minimum": "at least",
            "exclusiveMinimum": "more than",
            "maximum": "at most",
            "exclusiveMaximum": "less than",
        }
        return f"{value} must be {words[error.validator]} {error.validator_value}"
    return error.message


def schema_problems(data) -> list[Problem]:
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return [Problem(tuple(e.absolute_path), _schema_message(e)) for e in errors]


# --- semantic rules -------------------------------------------------------------------------------------


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


def validate(data) -> list[Problem]:
    """Every schema and semantic problem in a parsed profile."""
    return schema_problems(data) + semantic_problems(data)
