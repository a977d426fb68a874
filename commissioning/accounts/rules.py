"""Role predicates every app builds on, and the accounts app's own permissions."""

import rules

from commissioning.accounts.roles import OPCC_STAFF, READ_ONLY_ROLES, SMT, STRATEGY_SIGNATORIES, Role


def has_role(*roles):
    values = frozenset(str(r) for r in roles)

    @rules.predicate(name=f"has_role({','.join(sorted(values))})")
    def predicate(user):
        return bool(user and user.is_authenticated and user.is_active and user.role in values)

    return predicate


is_admin = has_role(Role.ADMIN)
is_pcc = has_role(Role.PCC)
is_cfo = has_role(Role.CFO)
is_smt = has_role(*SMT)
is_signatory = has_role(*STRATEGY_SIGNATORIES)
is_opcc_staff = has_role(*OPCC_STAFF)
is_commissioning_manager = has_role(Role.COMMISSIONING_MANAGER)
is_policy_officer = has_role(Role.POLICY_OFFICER)
is_finance_officer = has_role(Role.FINANCE_OFFICER)
is_evaluator = has_role(Role.EVALUATOR)
is_partner = has_role(Role.PARTNER)
is_provider = has_role(Role.PROVIDER)
is_applicant = has_role(Role.APPLICANT)
is_panel_member = has_role(Role.PANEL_MEMBER)
is_auditor = has_role(Role.AUDITOR)
is_read_only_overseer = has_role(*READ_ONLY_ROLES)
# Officers who run commissioning day to day.
is_commissioning_officer = has_role(Role.COMMISSIONING_MANAGER, Role.POLICY_OFFICER)


@rules.predicate
def is_signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


rules.add_perm("accounts.manage_users", is_admin)
rules.add_perm("accounts.view_audit", is_admin | is_auditor)
rules.add_perm("core.view_any_job", is_admin)
