from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "scpvn.geo"
    verbose_name = _("Đơn vị hành chính")

    def ready(self) -> None:
        """The unit tree and the schematic maps are remembered per process (`core.memo`); a
        change to the reference data they come from forgets them."""
        from scpvn.core.memo import forget
        from scpvn.geo.models import District, Unit, UnitSuccession, Ward

        for model in (Unit, UnitSuccession, District, Ward):
            post_save.connect(forget, sender=model, dispatch_uid=f"geo-memo-{model}")
            post_delete.connect(forget, sender=model, dispatch_uid=f"geo-memo-del-{model}")
