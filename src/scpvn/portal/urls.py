from django.urls import path

from scpvn.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("green-points/", views.green_points, name="green-points"),
    path("lookup/", views.lookup, name="lookup"),
    path("data/", views.open_data, name="data"),
    path("data/<slug:name>.<str:fmt>", views.dataset, name="dataset"),
]
