"""Permissions on indicators, one line per permission.

The strategy office defines indicators and approves values; an editor maintains the values,
targets and milestones of what their organisation unit is responsible for. Approved values
are public, so only the strategy office deletes them. Values of closed reporting years nobody
deletes (values.deletion_refused, checked by the staff pages and the API, because superusers
hold every permission)."""

import rules

from zielwerk.indicators.predicates import (
    acts_for_indicator,
    acts_for_milestone,
    is_unapproved_value,
)
from zielwerk.org.predicates import is_editor, is_staff_member, is_strategy_admin

rules.add_perm("indicators", is_staff_member)

VIEWED = (
    "indicator",
    "target",
    "value",
    "valuebatch",
    "milestone",
    "reportingperiod",
    "valuerevision",
)
for model in VIEWED:
    rules.add_perm(f"indicators.view_{model}", is_staff_member)

rules.add_perm("indicators.add_indicator", is_strategy_admin)
rules.add_perm("indicators.delete_indicator", is_strategy_admin)
# Editors describe their indicators; code, owner and goals stay with the strategy office
# (admin.py and the API keep those fields read-only for them).
rules.add_perm("indicators.change_indicator", is_strategy_admin | (is_editor & acts_for_indicator))

for action in ("add", "change"):
    rules.add_perm(
        f"indicators.{action}_target", is_strategy_admin | (is_editor & acts_for_indicator)
    )
    rules.add_perm(
        f"indicators.{action}_value", is_strategy_admin | (is_editor & acts_for_indicator)
    )
    rules.add_perm(
        f"indicators.{action}_milestone", is_strategy_admin | (is_editor & acts_for_milestone)
    )
rules.add_perm("indicators.delete_target", is_strategy_admin)
rules.add_perm("indicators.delete_milestone", is_strategy_admin)
rules.add_perm(
    "indicators.delete_value",
    is_strategy_admin | (is_editor & acts_for_indicator & is_unapproved_value),
)
rules.add_perm("indicators.approve_value", is_strategy_admin)
# Closing a reporting year is final (periods.py): no change or delete.
rules.add_perm("indicators.add_reportingperiod", is_strategy_admin)
# Revisions (ValueRevision) are written by the value services only.
# Data deliveries (ValueBatch) are written by the importers only: no add, change or delete.
