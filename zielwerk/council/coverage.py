"""Coverage of the SEK-Check (METHODS.md §5) and its values for the indicator of goal 12.4.4.

coverage = checked ÷ (all Beschlussvorlagen since the start date − exempt)

- Beschlussvorlagen: papers not deleted in the source whose type is one of
  settings.ZIELWERK_SEK_CHECK_PAPER_TYPES (Paper.needs_check), dated on or after
  settings.ZIELWERK_SEK_CHECK_START. Papers without a date cannot be placed in a year nor
  compared with the start date; they are counted apart and left out.
- checked: the check was approved by the strategy office (state "checked"); a check in
  progress or waiting for approval counts as open. exempt: an exemption with a reason.
- Per calendar year of the paper date, and cumulative since the start date.

Which years become indicator values: every year from the start date up to the current year in
which at least one Beschlussvorlage was not exempt. A year without such papers has no coverage
(0 ÷ 0), and writing 0 or 100 for it would invent a figure. Years before the start date are not
measured at all, so values entered for them by hand stay as they are. The indicator takes the
yearly coverage, not the cumulative one: goal 12.4.4 asks that from 2025 every proposal is
checked, which a cumulative share weighed down by the early years could never show.

The values are approved at once: each counted check was approved by the strategy office
already. The value of the current year is provisional ("p") until the year is over. A changed
figure of an approved value is marked revised ("r") by store_values like every other value, and
a closed reporting year changes only with a revision reason."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from zielwerk.council.checks import needing_check
from zielwerk.council.models import Check, Paper
from zielwerk.evaluation.services import EvaluationSummary, evaluate_edition
from zielwerk.goals.models import Edition
from zielwerk.indicators.models import Indicator
from zielwerk.indicators.values import (
    PROVISIONAL,
    StoreSummary,
    ValueRow,
    ValuesError,
    store_values,
)

INDICATOR_CODE = "12-4-4-sek-check"
GOAL_CODE = "12.4.4"
SOURCE = "SEK-Check der Beschlussvorlagen (zielwerk sek-check-coverage)"


class CoverageError(ValueError):
    """Coverage cannot be computed or stored as asked; nothing was changed."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class Counts:
    """Beschlussvorlagen of a period: how many, how many checked and exempt."""

    papers: int = 0
    checked: int = 0
    exempt: int = 0

    @property
    def open(self) -> int:
        """Neither approved nor exempt: no check yet, in progress or waiting for approval."""
        return self.papers - self.checked - self.exempt

    @property
    def base(self) -> int:
        """The denominator of METHODS.md §5: all papers less the exempt ones."""
        return self.papers - self.exempt

    @property
    def percent(self) -> float | None:
        """Coverage in percent; None where there is nothing to cover."""
        return 100 * self.checked / self.base if self.base else None

    @property
    def checked_share(self) -> float | None:
        return self._share(self.checked)

    @property
    def exempt_share(self) -> float | None:
        return self._share(self.exempt)

    @property
    def open_share(self) -> float | None:
        return self._share(self.open)

    def _share(self, part: int) -> float | None:
        """`part` in percent of all papers."""
        return 100 * part / self.papers if self.papers else None

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.papers + other.papers, self.checked + other.checked, self.exempt + other.exempt
        )


@dataclass(frozen=True)
class YearCoverage:
    year: int
    counts: Counts
    # From the start date to the end of this year.
    cumulative: Counts


@dataclass
class CoverageReport:
    start: datetime.date
    paper_types: list[str]
    years: list[YearCoverage]
    # Papers of the counted types since the start but without a date.
    undated: int = 0

    @property
    def total(self) -> Counts:
        return self.years[-1].cumulative if self.years else Counts()

    def year(self, year: int) -> YearCoverage | None:
        return next((row for row in self.years if row.year == year), None)


def start_date() -> datetime.date:
    """settings.ZIELWERK_SEK_CHECK_START as a date (a CoverageError when it is none)."""
    value = settings.ZIELWERK_SEK_CHECK_START
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError as error:
        raise CoverageError(
            [
                _("ZIELWERK_SEK_CHECK_START: „%(value)s“ ist kein Datum im Format JJJJ-MM-TT.")
                % {"value": value}
            ]
        ) from error


def coverage_report() -> CoverageReport:
    """Coverage per calendar year since the start date, in one query (plus one for the count
    of undated papers)."""
    start = start_date()
    rows = (
        needing_check(Paper.objects.all())
        .filter(date__gte=start)
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(
            papers=Count("id"),
            checked=Count("id", filter=Q(sek_check__state=Check.State.CHECKED)),
            exempt=Count("id", filter=Q(sek_check__state=Check.State.EXEMPT)),
        )
        .order_by("year")
    )
    years = []
    running = Counts()
    for row in rows:
        counts = Counts(row["papers"], row["checked"], row["exempt"])
        running += counts
        years.append(YearCoverage(row["year"], counts, running))
    undated = needing_check(Paper.objects.all()).filter(date__isnull=True).count()
    return CoverageReport(start, list(settings.ZIELWERK_SEK_CHECK_PAPER_TYPES), years, undated)


def coverage_indicator(edition: Edition) -> Indicator:
    """The indicator of goal 12.4.4 in the edition, found by its code."""
    indicator = Indicator.objects.filter(code=INDICATOR_CODE).first()
    if indicator is None:
        raise CoverageError(
            [
                _(
                    "Es gibt keinen Indikator mit der Kennung „%(code)s“. Legen Sie ihn für das "
                    "operative Ziel %(goal)s an (z. B. mit zielwerk import-indicators), bevor die "
                    "Abdeckung gespeichert wird."
                )
                % {"code": INDICATOR_CODE, "goal": GOAL_CODE}
            ]
        )
    if not indicator.operative_goals.filter(strategic_goal__field__edition=edition).exists():
        raise CoverageError(
            [
                _(
                    "Der Indikator „%(code)s“ gehört zu keinem Ziel der Ausgabe „%(edition)s“; "
                    "ordnen Sie ihn dort dem operativen Ziel %(goal)s zu."
                )
                % {"code": INDICATOR_CODE, "edition": edition.name, "goal": GOAL_CODE}
            ]
        )
    return indicator


def value_rows(
    report: CoverageReport, indicator: Indicator, today: datetime.date, year: int | None = None
) -> list[ValueRow]:
    """The indicator values of the report (see the module docstring for which years)."""
    rows = []
    for row in report.years:
        if row.counts.percent is None or row.year > today.year:
            continue
        if year is not None and row.year != year:
            continue
        counts = row.counts
        note = _(
            "%(checked)d von %(base)d Beschlussvorlagen geprüft (%(exempt)d ausgenommen, "
            "%(open)d offen)"
        ) % {
            "checked": counts.checked,
            "base": counts.base,
            "exempt": counts.exempt,
            "open": counts.open,
        }
        rows.append(
            ValueRow(
                indicator=indicator,
                year=row.year,
                value=counts.percent,
                flags=PROVISIONAL if row.year == today.year else "",
                source=SOURCE,
                note=note,
            )
        )
    return rows


@dataclass
class CoverageResult:
    report: CoverageReport
    indicator: Indicator
    rows: list[ValueRow]
    summary: StoreSummary | None = None
    evaluation: EvaluationSummary | None = None
    notes: list[str] = field(default_factory=list)


def record_coverage(
    edition: Edition,
    today: datetime.date,
    *,
    year: int | None = None,
    revision_reason: str = "",
    dry_run: bool = False,
    evaluate: bool = True,
    user: AbstractBaseUser | None = None,
) -> CoverageResult:
    """Compute the coverage, store it as approved values of the 12.4.4 indicator and evaluate
    the edition again (evaluation.services, as `zielwerk evaluate` does), so that the goal's
    status follows at once; `evaluate` False leaves that to the caller.

    `year` stores that year only. A dry run stores and evaluates inside a transaction that is
    rolled back: it reports what would change and every refusal, and changes nothing. Raises
    CoverageError (nothing stored) for a bad year, a missing indicator or a refused value."""
    report = coverage_report()
    indicator = coverage_indicator(edition)
    if year is not None:
        _check_year(report, year, today)
    rows = value_rows(report, indicator, today, year)
    result = CoverageResult(report, indicator, rows)
    if report.undated:
        result.notes.append(
            _("Beschlussvorlagen ohne Datum, nicht gezählt: %(count)d.") % {"count": report.undated}
        )
    if not rows:
        result.notes.append(_("Kein Jahr mit zu prüfenden Beschlussvorlagen: nichts gespeichert."))
        return result
    try:
        with transaction.atomic():
            result.summary = store_values(
                rows,
                source_name=_("SEK-Check-Abdeckung"),
                user=user,
                approve=True,
                reason=_("Abdeckung des SEK-Checks neu berechnet"),
                revision_reason=revision_reason,
            )
            if evaluate:
                result.evaluation = evaluate_edition(edition, today, user)
            if dry_run:
                transaction.set_rollback(True)
    except ValuesError as error:
        raise CoverageError(error.errors) from error
    return result


def _check_year(report: CoverageReport, year: int, today: datetime.date) -> None:
    if not report.start.year <= year <= today.year:
        raise CoverageError(
            [
                _(
                    "Jahr %(year)d: gemessen wird vom Beginn des SEK-Checks (%(start)s) bis zum "
                    "laufenden Jahr %(current)d."
                )
                % {
                    "year": year,
                    "start": report.start.strftime("%d.%m.%Y"),
                    "current": today.year,
                }
            ]
        )
    found = report.year(year)
    if found is None or found.counts.percent is None:
        raise CoverageError(
            [
                _(
                    "Jahr %(year)d: keine Beschlussvorlage, die geprüft werden müsste; für dieses "
                    "Jahr gibt es keine Abdeckung."
                )
                % {"year": year}
            ]
        )
