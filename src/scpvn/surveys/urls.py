"""Survey pages; mounted under the `network:` namespace by `scpvn.network.urls`."""

from django.urls import path

from scpvn.surveys import views

urlpatterns = [
    path("surveys/", views.SurveyListView.as_view(), name="surveys"),
    path("surveys/<int:pk>/", views.SurveyDetailView.as_view(), name="survey"),
    path("surveys/<int:pk>/sample/", views.SampleView.as_view(), name="survey-sample"),
    path("surveys/<int:pk>/reports/", views.GenerateReportsView.as_view(), name="survey-reports"),
    path(
        "survey-responses/<int:pk>/decline/", views.DeclineView.as_view(), name="response-decline"
    ),
    path("survey-reports/<int:pk>/", views.ReportDownloadView.as_view(), name="report-download"),
    path(
        "survey-reports/<int:pk>.pdf",
        views.ReportDownloadView.as_view(),
        {"fmt": "pdf"},
        name="report-download-pdf",
    ),
]
