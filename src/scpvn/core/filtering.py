"""The FilterSet every app's FilterSets derive from, and filters several of them share (list
pages and API alike)."""

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import get_language
from django_filters import rest_framework as filters
from django_filters.filters import QuerySetRequestMixin

from scpvn.core.memo import memo

# (FilterSet class, language) → its form class, built once (forgotten with the reference data
# that the filters' choices and querysets come from). Per language: a label django-filters
# makes from a model field's verbose name is text in the language it was made in.
_form_classes: dict[tuple[type, str], type] = memo()


class SameForEveryRequest:
    """A filter's queryset that cannot be built when the module is imported (it reads
    remembered reference data) but does not depend on the request: given as a function of
    the request, as django-filters asks, it would keep the FilterSet's form class from
    being shared (`FilterSet.get_form_class`)."""

    def __init__(self, build: Callable[[], QuerySet]) -> None:
        self.build = build

    def __call__(self, _request) -> QuerySet:
        return self.build()


class FilterSet(filters.FilterSet):
    """django-filters' FilterSet (the REST framework flavour, for pages and API alike) whose
    form class is built once per process, not once per request. Building it makes a field
    per filter, fields the form then copies anyway: that was a twelfth of the registry
    list's time. One per language, as a label made from a model field is text in the language
    it was made in. A FilterSet with a filter whose queryset is a function of the request
    still gets its own form class each time."""

    def get_form_class(self) -> type:
        if not self._form_is_shared():
            return super().get_form_class()
        key = (type(self), get_language())
        if key not in _form_classes:
            _form_classes[key] = super().get_form_class()
        return _form_classes[key]

    @classmethod
    def _form_is_shared(cls) -> bool:
        return not any(
            isinstance(filter_, QuerySetRequestMixin)
            and callable(filter_.queryset)
            and not isinstance(filter_.queryset, SameForEveryRequest)
            for filter_ in cls.base_filters.values()
        )


# the largest value a database integer column holds (BigAutoField ids, years alike)
LARGEST_INTEGER = 2**63 - 1


def whole_number_filter(field_name: str, label, **kwargs) -> filters.NumberFilter:
    """A filter on an integer column (an id, a year): a number beyond what the column can
    hold is a 400 with the field named, not an integer overflow in the database driver
    (`/api/indicator-values/?plan=1e30` was a 500 on SQLite; progress had its own bounds)."""
    return filters.NumberFilter(
        field_name=field_name,
        label=label,
        min_value=0,
        max_value=LARGEST_INTEGER,
        decimal_places=0,
        **kwargs,
    )
