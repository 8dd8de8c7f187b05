"""Fair pages; mounted under the `network:` namespace by `scpvn.network.urls`."""

from django.urls import path

from scpvn.fairs import views

urlpatterns = [
    path("fairs/", views.FairListView.as_view(), name="fairs"),
    path("fairs/new/", views.FairCreateView.as_view(), name="fair-create"),
    path("fairs/<int:pk>/", views.FairDetailView.as_view(), name="fair"),
    path("fairs/<int:pk>/apply/", views.ApplyView.as_view(), name="fair-apply"),
    path("fairs/<int:pk>/close/", views.CloseFairView.as_view(), name="fair-close"),
    path(
        "applications/<int:pk>/", views.ApplicationActionView.as_view(), name="application-action"
    ),
]
