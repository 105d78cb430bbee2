"""Who someone is, as small named predicates composed into permissions in each app's rules.py."""

import rules

from zielwerk.org.models import Person
from zielwerk.org.services import person_of


@rules.predicate
def is_strategy_admin(user) -> bool:
    if user.is_superuser:
        return True
    person = person_of(user)
    return person is not None and person.role == Person.Role.ADMIN


@rules.predicate
def is_editor(user) -> bool:
    person = person_of(user)
    return person is not None and person.role == Person.Role.EDITOR


@rules.predicate
def is_staff_member(user) -> bool:
    """Anyone with a role in the administration (admin, editor or viewer)."""
    return user.is_superuser or person_of(user) is not None
