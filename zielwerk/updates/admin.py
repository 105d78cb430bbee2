"""The reminder log, read-only: `send-reminders` writes it, staff may look it up."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdmin

from zielwerk.updates.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(ObjectPermissionsModelAdmin):
    list_display = ["item", "period", "kind", "due", "sent_at", "recipients"]
    list_filter = ["kind", "sent_at"]
    search_fields = ["period", "recipients", "measure__number", "indicator__code"]
    date_hierarchy = "sent_at"
    list_select_related = ["measure", "indicator"]

    @admin.display(description=_("Maßnahme oder Indikator"))
    def item(self, reminder: Reminder) -> str:
        return reminder.measure.number if reminder.measure else reminder.indicator.code

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
