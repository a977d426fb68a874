"""Delegated authority: a decision that one permission authorises may carry out steps that other apps'
services check with their own permissions.

Example: the PCC's decision to fund a one-off proposal (grants.decide_proposal) carries out the creation of a
service, an agreement and a commitment, whose services check agreements.* and funds.* permissions the PCC does
not hold day to day. Rather than skip those services' checks (and their budget, ring-fence and date rules),
the deciding service passes `acting_with_authority(actor, {...})`: the same person, allowed exactly the
listed extra permissions for this call. History rows still name the person. See docs/decisions/0003.
"""

import copy
from collections.abc import Iterable


def acting_with_authority(user, permissions: Iterable[str], *, only: bool = False):
    """A copy of `user` that may also do `permissions` (with only=True: just those, nothing of their own)."""
    granted = frozenset(permissions)
    own = user.has_perm
    delegate = copy.copy(user)

    def has_perm(perm, obj=None):
        return perm in granted or (not only and own(perm, obj))

    delegate.has_perm = has_perm
    return delegate
