"""The status report form: periods follow the measure's update cycle, closed years stay put."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zielwerk.indicators.periods import is_closed
from zielwerk.measures.models import StatusReport
from zielwerk.updates.schedule import Cycle, parse_period, recent_periods

# How many periods back a report may still be written from the form.
PERIOD_CHOICES = 8


class StatusReportForm(forms.ModelForm):
    period = forms.ChoiceField(label=_("Berichtszeitraum"))

    class Meta:
        model = StatusReport
        fields = ["period", "time", "cost", "quality", "text", "is_public"]

    def __init__(self, *args, cycle: Cycle | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if cycle is None:
            measure_id = self.instance.measure_id
            cycle = self.instance.measure.cycle if measure_id else Cycle.QUARTERLY
        self.cycle = cycle
        labels = [p.label for p in recent_periods(cycle, timezone.localdate(), PERIOD_CHOICES)]
        if self.instance.period and self.instance.period not in labels:
            labels.append(self.instance.period)
        self.fields["period"].choices = [("", "---------"), *((label, label) for label in labels)]

    def clean_period(self) -> str:
        label = self.cleaned_data["period"]
        if label == self.instance.period:
            # Written under an earlier cycle: the stored dates still describe it.
            return label
        # The choices hold only periods of this cycle, so the label parses.
        period = parse_period(label, self.cycle)
        self.instance.period_start, self.instance.period_end = period.start, period.end
        return label

    def clean(self) -> dict:
        cleaned = super().clean()
        end = self.instance.period_end
        # Releasing a report or adding its English version changes nothing it says.
        content_changed = set(self.changed_data) - {"is_public", "text_en"}
        if end is not None and content_changed and is_closed(end.year):
            raise forms.ValidationError(
                _(
                    "Das Berichtsjahr %(year)s ist abgeschlossen. Statusberichte dieses Jahres "
                    "bleiben unverändert; Neues gehört in den Bericht eines offenen Zeitraums."
                ),
                params={"year": end.year},
            )
        return cleaned
