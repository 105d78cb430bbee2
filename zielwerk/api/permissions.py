"""Who may read and write through the API.

Reading is open because the published goal system is public; unpublished editions are drafts
of the strategy office and stay hidden from the public as if they did not exist. Writing
follows the same django-rules permissions as the staff pages, so both ways of editing obey one
rule set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from zielwerk.goals.models import Edition, FeedbackItem, Field, StrategicGoal
from zielwerk.goals.queries import sees_unpublished
from zielwerk.goals.responsibility import GoalSystemObject

# DRF imports this module while loading its settings, before rest_framework.views is complete.
if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}

DENIED = {
    "add": _("Neue Einträge legt nur die Strategiestelle an."),
    "change": _("Sie haben keine Berechtigung, diese Einträge zu ändern."),
    "delete": _("Löschen darf nur die Strategiestelle."),
}
# Reaching the object check means the model-level check passed, which for goals only happens
# to editors; so a refusal here is always about responsibility.
DENIED_FOR_OBJECT = {
    **DENIED,
    "change": _(
        "Sie dürfen nur Einträge ändern, für die Ihre Organisationseinheit verantwortlich ist."
    ),
}


def edition_of(obj: GoalSystemObject) -> Edition:
    if isinstance(obj, Edition):
        return obj
    if isinstance(obj, Field):
        return obj.edition
    if isinstance(obj, FeedbackItem | StrategicGoal):
        return obj.field.edition
    return obj.strategic_goal.field.edition


def permission_name(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class ReadPublishedWriteByRules(BasePermission):
    """Safe methods for everyone on published data; writes by the django-rules permissions."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not request.user.is_authenticated:
            # False rather than an exception lets DRF answer "not authenticated".
            return False
        queryset = getattr(view, "queryset", None)
        action = ACTIONS.get(request.method or "")
        if queryset is None or action is None:
            return False
        if not request.user.has_perm(permission_name(queryset.model, action)):
            # A view may say who may do what in its own words (e.g. editors add values).
            raise PermissionDenied(getattr(view, "denied_messages", DENIED).get(action))
        return True

    def has_object_permission(self, request: Request, view: APIView, obj: models.Model) -> bool:
        if request.method in SAFE_METHODS:
            # The views already leave hidden editions out of their querysets; this keeps the
            # rule true for any view that forgets, and answers 404 so drafts are not revealed.
            if (
                isinstance(obj, GoalSystemObject)
                and not edition_of(obj).is_published
                and not sees_unpublished(request.user)
            ):
                raise NotFound()
            return True
        action = ACTIONS.get(request.method or "")
        if action is None:
            return False
        if not request.user.has_perm(permission_name(type(obj), action), obj):
            raise PermissionDenied(DENIED_FOR_OBJECT[action])
        return True
