"""Permissions on council papers and SEK-Checks, one line per permission.

The strategy office does everything: it uploads paper lists, approves, returns and publishes
checks, keeps the goal keywords and reads the OParl sources and their runs. Editors enter papers
and start, rate, exempt and submit the checks of papers whose lead unit lies in their subtree or
whose check names them responsible. Everyone on staff reads papers and checks."""

import rules

from zielwerk.council.predicates import acts_for_paper, is_check_responsible
from zielwerk.org.predicates import is_editor, is_staff_member, is_strategy_admin

rules.add_perm("council", is_staff_member)

for model in ("paper", "paperfile", "meeting", "consultation", "check", "rating", "suggestion"):
    rules.add_perm(f"council.view_{model}", is_staff_member)
rules.add_perm("council.view_goalkeyword", is_staff_member)
rules.add_perm("council.view_check_overview", is_staff_member)
for model in ("oparlsource", "syncrun"):
    rules.add_perm(f"council.view_{model}", is_strategy_admin)
for action in ("add", "change", "delete"):
    rules.add_perm(f"council.{action}_goalkeyword", is_strategy_admin)

works_on_paper = is_strategy_admin | (is_editor & acts_for_paper)
rules.add_perm("council.add_paper", is_strategy_admin | is_editor)
rules.add_perm("council.change_paper", works_on_paper)
rules.add_perm("council.delete_paper", is_strategy_admin)
# A list may name any unit.
rules.add_perm("council.upload_papers", is_strategy_admin)

rules.add_perm("council.start_check", works_on_paper)
rules.add_perm("council.work_on_check", works_on_paper | (is_editor & is_check_responsible))
rules.add_perm("council.approve_check", is_strategy_admin)
rules.add_perm("council.publish_check", is_strategy_admin)
