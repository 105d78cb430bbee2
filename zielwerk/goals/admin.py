"""Staff pages for the goal system. Permissions come from goals/rules.py: editors see every
goal but can save only what their unit is responsible for, and never reassign responsibility."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsTabularInline

from zielwerk.goals.models import (
    CrossReference,
    Edition,
    FeedbackItem,
    Field,
    OperativeGoal,
    StrategicGoal,
)
from zielwerk.goals.translations import ENGLISH, english_fields, missing_english
from zielwerk.org.admin import RulesHistoryAdmin


class ResponsibilityMixin:
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("goals.assign_responsibility"):
            readonly.append("responsible_units")
        if obj is not None and not request.user.has_perm(f"goals.add_{self.opts.model_name}"):
            # Numbering and place in the tree are structure, kept by the strategy office.
            readonly.extend(self.structure_fields)
        return readonly


class EnglishMissingFilter(admin.SimpleListFilter):
    """The staff's overview of missing translations: rows with a German text whose English
    counterpart is empty."""

    title = _("englische Fassung")
    parameter_name = "englisch"

    def lookups(self, request, model_admin):
        return [("fehlt", _("fehlt")), ("vollstaendig", _("vollständig"))]

    def queryset(self, request, queryset):
        missing = missing_english(queryset.model)
        if self.value() == "fehlt":
            return queryset.filter(missing)
        if self.value() == "vollstaendig":
            return queryset.exclude(missing)
        return queryset


class EnglishFieldsMixin:
    """The English texts in a collapsed fieldset of their own, and the filter of missing
    translations; for every admin of a model with *_en fields."""

    def get_fieldsets(self, request, obj=None):
        english = [f"{name}{ENGLISH}" for name in english_fields(self.model)]
        fieldsets = [
            (title, {**options, "fields": [f for f in options["fields"] if f not in english]})
            for title, options in super().get_fieldsets(request, obj)
        ]
        section = {
            "fields": english,
            "classes": ["collapse"],
            "description": _(
                "Leere Felder zeigen auf den englischen Seiten den deutschen Text mit dem "
                "Hinweis „nur auf Deutsch“."
            ),
        }
        return [*fieldsets, (_("Englische Fassung"), section)]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), EnglishMissingFilter]


@admin.register(Edition)
class EditionAdmin(RulesHistoryAdmin):
    list_display = ["name", "title", "city", "is_current", "is_published", "created_at"]
    search_fields = ["name", "title"]


class FeedbackInline(ObjectPermissionsTabularInline):
    model = FeedbackItem
    extra = 0


class CrossReferenceInline(ObjectPermissionsTabularInline):
    model = CrossReference
    extra = 0


@admin.register(Field)
class FieldAdmin(EnglishFieldsMixin, ResponsibilityMixin, RulesHistoryAdmin):
    list_display = ["number", "title", "edition"]
    list_filter = ["edition"]
    search_fields = ["title", "leitsatz"]
    filter_horizontal = ["responsible_units"]
    inlines = [FeedbackInline]
    structure_fields = ["edition", "number"]


@admin.register(StrategicGoal)
class StrategicGoalAdmin(EnglishFieldsMixin, ResponsibilityMixin, RulesHistoryAdmin):
    list_display = ["code", "title", "field"]
    list_filter = ["field__edition"]
    search_fields = ["title", "text"]
    filter_horizontal = ["responsible_units"]
    inlines = [CrossReferenceInline]
    structure_fields = ["field", "number"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("field__edition")


@admin.register(OperativeGoal)
class OperativeGoalAdmin(EnglishFieldsMixin, ResponsibilityMixin, RulesHistoryAdmin):
    list_display = ["code", "title", "strategic_goal"]
    list_filter = ["strategic_goal__field__edition", "strategic_goal__field", "responsible_units"]
    search_fields = ["title", "text"]
    filter_horizontal = ["responsible_units"]
    structure_fields = ["strategic_goal", "number"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("strategic_goal__field__edition")
