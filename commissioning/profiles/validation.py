"""Reading and checking an OPCC profile before anything is written.

Three layers, each reporting every problem it finds (not just the first):
1. YAML: syntax errors with their line number; duplicate keys (which YAML would silently overwrite).
2. JSON Schema (schema.json, draft 2020-12): shapes, required keys, types, dates, codes.
3. Semantic rules in code: cross-references, duplicates, sums, overlaps and date order (semantics.py).

A problem (problems.py) names the file, the line where known, the entry (e.g. ``funds[6] (code: victims-csa)``)
and what is wrong.
"""

import difflib
import json
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import jsonschema
import yaml

from commissioning.profiles.problems import Problem, ProfileError, describe_path, format_problems
from commissioning.profiles.semantics import semantic_problems

__all__ = [
    "Problem",
    "ProfileError",
    "describe_path",
    "format_problems",
    "parse_yaml",
    "schema_problems",
    "semantic_problems",
    "validate",
]

SCHEMA_PATH = Path(__file__).with_name("schema.json")


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


def validate(data) -> list[Problem]:
    """Every schema and semantic problem in a parsed profile."""
    return schema_problems(data) + semantic_problems(data)
