"""Procurement configuration is kept by administrators in the configuration admin; auditors may read it. Each part's
permissions are in permissions/<part>.py, registered on import."""

import rules

from commissioning.accounts.rules import is_admin, is_auditor
from commissioning.procurement.permissions import evaluation, planning, tenders  # noqa: F401

rules.add_perm("procurement", is_admin)  # the app in the configuration admin
for _model in ("procurementthreshold", "standingordertier", "approvalrole"):
    rules.add_perm(f"procurement.view_{_model}", is_admin | is_auditor)
    for _action in ("add", "change", "delete"):
        rules.add_perm(f"procurement.{_action}_{_model}", is_admin)
