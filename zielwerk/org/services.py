"""Plain functions about organisation units and people."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from zielwerk.org.models import OrgUnit, Person


def person_of(user: AbstractBaseUser | AnonymousUser) -> Person | None:
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def subtree_ids(unit: OrgUnit) -> set[int]:
    """The unit and every unit below it; units are few, so one query and a walk suffice."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in OrgUnit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = [unit.pk]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return found


def acting_unit_ids(user: AbstractBaseUser | AnonymousUser) -> set[int]:
    """Units an editor may act for: their own unit and everything below it."""
    person = person_of(user)
    if person is None or person.role != Person.Role.EDITOR or person.unit is None:
        return set()
    return subtree_ids(person.unit)
