"""The measure change page as a browser posts it, shared by the tests of the measures app."""

CHANGELIST = "/verwaltung/measures/measure/"


def change_form(measure, *, rows=True, **changes):
    """The change form as posted; rows=False leaves the inlines empty (for an add form)."""
    data = {
        "number": measure.number,
        "title": measure.title,
        "description": measure.description,
        "kind": measure.kind,
        "responsible_unit": measure.responsible_unit_id,
        "operative_goals": [g.pk for g in measure.operative_goals.all()],
        "start": measure.start.isoformat() if measure.start else "",
        "end": measure.end.isoformat() if measure.end else "",
        "priority": measure.priority,
        "status": measure.status_id,
        "progress_percent": measure.progress_percent or "",
        "budget_planned": measure.budget_planned or "",
        "budget_spent": measure.budget_spent or "",
        "status_text": measure.status_text,
        "phase": measure.phase,
        "update_cycle": measure.update_cycle,
        "update_due_days": measure.update_due_days,
        "updates_since": measure.updates_since.isoformat(),
    }
    # Existing inline rows are sent back unchanged, as the browser would.
    for prefix, fields in INLINES:
        items = list(getattr(measure, prefix).all()) if rows else []
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(items)),
            f"{prefix}-INITIAL_FORMS": str(len(items)),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for index, item in enumerate(items):
            data[f"{prefix}-{index}-id"] = item.pk
            data[f"{prefix}-{index}-measure"] = measure.pk
            for name in fields:
                value = getattr(item, name)
                if value is True:
                    data[f"{prefix}-{index}-{name}"] = "on"
                elif value not in (None, False):
                    data[f"{prefix}-{index}-{name}"] = str(value)
    return data | changes


INLINES = [
    ("funding_sources", ["kind", "programme", "amount"]),
    ("gates", ["phase", "planned_on", "passed_on", "note"]),
    ("work_items", ["kind", "title", "due_on", "done_on"]),
    ("status_reports", ["period", "time", "cost", "quality", "text", "is_public"]),
]
