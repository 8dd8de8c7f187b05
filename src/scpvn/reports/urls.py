from django.urls import path

from scpvn.reports import inspection_views, register_views, views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("open/", views.OpenReportView.as_view(), name="open"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/section/", views.ReportSectionView.as_view(), name="section"),
    path("<int:pk>/duty-section/", views.ReportDutySectionView.as_view(), name="duty-section"),
    path("<int:pk>/compile/", views.ReportCompileView.as_view(), name="compile"),
    path("<int:pk>/issue/", register_views.IssueReportView.as_view(), name="issue"),
    path("register/", register_views.RegisterView.as_view(), name="register"),
    path(
        "register/export.<str:fmt>",
        register_views.RegisterExportView.as_view(),
        name="register-export",
    ),
    path("register/<int:pk>.pdf", register_views.IssuedFileView.as_view(), name="issued-file"),
    path("register/<int:pk>/cancel/", register_views.CancelIssueView.as_view(), name="cancel"),
    path("verify/", register_views.VerifyView.as_view(), name="verify"),
    path("inspections/", inspection_views.InspectionReportListView.as_view(), name="inspections"),
    path(
        "inspections/<int:pk>/",
        inspection_views.InspectionReportView.as_view(),
        name="inspection",
    ),
    path(
        "inspections/<int:pk>/file.<str:fmt>",
        inspection_views.InspectionReportDownloadView.as_view(),
        name="inspection-download",
    ),
    path(
        "inspections/<int:pk>/issue/",
        inspection_views.IssueInspectionReportView.as_view(),
        name="inspection-issue",
    ),
    path(
        "survey-reports/<int:pk>/issue/",
        register_views.IssueSurveyReportView.as_view(),
        name="survey-report-issue",
    ),
    path("<int:pk>/<str:action>/", views.ReportActionView.as_view(), name="action"),
    path("<int:pk>/file.<str:fmt>", views.ReportDownloadView.as_view(), name="download"),
]
