from django.http import Http404
from django.views.generic import TemplateView

from scpvn.audit import services
from scpvn.orgs.access import RoleRequiredMixin
from scpvn.orgs.roles import Role

AUDITORS = frozenset({Role.CITY_ADMIN, Role.REVIEWER})


class AuditIndexView(RoleRequiredMixin, TemplateView):
    """Recent changes to one kind of record (chosen with ?model=app.Model)."""

    allowed_roles = AUDITORS
    template_name = "audit/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        models = services.audited_models()
        label = self.request.GET.get("model") or models[0]._meta.label
        model = services.audited_model(label)
        if model is None:
            raise Http404
        context.update(
            models=[(m._meta.label, m._meta.verbose_name) for m in models],
            label=model._meta.label,
            plural=model._meta.verbose_name_plural,
            changes=services.recent_changes(model),
            recent=services.RECENT,
        )
        return context


class ObjectHistoryView(RoleRequiredMixin, TemplateView):
    """Every version of one record; ?a=…&b=… (history ids) compares two of them."""

    allowed_roles = AUDITORS
    template_name = "audit/object.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        model = services.audited_model(self.kwargs["model"])
        if model is None:
            raise Http404
        versions = list(services.object_history(model, self.kwargs["pk"]))
        if not versions:
            raise Http404
        by_id = {str(v.history_id): v for v in versions}
        newer = by_id.get(self.request.GET.get("b", ""), versions[0])
        older = by_id.get(self.request.GET.get("a", ""), versions[1] if len(versions) > 1 else None)
        if older is not None and older.history_date > newer.history_date:
            older, newer = newer, older
        context.update(
            label=model._meta.label,
            plural=model._meta.verbose_name_plural,
            versions=versions,
            newer=newer,
            older=older,
            changes=services.compare(older, newer) if older else [],
        )
        return context
