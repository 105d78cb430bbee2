"""Finding editions and goals, with the related rows fetched in few queries."""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet

from zielwerk.goals.models import Edition, Field, OperativeGoal, StrategicGoal

RE_CODE = re.compile(r"^(\d{1,3})(?:\.(\d{1,2}))?(?:\.(\d{1,2}))?$")

Goal = Field | StrategicGoal | OperativeGoal


def current_edition() -> Edition | None:
    return Edition.objects.filter(is_current=True, is_published=True).first()


def sees_unpublished(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Unpublished editions are drafts of the strategy office: staff with a role see them."""
    return user.has_perm("goals.view_edition")


def visible_editions(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Edition]:
    editions = Edition.objects.all()
    return editions if sees_unpublished(user) else editions.filter(is_published=True)


def fields_with_goals(edition: Edition) -> QuerySet[Field]:
    """The whole goal tree of an edition in four queries."""
    return edition.fields.prefetch_related(
        "feedback",
        "responsible_units",
        Prefetch(
            "strategic_goals",
            queryset=StrategicGoal.objects.prefetch_related(
                "cross_references",
                "responsible_units",
                Prefetch(
                    "operative_goals",
                    queryset=OperativeGoal.objects.select_related(
                        "strategic_goal__field"
                    ).prefetch_related("responsible_units"),
                ),
            ).select_related("field"),
        ),
    )


def find_goal(edition: Edition, code: str) -> Goal | None:
    """The field, strategic or operative goal with the given code (12, 12.3 or 12.3.4)."""
    match = RE_CODE.match(code.strip())
    if not match:
        return None
    field_no, sg_no, og_no = (int(g) if g else None for g in match.groups())
    if sg_no is None:
        return edition.fields.filter(number=field_no).first()
    if og_no is None:
        return (
            StrategicGoal.objects.select_related("field")
            .filter(field__edition=edition, field__number=field_no, number=sg_no)
            .first()
        )
    return (
        OperativeGoal.objects.select_related("strategic_goal__field")
        .filter(
            strategic_goal__field__edition=edition,
            strategic_goal__field__number=field_no,
            strategic_goal__number=sg_no,
            number=og_no,
        )
        .first()
    )
