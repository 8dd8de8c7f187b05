from django.urls import reverse

from scpvn.core.tests.matrix import IN_WORLD, SIGNED_IN, STAFF, Rule, Write

IMPORT = frozenset({"city_admin", "agency_officer"})
ENTERPRISE = frozenset({"enterprise_user"})


def import_job(w) -> dict:
    from scpvn.registry.models import ImportJob

    job = ImportJob.objects.create(
        original_name="dn.csv", file="registry/imports/gone.csv", status=ImportJob.Status.FAILED
    )
    return {"pk": job.pk}


def place(w) -> dict:
    from scpvn.registry.models import Place

    market = Place.objects.create(
        kind="market",
        name="Chợ Kim Liên",
        district=w.enterprise.district,
        market_class=2,
        operator=w.enterprise,
    )
    return {"pk": market.pk}


RULES = {
    "registry:enterprise_list": Rule(get=SIGNED_IN),
    "registry:enterprise_detail": Rule(get=IN_WORLD, kwargs=lambda w: {"pk": w.enterprise.pk}),
    "registry:place_list": Rule(get=SIGNED_IN),
    "registry:workspace": Rule(get=ENTERPRISE),
    "registry:import": Rule(get=IMPORT),
    "registry:template": Rule(get=STAFF),
    "registry:import_job": Rule(get=IMPORT, kwargs=import_job),
    "registry:import_errors": Rule(get=IMPORT, kwargs=import_job),
    "registry:import_retry": Rule(
        get=IMPORT, kwargs=import_job, skip="POST only: tested in registry/tests/test_import_limits"
    ),
    "enterprise-list": Rule(get=SIGNED_IN),
    "enterprise-detail": Rule(get=IN_WORLD, kwargs=lambda w: {"pk": w.enterprise.pk}),
    "place-list": Rule(get=SIGNED_IN),
    "place-detail": Rule(get=IN_WORLD, kwargs=place),
}


def failed_import(w) -> dict:
    """A job that failed on a good file (its worker died, say): retrying it imports."""
    from django.core.files.base import ContentFile

    from scpvn.registry.models import ImportJob
    from scpvn.registry.tests.test_import import GOOD, xlsx

    job = ImportJob(original_name="dn.xlsx", status=ImportJob.Status.FAILED, failure="crash")
    job.file.save("dn.xlsx", ContentFile(xlsx(GOOD)), save=False)
    job.save()
    return {"job": job}


def retried(job) -> bool:
    job.refresh_from_db()
    return job.status != job.Status.FAILED


WRITES = [
    Write(
        "page retry import",
        failed_import,
        {role: frozenset({"job"}) for role in IMPORT},
        lambda w, job: reverse("registry:import_retry", kwargs={"pk": job.pk}),
        retried,
    ),
]
