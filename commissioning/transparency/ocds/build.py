"""The OCDS 1.1 release package of the OPCC's procurements, streamed.

Every commissioning case with a route gets an ocid, `<OCDS prefix>-<case reference>` (the prefix, e.g.
ocds-abc123, is registered with the Open Contracting Partnership and held in OpccSettings.ocds_prefix), and up to
four releases, one per stage it has reached:

- planning: the need, the estimated value and the planned start;
- tender: once the tender is published (its method, criteria and deadline; the number of bids once opened);
- award: once the award is decided (the supplier and the value);
- contract: once the contract is signed (its period, value and signing date).

`package_chunks` yields the package as text a piece at a time: the cases are read in chunks with their related rows
prefetched chunk by chunk, so memory stays flat however many procurements there are, and the queries grow by
a fixed number per chunk, never per case.
"""

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from commissioning.core.models import opcc_settings
from commissioning.procurement.models import BidStatus, CommissioningCase, ContractAward, Tender, TenderStatus

VERSION = "1.1"
LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
CHUNK = 200
METHOD = {"open": "open", "competitive_flexible": "selective", "quotes": "limited", "direct_award": "direct"}
METHOD_DETAILS = {
    "open": "Open procedure",
    "competitive_flexible": "Competitive flexible procedure",
    "quotes": "Written quotes",
    "direct_award": "Direct award",
}
TENDER_STATUS = {
    TenderStatus.DRAFT: "planning",
    TenderStatus.PUBLISHED: "active",
    TenderStatus.OPENED: "complete",
    TenderStatus.CANCELLED: "cancelled",
}


def ocds_prefix() -> str:
    found = opcc_settings()
    prefix = (found.ocds_prefix if found else "") or "ocds-unregistered"
    return prefix if prefix.startswith("ocds-") else f"ocds-{prefix}"


def ocid_for(case: CommissioningCase, prefix: str | None = None) -> str:
    return f"{prefix or ocds_prefix()}-{case.reference}"


def _value(amount: Decimal | None) -> dict | None:
    """OCDS amounts are JSON numbers. Money is kept as pence-exact Decimals and converted only here, at the edge:
    a float's shortest repr gives back the same digits for any amount in pence under about £90 trillion, so
    json.dumps writes exactly the pounds and pence held."""
    return None if amount is None else {"amount": float(amount), "currency": "GBP"}


def _when(value) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return dt.datetime.combine(value, dt.time(0, 0), tzinfo=timezone.get_current_timezone()).isoformat()


def _clean(data):
    """Drop empty values: OCDS fields are optional and must not be null where a type is given."""
    if isinstance(data, dict):
        return {k: _clean(v) for k, v in data.items() if v not in (None, "", [], {})}
    if isinstance(data, list):
        return [_clean(v) for v in data]
    return data


def _buyer(settings_row) -> dict:
    name = settings_row.opcc_name if settings_row else "Office of the Police and Crime Commissioner"
    return {"id": "buyer", "name": name, "roles": ["buyer", "procuringEntity"]}


def _supplier_party(organisation) -> dict:
    return {"id": f"org-{organisation.pk}", "name": organisation.name, "roles": ["supplier", "tenderer"]}


def releases_for(case: CommissioningCase, *, prefix: str, buyer: dict) -> Iterator[dict]:
    """The releases of one case, in order (planning, tender, award, contract)."""
    ocid = ocid_for(case, prefix)
    base = {
        "ocid": ocid,
        "language": "en",
        "initiationType": "tender",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
    }
    method = METHOD.get(case.route)
    yield _clean(
        {
            **base,
            "id": f"{ocid}-planning",
            "date": _when(case.created_at),
            "tag": ["planning"],
            "parties": [buyer],
            "planning": {"rationale": case.need_summary, "budget": {"amount": _value(case.estimated_value)}},
            "tender": {
                "id": f"{case.reference}-tender",
                "title": case.title,
                "status": "planning",
                "value": _value(case.estimated_value),
                "procurementMethod": method,
                "procurementMethodDetails": METHOD_DETAILS.get(case.route),
                "mainProcurementCategory": "services",
                "contractPeriod": {"startDate": _when(case.contract_starts_on)} if case.contract_starts_on else None,
            },
        }
    )
    tenders = [t for t in case.tenders.all() if t.status != TenderStatus.DRAFT]
    for tender in tenders:
        yield from _tender_releases(case, tender, base=base, ocid=ocid, buyer=buyer, method=method)


def _tender_releases(case, tender: Tender, *, base, ocid, buyer, method) -> Iterator[dict]:
    bids = [b for b in tender.bids.all() if b.status == BidStatus.SUBMITTED]
    opened = tender.status == TenderStatus.OPENED
    tender_block = {
        "id": tender.reference,
        "title": tender.title,
        "description": tender.description,
        "status": TENDER_STATUS.get(tender.status, "active"),
        "procurementMethod": method,
        "procurementMethodDetails": METHOD_DETAILS.get(case.route),
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": "; ".join(
            f"{c.title} {c.weight.normalize():f}%" for c in tender.criteria.all() if c.parent_id is None
        ),
        "tenderPeriod": {
            "startDate": _when(tender.published_at) if tender.published_at else None,
            "endDate": _when(tender.deadline),
        },
        "value": _value(case.estimated_value),
        "numberOfTenderers": len(bids) if opened else None,
    }
    yield _clean(
        {
            **base,
            "id": f"{ocid}-tender-{tender.reference}",
            "date": _when(tender.published_at or tender.created_at),
            "tag": ["tender"],
            "parties": [buyer],
            "tender": tender_block,
        }
    )
    award = getattr(tender, "award", None)
    if award is None:
        return
    supplier = _supplier_party(award.bid.organisation)
    award_block = {
        "id": f"{tender.reference}-award",
        "title": f"Award of {tender.title}",
        "status": "active",
        "date": _when(award.decision.decided_on),
        "value": _value(award.value),
        "suppliers": [{"id": supplier["id"], "name": supplier["name"]}],
        "contractPeriod": {"startDate": _when(award.starts_on), "endDate": _when(award.ends_on)},
    }
    yield _clean(
        {
            **base,
            "id": f"{ocid}-award-{tender.reference}",
            "date": _when(award.award_notice_published_on or award.decision.decided_on),
            "tag": ["award"],
            "parties": [buyer, supplier],
            "awards": [award_block],
        }
    )
    if award.status != ContractAward.Status.CONTRACTED:
        return
    yield _clean(
        {
            **base,
            "id": f"{ocid}-contract-{tender.reference}",
            "date": _when(award.contract_signed_on),
            "tag": ["contract"],
            "parties": [buyer, supplier],
            "contracts": [
                {
                    "id": award.agreement.reference if award.agreement_id else f"{tender.reference}-contract",
                    "awardID": award_block["id"],
                    "title": tender.title,
                    "status": "active",
                    "period": {"startDate": _when(award.starts_on), "endDate": _when(award.ends_on)},
                    "value": _value(award.value),
                    "dateSigned": _when(award.contract_signed_on),
                }
            ],
        }
    )


def published_cases():
    """Cases with a route worked out, oldest first, with what their releases need prefetched (per chunk when
    iterated with a chunk size)."""
    tenders = Tender.objects.order_by("created_at", "pk").prefetch_related(
        "criteria",
        "bids",
        Prefetch("award", queryset=ContractAward.objects.select_related("bid__organisation", "decision", "agreement")),
    )
    return (
        CommissioningCase.objects.exclude(route="")
        .order_by("created_at", "pk")
        .prefetch_related(Prefetch("tenders", queryset=tenders))
    )


def package_uri() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("transparency_ocds:ocds_package")


def package_chunks(*, published: dt.datetime | None = None, chunk_size: int = CHUNK) -> Iterator[str]:
    """The release package as JSON text, a piece at a time."""
    settings_row = opcc_settings()
    prefix = ocds_prefix()
    buyer = _buyer(settings_row)
    head = {
        "uri": package_uri(),
        "version": VERSION,
        "publishedDate": _when(published or timezone.now()),
        "publisher": {"name": buyer["name"]},
        "license": LICENSE,
        "publicationPolicy": settings.SITE_URL.rstrip("/") + "/open-data/",
    }
    yield json.dumps(head)[:-1] + ', "releases": ['
    first = True
    for case in published_cases().iterator(chunk_size=chunk_size):
        for release in releases_for(case, prefix=prefix, buyer=buyer):
            yield ("" if first else ",") + json.dumps(release)
            first = False
    yield "]}"
