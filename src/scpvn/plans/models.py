"""A plan as loaded from its file. Rows are keyed by the codes the file uses (task number,
deliverable and indicator codes), so a reload updates in place and history shows what a
reload changed.

A plan is identified by issuer + number + date of issue: numbers restart every year, so
"96/KH-UBND" of 2020 and a 2026 plan with the same number are two plans. `slug` names one
unambiguously in commands and addresses."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

TARGET = {"max_digits": 18, "decimal_places": 4, "null": True, "blank": True}


class Plan(models.Model):
    code = models.CharField(
        _("số, ký hiệu"), max_length=30, blank=True, help_text=_("trống: chưa tìm thấy số")
    )
    slug = models.SlugField(_("tên định danh"), max_length=80, unique=True)
    title = models.TextField(_("tên kế hoạch"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    issued = models.DateField(
        _("ngày ban hành"), null=True, blank=True, help_text=_("trống: chưa tìm thấy ngày")
    )
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    signer = models.JSONField(_("người ký"), null=True, blank=True)
    legal_basis = models.JSONField(_("căn cứ"), default=list, blank=True)
    funding = models.JSONField(_("kinh phí"), default=dict)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    closing = models.TextField(_("đoạn kết"), blank=True)
    implements = models.JSONField(
        _("thực hiện văn bản"), null=True, blank=True, help_text=_("văn bản mà kế hoạch thực hiện")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("kế hoạch cấp trên"),
        help_text=_("kế hoạch đã nạp mà kế hoạch này thực hiện"),
    )
    sources = models.JSONField(_("nguồn văn bản"), default=list, blank=True)
    complete = models.BooleanField(_("văn bản đầy đủ"), default=True)
    missing = models.JSONField(_("phần chưa tìm thấy"), default=list, blank=True)
    agencies = models.ManyToManyField(
        "orgs.Agency", through="PlanAgency", related_name="plans", verbose_name=_("cơ quan")
    )
    # Changes whenever anything the plan's pages show changes (`plans.revisions`): the
    # progress figures and page fragments cached for the plan are keyed by it.
    revision = models.UUIDField(default=uuid.uuid4, editable=False)
    history = HistoricalRecords(excluded_fields=["revision"])

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "code", "issued"], name="plan_identity")
        ]

    def __str__(self) -> str:
        return f"{self.code or self.slug} ({self.period_start:%Y}) — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])

    def agency_name(self, agency) -> str:
        """The agency's name as this plan wrote it (names change when departments merge)."""
        row = PlanAgency.objects.filter(plan=self, agency=agency).only("name").first()
        return row.name if row and row.name else agency.name

    def agency_names(self) -> dict[int, str]:
        """Agency id → name as written in this plan, for pages that list many agencies."""
        return dict(PlanAgency.objects.filter(plan=self).values_list("agency_id", "name"))

    def day_within(self, day: dt.date) -> dt.date:
        """`day` moved into the plan's period: forms default their dates with it, so that a
        plan that ended (or has not begun) does not offer a date outside its own window."""
        return min(max(day, self.period_start), self.period_end)


class PlanAgency(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE)
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT)
    order = models.PositiveIntegerField()
    name = models.CharField(_("tên trong kế hoạch"), max_length=255, blank=True)
    kind = models.CharField(_("loại"), max_length=20, blank=True)
    replaces = models.JSONField(_("thay thế cơ quan"), default=list, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["plan", "agency"], name="plan_agency_once")]

    def __str__(self) -> str:
        return f"{self.plan.code}: {self.agency.code}"


class AgencySuccession(models.Model):
    """`successor` took over `predecessor` (Hanoi merged departments on 1 March 2025): the
    old agency keeps its code and its name in the plans that named it."""

    predecessor = models.ForeignKey(
        "orgs.Agency", on_delete=models.CASCADE, related_name="successions"
    )
    successor = models.ForeignKey(
        "orgs.Agency", on_delete=models.CASCADE, related_name="predecessions"
    )
    since = models.DateField(_("từ ngày"), help_text=_("ngày ban hành kế hoạch ghi nhận việc này"))

    class Meta:
        verbose_name = _("cơ quan kế nhiệm")
        verbose_name_plural = _("cơ quan kế nhiệm")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_once")
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.code} → {self.successor.code}"


class Objective(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveIntegerField(_("số"))
    text = models.TextField(_("nội dung"))

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="objective_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class Indicator(models.Model):
    class Scope(models.TextChoices):
        CITY = "city", _("Thành phố")
        PROVINCE = "province", _("Tỉnh")
        NATIONAL = "national", _("Quốc gia")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Tăng")
        DECREASE = "decrease", _("Giảm")
        MAINTAIN = "maintain", _("Duy trì")

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        DISTRICT = "district", _("Quận, huyện (trước 1/7/2025)")
        COMMUNE = "commune", _("Xã, phường")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("mã"), max_length=20)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="parts"
    )
    order = models.PositiveIntegerField(default=0)
    name = models.TextField(_("tên chỉ tiêu"))
    scope = models.CharField(_("phạm vi"), max_length=10, choices=Scope.choices)
    unit = models.CharField(_("đơn vị"), max_length=50, blank=True)
    target = models.DecimalField(_("mục tiêu"), **TARGET)
    target_min = models.DecimalField(_("mục tiêu từ"), **TARGET)
    target_max = models.DecimalField(_("mục tiêu đến"), **TARGET)
    baseline = models.DecimalField(_("giá trị gốc"), **TARGET)
    direction = models.CharField(_("chiều"), max_length=10, choices=Direction.choices, blank=True)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    method = models.JSONField(_("phương pháp tính"), null=True, blank=True)
    lead = models.ForeignKey(
        "orgs.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan chủ trì"),
    )
    # Where the plan's text names the lead, or that it names none: a lead is never invented.
    lead_source = models.TextField(_("căn cứ giao chủ trì"), blank=True)
    level = models.CharField(_("cấp tính"), max_length=10, choices=Level.choices, blank=True)
    series = models.SlugField(
        _("dãy chỉ tiêu"),
        max_length=80,
        blank=True,
        db_index=True,
        help_text=_("cùng một thước đo qua các kế hoạch mang cùng tên dãy"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name[:60]}"

    @property
    def is_range(self) -> bool:
        return self.target_min is not None and self.target_max is not None

    @property
    def goal(self):
        """The value that counts as reached: the target, or for a range its lower end (plans
        write "70–80 %" and "giảm 7–7,5 %" as a commitment to at least the lower end)."""
        return self.target_min if self.is_range else self.target


class TaskGroup(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveIntegerField(_("số"))
    name = models.CharField(_("tên nhóm"), max_length=255)

    class Meta:
        verbose_name = _("nhóm nhiệm vụ")
        verbose_name_plural = _("nhóm nhiệm vụ")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="group_number")]

    def __str__(self) -> str:
        return f"{self.roman}. {self.name}"

    @property
    def roman(self) -> str:
        numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        n, out = self.number, ""
        for value, letters in numerals:
            while n >= value:
                out, n = out + letters, n - value
        return out


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    group = models.ForeignKey(TaskGroup, on_delete=models.PROTECT, related_name="tasks")
    number = models.PositiveIntegerField(_("số"))
    title = models.TextField(_("danh mục"))
    content = models.TextField(_("nội dung"))
    lead = models.ForeignKey(
        "orgs.Agency",
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("đơn vị chủ trì"),
    )
    partners = models.ManyToManyField(
        "orgs.Agency", blank=True, related_name="partner_tasks", verbose_name=_("đơn vị phối hợp")
    )
    partners_note = models.TextField(_("ghi chú phối hợp"), blank=True)
    start = models.DateField(_("bắt đầu"), help_text=_("ngày đầu tháng bắt đầu"))
    end = models.DateField(_("kết thúc"), help_text=_("ngày cuối tháng kết thúc"))
    window_text = models.CharField(_("thời gian (theo văn bản)"), max_length=100, blank=True)
    targets_text = models.TextField(_("chỉ tiêu, kế hoạch (theo văn bản)"), blank=True)
    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="task_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("plans:task", args=[self.plan_id, self.number])

    def is_open_on(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def deliverable_display_code(code: str) -> str:
    """`4.1` → `NV4.1`: how a deliverable's code is shown everywhere (pages, documents, the
    API), also for figures frozen before the rule existed."""
    return f"NV{code}"


class Deliverable(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="deliverables")
    code = models.CharField(_("mã"), max_length=30)
    order = models.PositiveIntegerField(default=0)
    name = models.TextField(_("sản phẩm"))
    unit = models.CharField(_("đơn vị tính"), max_length=50)
    target = models.DecimalField(_("chỉ tiêu"), **TARGET)
    note = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sản phẩm đầu ra")
        verbose_name_plural = _("sản phẩm đầu ra")
        ordering = ["task", "order"]
        constraints = [models.UniqueConstraint(fields=["task", "code"], name="deliverable_code")]

    def __str__(self) -> str:
        return f"{self.display_code} {self.name[:60]}"

    @property
    def display_code(self) -> str:
        """The code with its task (`NV4.1`): deliverable 4.1 and indicator 4.1 never read
        alike in an export, a report or an API answer. Indicators keep their bare code."""
        return deliverable_display_code(self.code)


class Duty(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="duties")
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="duties")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField(_("nội dung"))
    truncated = models.BooleanField(
        _("văn bản gốc bị cắt"),
        default=False,
        help_text=_("Bản gốc bị cắt giữa chừng trong nội dung này."),
    )

    class Meta:
        verbose_name = _("nhiệm vụ của cơ quan")
        verbose_name_plural = _("nhiệm vụ của cơ quan")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.agency.code}: {self.text[:60]}"


class ReportingDuty(models.Model):
    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Hằng tháng")
        QUARTERLY = "quarterly", _("Hằng quý")
        SEMIANNUAL = "semiannual", _("6 tháng")
        ANNUAL = "annual", _("Hằng năm")
        ON_REQUEST = "on_request", _("Theo yêu cầu")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reporting")
    code = models.CharField(_("mã"), max_length=30)
    order = models.PositiveIntegerField(default=0)
    what = models.TextField(_("nội dung báo cáo"))
    frequency = models.CharField(_("tần suất"), max_length=20, choices=Frequency.choices)
    due = models.CharField(_("thời hạn"), max_length=255, blank=True)
    by = models.ForeignKey(
        "orgs.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan báo cáo"),
    )
    to = models.ManyToManyField(
        "orgs.Agency", blank=True, related_name="+", verbose_name=_("gửi tới")
    )

    class Meta:
        verbose_name = _("chế độ báo cáo")
        verbose_name_plural = _("chế độ báo cáo")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="reporting_code")]

    def __str__(self) -> str:
        return self.what[:80]


class BudgetAllocation(models.Model):
    """Money given for a task (or the plan as a whole) from one source under one decision,
    to the agency that spends it."""

    class Source(models.TextChoices):
        CITY = "city", _("Ngân sách Thành phố")
        AGENCY = "agency", _("Ngân sách của cơ quan")
        SOCIALISED = "socialised", _("Xã hội hóa")
        OTHER = "other", _("Nguồn hợp pháp khác")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget")
    task = models.ForeignKey(
        Task,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="budget",
        verbose_name=_("nhiệm vụ"),
    )
    agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan chi")
    )
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices)
    decision = models.CharField(_("quyết định giao"), max_length=100, blank=True)
    amount = models.DecimalField(_("dự toán (đồng)"), max_digits=16, decimal_places=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dự toán kinh phí")
        verbose_name_plural = _("dự toán kinh phí")
        ordering = ["plan", "task", "source"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="allocation_not_negative"
            )
        ]

    def __str__(self) -> str:
        task = f"NV{self.task.number}" if self.task_id else _("chung")
        return f"{task} · {self.get_source_display()} · {self.decision or '—'}"


class BudgetEntry(models.Model):
    """A commitment or a spending against an allocation, with the document behind it."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Cam kết chi (hợp đồng, quyết định)")
        SPENDING = "spending", _("Đã chi")

    allocation = models.ForeignKey(
        BudgetAllocation, on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("số tiền (đồng)"), max_digits=16, decimal_places=0)
    date = models.DateField(_("ngày"))
    document = models.CharField(_("chứng từ"), max_length=255)
    reason = models.TextField(_("lý do vượt dự toán"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khoản cam kết, chi")
        verbose_name_plural = _("khoản cam kết, chi")
        ordering = ["allocation", "date", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="budget_entry_positive")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:,.0f} · {self.document}"
