"""Areas for OPCC staff: applications to score, signatures and decisions, and running grant rounds."""

from django.urls import reverse

from commissioning.agreements import selectors as agreement_selectors
from commissioning.agreements.models import SafetyFundReview
from commissioning.core.dates import long_date
from commissioning.core.money import format_money
from commissioning.grants.models import Approach
from commissioning.grants.selectors import waiting as grant_selectors
from commissioning.home.areas import SHOWN, Area, Item, queue
from commissioning.monitoring import selectors as monitoring_selectors
from commissioning.procurement.selectors import cases as case_selectors
from commissioning.strategy import selectors as strategy_selectors

# --- Assessing --------------------------------------------------------------------------------------------


def _assignment_item(assignment) -> Item:
    application = assignment.application
    if assignment.declaration == "pending":
        url, tag, colour = reverse("grants:assessment_declare", args=[assignment.pk]), "Declare interests", "yellow"
    else:
        url, tag, colour = reverse("grants:assessment_score", args=[assignment.pk]), "To score", "blue"
    return Item(
        label=f"{application.organisation.name}: {application.project_title or application.reference}",
        url=url,
        hint=application.round.name,
        tag=tag,
        tag_colour=colour,
    )


def applications_to_score(user, *, today, keep_when_empty: bool = False) -> Area:
    count, items = queue(grant_selectors.assignments_to_score(user=user), _assignment_item)
    return Area(
        "applications-to-score",
        "Applications to score",
        count,
        items,
        more_url=reverse("grants:my_assessments"),
        empty="You have no applications to score." if keep_when_empty else "",
    )


# --- Signatures and decisions -----------------------------------------------------------------------------


def signatures(user, *, today) -> Area:
    awaiting = strategy_selectors.sign_offs_awaiting(user=user)
    items = [Item(label=a["label"], url=a["url"], tag="Sign", tag_colour="yellow") for a in awaiting]
    return Area("signatures", "Waiting for your signature", len(items), items)


def rounds_to_decide(user, *, today) -> Area:
    def item(grant_round):
        return Item(
            label=grant_round.name,
            url=reverse("grants:round_decision", args=[grant_round.pk]),
            hint=f"{grant_round.scheme.name}: the panel's recommendations are ready",
            tag=f"{grant_round.to_decide} application{'s' if grant_round.to_decide != 1 else ''}",
        )

    count, items = queue(grant_selectors.rounds_to_decide(), item)
    return Area("rounds-to-decide", "Grant rounds to decide", count, items)


def _approach_item(url_name: str, tag: str):
    def item(approach):
        amount = f", {format_money(approach.amount_sought)} sought" if approach.amount_sought else ""
        return Item(
            label=f"{approach.reference}: {approach.summary}",
            url=reverse(url_name, args=[approach.pk]),
            hint=f"{approach.organisation.name}{amount}",
            tag=tag,
        )

    return item


def _approach_area(key, title, status, url_name, tag) -> Area:
    count, items = queue(grant_selectors.approaches_at(status=status), _approach_item(url_name, tag))
    return Area(key, title, count, items, more_url=f"{reverse('grants:approach_list')}?status={status}")


def proposals_to_decide(user, *, today) -> Area:
    return _approach_area(
        "proposals-to-decide",
        "One-off proposals to decide",
        Approach.Status.ASSESSED,
        "grants:proposal_decide",
        "Decide",
    )


def approaches_to_triage(user, *, today) -> Area:
    return _approach_area(
        "approaches-to-triage", "Approaches for funding to triage", Approach.Status.NEW, "grants:approach_triage", "New"
    )


def proposals_to_assess(user, *, today) -> Area:
    return _approach_area(
        "proposals-to-assess",
        "Proposal Forms to assess",
        Approach.Status.PROPOSAL_RECEIVED,
        "grants:proposal_assess",
        "Assess",
    )


def variations_to_approve(user, *, today) -> Area:
    def item(variation):
        agreement = variation.agreement
        return Item(
            label=f"Variation {variation.number} to {agreement.reference}: {variation.get_kind_display().lower()}",
            url=reverse("agreements:variation_decide", args=[agreement.pk, variation.number]),
            hint=agreement.service.name,
            tag="Approve or reject",
            tag_colour="yellow",
        )

    count, items = queue(agreement_selectors.variations_to_decide(user=user), item)
    return Area("variations-to-approve", "Variations to agreements to approve", count, items)


def innovation_to_approve(user, *, today) -> Area:
    def item(prioritisation):
        return Item(
            label=f"Local Innovation Fund ranking for {prioritisation.year.label}",
            url=reverse("grants:prioritisation_detail", args=[prioritisation.pk]),
            hint=f"{prioritisation.fund.name}: {format_money(prioritisation.available)} to allocate",
            tag="Approve",
        )

    count, items = queue(grant_selectors.prioritisations_to_approve(), item)
    return Area("innovation-to-approve", "Innovation rankings to approve", count, items)


def _review_item(tag: str):
    def item(review):
        return Item(
            label=f"Pre-year review of the {review.fund.name} for {review.year.label}",
            url=reverse("agreements:review_detail", args=[review.pk]),
            hint=review.get_status_display(),
            tag=tag,
        )

    return item


def safety_fund_reviews_to_approve(user, *, today) -> Area:
    reviews = agreement_selectors.reviews_at(statuses=[SafetyFundReview.Status.SUBMITTED])
    count, items = queue(reviews, _review_item("Approve or return"))
    return Area(
        "reviews-to-approve", "Pre-year reviews to approve", count, items, more_url=reverse("agreements:review_list")
    )


def safety_fund_reviews_to_prepare(user, *, today) -> Area:
    statuses = [SafetyFundReview.Status.DRAFT, SafetyFundReview.Status.RETURNED]
    count, items = queue(agreement_selectors.reviews_at(statuses=statuses), _review_item("Prepare"))
    return Area(
        "reviews-to-prepare", "Pre-year reviews to prepare", count, items, more_url=reverse("agreements:review_list")
    )


def strategy_reviews_due(user, *, today) -> Area:
    items = [
        Item(
            label=reminder.version.document.title,
            url=reverse("strategy:document_detail", args=[reminder.version.document.pk]),
            hint=(
                f"Version {reminder.version.number} is in force; the annual review "
                f"{'was due on' if reminder.overdue else 'is due by'} {long_date(reminder.version.review_due_on)}"
            ),
            tag="Overdue" if reminder.overdue else "Due soon",
            tag_colour="red" if reminder.overdue else "blue",
        )
        for reminder in strategy_selectors.strategy_review_reminders(today=today)
    ]
    return Area("strategy-reviews", "Strategy reviews due", len(items), items)


def strategy_drafts(user, *, today) -> Area:
    items = [
        Item(label=d["label"], url=d["url"], hint=d["hint"], tag="Draft") for d in strategy_selectors.drafts_to_submit()
    ]
    return Area("strategy-drafts", "Strategy drafts to send for sign-off", len(items), items)


# --- Running grant rounds and grants ------------------------------------------------------------------------


def rounds_to_progress(user, *, today) -> Area:
    count, stages = grant_selectors.rounds_to_progress(limit=SHOWN)
    items = []
    for row in stages:
        parts = [
            (row.to_check, "to check for eligibility"),
            (row.to_assign, "to assign assessors to"),
            (row.being_scored, "with their assessors"),
            (row.to_moderate, "to moderate"),
            (row.to_recommend, "to recommend"),
        ]
        hint = "; ".join(f"{n} {words}" for n, words in parts if n)
        items.append(
            Item(
                label=row.round.name,
                url=reverse("grants:assessment_round", args=[row.round.pk]),
                hint=hint[:1].upper() + hint[1:],
                tag=f"{row.waiting} waiting",
            )
        )
    return Area(
        "rounds-to-progress", "Grant rounds to progress", count, items, more_url=reverse("grants:assessment_index")
    )


def reports_to_sign_off(user, *, today) -> Area:
    def item(report):
        application = report.award.application
        return Item(
            label=f"{application.reference}: {application.project_title}",
            url=reverse("grants:report_review", args=[report.award_id]),
            hint=application.organisation.name,
            tag="Sign off",
        )

    count, items = queue(grant_selectors.reports_to_sign_off(), item)
    return Area("reports-to-sign-off", "End-of-grant reports to sign off", count, items)


def overdue_reports(user, *, today) -> Area:
    count = grant_selectors.awards_with_overdue_reports(today=today).count()
    url = f"{reverse('grants:award_list')}?overdue=on"
    items = [Item(label="Grants with an overdue end-of-grant report", url=url, tag=str(count), tag_colour="red")]
    return Area("overdue-reports", "Overdue end-of-grant reports", count, items if count else [], more_url=url)


def returns_to_check(user, *, today) -> Area:
    def item(kpi_return):
        return Item(
            label=f"{kpi_return.service.name}: return for {kpi_return.period_label}",
            url=reverse("monitoring:return_detail", args=[kpi_return.pk]),
            hint=f"From {kpi_return.service.provider.name}",
            tag="Accept or query",
            tag_colour="yellow",
        )

    count, items = queue(monitoring_selectors.returns_to_check(user=user), item)
    return Area("returns-to-check", "Monitoring returns to check", count, items)


# --- Strategic reviews and exits (issue 11, points 4 and 5) -------------------------------------------------


def _strategic_review_item(tag: str, colour: str = "blue"):
    def item(review):
        agreement = review.agreement
        return Item(
            label=f"{agreement.reference}: {agreement.service.name}",
            url=reverse("monitoring:strategic_review_detail", args=[review.pk]),
            hint=f"Ends {long_date(review.agreement_ends_on)}; {review.get_status_display().lower()}",
            tag=tag,
            tag_colour=colour,
        )

    return item


def strategic_reviews_to_carry_out(user, *, today) -> Area:
    count, items = queue(monitoring_selectors.reviews_to_carry_out(), _strategic_review_item("Review"))
    return Area(
        "strategic-reviews",
        "Strategic reviews to carry out",
        count,
        items,
        more_url=reverse("monitoring:strategic_review_list"),
    )


def strategic_reviews_to_decide(user, *, today) -> Area:
    if not user.has_perm("monitoring.decide_review"):
        return Area("strategic-reviews-to-decide", "Strategic reviews to decide", 0)
    count, items = queue(monitoring_selectors.reviews_to_decide(), _strategic_review_item("Decide", "yellow"))
    return Area("strategic-reviews-to-decide", "Strategic reviews to decide", count, items)


def agreements_to_end(user, *, today) -> Area:
    """Reviews decided as an end with no exit recorded, then exits whose end date has come."""

    def exit_item(agreement_exit):
        agreement = agreement_exit.agreement
        return Item(
            label=f"{agreement.reference}: {agreement.service.name}",
            url=reverse("monitoring:agreement_exit_detail", args=[agreement_exit.pk]),
            hint=f"Ended {long_date(agreement_exit.ends_on)}",
            tag="Mark ended",
        )

    def review_item(review):
        return Item(
            label=f"{review.agreement.reference}: {review.agreement.service.name}",
            url=reverse("monitoring:agreement_exit_start", args=[review.agreement_id]),
            hint="The strategic review decided to end it",
            tag="Record the exit",
            tag_colour="yellow",
        )

    to_record, record_items = queue(monitoring_selectors.reviews_awaiting_exit(), review_item)
    to_complete, complete_items = queue(monitoring_selectors.exits_to_complete(today=today), exit_item)
    items = (record_items + complete_items)[:SHOWN]
    return Area("agreements-to-end", "Agreements to end", to_record + to_complete, items)


# --- Priority commissioning ------------------------------------------------------------------------------------


def commissioning_cases(user, *, today) -> Area:
    """Open commissioning cases with what each needs next: the pipeline's first rows."""

    def item(case):
        return Item(
            label=f"{case.reference}: {case.title}",
            url=reverse("procurement:case_detail", args=[case.pk]),
            hint=f"Next: {case_selectors.next_step(case, today=today)}",
            tag=case.get_stage_display(),
        )

    if not user.has_perm("procurement.view_pipeline"):
        return Area("commissioning-cases", "Commissioning cases", 0)
    count, items = queue(case_selectors.pipeline(user=user), item)
    return Area("commissioning-cases", "Commissioning cases", count, items, more_url=reverse("procurement:pipeline"))
