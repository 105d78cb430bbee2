"""What the public may see of cases: one case's status for the person who sent it (by its
private token) and the released outcomes ("Sie haben gesagt – wir haben getan"). Internal
notes, owners, evaluations and contact data never leave through here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from zielwerk.cases.models import Case, CaseEvent, Category

OUTCOME_STATES = (Case.State.IMPLEMENTED, Case.State.ANSWERED)


def case_by_token(token: str) -> Case | None:
    """The case with its public history as `public_events`; None for an unknown token."""
    return (
        Case.objects.select_related("category")
        .prefetch_related(
            Prefetch(
                "events", queryset=CaseEvent.objects.filter(is_public=True), to_attr="public_events"
            )
        )
        .filter(tracking_token=token)
        .first()
    )


@dataclass(frozen=True)
class OutcomeFilter:
    category: Category | None = None
    year: int | None = None

    @property
    def is_active(self) -> bool:
        return self.category is not None or self.year is not None

    def apply(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        if self.category is not None:
            cases = cases.filter(category=self.category)
        if self.year is not None:
            cases = cases.filter(received_at__year=self.year)
        return cases


def released_outcomes() -> QuerySet[Case]:
    """Released impulses the city accepted and implemented or answered, newest first."""
    return (
        Case.objects.filter(
            is_public=True,
            kind=Case.Kind.IMPULSE,
            decision=Case.Decision.ACCEPTED,
            state__in=OUTCOME_STATES,
        )
        .select_related("category", "measure")
        .prefetch_related("operative_goals__strategic_goal__field__edition")
        .order_by("-received_at", "-pk")
    )


def outcome_categories() -> list[Category]:
    return list(Category.objects.filter(cases__in=released_outcomes()).distinct())


def outcome_years() -> list[int]:
    dates = released_outcomes().dates("received_at", "year", order="DESC")
    return [day.year for day in dates]


def read_outcome_filter(params: dict[str, str]) -> tuple[OutcomeFilter, dict[str, str]]:
    """The filter from the page's query; a value that does not fit is left out and named."""
    errors: dict[str, str] = {}
    category = None
    key = params.get("category", "").strip()
    if key:
        category = Category.objects.filter(key=key).first()
        if category is None:
            errors["category"] = _("Die Kategorie „%(key)s“ gibt es nicht.") % {"key": key}
    year = None
    raw_year = params.get("year", "").strip()
    if raw_year:
        if raw_year.isdigit() and len(raw_year) == 4:
            year = int(raw_year)
        else:
            errors["year"] = _("„%(year)s“ ist keine Jahreszahl.") % {"year": raw_year}
    return OutcomeFilter(category, year), errors
