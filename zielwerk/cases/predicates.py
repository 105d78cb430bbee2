"""Who may work on which case, as predicates composed in cases/rules.py."""

import rules

from zielwerk.cases.models import Case
from zielwerk.org.services import acting_unit_ids, person_of


@rules.predicate
def acts_for_case(user, case: Case | None) -> bool:
    """The case's unit lies in the editor's subtree.

    Without an object the question is whether the user acts for any unit at all, which lets
    list pages show up; the object check then decides per record."""
    units = acting_unit_ids(user)
    if case is None:
        return bool(units)
    return case.unit_id in units


@rules.predicate
def owns_case(user, case: Case | None) -> bool:
    """The user is the person the case is assigned to."""
    person = person_of(user)
    return case is not None and person is not None and case.owner_id == person.pk
