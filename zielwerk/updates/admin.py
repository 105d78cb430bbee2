"""The reminder log, read-only: `send-reminders` writes it, staff may look it up."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zielwerk.org.admin import ReadOnlyAdmin
from zielwerk.updates.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["item", "period", "kind", "due", "sent_at", "recipients"]
    list_filter = ["kind", "sent_at"]
    search_fields = ["period", "recipients", "measure__number", "indicator__code"]
    date_hierarchy = "sent_at"
    list_select_related = ["measure", "indicator"]

    @admin.display(description=_("Maßnahme oder Indikator"))
    def item(self, reminder: Reminder) -> str:
        return reminder.measure.number if reminder.measure else reminder.indicator.code
