"""The demo's quotes and tenders (issue 10, points 5 and 6), played through the procurement services on the days
they happened in FY 2026/27:

- three invented suppliers, each with a supplier account (the first is the demo supplier sign-in);
- a tender whose deadline has passed: three sealed bids, opened by two officers (the Commissioning Manager starts
  the opening, the Finance Officer confirms it), ready for evaluation;
- a tender still open, its deadline in January 2027: a question answered to every supplier, one bid submitted
  (sealed), and the demo supplier's interest registered, so a supplier finds work on signing in;
- a purchase on the quotes route: three written quotes and the one chosen, with the reason.

Everything is invented. Running it again changes nothing: each tender and case is found by its title first.
"""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.accounts.models import User
from commissioning.accounts.roles import Role
from commissioning.demo.clock import clock_at, moment
from commissioning.organisations.models import Organisation
from commissioning.procurement.models import CommissioningCase, Quote, Tender
from commissioning.procurement.selectors.bids import answerable_criteria
from commissioning.procurement.services import bids as bid_services
from commissioning.procurement.services import planning, routes, specification
from commissioning.procurement.services import quotes as quote_services
from commissioning.procurement.services import tenders as tender_services
from commissioning.strategy.models import Priority

PASSWORD = "demo-password-123"
EMAIL_DOMAIN = "demo.opcc.invalid"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

SUPPLIERS = [
    # (code, name, company number, mailbox, price for the opened tender, price for the open one)
    ("demo-supplier-lantern", "Lantern Advocacy Services (demo)", "99000101", "supplier", "612400.00", None),
    ("demo-supplier-meridian", "Meridian Support CIC (demo)", "99000102", "meridian", "587950.00", "238000.00"),
    ("demo-supplier-oakridge", "Oakridge Care and Justice Ltd (demo)", "99000103", "oakridge", "655000.00", None),
]
OPENED_TITLE = "Independent domestic violence advisers (demo tender)"
OPEN_TITLE = "Restorative justice for young people (demo tender)"
QUOTES_TITLE = "Volunteer safeguarding training (demo quotes)"
CASE_OPENED = dt.date(2026, 5, 1)  # each demo purchase's case is opened, planned and routed on this day


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _supplier(code, name, company_number, mailbox, summary) -> User:
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        organisation = Organisation(
            code=code,
            name=name,
            kind=Organisation.Kind.PROVIDER,
            company_number=company_number,
            description="An invented supplier that bids for the OPCC's contracts.",
            postcode="DT1 9ZZ",
        )
        organisation.full_clean()
        organisation._change_reason = "Demo data (setup_demo)"
        organisation.save()
        summary.counts["created"] += 1
    # The demo supplier sign-in is one of setup_demo's "one demo user per role"; the other suppliers' people use a
    # domain of their own, so they are not counted among those.
    main = mailbox == "supplier"
    email = f"{mailbox}@{EMAIL_DOMAIN}" if main else f"{mailbox}@suppliers.{EMAIL_DOMAIN}"
    values = {
        "display_name": f"Demo {Role.SUPPLIER.label}" if main else "Demo bid manager",
        "job_title": Role.SUPPLIER.label if main else "Bid manager",
        "role": Role.SUPPLIER.value,
        "organisation": organisation,
        "is_active": True,
    }
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=PASSWORD, **values)
        summary.counts["created"] += 1
        return user
    changed = [key for key, value in values.items() if getattr(user, key) != value]
    for key in changed:
        setattr(user, key, values[key])
    if not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        changed.append("password")
    if changed:
        user.full_clean(exclude=["password"])
        user._change_reason = "Demo data (setup_demo)"
        user.save()
    summary.counts["updated" if changed else "unchanged"] += 1
    return user


def _case(title: str, *, route: str, value: str, need: str, lead, users: dict) -> CommissioningCase:
    """The commissioning case the purchase hangs from, made as a user makes one: opened, assessed, consulted on,
    recommended, approved to proceed, specified, and its route worked out and chosen (the planning part's own demo
    makes the fuller cases). Found by its title when it exists."""
    case = CommissioningCase.objects.filter(title=title).first()
    if case is not None:
        return case
    officer, manager, pcc = users[Role.POLICY_OFFICER], users[Role.COMMISSIONING_MANAGER], users[Role.PCC]
    with clock_at(moment(CASE_OPENED)):
        case = planning.case_create(
            actor=officer,
            title=title,
            need_summary=need,
            estimated_value=Decimal(value),
            contract_starts_on=dt.date(2027, 4, 1),
            contract_months=36,
            procurement_starts_on=CASE_OPENED + dt.timedelta(days=30),
            light_touch=route != "quotes",
            lead_officer=lead,
        )
        # Every service in the register serves a plan priority: without one the contract could not be signed.
        priorities = Priority.objects.filter(pillar__plan__is_current=True).order_by("code")[:2]
        planning.needs_update(
            actor=officer,
            case=case,
            priorities=list(priorities or Priority.objects.order_by("pk")[:1]),
            problem=need,
            evidence="Referral figures and what providers and service users told the OPCC.",
            groups_affected="Victims and people at risk across the county.",
        )
        planning.priorities_review_update(
            actor=officer,
            case=case,
            priority_fit="Serves the Police and Crime Plan's priorities for victims.",
            responsibility="opcc",
        )
        planning.engagement_add(
            actor=officer,
            case=case,
            who="Victims' forum",
            service_users=True,
            method="focus_group",
            held_on=CASE_OPENED,
            heard="People want one named worker and appointments outside office hours.",
            changed="The specification asks for both.",
        )
        planning.recommend(actor=manager, case=case, recommendation="Buy the service for three years.")
        planning.approve_to_proceed(actor=pcc, case=case, approve=True, note="A clear, evidenced need.")
        spec = specification.specification_create(actor=officer, case=case)
        specification.specification_update(
            actor=officer,
            spec=spec,
            data={
                "timeliness": "Contact within two working days of referral.",
                "standards": "Trained staff; a safeguarding policy; the Victims' Code.",
                "delivery": "Face to face across the county, by phone and online.",
                "recipients": "People referred by the police, partners or themselves.",
                "outcomes": "People feel safer and better able to cope.",
                "social_value": "Training placements for local people.",
            },
        )
        specification.specification_kpi_add(
            actor=officer, spec=spec, name="People supported", target=100, unit="people"
        )
        specification.specification_approve(actor=manager, spec=spec)
        case.refresh_from_db()
        routes.route_work_out(actor=officer, case=case)
        case.refresh_from_db()
        routes.route_choose(
            actor=officer,
            case=case,
            route=route,
            quotes=3 if route == "quotes" else None,
            reason="" if route == "quotes" else "An open procedure, so every supplier may bid for a service this size.",
        )
    case.refresh_from_db()
    return case


def _criteria(tender: Tender, manager) -> None:
    def add(kind, title, weight, guidance, parent=None):
        return tender_services.criterion_add(
            actor=manager,
            tender=tender,
            kind=kind,
            title=title,
            weight=Decimal(weight),
            guidance=guidance,
            parent=parent,
        )

    quality = add("quality", "Quality of the service", "60", "How you will deliver the service described")
    add("quality", "Reaching victims", "35", "How you will reach victims across the county, urban and rural", quality)
    add("quality", "Safeguarding and standards", "25", "Your safeguarding arrangements and standards", quality)
    add("price", "Price", "30", "")
    add("social_value", "Social value", "10", "What your organisation will add for Dorset's communities")


def _tender(case, *, title, manager, drafted, deadline, description) -> Tender:
    with clock_at(drafted):
        tender = tender_services.tender_create(
            actor=manager, case=case, title=title, description=description, deadline=deadline
        )
        _criteria(tender, manager)
        tender_services.document_add(actor=manager, tender=tender, title="Specification", file=_pdf("spec.pdf"))
        tender_services.document_add(actor=manager, tender=tender, title="Terms and conditions", file=_pdf("terms.pdf"))
        return tender_services.tender_publish(actor=manager, tender=tender)


def _bid(tender, supplier, *, price: str, when: dt.datetime, summary_text: str) -> None:
    with clock_at(when):
        bid = bid_services.bid_start(actor=supplier, tender=tender)
        answers = {
            c.pk: f"{summary_text} Our approach to {c.title.lower()} is set out in the method statement attached."
            for c in answerable_criteria(tender)
        }
        bid_services.bid_save(actor=supplier, bid=bid, price=Decimal(price), answers=answers)
        bid_services.bid_attachment_add(actor=supplier, bid=bid, file=_pdf("method-statement.pdf"))
        bid_services.bid_submit(actor=supplier, bid=bid)


def _question(tender, supplier, manager, *, asked: dt.datetime, question: str, answer: str) -> None:
    with clock_at(asked):
        asked_question = bid_services.clarification_ask(actor=supplier, tender=tender, question=question)
    with clock_at(asked + dt.timedelta(days=2)):
        tender_services.clarification_answer(actor=manager, question=asked_question, answer=answer)


def demo_tenders(*, users: dict, summary) -> None:
    """The suppliers, the two tenders and the quotes; sets users[Role.SUPPLIER] to the demo supplier sign-in."""
    suppliers = [_supplier(code, name, number, mailbox, summary) for code, name, number, mailbox, _, _ in SUPPLIERS]
    users[Role.SUPPLIER] = suppliers[0]
    manager, finance = users[Role.COMMISSIONING_MANAGER], users[Role.FINANCE_OFFICER]

    if not Tender.objects.filter(title=OPENED_TITLE).exists():
        case = _case(
            "Independent domestic violence advisers (demo)",
            route="open",
            value="640000.00",
            need="High-risk victims of domestic abuse need an independent adviser from the first report to court.",
            lead=manager,
            users=users,
        )
        tender = _tender(
            case,
            title=OPENED_TITLE,
            manager=manager,
            drafted=moment(dt.date(2026, 10, 5)),
            deadline=moment(dt.date(2026, 11, 13), 12),
            description="A county-wide IDVA service for high-risk victims of domestic abuse, for three years "
            "from 1 April 2027, with the option to extend by two.",
        )
        _question(
            tender,
            suppliers[2],
            manager,
            asked=moment(dt.date(2026, 10, 14)),
            question="Will staff transfer under TUPE from the current provider?",
            answer="Yes. The current provider has shared anonymised staffing information, in the documents.",
        )
        for index, (supplier, spec) in enumerate(zip(suppliers, SUPPLIERS, strict=True)):
            _bid(
                tender,
                supplier,
                price=spec[4],
                when=moment(dt.date(2026, 11, 9 + index), 15),
                summary_text=f"{supplier.organisation.name} has supported victims of domestic abuse for years.",
            )
        with clock_at(moment(dt.date(2026, 11, 13), 14)):
            tender_services.opening_start(actor=manager, tender=tender, notes="Opened in the meeting room.")
        with clock_at(moment(dt.date(2026, 11, 13), 14, 10)):
            tender_services.opening_confirm(actor=finance, tender=tender)
        summary.counts["created"] += 1
    else:
        summary.counts["unchanged"] += 1

    if not Tender.objects.filter(title=OPEN_TITLE).exists():
        case = _case(
            "Restorative justice for young people (demo)",
            route="open",
            value="240000.00",
            need="Young people who offend and the people they harm need restorative justice in every area.",
            lead=manager,
            users=users,
        )
        tender = _tender(
            case,
            title=OPEN_TITLE,
            manager=manager,
            drafted=moment(dt.date(2026, 11, 20)),
            deadline=moment(dt.date(2027, 1, 15), 12),
            description="Restorative justice for young people aged 10 to 17 and the people they harmed, for two "
            "years from 1 April 2027.",
        )
        _question(
            tender,
            suppliers[1],
            manager,
            asked=moment(dt.date(2026, 11, 25)),
            question="May a bid come from a partnership of two organisations?",
            answer="Yes. One organisation must lead and hold the contract; name the other in your answers.",
        )
        _bid(
            tender,
            suppliers[1],
            price=SUPPLIERS[1][5],
            when=moment(dt.date(2026, 12, 1), 11),
            summary_text="Our restorative practitioners work in every youth justice team.",
        )
        with clock_at(moment(dt.date(2026, 12, 2))):
            bid_services.interest_express(actor=suppliers[0], tender=tender)
        summary.counts["created"] += 1
    else:
        summary.counts["unchanged"] += 1

    if not Quote.objects.filter(case__title=QUOTES_TITLE).exists():
        case = _case(
            QUOTES_TITLE,
            route="quotes",
            value="8400.00",
            need="Volunteers in the community grant projects need safeguarding training this year.",
            lead=manager,
            users=users,
        )
        asked, received = dt.date(2026, 9, 1), dt.date(2026, 9, 10)
        quotes = []
        with clock_at(moment(asked)):
            for supplier_name in (
                "Chalk Stream Training (demo)",
                "Portland Safeguarding Ltd (demo)",
                "Vale Learning (demo)",
            ):
                quotes.append(
                    quote_services.quote_invite(actor=manager, case=case, supplier_name=supplier_name, invited_on=asked)
                )
        with clock_at(moment(received)):
            for quote, amount in zip(quotes, ("8400.00", "7650.00", "9100.00"), strict=True):
                quote_services.quote_record(
                    actor=manager, quote=quote, amount=Decimal(amount), received_on=received, document=_pdf("quote.pdf")
                )
        with clock_at(moment(dt.date(2026, 9, 14))):
            quote_services.quote_choose(
                actor=manager, quote=quotes[1], reason="The lowest price of three; the course covers every topic asked."
            )
        summary.counts["created"] += 1
    else:
        summary.counts["unchanged"] += 1
