"""Areas for outside organisations: an applicant's applications, offers and reports; a provider's services; a
partner's co-funded services; Proposal Forms asked for."""

from django.urls import reverse
from django.utils import timezone

from commissioning.agreements import selectors as agreement_selectors
from commissioning.core.dates import long_date
from commissioning.core.money import format_money
from commissioning.grants.models import Application
from commissioning.grants.selectors import applications as application_selectors
from commissioning.grants.selectors import waiting as grant_selectors
from commissioning.home.areas import Area, Item, due, queue
from commissioning.monitoring import selectors as monitoring_selectors
from commissioning.procurement.selectors import bids as bid_selectors
from commissioning.procurement.selectors import tenders as tender_selectors


def offers_to_answer(user, *, today) -> Area:
    def item(award):
        application = award.application
        return Item(
            label=f"{format_money(award.amount)} for {application.project_title}",
            url=reverse("grants:award_accept", args=[award.pk]),
            hint=f"{application.round.name}, offered on {long_date(award.awarded_on)}",
            tag="Accept or decline",
            tag_colour="yellow",
        )

    count, items = queue(grant_selectors.offers_to_answer(user=user), item)
    return Area("offers", "Grant offers to accept", count, items)


def reports_to_send(user, *, today) -> Area:
    def item(award):
        when, colour = due(award.report_due_on, today)
        return Item(
            label=f"End-of-grant report for {award.application.project_title}",
            url=reverse("grants:report_edit", args=[award.pk]),
            hint=award.application.reference or "",
            tag=when,
            tag_colour=colour,
        )

    count, items = queue(grant_selectors.reports_to_send(user=user), item)
    return Area("reports-to-send", "End-of-grant reports to send", count, items)


def proposal_forms(user, *, today) -> Area:
    def item(approach):
        return Item(
            label=f"{approach.reference}: {approach.summary}",
            url=reverse("grants:proposal_form", args=[approach.pk]),
            hint="The Commissioning Manager has asked for a Proposal Form",
            tag="To complete",
        )

    count, items = queue(grant_selectors.proposal_forms_to_complete(user=user), item)
    return Area("proposal-forms", "Proposal Forms to complete", count, items)


def your_applications(user, *, today) -> Area:
    def item(application):
        if application.status == Application.Status.DRAFT:
            url = reverse("grants:application_tasks", args=[application.pk])
        else:
            url = reverse("grants:application_detail", args=[application.pk])
        return Item(
            label=application.project_title or "Untitled project",
            url=url,
            hint=application.round.name,
            tag=application.get_status_display(),
            tag_colour="light-blue" if application.status == Application.Status.DRAFT else "grey",
        )

    count, items = queue(application_selectors.application_list_for_applicant(user=user), item)
    return Area(
        "applications",
        "Your applications",
        count,
        items,
        more_url=reverse("grants:application_list_mine"),
        empty="Your organisation has not started an application yet.",
        work=False,
    )


def _service_item(service) -> Item:
    return Item(
        label=service.name,
        url=reverse("agreements:service_detail", args=[service.pk]),
        hint=service.reference,
        tag=service.get_status_display(),
        tag_colour="green" if service.status == "active" else "grey",
    )


def your_services(user, *, today) -> Area:
    services = agreement_selectors.services_visible_to(user).order_by("name", "pk")
    count, items = queue(services, _service_item)
    return Area(
        "services",
        "Your services",
        count,
        items,
        more_url=reverse("agreements:service_list"),
        empty="Your organisation has no services in the register.",
        work=False,
    )


def co_funded_services(user, *, today) -> Area:
    services = agreement_selectors.services_visible_to(user).order_by("name", "pk")
    count, items = queue(services, _service_item)
    return Area(
        "services",
        "Services you co-fund",
        count,
        items,
        more_url=reverse("agreements:service_list"),
        empty="Your organisation does not co-fund any service in the register.",
        work=False,
    )


def returns_to_send(user, *, today) -> Area:
    def item(kpi_return):
        when, colour = due(kpi_return.due_on, today)
        queried = kpi_return.status == "queried"
        return Item(
            label=f"{kpi_return.service.name}: return for {kpi_return.period_label}",
            url=reverse("monitoring:return_detail", args=[kpi_return.pk]),
            hint="Queried by the OPCC: correct and send it again" if queried else "Monitoring return (KPI figures)",
            tag="Queried" if queried else when,
            tag_colour="yellow" if queried else colour,
        )

    count, items = queue(monitoring_selectors.returns_to_send(user=user, today=today), item)
    return Area("returns-to-send", "Monitoring returns to send", count, items)


def opportunities_open(user, *, today) -> Area:
    """A supplier's work: the tenders open for bids, soonest deadline first, with its own bid's state."""
    states = {bid.tender_id: bid for bid in bid_selectors.bids_of_supplier(user=user)}

    def item(tender):
        bid = states.get(tender.pk)
        return Item(
            label=tender.title,
            url=reverse("procurement:opportunity_detail", args=[tender.pk]),
            hint=f"{tender.reference}: bids by {long_date(timezone.localtime(tender.deadline).date())}",
            tag=bid.get_status_display() if bid else "Open for bids",
            tag_colour="green" if bid and bid.status == "submitted" else "light-blue",
        )

    count, items = queue(tender_selectors.opportunities_open(), item)
    return Area(
        "opportunities",
        "Contract opportunities open for bids",
        count,
        items,
        more_url=reverse("procurement:opportunity_list"),
        empty="There are no opportunities open for bids at the moment.",
    )
