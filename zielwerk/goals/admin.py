"""Staff pages for the goal system. Permissions come from goals/rules.py: editors see every
goal but can save only what their unit is responsible for, and never reassign responsibility."""

from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsTabularInline

from zielwerk.goals.models import (
    CrossReference,
    Edition,
    FeedbackItem,
    Field,
    OperativeGoal,
    StrategicGoal,
)
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
class FieldAdmin(ResponsibilityMixin, RulesHistoryAdmin):
    list_display = ["number", "title", "edition"]
    list_filter = ["edition"]
    search_fields = ["title", "leitsatz"]
    filter_horizontal = ["responsible_units"]
    inlines = [FeedbackInline]
    structure_fields = ["edition", "number"]


@admin.register(StrategicGoal)
class StrategicGoalAdmin(ResponsibilityMixin, RulesHistoryAdmin):
    list_display = ["code", "title", "field"]
    list_filter = ["field__edition"]
    search_fields = ["title", "text"]
    filter_horizontal = ["responsible_units"]
    inlines = [CrossReferenceInline]
    structure_fields = ["field", "number"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("field__edition")


@admin.register(OperativeGoal)
class OperativeGoalAdmin(ResponsibilityMixin, RulesHistoryAdmin):
    list_display = ["code", "title", "strategic_goal"]
    list_filter = ["strategic_goal__field__edition", "strategic_goal__field", "responsible_units"]
    search_fields = ["title", "text"]
    filter_horizontal = ["responsible_units"]
    structure_fields = ["strategic_goal", "number"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("strategic_goal__field__edition")
