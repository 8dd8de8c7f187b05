"""Vietnamese forms for enterprises that know nothing of EPCIS, and the CSV reader."""

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from scpvn.core import clock
from scpvn.core.choosers import offer_by_key
from scpvn.core.files import UploadValidator
from scpvn.core.imports import check_import_file
from scpvn.registry.choosers import TAX_CODE
from scpvn.registry.services import enterprises_visible_to
from scpvn.trace.capture import locations_visible_to, lots_writable_by, products_visible_to
from scpvn.trace.choosers import GLN, GTIN, offer_lots
from scpvn.trace.identifiers import InvalidIdentifier, normalize_gln, normalize_gtin
from scpvn.trace.models import Certification, Location, Lot, ProblemReport, Product
from scpvn.trace.simple_events import STEPS, SimpleEvent


class ScopedForm(forms.ModelForm):
    """Enterprise (or product) choices narrowed to what the user may act for."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "enterprise" in self.fields:
            offer_by_key(self.fields["enterprise"], enterprises_visible_to(user), TAX_CODE)
        if "product" in self.fields:
            offer_by_key(self.fields["product"], products_visible_to(user), GTIN)
        if "origin" in self.fields:
            offer_by_key(self.fields["origin"], locations_visible_to(user), GLN)


class ProductForm(ScopedForm):
    class Meta:
        model = Product
        fields = ["gtin", "name", "enterprise", "category", "unit", "description"]

    def clean_gtin(self) -> str:
        try:
            gtin = normalize_gtin(self.cleaned_data["gtin"])
        except InvalidIdentifier as exc:
            raise forms.ValidationError(str(exc)) from exc
        if Product.objects.filter(gtin=gtin).exists():
            raise forms.ValidationError(_("GTIN này đã được đăng ký."))
        return gtin


class LocationForm(ScopedForm):
    class Meta:
        model = Location
        fields = ["gln", "name", "kind", "enterprise", "address", "district"]

    def clean_gln(self) -> str:
        try:
            return normalize_gln(self.cleaned_data["gln"])
        except InvalidIdentifier as exc:
            raise forms.ValidationError(str(exc)) from exc


class LotForm(ScopedForm):
    class Meta:
        model = Lot
        fields = ["product", "code", "produced_on", "best_before", "quantity", "origin"]
        widgets = {
            "produced_on": forms.DateInput(attrs={"type": "date"}),
            "best_before": forms.DateInput(attrs={"type": "date"}),
        }


class CertificationForm(ScopedForm):
    class Meta:
        model = Certification
        fields = ["product", "kind", "number", "issuer", "valid_from", "valid_until", "rating"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }


class SimpleEventForm(forms.Form):
    step = forms.ChoiceField(label=_("Công đoạn"), choices=list(STEPS.items()))
    lot = forms.ModelChoiceField(label=_("Lô hàng"), queryset=Lot.objects.none())
    quantity = forms.DecimalField(label=_("Số lượng"), min_value=0, required=False)
    location = forms.ModelChoiceField(label=_("Tại địa điểm"), queryset=Location.objects.none())
    when = forms.DateTimeField(
        label=_("Thời điểm"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        initial=clock.now,
    )
    destination = forms.ModelChoiceField(
        label=_("Nơi nhận (khi xuất hàng)"), queryset=Location.objects.all(), required=False
    )
    output_lot = forms.ModelChoiceField(
        label=_("Lô thành phẩm (khi sơ chế, chế biến)"), queryset=Lot.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the lots the user may write on ("one step back, one step forward"): the
        # capture service refuses the others anyway, the list should not offer them.
        offer_lots(self, ("lot", "output_lot"), lots_writable_by(user))
        offer_by_key(self.fields["location"], locations_visible_to(user), GLN)
        offer_by_key(self.fields["destination"], Location.objects.all(), GLN)

    def clean(self):
        data = super().clean()
        if data.get("step") == "processing" and not data.get("output_lot"):
            self.add_error("output_lot", _("Sơ chế, chế biến cần lô thành phẩm."))
        return data

    def simple_event(self) -> SimpleEvent:
        d = self.cleaned_data
        return SimpleEvent(
            step=d["step"], lot=d["lot"], location=d["location"], when=d["when"], quantity=d["quantity"],
            destination=d["destination"], output_lot=d["output_lot"],
        )  # fmt: skip


class CSVUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV (UTF-8)"), validators=[UploadValidator({"csv"})])

    def clean_file(self):
        """Type by content and size are checked before the rows are read."""
        upload = self.cleaned_data["file"]
        check_import_file(upload, {"csv"})
        return upload


class ProblemReportForm(forms.ModelForm):
    class Meta:
        model = ProblemReport
        fields = ["message", "contact"]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 3}),
        }


# CSV: one line per step; column names in Vietnamese without accents (easy to type in Excel).
CSV_COLUMNS = [
    "buoc", "gtin", "so_lo", "so_luong", "gln", "thoi_gian", "gln_nhan", "so_lo_dau_ra", "gtin_dau_ra", "ghi_chu",
]  # fmt: skip
CSV_STEPS = {
    "thu_hoach": "harvest", "so_che": "processing", "che_bien": "processing", "xuat_hang": "shipping",
    "nhan_hang": "receiving", "ban_le": "sale", **{step: step for step in STEPS},
}  # fmt: skip


class CSVRowError(ValueError):
    def __init__(self, row: int, message: str):
        super().__init__(f"Dòng {row}: {message}")


def _lot(row: int, gtin: str, code: str, user, create: bool) -> Lot:
    try:
        gtin = normalize_gtin(gtin)
    except InvalidIdentifier as exc:
        raise CSVRowError(row, str(exc)) from exc
    lot = Lot.objects.filter(product__gtin=gtin, code=code).select_related("product").first()
    if lot is None and create:
        product = products_visible_to(user).filter(gtin=gtin).first()
        if product is None:
            raise CSVRowError(
                row, f"sản phẩm GTIN {gtin} chưa được đăng ký cho doanh nghiệp của bạn"
            )
        lot = Lot.objects.create(product=product, code=code)
    if lot is None:
        raise CSVRowError(row, f"không có lô {code} của GTIN {gtin}")
    return lot


def _location(row: int, gln: str) -> Location:
    location = Location.objects.filter(gln=gln.strip()).first()
    if location is None:
        raise CSVRowError(row, f"GLN {gln} chưa được đăng ký")
    return location


def read_csv(data: bytes, user) -> list[SimpleEvent]:
    """Rows → simple events; call inside a transaction: a harvest row may create its lot."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CSVRowError(1, "tệp phải được lưu dạng UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = set(CSV_COLUMNS[:6]) - set(reader.fieldnames or [])
    if missing:
        raise CSVRowError(1, f"thiếu cột {', '.join(sorted(missing))}")
    items = []
    max_rows = settings.SCPVN_IMPORT_MAX_ROWS
    for number, row in enumerate(reader, start=2):
        if number - 1 > max_rows:
            raise CSVRowError(number, f"tệp có quá {max_rows} dòng; hãy chia thành nhiều tệp")
        step = CSV_STEPS.get((row.get("buoc") or "").strip().lower())
        if step is None:
            raise CSVRowError(number, f"công đoạn không hợp lệ {row.get('buoc')!r}")
        if not (row.get("so_lo") or "").strip() or len(row["so_lo"].strip()) > 20:
            raise CSVRowError(number, "số lô phải có từ 1 đến 20 ký tự")
        try:
            when = dt.datetime.fromisoformat(row["thoi_gian"].strip())
        except ValueError as exc:
            raise CSVRowError(
                number, f"thời gian không hợp lệ {row['thoi_gian']!r} (dạng 2024-05-01 08:00)"
            ) from exc
        try:
            quantity = (
                Decimal(row["so_luong"].replace(",", "."))
                if (row.get("so_luong") or "").strip()
                else None
            )
        except InvalidOperation as exc:
            raise CSVRowError(number, f"số lượng không hợp lệ {row['so_luong']!r}") from exc
        output = (row.get("so_lo_dau_ra") or "").strip()
        if step == "processing" and not output:
            raise CSVRowError(number, "sơ chế, chế biến cần cột so_lo_dau_ra")
        items.append(
            SimpleEvent(
                step=step,
                lot=_lot(number, row["gtin"], row["so_lo"].strip(), user, create=step == "harvest"),
                location=_location(number, row["gln"]),
                when=when,
                quantity=quantity,
                destination=_location(number, row["gln_nhan"])
                if (row.get("gln_nhan") or "").strip()
                else None,
                output_lot=_lot(
                    number,
                    (row.get("gtin_dau_ra") or row["gtin"]).strip(),
                    output,
                    user,
                    create=True,
                )
                if output
                else None,
                note=(row.get("ghi_chu") or "").strip(),
            )
        )
    if not items:
        raise CSVRowError(2, "tệp không có dòng dữ liệu")
    return items
