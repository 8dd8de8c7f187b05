"""The green business network under one URL namespace (`network:`), so links and bookmarks
kept working when its domains became apps of their own."""

from django.urls import path

from scpvn.fairs import urls as fairs
from scpvn.greenpoints import urls as greenpoints
from scpvn.network.views import index
from scpvn.outreach import urls as outreach
from scpvn.surveys import urls as surveys

app_name = "network"
urlpatterns = [
    path("", index.IndexView.as_view(), name="index"),
    *fairs.urlpatterns,
    *greenpoints.urlpatterns,
    *outreach.urlpatterns,
    *surveys.urlpatterns,
]
