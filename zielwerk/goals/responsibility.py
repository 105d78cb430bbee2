"""Which organisation units are responsible for a piece of the goal system.

Responsibility flows down the goal tree: a unit responsible for a Handlungsfeld or a strategic
goal is also responsible for everything below it."""

from zielwerk.goals.models import (
    CrossReference,
    Edition,
    FeedbackItem,
    Field,
    OperativeGoal,
    StrategicGoal,
)

GoalSystemObject = Edition | Field | FeedbackItem | StrategicGoal | CrossReference | OperativeGoal


def _own(obj: Field | StrategicGoal | OperativeGoal) -> set[int]:
    return set(obj.responsible_units.values_list("pk", flat=True))


def responsible_unit_ids(obj: GoalSystemObject) -> set[int]:
    """Units responsible for obj, including those responsible for what it belongs to."""
    if isinstance(obj, Edition):
        return set()
    if isinstance(obj, Field):
        return _own(obj)
    if isinstance(obj, FeedbackItem):
        return _own(obj.field)
    if isinstance(obj, StrategicGoal):
        return _own(obj) | _own(obj.field)
    if isinstance(obj, CrossReference):
        return responsible_unit_ids(obj.strategic_goal)
    return _own(obj) | responsible_unit_ids(obj.strategic_goal)
