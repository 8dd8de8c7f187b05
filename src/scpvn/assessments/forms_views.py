"""The XLSForm page: the forms in the user's scope, and publishing one (officers of a
department, city administrators), through the same service as the API and the CLI."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from scpvn.assessments.publishing import forms_visible_to, publish_form
from scpvn.assessments.scopes import FIELD_ROLES, PUBLISH_ROLES
from scpvn.assessments.xlsform import XLSFormInvalid
from scpvn.core.files import UploadValidator
from scpvn.core.refusals import REFUSALS, add_to_form
from scpvn.orgs.access import RoleRequiredMixin, user_has_role
from scpvn.orgs.roles import Role


class PublishForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp XLSForm (.xlsx: sheet survey, choices, settings)"),
        validators=[UploadValidator({"xlsx"})],
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class FormListView(RoleRequiredMixin, FormView):
    allowed_roles = FIELD_ROLES | {Role.REVIEWER}
    template_name = "assessments/form_list.html"
    form_class = PublishForm

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            published=forms_visible_to(user).order_by("form_id", "-published_at")[:200],
            can_publish=user_has_role(user, PUBLISH_ROLES),
            form_list_url=self.request.build_absolute_uri(reverse("openrosa:form-list")),
            problems=getattr(self, "problems", []),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            published = publish_form(self.request.user, form.cleaned_data["file"])
        except XLSFormInvalid as exc:
            self.problems = exc.problems
            form.add_error(
                "file", _("Biểu mẫu có %(n)s lỗi; chưa ban hành.") % {"n": len(exc.problems)}
            )
            return self.form_invalid(form)
        except REFUSALS as exc:
            if hasattr(exc, "messages"):
                add_to_form(form, exc)
            else:
                form.add_error(None, str(exc) or _("Bạn không có quyền."))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Đã ban hành %(form)s phiên bản %(version)s.")
            % {"form": published.form_id, "version": published.version},
        )
        return redirect("assessments:form_list")
