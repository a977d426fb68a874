"""The roles people hold in the service (DOMAIN.md, "Who uses it")."""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "System administrator"
    PCC = "pcc", "Police and Crime Commissioner"
    CHIEF_EXECUTIVE = "chief_executive", "Chief Executive"
    CFO = "cfo", "Chief Finance Officer"
    DIRECTOR_OPERATIONS = "director_operations", "Director of Operations"
    COMMISSIONING_MANAGER = "commissioning_manager", "Commissioning Manager"
    POLICY_OFFICER = "policy_officer", "Policy and Commissioning Officer"
    FINANCE_OFFICER = "finance_officer", "Finance Officer"
    EVALUATOR = "evaluator", "Evaluator or grant panel member"
    PARTNER = "partner", "Partner (co-commissioner)"
    PROVIDER = "provider", "Provider"
    APPLICANT = "applicant", "Applicant"
    SUPPLIER = "supplier", "Supplier (bidding for contracts)"
    PANEL_MEMBER = "panel_member", "Police and Crime Panel member"
    AUDITOR = "auditor", "Auditor"


# People who work in the OPCC. They sign in with two-factor authentication when REQUIRE_2FA is on.
OPCC_STAFF = frozenset(
    {
        Role.ADMIN,
        Role.PCC,
        Role.CHIEF_EXECUTIVE,
        Role.CFO,
        Role.DIRECTOR_OPERATIONS,
        Role.COMMISSIONING_MANAGER,
        Role.POLICY_OFFICER,
        Role.FINANCE_OFFICER,
    }
)
# Everyone who can read applicants' or providers' records (staff, evaluators, partners, Panel members, auditors)
# signs in with two-factor authentication when REQUIRE_2FA is on. Providers, applicants and suppliers see only
# their own organisation's records, so a password is enough for them.
TWO_FACTOR_ROLES = frozenset(set(Role) - {Role.PROVIDER, Role.APPLICANT, Role.SUPPLIER})
# Senior Management Team (seed, Section 6 and DOMAIN.md).
SMT = frozenset({Role.CHIEF_EXECUTIVE, Role.CFO, Role.DIRECTOR_OPERATIONS})
# The four who sign the commissioning strategy (seed, Section 6 "Sign Off"), in the order shown.
STRATEGY_SIGNATORIES = (Role.PCC, Role.CHIEF_EXECUTIVE, Role.CFO, Role.DIRECTOR_OPERATIONS)
# Roles that act for an outside organisation and so must belong to one.
ORGANISATION_ROLES = frozenset({Role.PARTNER, Role.PROVIDER, Role.APPLICANT, Role.SUPPLIER})
# Roles that read widely but change nothing.
READ_ONLY_ROLES = frozenset({Role.AUDITOR, Role.PANEL_MEMBER})
