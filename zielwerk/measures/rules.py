"""Permissions on measures, one line per permission.

The strategy office keeps the status vocabulary and is the only one to delete measures; an
editor adds measures for their unit and changes those their unit (or a unit below) is
responsible for. admin.py limits the units an editor can pick to that subtree."""

import rules

from zielwerk.measures.predicates import acts_for_measure
from zielwerk.org.predicates import is_editor, is_staff_member, is_strategy_admin

rules.add_perm("measures", is_staff_member)

PARTS = ("fundingsource", "phasegate", "workitem", "statusreport")

for model in ("measure", "measurestatus", *PARTS):
    rules.add_perm(f"measures.view_{model}", is_staff_member)

rules.add_perm("measures.delete_measure", is_strategy_admin)
rules.add_perm("measures.delete_measurestatus", is_strategy_admin)
rules.add_perm("measures.delete_statusreport", is_strategy_admin)
rules.add_perm("measures.add_measurestatus", is_strategy_admin)
rules.add_perm("measures.change_measurestatus", is_strategy_admin)

responsible_or_admin = is_strategy_admin | (is_editor & acts_for_measure)
rules.add_perm("measures.add_measure", is_strategy_admin | is_editor)
rules.add_perm("measures.change_measure", responsible_or_admin)
for model in PARTS:
    rules.add_perm(f"measures.add_{model}", responsible_or_admin)
    rules.add_perm(f"measures.change_{model}", responsible_or_admin)
# Status reports stay as written (their sequence is the project's history); the other parts
# are working material the responsible unit may also remove.
for model in ("fundingsource", "phasegate", "workitem"):
    rules.add_perm(f"measures.delete_{model}", responsible_or_admin)
