import rules

from zielwerk.indicators.models import Indicator, Milestone, Target, Value
from zielwerk.indicators.responsibility import indicator_unit_ids, milestone_unit_ids
from zielwerk.org.services import acting_unit_ids


@rules.predicate
def acts_for_indicator(user, obj: Indicator | Target | Value | None) -> bool:
    """The user's unit (or a unit above it) owns the indicator or is responsible for one of its
    goals. For targets and values the indicator they belong to decides; a new value or target
    is checked against the indicator it is added to.

    Without an object the question is whether the user may maintain such records at all, which
    lets list pages show up; the object check then decides per record."""
    units = acting_unit_ids(user)
    if obj is None:
        return bool(units)
    indicator = obj if isinstance(obj, Indicator) else obj.indicator
    return bool(units & indicator_unit_ids(indicator))


@rules.predicate
def acts_for_milestone(user, obj: Milestone | None) -> bool:
    units = acting_unit_ids(user)
    if obj is None:
        return bool(units)
    return bool(units & milestone_unit_ids(obj))


@rules.predicate
def is_unapproved_value(user, obj: Value | None) -> bool:
    # Without an object: some values may be deleted, the object check decides which.
    return obj is None or obj.state != Value.State.APPROVED
