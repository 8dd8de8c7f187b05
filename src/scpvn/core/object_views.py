"""Generic list and detail pages configured by attributes, so a list page is a few lines:

    class EnterpriseListView(RoleRequiredMixin, ObjectListView):
        filterset = EnterpriseFilterSet          # the same class the API viewset names
        table = EnterpriseTable                  # columns (core.tables)
        filter_fields = ("q", "district")        # shown in the page's filter form
        title = _("Doanh nghiệp")

        def get_scope(self):
            return enterprises_visible_to(self.request.user)

`get_scope()` is the one place a page says which rows the user may see (the app's
`*_visible_to(user)` queryset); the FilterSet then narrows it exactly as the API does, so a
query parameter means one thing on the page and in the API."""

from typing import Any

from django.db.models import QuerySet
from django.views.generic import DetailView, ListView
from django_filters import FilterSet

from scpvn.core.paging import CappedPaginator
from scpvn.core.tables import Table


class ScopedMixin:
    """The rows the user may see: `get_scope()`, by default the view's `queryset`/`model`."""

    def get_scope(self) -> QuerySet:
        return super().get_queryset()  # type: ignore[misc]


class ObjectListView(ScopedMixin, ListView):
    """Scope → FilterSet → table → page. Invalid filter values are shown as form errors and
    ignored on the page (the API answers them 400)."""

    filterset: type[FilterSet] | None = None
    table: type[Table] | None = None
    # Filters offered in the page's form; other parameters of the URL ride along hidden.
    filter_fields: tuple[str, ...] = ()
    title: str = ""
    paginate_by = 50
    # counts a few pages ahead, never the whole table (`core.paging`)
    paginator_class = CappedPaginator
    template_name = "core/object_list.html"

    def get_queryset(self) -> QuerySet:
        scope = self.get_scope()
        self.filter = None
        if self.filterset is None:
            return scope
        self.filter = self.filterset(self.request.GET, queryset=scope, request=self.request)
        return self.filter.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        shown = [self.filter.form[name] for name in self.filter_fields] if self.filter else []
        kept = {*self.filter_fields, "page"}
        context.update(
            title=self.title,
            filter=self.filter,
            filter_form_fields=shown,
            filter_hidden=[
                (key, value)
                for key, values in self.request.GET.lists()
                if key not in kept
                for value in values
            ],
            table=self.table(context["object_list"]) if self.table else None,
        )
        return context


class ObjectDetailView(ScopedMixin, DetailView):
    """One object, looked up only among those `get_scope()` lets the user see (404 else)."""

    def get_queryset(self) -> QuerySet:
        return self.get_scope()
