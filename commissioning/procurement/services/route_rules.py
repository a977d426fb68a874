"""Working out the route to market (issue 10, point 4): never guessed, always from dated configuration.

From the estimated whole-life value (including VAT, as the Act's thresholds are), the date the procurement begins and
the category (light-touch services have their own threshold) this works out
- the regime: the procurement law in force on that date (core.ProcurementRegimeStart, from the profile);
- whether the value reaches the regime's threshold for the category (procurement.ProcurementThreshold);
- the standing-order tier (procurement.StandingOrderTier) and so the least route allowed: how many written quotes,
  or a tender and the procedures allowed;
- the notices the case must publish, and the standstill.

An officer may choose a stricter route, never a looser one (check_choice); a direct award needs an approved exemption.
Pure reads: nothing here writes.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from commissioning.core.models import procurement_regime_on
from commissioning.core.money import format_money
from commissioning.procurement.models import NoticeKind, ProcurementRoute, Regime, StandingOrderTier, ThresholdCategory
from commissioning.procurement.models.config import TENDER_PROCEDURES
from commissioning.procurement.selectors.config import threshold_for, tier_for

# The Act's procedures; the 2015 regulations' open procedure is the one offered under them here.
PROCEDURES_BY_REGIME = {
    Regime.PA_2023: (ProcurementRoute.OPEN, ProcurementRoute.COMPETITIVE_FLEXIBLE),
    Regime.PCR_2015: (ProcurementRoute.OPEN,),
}
STANDSTILL = {Regime.PA_2023: "8 working days", Regime.PCR_2015: "10 calendar days"}
# How strict a route is: a higher rank is stricter.
RANK = {
    ProcurementRoute.DIRECT_AWARD: 0,
    ProcurementRoute.QUOTES: 1,
    ProcurementRoute.OPEN: 2,
    ProcurementRoute.COMPETITIVE_FLEXIBLE: 2,
}


class RouteProblem(ValueError):
    """The route cannot be worked out (no configuration in force) or the choice is not allowed; the message says
    why in words for the page."""


@dataclass(frozen=True)
class RequiredNotice:
    kind: str
    why: str

    @property
    def label(self) -> str:
        return NoticeKind(self.kind).label


@dataclass(frozen=True)
class RoutePlan:
    value: Decimal
    begins_on: dt.date
    light_touch: bool
    regime: str
    regime_name: str
    tier: StandingOrderTier
    threshold: Decimal | None
    above_threshold: bool
    publication_threshold: Decimal | None
    tender_required: bool
    quotes_required: int
    procedures: tuple[str, ...]
    standstill: str
    notices: tuple[RequiredNotice, ...] = field(default=())

    @property
    def required_route(self) -> str:
        return self.procedures[0] if self.tender_required else ProcurementRoute.QUOTES

    @property
    def required_route_label(self) -> str:
        if not self.tender_required:
            return "One price" if self.quotes_required == 1 else f"At least {self.quotes_required} written quotes"
        return " or ".join(ProcurementRoute(p).label.lower() for p in self.procedures).capitalize()

    @property
    def allowed_routes(self) -> list[tuple[str, str]]:
        """The routes the officer may choose: the required one and every stricter one."""
        routes = []
        if not self.tender_required:
            routes.append((ProcurementRoute.QUOTES, ProcurementRoute.QUOTES.label))
        tender = self.procedures if self.tender_required else PROCEDURES_BY_REGIME[Regime(self.regime)]
        routes += [(p, ProcurementRoute(p).label) for p in tender]
        return routes


def work_out(
    *, value, begins_on: dt.date, light_touch: bool, market_engagement: bool = False, direct_award: bool = False
) -> RoutePlan:
    """The route a procurement of `value` (pounds including VAT, Decimal or str) begun on `begins_on` requires.

    `market_engagement`: preliminary market engagement was carried out (the Act then wants its notice).
    `direct_award`: an approved exemption replaces the competition (the notices change)."""
    if isinstance(value, float):
        raise TypeError("Money must not be a float; pass a string or Decimal.")
    value = Decimal(value)
    if value <= 0:
        raise RouteProblem("Enter the estimated whole-life value before working out the route")
    regime_row = procurement_regime_on(begins_on)
    if regime_row is None or regime_row.regime not in Regime.values:
        raise RouteProblem(
            f"No procurement law is configured for {begins_on:%-d %B %Y}: load the profile's procurement_regimes"
        )
    regime = Regime(regime_row.regime)
    tier = tier_for(value, begins_on)
    if tier is None:
        raise RouteProblem(f"No standing-order tiers are in force on {begins_on:%-d %B %Y}")
    category = ThresholdCategory.LIGHT_TOUCH if light_touch else ThresholdCategory.SUB_CENTRAL_GOODS_SERVICES
    threshold_row = threshold_for(regime, category, begins_on)
    threshold = threshold_row.amount if threshold_row else None
    above = threshold is not None and value >= threshold
    publication_row = threshold_for(regime, ThresholdCategory.BELOW_THRESHOLD_PUBLICATION, begins_on)
    publication = publication_row.amount if publication_row else None
    regime_procedures = PROCEDURES_BY_REGIME[regime]
    tender_required = above or tier.tender_required
    if tender_required:
        listed = [p for p in (tier.procedures or TENDER_PROCEDURES) if p in regime_procedures]
        procedures = tuple(listed or regime_procedures)
        quotes = tier.quotes_required
    else:
        procedures, quotes = (), tier.quotes_required
    notices = _notices(
        regime=regime,
        above=above,
        value=value,
        publication=publication,
        threshold=threshold,
        tender=tender_required,
        market_engagement=market_engagement,
        direct_award=direct_award,
    )
    return RoutePlan(
        value=value,
        begins_on=begins_on,
        light_touch=light_touch,
        regime=regime.value,
        regime_name=regime.label,
        tier=tier,
        threshold=threshold,
        above_threshold=above,
        publication_threshold=publication,
        tender_required=tender_required,
        quotes_required=quotes,
        procedures=procedures,
        standstill=STANDSTILL[regime] if above else "",
        notices=tuple(notices),
    )


def _notices(*, regime, above, value, publication, threshold, tender, market_engagement, direct_award):
    notices = []
    over = f"the value reaches the {format_money(threshold)} threshold" if above else ""
    published_below = publication is not None and value >= publication and not above
    if regime == Regime.PA_2023:
        if above and market_engagement and not direct_award:
            notices.append(
                RequiredNotice(
                    NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT,
                    "Preliminary market engagement was carried out (Procurement Act 2023, section 17)",
                )
            )
        if direct_award and above:
            notices.append(
                RequiredNotice(NoticeKind.TRANSPARENCY, f"A direct award where {over} (Procurement Act 2023, s44)")
            )
        elif above:
            notices.append(RequiredNotice(NoticeKind.TENDER, f"A competitive tendering procedure where {over}"))
        if above and not direct_award:
            notices.append(
                RequiredNotice(NoticeKind.CONTRACT_AWARD, f"Before the contract is made, where {over} (section 50)")
            )
        if above or published_below:
            why = (
                f"Within 30 days of the contract being made, where {over} (section 53)"
                if above
                else f"A regulated below-threshold contract of {format_money(publication)} or more (section 87)"
            )
            notices.append(RequiredNotice(NoticeKind.CONTRACT_DETAILS, why))
    else:
        if above and not direct_award:
            notices.append(RequiredNotice(NoticeKind.TENDER, f"A contract notice where {over} (PCR 2015)"))
        if above:
            notices.append(RequiredNotice(NoticeKind.CONTRACT_AWARD, f"Within 30 days of the award, where {over}"))
        if published_below:
            notices.append(
                RequiredNotice(
                    NoticeKind.BELOW_THRESHOLD,
                    f"A contract of {format_money(publication)} or more on Contracts Finder (PCR 2015, Part 4)",
                )
            )
    if tender and not above and not direct_award and regime == Regime.PA_2023 and published_below:
        notices.insert(0, RequiredNotice(NoticeKind.TENDER, "A below-threshold tender that is advertised (s86)"))
    return notices


def check_choice(plan: RoutePlan, *, route: str, quotes: int | None = None) -> None:
    """RouteProblem unless `route` (with `quotes` written quotes) is the required route or a stricter one. A direct
    award is never a choice: it needs an exemption approved by the role the profile names."""
    if route not in RANK:
        raise RouteProblem("Choose a route from the list")
    if route == ProcurementRoute.DIRECT_AWARD:
        raise RouteProblem("A direct award needs an exemption, recorded and approved: request one instead")
    if route == ProcurementRoute.QUOTES:
        if plan.tender_required:
            raise RouteProblem(f"Quotes are not enough: the value needs a tender ({plan.required_route_label.lower()})")
        if quotes is None or quotes < plan.quotes_required:
            raise RouteProblem(
                f"Ask for at least {plan.quotes_required} written quote{'s' if plan.quotes_required != 1 else ''}"
            )
        return
    allowed = plan.procedures if plan.tender_required else PROCEDURES_BY_REGIME[Regime(plan.regime)]
    if route not in allowed:
        raise RouteProblem(
            f"The {ProcurementRoute(route).label.lower()} is not allowed here: choose "
            + " or ".join(ProcurementRoute(p).label.lower() for p in allowed)
        )


def is_stricter(plan: RoutePlan, *, route: str, quotes: int | None = None) -> bool:
    """The choice goes beyond what is required (the officer gives a reason)."""
    if route == ProcurementRoute.QUOTES:
        return (quotes or 0) > plan.quotes_required
    return RANK[route] > RANK[ProcurementRoute(plan.required_route)]
