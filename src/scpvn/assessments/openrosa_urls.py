"""OpenRosa URLs, at `/openrosa/` and, for a device configured with a token in its server URL,
at `/openrosa/key/<token>/`."""

from django.urls import path

from scpvn.assessments import openrosa_views as views

app_name = "openrosa"

_routes = [
    ("formList", views.form_list, "form-list"),
    ("forms/<int:pk>/form.xml", views.form_xml, "form"),
    ("forms/<int:pk>/manifest", views.manifest, "manifest"),
    ("forms/<int:pk>/media/<str:filename>", views.media, "media"),
    ("submission", views.submission, "submission"),
]
urlpatterns = [path(route, view, name=name) for route, view, name in _routes] + [
    path(f"key/<str:key>/{route}", view, name=f"key-{name}") for route, view, name in _routes
]
