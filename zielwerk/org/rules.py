"""Permissions on organisation data: everyone on staff reads, the strategy office changes."""

import rules

from zielwerk.org.predicates import is_staff_member, is_strategy_admin

for model in ("orgunit", "person"):
    rules.add_perm(f"org.view_{model}", is_staff_member)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"org.{action}_{model}", is_strategy_admin)

# App-level permission: lets staff open the organisation section of the staff pages.
rules.add_perm("org", is_staff_member)

# The strategy office manages staff logins; only superusers grant superuser rights (admin.py).
rules.add_perm("auth", is_strategy_admin)
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"auth.{action}_user", is_strategy_admin)
