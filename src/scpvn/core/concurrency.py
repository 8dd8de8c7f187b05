"""Optimistic concurrency: two people editing the same record, the second one is told.

The version of a record is its `version` field when the model has one (activities, reports),
otherwise the id of its latest history row (django-simple-history writes one on every save),
so any model with `history = HistoricalRecords()` gets conflict detection without a schema
change. A form carries the version it was opened at; the save
locks the row, compares, and refuses when someone saved in between — the refused person
keeps what they typed (the form comes back with it) and the first save stands.
"""

from collections.abc import Mapping
from typing import Any, TypeVar

from django import forms
from django.db import models, transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)
VERSION_FIELD = "version"


class EditConflict(Exception):
    """Someone saved `current` after the editor opened it at `expected_version`."""

    def __init__(self, current: models.Model, expected_version: int):
        self.current = current
        self.expected_version = expected_version
        super().__init__(f"{current._meta.label} {current.pk}: version {expected_version} is stale")


def has_version_field(model: type[models.Model] | models.Model) -> bool:
    return any(f.name == VERSION_FIELD for f in model._meta.concrete_fields)


def version_of(instance: models.Model) -> int:
    """The version token of `instance`: its `version` field, or else its latest history
    row's id (0 before the first)."""
    if has_version_field(instance):
        return getattr(instance, VERSION_FIELD)
    latest = instance.history.order_by("-history_id").values_list("history_id", flat=True)
    return latest.first() or 0


@transaction.atomic
def save_if_unchanged(
    instance: M, expected_version: int, changes: Mapping[str, Any] | None = None
) -> M:
    """Apply `changes` to `instance` and save it, unless someone saved it since
    `expected_version`; then raise EditConflict and write nothing. The row is locked
    (SELECT … FOR UPDATE) so two simultaneous saves cannot both pass the check."""
    model = type(instance)
    locked = model._base_manager.select_for_update().get(pk=instance.pk)
    if version_of(locked) != expected_version:
        raise EditConflict(locked, expected_version)
    for field, value in (changes or {}).items():
        setattr(instance, field, value)
    if has_version_field(model):
        setattr(instance, VERSION_FIELD, expected_version + 1)
    instance.save()
    return instance


class ConflictCheckedUpdateMixin:
    """For an `UpdateView` of a model with history: the form carries a hidden `version`;
    a stale one re-renders the form with the editor's input and a 409 instead of saving.
    Templates that lay fields out by hand must render `{{ form.version }}`."""

    conflict_message = ""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields[VERSION_FIELD] = forms.IntegerField(
            widget=forms.HiddenInput, initial=version_of(self.object), required=True
        )
        return form

    @transaction.atomic
    def form_valid(self, form) -> HttpResponse:
        try:
            self.object = save_if_unchanged(
                form.save(commit=False), form.cleaned_data[VERSION_FIELD]
            )
            form.save_m2m()
        except EditConflict as conflict:
            form.add_error(
                None,
                self.conflict_message
                or _(
                    "Bản ghi vừa được %(who)s sửa sau khi bạn mở. Nội dung bạn nhập vẫn còn "
                    "dưới đây; hãy xem lại bản mới rồi lưu lại."
                )
                % {"who": last_editor(conflict.current)},
            )
            form.data = form.data.copy()
            form.data[VERSION_FIELD] = str(version_of(conflict.current))
            return self.render_to_response(self.get_context_data(form=form), status=409)
        return HttpResponse(status=302, headers={"Location": self.get_success_url()})


def last_editor(instance: models.Model) -> str:
    latest = instance.history.select_related("history_user").order_by("-history_id").first()
    user = latest.history_user if latest else None
    return str(user) if user else _("người khác")
