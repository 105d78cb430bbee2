from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from zielwerk.org.models import OrgUnit, Person


class RulesHistoryAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    """Admin whose permissions come from the rules of each app and which shows history."""


class ReadOnlyAdmin(ObjectPermissionsModelAdmin):
    """A record written only by the services (a log, a delivery): staff who may view read it,
    nobody adds, changes or deletes it here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


class PersonInline(admin.StackedInline):
    model = Person
    can_delete = False
    autocomplete_fields = ["unit"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class StaffUserAdmin(UserAdmin):
    """Logins with their role and unit on one page."""

    inlines = [PersonInline]
    list_display = [
        "username",
        "first_name",
        "last_name",
        "person__role",
        "person__unit",
        "is_active",
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "groups"]
        return readonly
