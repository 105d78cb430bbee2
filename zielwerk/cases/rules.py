"""Permissions on cases, one line per permission.

The strategy office does everything: it keeps the categories with their service standards,
deletes cases and alone releases impulses for "Sie haben gesagt – wir haben getan". Editors take
cases in and work on those of their unit's subtree or assigned to them; only they and the
strategy office see the sender's contact data. Everyone on staff reads cases and their history."""

import rules

from zielwerk.cases.predicates import acts_for_case, owns_case
from zielwerk.org.predicates import is_editor, is_staff_member, is_strategy_admin

rules.add_perm("cases", is_staff_member)

for model in ("case", "category", "caseevent", "casenote", "casereminder"):
    rules.add_perm(f"cases.view_{model}", is_staff_member)
for action in ("add", "change", "delete"):
    rules.add_perm(f"cases.{action}_category", is_strategy_admin)

works_on_case = is_strategy_admin | (is_editor & (acts_for_case | owns_case))
rules.add_perm("cases.add_case", is_strategy_admin | is_editor)
rules.add_perm("cases.change_case", works_on_case)
rules.add_perm("cases.delete_case", is_strategy_admin)
rules.add_perm("cases.work_on_case", works_on_case)
rules.add_perm("cases.view_contact_data", works_on_case)
rules.add_perm("cases.release_case", is_strategy_admin)
