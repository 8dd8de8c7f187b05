from scpvn.core.tests.matrix import SIGNED_IN, STAFF, Rule

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
    "registry:enterprise_detail": Rule(get=SIGNED_IN, kwargs=lambda w: {"pk": w.enterprise.pk}),
    "registry:place_list": Rule(get=SIGNED_IN),
    "registry:workspace": Rule(get=ENTERPRISE),
    "registry:import": Rule(get=IMPORT),
    "registry:template": Rule(get=STAFF),
    "registry:import_job": Rule(get=IMPORT, kwargs=import_job),
    "registry:import_errors": Rule(get=IMPORT, kwargs=import_job),
    "enterprise-list": Rule(get=SIGNED_IN),
    "enterprise-detail": Rule(get=SIGNED_IN, kwargs=lambda w: {"pk": w.enterprise.pk}),
    "place-list": Rule(get=SIGNED_IN),
    "place-detail": Rule(get=SIGNED_IN, kwargs=place),
}
