"""Organisation identifiers in the org-id.guide scheme used by 360Giving (DOMAIN.md, "Open data")."""

import re


def normalise_company_number(number: str) -> str:
    """Companies House numbers are 8 characters; purely numeric ones are padded with leading zeros."""
    number = re.sub(r"\s+", "", number or "").upper()
    return number.zfill(8) if number.isdigit() else number


def normalise_charity_number(number: str) -> str:
    return re.sub(r"\s+", "", number or "").upper()


def org_id_for(
    *, charity_register: str, charity_number: str, company_number: str, other_org_id: str, local_id: str
) -> str:
    if charity_number:
        return f"{charity_register or 'GB-CHC'}-{normalise_charity_number(charity_number)}"
    if company_number:
        return f"GB-COH-{normalise_company_number(company_number)}"
    if other_org_id:
        return other_org_id.strip()
    from commissioning.core.models import opcc_settings

    current = opcc_settings()
    prefix = current.grants_prefix if current else "360G-opcc"
    return f"{prefix}-ORG-{local_id}" if local_id else ""
