import rules

from zielwerk.org.services import acting_unit_ids


@rules.predicate
def acts_for_measure(user, obj) -> bool:
    """The measure's responsible unit lies in the editor's subtree.

    obj is a measure or one of its parts (funding source, gate, work item, status report;
    inlines ask with the parent measure).
    Without an object the question is whether the user may change measures at all, which lets
    list pages show up; the object check then decides per record."""
    units = acting_unit_ids(user)
    if obj is None:
        return bool(units)
    measure = getattr(obj, "measure", obj)
    return measure.responsible_unit_id in units
