from django.urls import path

from scpvn.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("<int:pk>/", views.IndicatorDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/<str:period>/<str:unit>/records/",
        views.ProvenanceView.as_view(),
        name="provenance",
    ),
    path("<int:pk>/manual/", views.ManualValueView.as_view(), name="manual"),
    path("sources/<int:pk>/", views.SourceDocumentView.as_view(), name="source_document"),
]
