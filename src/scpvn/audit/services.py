"""Who changed what, when: reading django-simple-history's rows for people.

Every audited model carries `history = HistoricalRecords()`, so each save or delete leaves a
full copy of the row with the user (`history_user`, set by HistoryRequestMiddleware), the
time and the kind of change. This module lists those copies and compares two of them field
by field; it never writes.
"""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import QuerySet
from simple_history.models import registered_models

# The records the plan's owners must be able to reconstruct (issue 8). A test fails when one
# of these exists without history; add the models of new apps here as they land.
REQUIRED_AUDITED = (
    "plans.Plan",
    "plans.Task",
    "plans.Deliverable",
    "plans.Indicator",
    "progress.Activity",
    "progress.Evidence",
    "reports.Report",
    "reports.ReportSection",
    "registry.Enterprise",
    "registry.Place",
    "assessments.Assignment",
    "assessments.Response",
    "assessments.Answer",
    "trace.Certification",
    "greenpoints.Assessment",
    "greenpoints.Certificate",
    "greenpoints.GreenPoint",
    "fairs.FairApplication",
    "orgs.Agency",
    "orgs.User",
)


def audited_models() -> list[type[models.Model]]:
    """The project's models that keep history, by app and name."""
    labels = project_app_labels()
    found = [
        m
        for m in registered_models.values()
        if m._meta.app_label in labels and not m._meta.auto_created and hasattr(m, "history")
    ]
    return sorted(found, key=lambda m: m._meta.label)


def project_app_labels() -> set[str]:
    return {c.label for c in apps.get_app_configs() if c.name.startswith("scpvn.")}


def audited_model(label: str) -> type[models.Model] | None:
    """The audited model named `app_label.ModelName`, or None (unknown or not audited)."""
    return next((m for m in audited_models() if m._meta.label_lower == label.lower()), None)


# how many changes the index shows
RECENT = 200


def recent_changes(model: type[models.Model]) -> list:
    """The latest `RECENT` changes, each with `shown`: the record as it was, ready to print,
    in a fixed number of queries. django-simple-history's `.instance` reads the fields it
    does not keep (a user's password, a report's snapshot) with one query per row, and an
    answer's name its question: the answers' page made 200 queries. Here the kept fields
    make the record, and the records its foreign keys point at are read once for all."""
    changes = list(model.history.select_related("history_user").order_by("-history_date")[:RECENT])
    for change in changes:
        change.shown = model(
            **{f.attname: getattr(change, f.attname) for f in change.tracked_fields}
        )
    for field in model._meta.concrete_fields:
        if not field.many_to_one:
            continue
        ids = {getattr(change.shown, field.attname) for change in changes} - {None}
        related = field.related_model._base_manager.in_bulk(ids)
        for change in changes:
            target = related.get(getattr(change.shown, field.attname))
            if target is not None:
                field.set_cached_value(change.shown, target)
    return changes


def object_history(model: type[models.Model], pk: str) -> QuerySet:
    """Every version of one record, newest first (also after it was deleted)."""
    return (
        model.history.filter(**{model._meta.pk.attname: pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


def compare(older, newer) -> list[FieldChange]:
    """Field-level differences between two versions of the same record (older → newer),
    with values shown as people read them (choice labels, related objects' names)."""
    delta = newer.diff_against(older)
    model = newer.instance_type
    changes = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        changes.append(
            FieldChange(
                field=change.field,
                label=str(getattr(field, "verbose_name", change.field)),
                old=display(older, field, change.old),
                new=display(newer, field, change.new),
            )
        )
    return changes


def display(version, field, value) -> Any:
    if isinstance(field, models.ManyToManyField):
        return ", ".join(str(v) for v in value) if value else ""
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.ForeignKey) and value is not None:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related else value
    return value
