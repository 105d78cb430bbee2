"""Permissions on update reminders, one line per permission.

Everyone on staff sees their own updates and the reminder log; the overview of everything that
is stale is the strategy office's tool. Reminders are written by `send-reminders` only."""

import rules

from zielwerk.org.predicates import is_staff_member, is_strategy_admin

rules.add_perm("updates", is_staff_member)
rules.add_perm("updates.view_reminder", is_staff_member)
rules.add_perm("updates.view_my_updates", is_staff_member)
rules.add_perm("updates.view_stale_overview", is_strategy_admin)
