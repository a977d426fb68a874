"""Writes to funds. Each runs in a transaction."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.funds.models import Fund, FundSplit

HUNDRED = Decimal("100")


def split_share_problems(shares: dict[str, Decimal]) -> list[str]:
    """What is wrong with one parent's shares on one date ({child code: percentage}); empty when fine."""
    problems = []
    for code, percentage in shares.items():
        if not Decimal("0") < percentage <= HUNDRED:
            problems.append(f"the share for {code} is {percentage}%; it must be more than 0% and at most 100%")
        elif percentage != percentage.quantize(Decimal("0.01")):
            problems.append(f"the share for {code} ({percentage}%) has more than two decimal places")
    total = sum(shares.values(), Decimal("0"))
    if shares and total != HUNDRED:
        problems.append(f"the shares add up to {total}%, not 100%")
    return problems


@transaction.atomic
def fund_split_set(
    *, parent: Fund, effective_from: datetime.date, shares: dict[Fund, Decimal], reason: str = ""
) -> dict[str, int]:
    """Make `shares` the split of `parent` from `effective_from`: adds, changes and removes rows.

    Returns counts {"created", "updated", "unchanged", "deleted"}. Refuses shares that do not add up to 100%.
    """
    problems = split_share_problems({child.code: Decimal(p) for child, p in shares.items()})
    problems += [f"{child.code} is not a sub-fund of {parent.code}" for child in shares if child.parent_id != parent.pk]
    if problems:
        raise ValidationError(problems)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}
    existing = {s.child_id: s for s in FundSplit.objects.filter(parent=parent, effective_from=effective_from)}
    for child, percentage in shares.items():
        percentage = Decimal(percentage).quantize(Decimal("0.01"))
        split = existing.pop(child.pk, None)
        if split is None:
            split = FundSplit(parent=parent, child=child, effective_from=effective_from, percentage=percentage)
            counts["created"] += 1
        elif split.percentage != percentage:
            split.percentage = percentage
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
            continue
        split._change_reason = reason
        split.full_clean()
        split.save()
    for split in existing.values():
        split.delete()
        counts["deleted"] += 1
    return counts
