"""The XLSForm page: the forms in the user's scope, and publishing one (officers of a
department, city administrators), through the same service as the API and the CLI."""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

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
            can_fill=user_has_role(user, FIELD_ROLES),
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


class FormFillView(RoleRequiredMixin, TemplateView):
    """A form filled in the browser, with or without a connection: the page reads the compiled
    XForm (`openrosa:form`), keeps each visit with its photos on the device and sends it to
    the OpenRosa submission URL when the connection is there, so the server takes it through
    the same service as a visit from ODK Collect."""

    allowed_roles = FIELD_ROLES
    template_name = "assessments/form_fill.html"

    def get_context_data(self, **kwargs):
        form = get_object_or_404(forms_visible_to(self.request.user), pk=self.kwargs["pk"])
        return super().get_context_data(
            published=form, texts=fill_texts(), sw_url=reverse("assessments:form_fill_sw"), **kwargs
        )


def fill_texts() -> dict[str, str]:
    """What the browser form's script says, translated here (the script has no catalog)."""
    return {
        "loading": _("Đang tải biểu mẫu…"),
        "ready": _("Sẵn sàng dùng khi không có mạng."),
        "not_offline": _("Trình duyệt này không lưu được trang để dùng khi mất mạng."),
        "load_failed": _("Không tải được biểu mẫu: "),
        "offline": _("Đang mất mạng: bản ghi được giữ trên máy và sẽ gửi khi có mạng."),
        "online": _("Có mạng."),
        "saved": _("Đã lưu bản ghi vào hàng đợi trên máy."),
        "fix_errors": _("Còn câu chưa đúng; xem các câu đánh dấu đỏ."),
        "required": _("Câu này bắt buộc."),
        "invalid": _("Giá trị không hợp lệ."),
        "integer": _("Cần một số nguyên."),
        "number": _("Cần một số."),
        "choose": _("— chọn —"),
        "add": _("Thêm"),
        "remove": _("Xoá"),
        "locate": _("Lấy vị trí hiện tại"),
        "locating": _("Đang lấy vị trí…"),
        "no_location": _("Không lấy được vị trí: "),
        "queue_empty": _("Không còn bản ghi nào chờ gửi."),
        "queue_count": _("Bản ghi chờ gửi trên máy: "),
        "pending": _("chờ gửi"),
        "refused": _("máy chủ từ chối: "),
        "retry": _("Gửi lại"),
        "edit": _("Mở lại để sửa"),
        "sending": _("Đang gửi…"),
        "sent": _("Đã gửi "),
        "server_busy": _("Máy chủ tạm thời không nhận; sẽ gửi lại sau."),
        "photo": _("ảnh"),
    }


def service_worker(request):
    """The service worker that keeps the browser form usable offline. Served from here rather
    than /static/ so that its scope covers the form pages under /assessments/forms/."""
    path = Path(finders.find("assessments/offline-sw.js"))
    response = HttpResponse(path.read_bytes(), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response
