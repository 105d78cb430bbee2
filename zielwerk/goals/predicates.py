import rules

from zielwerk.goals.responsibility import responsible_unit_ids
from zielwerk.org.services import acting_unit_ids


@rules.predicate
def acts_for_responsible_unit(user, obj) -> bool:
    """The user's unit (or a unit above it) is responsible for obj.

    Without an object the question is whether the user may change such objects at all, which
    lets list pages show up; the object check then decides per record."""
    units = acting_unit_ids(user)
    if obj is None:
        return bool(units)
    return bool(units & responsible_unit_ids(obj))
