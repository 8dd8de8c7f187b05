"""Which record changes make the stored indicator values stale (a visit accepted or returned
included: only accepted visits are read)."""

from django.db.models.signals import post_delete, post_save

from scpvn.assessments.models import Answer, Response, Submission
from scpvn.indicators.models import ManualValue
from scpvn.indicators.services import schedule_recompute
from scpvn.plans.conditions import on_stale_models
from scpvn.registry.models import Enterprise, Place
from scpvn.registry.signals import registry_changed


def _stale(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures loading
        return
    schedule_recompute()


def watch(model) -> None:
    """Values go stale when a `model` row is saved or deleted."""
    post_save.connect(_stale, sender=model, dispatch_uid=f"indicators-stale-save-{model.__name__}")
    post_delete.connect(_stale, sender=model, dispatch_uid=f"indicators-stale-del-{model.__name__}")


def connect() -> None:
    for model in (Response, Answer, Submission, Enterprise, Place, ManualValue):
        watch(model)
    on_stale_models(watch)  # the models of registered conditions (plans/conditions.py)
    registry_changed.connect(_stale, dispatch_uid="indicators-stale-registry")
