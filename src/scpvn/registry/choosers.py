"""Choosing an enterprise on a form: a list of those in the user's scope while they are few
(an enterprise's own staff), else their tax code, with suggestions from the registry's API
as one types (`core.choosers`). A list of every enterprise a city officer sees made, at
province size, a 10 MB page that took 20 s to render."""

from django.utils.translation import gettext_lazy as _

from scpvn.core.choosers import Key

TAX_CODE = Key(
    field="tax_code",
    placeholder=_("Mã số thuế (MST) hoặc gõ tên để tìm"),
    refused=_("Không có doanh nghiệp mang mã số thuế này trong phạm vi của bạn."),
    suggest="enterprise-list",
)
