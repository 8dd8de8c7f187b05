from django.urls import path

from scpvn.network.views import events, fairs, files, greenpoints, index, media, pss, survey

app_name = "network"
urlpatterns = [
    path("", index.IndexView.as_view(), name="index"),
    path("fairs/", fairs.FairListView.as_view(), name="fairs"),
    path("fairs/new/", fairs.FairCreateView.as_view(), name="fair-create"),
    path("fairs/<int:pk>/", fairs.FairDetailView.as_view(), name="fair"),
    path("fairs/<int:pk>/apply/", fairs.ApplyView.as_view(), name="fair-apply"),
    path("fairs/<int:pk>/close/", fairs.CloseFairView.as_view(), name="fair-close"),
    path(
        "applications/<int:pk>/", fairs.ApplicationActionView.as_view(), name="application-action"
    ),
    path("green-points/", greenpoints.GreenPointListView.as_view(), name="greenpoints"),
    path("green-points/apply/", greenpoints.GreenPointApplyView.as_view(), name="greenpoint-apply"),
    path("green-points/<int:pk>/", greenpoints.GreenPointDetailView.as_view(), name="greenpoint"),
    path("green-points/<int:pk>/dossier/", files.DossierView.as_view(), name="greenpoint-dossier"),
    path(
        "green-points/<int:pk>/assess/", greenpoints.AssessView.as_view(), name="greenpoint-assess"
    ),
    path(
        "green-points/<int:pk>/certify/",
        greenpoints.CertifyView.as_view(),
        name="greenpoint-certify",
    ),
    path("pss/", pss.PssIndexView.as_view(), name="pss"),
    path("pss/guidance/new/", pss.GuidanceCreateView.as_view(), name="guidance-create"),
    path("pss/pilots/<int:pk>/", pss.PilotDetailView.as_view(), name="pilot"),
    path("pss/pilots/<int:pk>/complete/", pss.PilotCompleteView.as_view(), name="pilot-complete"),
    path("surveys/", survey.SurveyListView.as_view(), name="surveys"),
    path("surveys/<int:pk>/", survey.SurveyDetailView.as_view(), name="survey"),
    path("surveys/<int:pk>/sample/", survey.SampleView.as_view(), name="survey-sample"),
    path("surveys/<int:pk>/reports/", survey.GenerateReportsView.as_view(), name="survey-reports"),
    path("survey-responses/<int:pk>/", survey.ResponseView.as_view(), name="response"),
    path("survey-reports/<int:pk>/", survey.ReportDownloadView.as_view(), name="report-download"),
    path("events/", events.EventListView.as_view(), name="events"),
    path("events/new/", events.EventCreateView.as_view(), name="event-create"),
    path("events/<int:pk>/", events.EventDetailView.as_view(), name="event"),
    path("events/<int:pk>/action/", events.EventActionView.as_view(), name="event-action"),
    path("events/<int:pk>/feedback/", events.FeedbackView.as_view(), name="event-feedback"),
    path("media/", media.MediaListView.as_view(), name="media"),
    path("media/new/", media.MediaCreateView.as_view(), name="media-create"),
    path("media/<int:pk>/", media.MediaUpdateView.as_view(), name="media-edit"),
    path("files/<str:kind>/<int:pk>/", files.StaffFileView.as_view(), name="file"),
]
