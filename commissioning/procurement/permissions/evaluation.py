"""Who may do what in tender evaluation and award (issue 10, points 7 and 8).

The shared evaluation rules (commissioning.evaluation.rules, ADR 0015) decide what an evaluator may open: their
own assignment, after declaring no conflict of interest. Officers run the evaluation; an officer who is also an
evaluator of a bid may moderate it only once their own scores are in. The PCC decides the award (a Commissioning
Manager may record the PCC's decision). Object-level predicates accept obj=None ("may they at all").
"""

import rules

from commissioning.accounts.rules import (
    is_auditor,
    is_commissioning_manager,
    is_commissioning_officer,
    is_evaluator,
    is_opcc_staff,
    is_pcc,
    is_smt,
)
from commissioning.evaluation import rules as evaluation_rules

is_possible_evaluator = is_evaluator | is_opcc_staff


@rules.predicate
def is_not_involved_evaluator(user, bid):
    return evaluation_rules.not_involved(user, bid)


# Evaluators' own menu entry (staff reach their evaluations from the evaluation pages).
rules.add_perm("procurement.evaluator_menu", is_evaluator)
rules.add_perm("procurement.assign_evaluators", is_commissioning_officer)
rules.add_perm("procurement.view_evaluation", is_commissioning_officer | is_smt | is_auditor)
rules.add_perm("procurement.view_my_evaluations", is_possible_evaluator)
rules.add_perm(
    "procurement.declare_bid_interest",
    is_possible_evaluator & evaluation_rules.is_own_assignment & evaluation_rules.is_awaiting_declaration,
)
rules.add_perm(
    "procurement.evaluate_bid",
    is_possible_evaluator & evaluation_rules.is_own_assignment & evaluation_rules.has_declared_no_conflict,
)
rules.add_perm("procurement.moderate_bid", is_commissioning_officer & is_not_involved_evaluator)
rules.add_perm("procurement.rank_bids", is_commissioning_officer)
rules.add_perm("procurement.recommend_award", is_commissioning_officer)
rules.add_perm("procurement.decide_award", is_pcc | is_commissioning_manager)
rules.add_perm("procurement.manage_award", is_commissioning_officer)
