"""Who may work on which paper and check, as predicates composed in council/rules.py."""

import rules

from zielwerk.council.models import Check, Paper
from zielwerk.org.services import acting_unit_ids, person_of


@rules.predicate
def acts_for_paper(user, obj: Paper | Check | None) -> bool:
    """The paper's lead unit lies in the editor's subtree; obj is a paper or its check.

    Without an object the question is whether the user acts for any unit at all, which lets
    list pages show up; the object check then decides per record."""
    units = acting_unit_ids(user)
    if obj is None:
        return bool(units)
    paper = obj.paper if isinstance(obj, Check) else obj
    return paper.unit_id in units


@rules.predicate
def is_check_responsible(user, obj: Paper | Check | None) -> bool:
    """The user is the person named responsible for the check (of the paper)."""
    if isinstance(obj, Paper):
        obj = Check.objects.filter(paper=obj).first()
    person = person_of(user)
    return obj is not None and person is not None and obj.responsible_id == person.pk
