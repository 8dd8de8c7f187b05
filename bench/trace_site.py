"""Settings for the traceability benchmark's throwaway site: the project's own settings, with
a URLconf that adds one trivial view (the baseline) — see `trace_urls`."""

from scpvn.settings import *  # noqa: F403
from scpvn.settings import STORAGES

ROOT_URLCONF = "bench.trace_urls"
# The pages' static files are not fetched by the benchmark: plain storage, no collectstatic.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
