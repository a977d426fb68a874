"""Offline validation against the vendored 360Giving schema (standards/360giving, version 1.4.3)."""

import json
from functools import cache

from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from commissioning.transparency.giving import SCHEMA_DIR


@cache
def package_validator():
    grant = json.loads((SCHEMA_DIR / "360-giving-schema.json").read_text())
    package = json.loads((SCHEMA_DIR / "360-giving-package-schema.json").read_text())
    registry = Registry().with_resource(grant["$id"], Resource.from_contents(grant, default_specification=DRAFT202012))
    cls = validator_for(package, default=Draft202012Validator)
    return cls(package, registry=registry, format_checker=cls.FORMAT_CHECKER)


def errors(package: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in package_validator().iter_errors(package)]
