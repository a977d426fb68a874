"""KPI definitions are kept by administrators in the configuration admin; auditors may read them."""

import rules

from commissioning.accounts.rules import is_admin, is_auditor

rules.add_perm("monitoring", is_admin)  # the app in the configuration admin
rules.add_perm("monitoring.view_kpidefinition", is_admin | is_auditor)
for _action in ("add", "change", "delete"):
    rules.add_perm(f"monitoring.{_action}_kpidefinition", is_admin)
