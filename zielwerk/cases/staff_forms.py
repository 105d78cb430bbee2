"""Forms of the staff pages for cases: intake and the workflow steps.

They only convert input; whether a step is complete and allowed (reasons, public reason,
measure or goal …) is decided by intake.py and workflow.py, whose German messages name what is
missing."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zielwerk.cases.intake import ContactData
from zielwerk.cases.models import Case, Category
from zielwerk.goals.models import OperativeGoal
from zielwerk.goals.queries import current_edition
from zielwerk.measures.models import Measure
from zielwerk.org.models import OrgUnit, Person

TEXTAREA = forms.Textarea(attrs={"rows": 4, "cols": 60})


def current_goals() -> QuerySet[OperativeGoal]:
    return (
        OperativeGoal.objects.filter(strategic_goal__field__edition=current_edition())
        .select_related("strategic_goal__field")
        .order_by("strategic_goal__field__number", "strategic_goal__number", "number")
    )


class GoalsField(forms.ModelMultipleChoiceField):
    """Operative goals of the current edition, by code."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("operative Ziele"))
        super().__init__(queryset=OperativeGoal.objects.none(), required=False, **kwargs)
        self.widget.attrs["size"] = 8

    def label_from_instance(self, goal: OperativeGoal) -> str:
        return f"{goal.code} {goal.title}"


class GoalsForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = current_goals()


CONTACT_FIELDS = ("name", "email", "phone", "notify", "consent")
STAFF_CHANNELS = [(value, label) for value, label in Case.Channel.choices if value != "web"]


class IntakeForm(GoalsForm):
    kind = forms.ChoiceField(label=_("Art"), choices=Case.Kind.choices)
    channel = forms.ChoiceField(label=_("Eingangsweg"), choices=STAFF_CHANNELS)
    category = forms.ModelChoiceField(
        label=_("Kategorie"),
        queryset=Category.objects.all(),
        required=False,
        help_text=_("Bestimmt die zuständige Einheit und den Servicestandard."),
    )
    text = forms.CharField(
        label=_("Anliegen"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    goals = GoalsField()
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-Mail"), required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=50, required=False)
    notify = forms.BooleanField(
        label=_("über Änderungen per E-Mail benachrichtigen"), required=False
    )
    consent = forms.BooleanField(
        label=_("Die Person ist mit der Speicherung ihrer Kontaktdaten einverstanden."),
        required=False,
    )

    def case_fields(self) -> list[forms.BoundField]:
        return [field for field in self if field.name not in CONTACT_FIELDS]

    def contact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in CONTACT_FIELDS]

    def contact(self) -> ContactData | None:
        data = ContactData(
            name=self.cleaned_data["name"],
            email=self.cleaned_data["email"],
            phone=self.cleaned_data["phone"],
            notify=self.cleaned_data["notify"],
            consent=self.cleaned_data["consent"],
        )
        return None if data.is_empty else data


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("zuständige Einheit"), queryset=OrgUnit.objects.all())
    owner = forms.ModelChoiceField(
        label=_("bearbeitet von"),
        queryset=Person.objects.exclude(role=Person.Role.VIEWER).select_related("user"),
        required=False,
    )


class EvaluateForm(GoalsForm):
    fits = forms.TypedChoiceField(
        label=_("Passt der Impuls zum Handlungsleitbild und zu den Zielen?"),
        choices=[("1", _("passt")), ("0", _("passt nicht"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("Begründung"), widget=TEXTAREA, required=False)
    goals = GoalsField(label=_("betroffene operative Ziele"))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Entscheidung"), choices=Case.Decision.choices, widget=forms.RadioSelect
    )
    public_reason = forms.CharField(
        label=_("öffentliche Begründung"),
        widget=TEXTAREA,
        required=False,
        help_text=_("Wird der Person mitgeteilt; bei einer Ablehnung Pflicht."),
    )


class ImplementForm(GoalsForm):
    measure = forms.ModelChoiceField(
        label=_("Maßnahme"), queryset=Measure.objects.all(), required=False
    )
    goals = GoalsField()


class TextForm(forms.Form):
    """The answer or an internal note."""

    text = forms.CharField(label=_("Text"), widget=TEXTAREA, required=False)


class ReleaseForm(forms.Form):
    public_title = forms.CharField(label=_("öffentlicher Titel"), required=False)
    public_summary = forms.CharField(
        label=_("öffentliche Zusammenfassung"),
        widget=TEXTAREA,
        required=False,
        help_text=_("Das Anliegen in eigenen Worten, ohne personenbezogene Daten."),
    )
