"""The shared filters and FilterSet (`core.filtering`): number filters refuse what an integer
column cannot hold; a FilterSet's form class is built once unless its choices follow the request."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/indicator-values/?plan=1e30", "plan"),
        ("/api/progress/activities/?group=99999999999999999999", "group"),
        ("/api/issued-documents/?year=1e30", "year"),
        ("/api/indicator-values/?plan=1.5", "plan"),
    ],
)
def test_a_number_no_integer_column_holds_is_a_400_naming_the_field(users, path, field):
    """The API fuzz's finding: `?plan=1e30` reached SQLite as an integer and overflowed
    (OverflowError, a 500)."""
    client = APIClient()
    client.force_authenticate(users["city_admin"])
    response = client.get(path)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid" and list(body["errors"]) == [field], body


def test_an_id_within_range_still_filters(users):
    client = APIClient()
    client.force_authenticate(users["city_admin"])
    assert client.get("/api/indicator-values/?plan=1").status_code == 200
    assert client.get("/api/progress/activities/?group=1").status_code == 200


def test_a_filterset_builds_its_form_class_once(mini_plan):
    """The form class (a field per filter) is shared by every request, and built anew once
    the reference data its choices come from is forgotten."""
    from scpvn.core.memo import forget
    from scpvn.registry.filtersets import EnterpriseFilterSet

    first = EnterpriseFilterSet({}).form
    second = EnterpriseFilterSet({"q": "x"}).form
    assert type(first) is type(second)
    assert first.fields["unit"] is not second.fields["unit"]  # each form has its own copy
    forget()
    assert type(EnterpriseFilterSet({}).form) is not type(first)


def test_a_filter_whose_choices_depend_on_the_request_gets_a_form_per_request(users):
    """A queryset that is a function of the request (django-filters' way of scoping
    choices to the user) keeps its FilterSet's form class per request: two users are
    each offered only what their own request allows."""
    from django.test import RequestFactory
    from django_filters import rest_framework as filters

    from scpvn.core.filtering import FilterSet
    from scpvn.orgs.models import User

    class OwnFilterSet(FilterSet):
        user = filters.ModelChoiceFilter(
            queryset=lambda request: User.objects.filter(pk=request.user.pk)
        )

        class Meta:
            model = User
            fields = ["user"]

    offered = {}
    for name in ("city_admin", "enterprise_user"):
        request = RequestFactory().get("/")
        request.user = users[name]
        field = OwnFilterSet({}, request=request).form.fields["user"]
        offered[name] = [choice for choice, _label in field.choices if choice]
    assert [str(v) for v in offered["city_admin"]] == [str(users["city_admin"].pk)]
    assert [str(v) for v in offered["enterprise_user"]] == [str(users["enterprise_user"].pk)]


def _filtersets() -> list[type]:
    from scpvn.core.filtering import FilterSet
    from scpvn.core.modules import app_submodules

    app_submodules("filtersets")  # every app's FilterSets, imported
    found, todo = [], [FilterSet]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def test_every_app_filterset_shares_its_form():
    from scpvn.registry.filtersets import EnterpriseFilterSet

    assert EnterpriseFilterSet in _filtersets() and len(_filtersets()) >= 10


@pytest.mark.parametrize("filterset", _filtersets(), ids=lambda cls: cls.__name__)
def test_a_shared_form_speaks_the_language_of_the_request(mini_plan, filterset):
    """A label django-filters makes from a model field (`?tax_code=`: "Mã số thuế") is text
    in the language it was made in: the form class shared in Vietnamese is not the English
    one."""
    from django.utils import translation

    from scpvn.core.memo import forget

    def labels() -> dict[str, str]:
        return {name: str(field.label) for name, field in filterset({}).form.fields.items()}

    with translation.override("en"):
        english = labels()
    forget()
    with translation.override("vi"):
        vietnamese = labels()
    with translation.override("en"):
        assert labels() == english
    with translation.override("vi"):
        assert labels() == vietnamese
