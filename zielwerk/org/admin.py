from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from zielwerk.org.models import OrgUnit, Person


class RulesHistoryAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    """Admin whose permissions come from the rules of each app and which shows history."""


@admin.register(OrgUnit)
class OrgUnitAdmin(RulesHistoryAdmin):
    list_display = ["code", "name", "kind", "parent", "is_sample"]
    list_filter = ["kind", "is_sample"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(RulesHistoryAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["unit"]
