"""The menu (`core.context_processors.navigation`): each entry's path is reversed once per
URL configuration and prefix, and still follows the prefix the site is served under."""

import pytest
from django.test import RequestFactory
from django.urls import get_script_prefix, set_script_prefix

from scpvn.core.context_processors import navigation

pytestmark = pytest.mark.django_db


def _paths(entries: list[dict]) -> list[str]:
    return [
        path
        for entry in entries
        for path in ([entry["url"]] if not entry["children"] else _paths(entry["children"]))
    ]


def test_the_menu_follows_the_prefix_the_site_is_served_under(users):
    request = RequestFactory().get("/registry/")
    request.user = users["city_admin"]
    plain = _paths(navigation(request)["nav_items"])
    before = get_script_prefix()
    set_script_prefix("/scp/")
    try:
        prefixed = _paths(navigation(request)["nav_items"])
    finally:
        set_script_prefix(before)
    assert plain and "/registry/" in plain
    assert prefixed == ["/scp" + path for path in plain]
    assert _paths(navigation(request)["nav_items"]) == plain


def test_each_role_sees_its_own_menu(users):
    """The paths are remembered, the menu is not: an enterprise user is not shown the
    administrators' entries the city administrator was shown just before, and is shown
    their own workspace, which the administrator is not."""
    request = RequestFactory().get("/")
    request.user = users["city_admin"]
    admin = set(_paths(navigation(request)["nav_items"]))
    request.user = users["enterprise_user"]
    enterprise = set(_paths(navigation(request)["nav_items"]))
    assert admin - enterprise and "/registry/workspace/" in enterprise - admin
