"""Who may read the Police and Crime Panel report and the funder returns.

Panel members, OPCC staff and auditors read the Panel report with small numbers suppressed. Seeing the figures
unsuppressed is for OPCC staff (they work with the returns those figures come from) and auditors. Funder returns
are prepared and marked submitted by the finance officer, the CFO and the commissioning officers, and read by
the rest of the OPCC and its auditors. Highlights and case studies are written by commissioning officers.
"""

import rules

from commissioning.accounts.rules import (
    is_admin,
    is_auditor,
    is_cfo,
    is_commissioning_officer,
    is_finance_officer,
    is_opcc_staff,
    is_panel_member,
)

reads_panel_report = is_opcc_staff | is_auditor | is_panel_member

rules.add_perm("reporting.view_panel_report", reads_panel_report)
rules.add_perm("reporting.view_unsuppressed", is_opcc_staff | is_auditor)
rules.add_perm("reporting.add_panelhighlight", is_commissioning_officer)
rules.add_perm("reporting.view_funder_returns", is_opcc_staff | is_auditor)
rules.add_perm("reporting.submit_funder_return", is_finance_officer | is_cfo)

rules.add_perm("reporting", is_admin)  # the app in the configuration admin
rules.add_perm("reporting.view_suppressionrule", is_admin | is_auditor)
for _action in ("add", "change", "delete"):
    rules.add_perm(f"reporting.{_action}_suppressionrule", is_admin)
