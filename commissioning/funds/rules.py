"""Funds configuration is kept by administrators in the configuration admin; auditors may read it."""

import rules

from commissioning.accounts.rules import is_admin, is_auditor

rules.add_perm("funds", is_admin)  # the app in the configuration admin
for _model in ("fund", "fundsplit"):
    rules.add_perm(f"funds.view_{_model}", is_admin | is_auditor)
    for _action in ("add", "change", "delete"):
        rules.add_perm(f"funds.{_action}_{_model}", is_admin)
