"""Traceability: master data (products, places, lots, serials, certifications) and the
EPCIS event repository (captures, events, and the identifier link table that queries use).

Identifiers are stored in their canonical GS1 Digital Link form (see `identifiers.py`), so
that an EPC URN and a Digital Link URI for the same thing match each other.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from scpvn.trace.identifiers import gln_uri, gtin_uri


class Product(models.Model):
    """A trade item (GTIN), produced by one registered enterprise."""

    gtin = models.CharField(_("GTIN (14 chữ số)"), max_length=14, unique=True)
    name = models.CharField(_("tên sản phẩm"), max_length=255)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="trace_products",
        verbose_name=_("doanh nghiệp sản xuất"),
    )
    category = models.CharField(_("nhóm hàng"), max_length=100, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=20, default="kg")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sản phẩm truy xuất")
        verbose_name_plural = _("sản phẩm truy xuất")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.gtin})"

    @property
    def uri(self) -> str:
        return gtin_uri(self.gtin)


class Certification(models.Model):
    class Kind(models.TextChoices):
        VIETGAP = "vietgap", _("VietGAP")
        GLOBALGAP = "globalgap", _("GlobalGAP")
        ORGANIC = "organic", _("Hữu cơ (TCVN 11041)")
        OCOP = "ocop", _("OCOP")
        HACCP = "haccp", _("HACCP")
        FOOD_SAFETY = "food_safety", _("Cơ sở đủ điều kiện ATTP")

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="certifications",
        verbose_name=pgettext_lazy("product", "sản phẩm"),
    )
    kind = models.CharField(_("loại chứng nhận"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("số chứng nhận"), max_length=100)
    issuer = models.CharField(_("tổ chức cấp"), max_length=255)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    rating = models.CharField(_("xếp hạng (OCOP: số sao)"), max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chứng nhận")
        verbose_name_plural = _("chứng nhận")
        ordering = ["kind", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Location(models.Model):
    """A place with a GLN: farm, processing plant, warehouse, market, shop."""

    class Kind(models.TextChoices):
        FARM = "farm", _("Vùng trồng, trang trại")
        COOPERATIVE = "cooperative", _("Hợp tác xã")
        PROCESSOR = "processor", _("Cơ sở sơ chế, chế biến")
        WAREHOUSE = "warehouse", _("Kho, trung tâm phân phối")
        MARKET = "market", _("Chợ")
        STORE = "store", _("Siêu thị, cửa hàng")

    gln = models.CharField(_("GLN"), max_length=13, unique=True)
    name = models.CharField(_("tên địa điểm"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="trace_locations",
        verbose_name=_("doanh nghiệp quản lý"),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("quận, huyện")
    )
    unit = models.ForeignKey(
        "geo.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trace_locations",
        verbose_name=_("đơn vị hành chính"),
        help_text=_("Phường, xã từ 1/7/2025; quận, huyện hoặc xã cũ cho hồ sơ trước đó."),
    )

    class Meta:
        verbose_name = pgettext_lazy("location", "địa điểm")
        verbose_name_plural = pgettext_lazy("location", "địa điểm")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.gln})"

    @property
    def uri(self) -> str:
        return gln_uri(self.gln)


class Lot(models.Model):
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="lots",
        verbose_name=pgettext_lazy("product", "sản phẩm"),
    )
    code = models.CharField(_("số lô"), max_length=20)
    produced_on = models.DateField(_("ngày thu hoạch/sản xuất"), null=True, blank=True)
    best_before = models.DateField(_("hạn sử dụng"), null=True, blank=True)
    quantity = models.DecimalField(
        _("số lượng"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    origin = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="lots",
        verbose_name=_("nơi sản xuất"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("lô hàng")
        verbose_name_plural = _("lô hàng")
        ordering = ["-produced_on", "code"]
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="trace_lot_unique")]

    def __str__(self) -> str:
        return f"{self.product.name} — lô {self.code}"

    @property
    def uri(self) -> str:
        return gtin_uri(self.product.gtin, lot=self.code)


class Item(models.Model):
    """One serialised unit (e.g. a tray of eggs, a whole fish) with its own QR code."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="items")
    lot = models.ForeignKey(
        Lot, on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    serial = models.CharField(_("số sê-ri"), max_length=20)

    class Meta:
        verbose_name = _("sản phẩm có sê-ri")
        verbose_name_plural = _("sản phẩm có sê-ri")
        constraints = [
            models.UniqueConstraint(fields=["product", "serial"], name="trace_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.product.gtin}/{self.serial}"


class Capture(models.Model):
    """One POST /epcis/capture: all of its events are stored, or none."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        SUCCESS = "success", _("Thành công")
        FAILED = "failed", _("Bị từ chối")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    event_count = models.PositiveIntegerField(default=0)
    # The document's @context: its namespace prefixes give meaning to the events' extensions.
    context = models.JSONField(default=list, blank=True)
    # A queued (large) document waits here for the worker and is cleared afterwards.
    document = models.JSONField(null=True, blank=True)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("lần ghi nhận EPCIS")
        verbose_name_plural = _("lần ghi nhận EPCIS")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pk} ({self.state})"


class Event(models.Model):
    """An EPCIS event as received (plus the eventID and recordTime the repository assigns),
    with an indexed column for every field the standard query filters on.

    On PostgreSQL the table is partitioned by year of `record_time` (`partitions.py`,
    migration 0010): its primary key is (id, record_time) there, and the eventID's
    uniqueness is kept by a claim table its triggers write, not by the partial unique index
    below, which only SQLite has. Events are immutable once captured (only
    `declared_in_error` changes)."""

    # Unique except for error declarations, which repeat the eventID they correct.
    event_id = models.CharField(max_length=512, db_index=True)
    event_type = models.CharField(max_length=30, db_index=True)
    action = models.CharField(max_length=10, blank=True, db_index=True)
    biz_step = models.CharField(max_length=255, blank=True, db_index=True)
    disposition = models.CharField(max_length=255, blank=True, db_index=True)
    read_point = models.CharField(max_length=512, blank=True, db_index=True)
    biz_location = models.CharField(max_length=512, blank=True, db_index=True)
    event_time = models.DateTimeField(db_index=True)
    event_time_zone_offset = models.CharField(max_length=6)
    record_time = models.DateTimeField(db_index=True)
    capture = models.ForeignKey(Capture, on_delete=models.PROTECT, related_name="events")
    document = models.JSONField()
    # Every identifier of the event, canonical; PostgreSQL indexes it with GIN (migration 0002).
    epcs = models.JSONField(default=list)
    has_error_declaration = models.BooleanField(default=False, db_index=True)
    declared_in_error = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("sự kiện EPCIS")
        verbose_name_plural = _("sự kiện EPCIS")
        ordering = ["event_time", "id"]
        # On PostgreSQL this index cannot exist (a unique index of a partitioned table must
        # hold the partition key); migration 0010 drops it there and the claim table
        # `trace_event_id_claim` enforces the same rule. A migration that alters this
        # constraint must therefore run on SQLite only.
        constraints = [
            models.UniqueConstraint(
                fields=["event_id"],
                condition=models.Q(has_error_declaration=False),
                name="trace_event_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.event_id


class EventEPC(models.Model):
    """Identifier ↔ event, with the role the identifier plays; MATCH_* and the resolver use it."""

    class Role(models.TextChoices):
        EPC = "epc"
        PARENT = "parent"
        CHILD = "child"
        INPUT = "input"
        OUTPUT = "output"
        EPC_CLASS = "epc_class"
        CHILD_CLASS = "child_class"
        INPUT_CLASS = "input_class"
        OUTPUT_CLASS = "output_class"
        READ_POINT = "read_point"
        BIZ_LOCATION = "biz_location"
        SOURCE = "source"
        DESTINATION = "destination"

    # No database constraint: a foreign key to a partitioned table must reference its whole
    # key (id, record_time). Capture writes the links in the transaction that writes their
    # event, with the id it drew for it, and events are never deleted one by one (the ORM's
    # CASCADE still removes the links when one is).
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="identifiers", db_constraint=False
    )
    role = models.CharField(max_length=15, choices=Role.choices)
    uri = models.CharField(max_length=512)
    gtin = models.CharField(max_length=14, blank=True, db_index=True)
    lot = models.CharField(max_length=20, blank=True)
    serial = models.CharField(max_length=20, blank=True)
    gln = models.CharField(max_length=13, blank=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["uri", "role"], name="trace_epc_uri_role"),
            models.Index(fields=["gtin", "lot"], name="trace_epc_gtin_lot"),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.uri}"


class ProblemReport(models.Model):
    """A consumer's report from the product page (wrong label, spoiled food, fake code...)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="problem_reports")
    lot_code = models.CharField(_("số lô"), max_length=20, blank=True)
    serial = models.CharField(_("số sê-ri"), max_length=20, blank=True)
    message = models.TextField(_("nội dung phản ánh"), max_length=2000)
    contact = models.CharField(_("liên hệ (không bắt buộc)"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phản ánh của người tiêu dùng")
        verbose_name_plural = _("phản ánh của người tiêu dùng")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.product.name}: {self.message[:40]}"


class EventField(models.Model):
    """One value of an event that a query parameter may name (business transaction by type,
    error declaration, sensor report, ILMD or extension field…), flat and indexed, so that
    every such parameter is one index lookup; see `eventfields.py` for the names."""

    # No database constraint, as EventEPC.event and for the same reason.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="fields", db_constraint=False
    )
    name = models.CharField(max_length=400)
    text = models.CharField(max_length=512, blank=True)
    # The value as a number (date-times as epoch seconds) for GT/GE/LT/LE; null otherwise.
    number = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["name", "text"], name="trace_field_name_text"),
            models.Index(fields=["name", "number"], name="trace_field_name_number"),
        ]

    def __str__(self) -> str:
        return f"{self.name} = {self.text}"


class ExtensionPrefix(models.Model):
    """A namespace prefix seen in a captured document's @context, so that a query naming
    `EQ_example:field` finds fields stored under the prefix's full IRI."""

    prefix = models.CharField(max_length=100)
    iri = models.CharField(max_length=400)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "iri"], name="trace_extension_prefix_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}={self.iri}"


class NamedQuery(models.Model):
    """A saved EPCIS query (POST /epcis/queries), visible to and run by its owner only."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="epcis_queries"
    )
    name = models.CharField(max_length=200)
    query = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("truy vấn EPCIS đã lưu")
        verbose_name_plural = _("truy vấn EPCIS đã lưu")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="trace_named_query_unique")
        ]

    def __str__(self) -> str:
        return self.name


class VocabularyElement(models.Model):
    """An EPCIS master-data element (a place, read point, product class, business step…)
    captured in a document's header; see `masterdata.py`. `uri` is in the form the events'
    columns use (canonical Digital Link for GS1 keys, the bare word for CBV values)."""

    vtype = models.CharField(max_length=255)
    uri = models.CharField(max_length=512)
    capture = models.ForeignKey(
        Capture, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phần tử dữ liệu chủ EPCIS")
        verbose_name_plural = _("phần tử dữ liệu chủ EPCIS")
        constraints = [
            models.UniqueConstraint(fields=["vtype", "uri"], name="trace_vocabulary_element")
        ]
        indexes = [models.Index(fields=["uri"], name="trace_vocabulary_uri")]

    def __str__(self) -> str:
        return f"{self.vtype.rpartition(':')[2]} {self.uri}"


class VocabularyAttribute(models.Model):
    """One value of a master-data attribute (an attribute may have several)."""

    element = models.ForeignKey(
        VocabularyElement, on_delete=models.CASCADE, related_name="attributes"
    )
    name = models.CharField(max_length=400)
    text = models.CharField(max_length=512, blank=True)
    number = models.FloatField(null=True, blank=True)
    value = models.JSONField(null=True, blank=True)  # as captured, objects included

    class Meta:
        indexes = [
            models.Index(fields=["name", "text"], name="trace_vocabulary_attr_text"),
            models.Index(fields=["name", "number"], name="trace_vocabulary_attr_number"),
        ]

    def __str__(self) -> str:
        return f"{self.name} = {self.text}"


class VocabularyChild(models.Model):
    """A child of a master-data element in its vocabulary's hierarchy (WD_ queries)."""

    parent = models.ForeignKey(VocabularyElement, on_delete=models.CASCADE, related_name="children")
    uri = models.CharField(max_length=512)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "uri"], name="trace_vocabulary_child")
        ]

    def __str__(self) -> str:
        return f"{self.parent.uri} → {self.uri}"


class Subscription(models.Model):
    """A standing EPCIS query (POST /epcis/queries/{name}/subscriptions): its owner's named
    query, sent to `dest` on a schedule or as events are captured, with the owner's read
    scope at the time of each delivery."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="epcis_subscriptions"
    )
    # Deleting the named query unsubscribes (openapi.yaml, DELETE /queries/{queryName}).
    query = models.ForeignKey(NamedQuery, on_delete=models.CASCADE, related_name="subscriptions")
    dest = models.CharField(max_length=2000)
    # The client's secret for the GS1-Signature HMAC: needed in clear to sign, never shown.
    signature_token = models.CharField(max_length=500, blank=True)
    stream = models.BooleanField(default=False)
    schedule = models.JSONField(null=True, blank=True)
    report_if_empty = models.BooleanField(default=False)
    initial_record_time = models.DateTimeField()
    # Events recorded at or after this instant have not been considered yet (scheduled runs).
    min_record_time = models.DateTimeField()
    next_run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký nhận truy vấn EPCIS")
        verbose_name_plural = _("đăng ký nhận truy vấn EPCIS")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.query.name} → {self.dest}"


class Delivery(models.Model):
    """One document sent (or being sent) to a subscription's dest, with every attempt."""

    class State(models.TextChoices):
        PENDING = "pending", _("Đang gửi")
        DELIVERED = "delivered", _("Đã chuyển tới nơi nhận")
        FAILED = "failed", _("Bỏ cuộc")

    # Kept after an unsubscription, as the record of what was sent where.
    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, related_name="deliveries"
    )
    dest = models.CharField(max_length=2000)
    content_type = models.CharField(max_length=50, default="application/ld+json")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    event_count = models.PositiveIntegerField(default=0)
    # The exact bytes to send (so every retry carries the same signature); emptied once sent.
    body = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # [{"at": iso time, "status": HTTP status or null, "error": text}], one per attempt.
    log = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("lần gửi kết quả đăng ký EPCIS")
        verbose_name_plural = _("lần gửi kết quả đăng ký EPCIS")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dest} ({self.state})"
