"""Green point pages; mounted under the `network:` namespace by `scpvn.network.urls`."""

from django.urls import path

from scpvn.greenpoints import views

urlpatterns = [
    path("green-points/", views.GreenPointListView.as_view(), name="greenpoints"),
    path("green-points/apply/", views.GreenPointApplyView.as_view(), name="greenpoint-apply"),
    path("green-points/<int:pk>/", views.GreenPointDetailView.as_view(), name="greenpoint"),
    path("green-points/<int:pk>/dossier/", views.DossierView.as_view(), name="greenpoint-dossier"),
    path("green-points/<int:pk>/assess/", views.AssessView.as_view(), name="greenpoint-assess"),
    path("green-points/<int:pk>/certify/", views.CertifyView.as_view(), name="greenpoint-certify"),
]
