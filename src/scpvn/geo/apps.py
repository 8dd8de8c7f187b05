from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "scpvn.geo"
    verbose_name = _("Đơn vị hành chính")

    def ready(self) -> None:
        """The schematic maps are remembered per process; a change to the reference data
        they are drawn from forgets them."""
        from scpvn.geo.cartogram import forget_cartograms
        from scpvn.geo.models import District, Unit, UnitSuccession

        for model in (Unit, UnitSuccession, District):
            post_save.connect(forget_cartograms, sender=model, dispatch_uid=f"cartogram-{model}")
            post_delete.connect(
                forget_cartograms, sender=model, dispatch_uid=f"cartogram-del-{model}"
            )
