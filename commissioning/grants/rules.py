"""Who may do what with grants: one module per part under permissions/, registered on import."""

from commissioning.grants.permissions import apply, assess, awards, proposals  # noqa: F401
