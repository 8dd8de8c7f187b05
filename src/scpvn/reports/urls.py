from django.urls import path

from scpvn.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("open/", views.OpenReportView.as_view(), name="open"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/section/", views.ReportSectionView.as_view(), name="section"),
    path("<int:pk>/compile/", views.ReportCompileView.as_view(), name="compile"),
    path("<int:pk>/<str:action>/", views.ReportActionView.as_view(), name="action"),
    path("<int:pk>/file.<str:fmt>", views.ReportDownloadView.as_view(), name="download"),
]
