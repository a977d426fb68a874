"""The role × URL permission matrix (issue 3): each app lists its URLs in tests/url_matrix.py.

An app's url_matrix module defines
    setup(world)   -- create the objects its URLs need and set them as attributes of `world`
                      (world.users maps role value -> User; world.opcc is the OPCC organisation)
    CASES          -- a list of UrlCase, one per URL name of the app (every name must appear)
The project test (tests/test_url_matrix.py) fails when a URL pattern has no case.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from commissioning.accounts.roles import Role

ANONYMOUS = "anonymous"
ALL_ROLES = [r.value for r in Role]


def expect(default: int, *, anonymous: int = 302, **by_role: int) -> dict[str, int]:
    """Expected status per role: `default` for every role not named, `anonymous` for a signed-out visitor."""
    unknown = set(by_role) - set(ALL_ROLES)
    if unknown:
        raise ValueError(f"Unknown roles in expectation: {sorted(unknown)}")
    table = {role: by_role.get(role, default) for role in ALL_ROLES}
    table[ANONYMOUS] = anonymous
    return table


def roles(*names, status: int) -> dict[str, int]:
    """Helper: roles("pcc", "cfo", status=200) -> {"pcc": 200, "cfo": 200} to splat into expect()."""
    return {str(name): status for name in names}


@dataclass
class UrlCase:
    url_name: str
    expected: dict[str, int]
    kwargs: Callable[[object], dict] = field(default=lambda world: {})
    query: str = ""
