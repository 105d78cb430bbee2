"""Permissions on the goal system, one line per permission.

The strategy office maintains the structure (adds and removes editions, fields and goals);
an editor changes the texts of what their organisation unit is responsible for."""

import rules

from zielwerk.goals.predicates import acts_for_responsible_unit
from zielwerk.org.predicates import is_editor, is_staff_member, is_strategy_admin

rules.add_perm("goals", is_staff_member)

for model in (
    "edition",
    "field",
    "feedbackitem",
    "strategicgoal",
    "crossreference",
    "operativegoal",
):
    rules.add_perm(f"goals.view_{model}", is_staff_member)
    rules.add_perm(f"goals.add_{model}", is_strategy_admin)
    rules.add_perm(f"goals.delete_{model}", is_strategy_admin)

rules.add_perm("goals.change_edition", is_strategy_admin)
for model in ("field", "feedbackitem", "strategicgoal", "crossreference", "operativegoal"):
    rules.add_perm(
        f"goals.change_{model}", is_strategy_admin | (is_editor & acts_for_responsible_unit)
    )

# Only the strategy office assigns responsibility.
rules.add_perm("goals.assign_responsibility", is_strategy_admin)
