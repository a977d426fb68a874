"""The role × URL matrix shared by the project's tests: every app's cases (commissioning/<app>/tests/url_matrix.py,
contract in commissioning/core/testing.py) and the world of objects they need.

tests/test_url_matrix.py checks each role's status code on each URL; tests/test_page_titles.py and
tests/browser/test_every_page_axe.py reuse the same world to visit every page.
"""

import importlib
import pkgutil
from types import SimpleNamespace

from django.urls import URLPattern, URLResolver, get_resolver, reverse

import commissioning
from commissioning.organisations.models import Organisation
from commissioning.testing.matrix import ALL_ROLES, ANONYMOUS

# The Django admin is one entry: its own login guards it, and only administrators may enter.
# The provider API ("api") takes a token, never a session, so every role's session gets 401 there; its
# permissions (a token sees only its organisation's services) are tested in monitoring/tests/test_api.py.
EXCLUDED_NAMESPACES = {"admin", "api"}


def _matrix_modules():
    modules = []
    for info in pkgutil.iter_modules(commissioning.__path__):
        try:
            modules.append(importlib.import_module(f"commissioning.{info.name}.tests.url_matrix"))
        except ModuleNotFoundError as exc:
            if exc.name != f"commissioning.{info.name}.tests.url_matrix" and not exc.name.endswith(".tests"):
                raise
    return modules


MODULES = _matrix_modules()
CASES = [case for module in MODULES for case in module.CASES]


def url_names(resolver=None, namespace=""):
    """Every named URL pattern of the project, namespaced ("funds:payment_list"), without the admin."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from url_names(entry, full)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def build_world(users):
    """The objects every app's cases need (each app's url_matrix.setup), for the `users` fixture's people."""
    world = SimpleNamespace(users=users)
    world.opcc = Organisation.objects.create(name="Test OPCC", kind=Organisation.Kind.OPCC)
    for module in MODULES:
        if hasattr(module, "setup"):
            module.setup(world)
    return world


def case_url(case, world) -> str:
    return reverse(case.url_name, kwargs=case.kwargs(world)) + (f"?{case.query}" if case.query else "")


def permitted_role(case, status: int = 200) -> str | None:
    """A role (or ANONYMOUS) the case expects to get `status`, preferring signed-in staff-like roles in a fixed
    order so runs are repeatable; None when nobody does."""
    for who in [*ALL_ROLES, ANONYMOUS]:
        if case.expected.get(who) == status:
            return who
    return None
