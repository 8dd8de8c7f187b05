"""Where a record is, as a list filter: one of today's communes and wards of the installed
province (`?unit=`), or one of its old districts (`?district=`) for records made before the
1 July 2025 reform. The lists and APIs of records on the map narrow by these, their options
remembered reference data (`geo.placing`), written by `QuickSelect`: through Django's
select template, a province's 127 communes and wards cost a list page about 9 ms."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from scpvn.core.filtering import SameForEveryRequest
from scpvn.core.forms import QuickSelect
from scpvn.core.memo import memo
from scpvn.geo.models import District
from scpvn.geo.placing import all_districts, installed_communes
from scpvn.geo.services import current_communes, installed_province

# (field class, to_field_name) → its records' options as (value, label) text
_options: dict[tuple[type, str | None], list[tuple[str, str]]] = memo()


class RememberedChoices(ModelChoiceIterator):
    """The options from remembered reference data (the field's `remembered`, e.g.
    `geo.placing.all_districts`) instead of a query on every page that shows the filter. A
    value chosen is still looked up in the table when the form is validated.

    The records' options are remembered too, as text (forgotten with the records): a
    `ModelChoiceIteratorValue` and a label built per record and per page were a tenth of
    the registry list's time. The empty and null labels follow the active language."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        yield from self._records()

    def _records(self) -> list[tuple[str, str]]:
        key = (type(self.field), self.field.to_field_name)
        if key not in _options:
            _options[key] = [
                (str(self.field.prepare_value(record)), self.field.label_from_instance(record))
                for record in self.field.remembered()
            ]
        return _options[key]

    def __len__(self) -> int:
        extra = (self.field.empty_label is not None) + (self.field.null_label is not None)
        return len(self.field.remembered()) + extra

    def __bool__(self) -> bool:
        return bool(len(self))


class DistrictField(ModelChoiceField):
    iterator = RememberedChoices
    remembered = staticmethod(all_districts)


class CommuneField(ModelChoiceField):
    iterator = RememberedChoices
    remembered = staticmethod(installed_communes)


class DistrictFilter(filters.ModelChoiceFilter):
    field_class = DistrictField


class CommuneFilter(filters.ModelChoiceFilter):
    field_class = CommuneField


def district_filter(field_name: str | None = None) -> filters.ModelChoiceFilter:
    """`?district=` is a district's code everywhere (`field_name` leads to it from a record
    placed through another one): the old districts, for records made before 1 July 2025."""
    return DistrictFilter(
        **({"field_name": field_name} if field_name else {}),
        widget=QuickSelect,
        queryset=District.objects.all(),
        to_field_name="code",
        label=_("Quận, huyện (trước 1/7/2025)"),
        empty_label=_("Mọi quận, huyện"),
    )


def commune_filter(field_name: str | None = None) -> filters.ModelChoiceFilter:
    """`?unit=` is the id of one of today's communes or wards of the installed province
    everywhere (`field_name` leads to the record's unit); a unit outside them is refused
    with the form's error, a 400 on the API."""
    return CommuneFilter(
        **({"field_name": field_name} if field_name else {}),
        widget=QuickSelect,
        # today's communes of the installed province, not the country's past and present
        queryset=SameForEveryRequest(lambda: current_communes(installed_province())),
        label=_("Xã, phường"),
        empty_label=_("Mọi xã, phường"),
        help_text="Id của xã, phường (đơn vị hành chính).",
    )
