from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from scpvn.api_router import router
from scpvn.core.views import health, ready
from scpvn.orgs.token_views import TokenPageView
from scpvn.plans.views import home

handler400 = "scpvn.core.problems.handler400"
handler403 = "scpvn.core.problems.handler403"
handler404 = "scpvn.core.problems.handler404"
handler500 = "scpvn.core.problems.handler500"

admin.site.site_header = "scpvn — Quản trị hệ thống"
admin.site.site_title = "scpvn"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", health, name="health"),
    path("readyz", ready, name="ready"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/tokens/", TokenPageView.as_view(), name="tokens"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("plans/", include("scpvn.plans.urls")),
    path("progress/notifications/", include("scpvn.notifications.urls")),
    path("progress/", include("scpvn.progress.urls")),
    path("reports/", include("scpvn.reports.urls")),
    path("registry/", include("scpvn.registry.urls")),
    path("assessments/", include("scpvn.assessments.urls")),
    path("openrosa/", include("scpvn.assessments.openrosa_urls")),
    path("indicators/", include("scpvn.indicators.urls")),
    path("network/", include("scpvn.network.urls")),
    path("public/", include("scpvn.portal.urls")),
    path("audit/", include("scpvn.audit.urls")),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # GS1 Digital Link (/01/…, and compressed URIs: one segment) and EPCIS (/epcis/) at the
    # root, last: the compressed form's one-segment pattern must not shadow any other page.
    path("", include("scpvn.trace.urls")),
]
# Uploads (evidence, dossiers, photos, import files) are never served from MEDIA_URL, not
# even with DEBUG: each goes out through its app's view, which checks the permission and
# answers with `core.files.serve_protected_file`.
