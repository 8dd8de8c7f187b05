"""Mounted at the site root: GS1 Digital Link (/01/…), EPCIS (/epcis/…), workspace (/trace/…)."""

from django.urls import path, re_path

from scpvn.trace import epcis, subscription_api, views

app_name = "trace"

# The resolver parses the whole path itself (`digitallink.parse_resolver_path`), so that bad
# syntax is its 400 rather than Django's 404; these patterns name the usual forms for
# reverse() and replica routing, and the last one sends every other /01/… path to it.
GTIN = r"(?P<gtin>[^/]+)"
LOT = r"(?P<lot>[^/]+)"
SERIAL = r"(?P<serial>[^/]+)"
RESOURCE = r"(?P<resource>eventTypes|bizSteps|bizLocations|readPoints|dispositions|epcs)"

urlpatterns = [
    re_path(rf"^01/{GTIN}/?$", views.resolve, name="resolve-gtin"),
    re_path(rf"^01/{GTIN}/10/{LOT}/?$", views.resolve, name="resolve-lot"),
    re_path(rf"^01/{GTIN}/21/{SERIAL}/?$", views.resolve, name="resolve-serial"),
    re_path(r"^01(?:/.*)?$", views.resolve, name="resolve-path"),
    path(".well-known/gs1resolver", views.resolver_description, name="resolver-description"),
    path("epcis/capture", epcis.CaptureView.as_view(), name="capture"),
    path(
        "epcis/capture/<uuid:capture_id>", epcis.CaptureDetailView.as_view(), name="capture-detail"
    ),
    path("epcis/events", epcis.EventsView.as_view(), name="events"),
    path("epcis/events/<path:event_id>", epcis.EventDetailView.as_view(), name="event-detail"),
    re_path(rf"^epcis/{RESOURCE}$", epcis.ResourceListView.as_view(), name="resources"),
    re_path(
        rf"^epcis/{RESOURCE}/(?P<value>.+)/events$",
        epcis.ResourceEventsView.as_view(),
        name="resource-events",
    ),
    path("epcis/queries", epcis.QueriesView.as_view(), name="queries"),
    path("epcis/queries/<str:name>", epcis.QueryView.as_view(), name="query"),
    path("epcis/queries/<str:name>/events", epcis.QueryEventsView.as_view(), name="query-events"),
    path(
        "epcis/queries/<str:name>/subscriptions",
        subscription_api.SubscriptionsView.as_view(),
        name="subscriptions",
    ),
    path(
        "epcis/queries/<str:name>/subscriptions/<str:subscription_id>",
        subscription_api.SubscriptionView.as_view(),
        name="subscription",
    ),
    re_path(r"^epcis/(?P<rest>.*)$", epcis.not_found, name="epcis-not-found"),
    path("trace/", views.IndexView.as_view(), name="index"),
    path("trace/products/add/", views.ProductCreateView.as_view(), name="product-add"),
    path("trace/locations/add/", views.LocationCreateView.as_view(), name="location-add"),
    path("trace/lots/add/", views.LotCreateView.as_view(), name="lot-add"),
    path(
        "trace/certifications/add/",
        views.CertificationCreateView.as_view(),
        name="certification-add",
    ),
    path("trace/record/", views.RecordEventView.as_view(), name="record"),
    path("trace/upload/", views.UploadCSVView.as_view(), name="upload"),
    path("trace/lots/<int:pk>/labels.pdf", views.LotLabelsView.as_view(), name="lot-labels"),
    re_path(
        r"^trace/qr/(?P<fmt>svg|png)/(?P<code>01/\d+(?:/(?:10|21)/[^/]{1,20})?)$",
        views.qr_code,
        name="qr",
    ),
    # A compressed Digital Link: one segment, no dot (so /robots.txt stays a 404). Last, so
    # it never shadows a page of one segment (/trace/, /epcis/); its view reads the segment
    # (bad base64url → 400) and keeps /admin → /admin/ working.
    re_path(r"^(?P<compressed>[^/.]+)/?$", views.resolve_compressed, name="resolve-compressed"),
]
