"""The OpenRosa server's rules: which forms and places an officer's device gets, and how a
submission (the XML instance and its photos) becomes a response of the questionnaire engine.

A submission is stored once per `instanceID`: a device that did not hear the answer sends it
again, and gets the first receipt back. A refusal stores nothing.
"""

import csv
import datetime as dt
import io
import json
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from scpvn.assessments.errors import AssessmentErrorCode
from scpvn.assessments.models import PublishedForm, Question, Submission
from scpvn.assessments.publishing import forms_visible_to
from scpvn.assessments.services import (
    CheckedResponse,
    RepeatPhotoUpload,
    check_response,
    store_response,
)
from scpvn.assessments.xlsform import SUBJECT_LISTS, FieldSpec
from scpvn.core import clock
from scpvn.core.files import IMAGES, validate_upload
from scpvn.geo.distance import distance_m
from scpvn.orgs.policy import restrict
from scpvn.registry.models import Enterprise, Place
from scpvn.registry.services import propose_place

MEDIA_FILES = set(SUBJECT_LISTS.values())
# A form lets the officer name a place not yet in the list when it has a question
# `new_place_name` (with `new_place_address`, and `new_place_kind` when the form covers more
# than one kind of place): the list then starts with this choice, and the visit's GPS point
# becomes the new place's.
NEW_PLACE = "new"
NEW_PLACE_FIELDS = {
    "name": "new_place_name",
    "address": "new_place_address",
    "kind": "new_place_kind",
}


def max_submission_bytes() -> int:
    return settings.SCPVN_OPENROSA_MAX_BYTES


class SubmissionRefused(ValidationError):
    """A submission the server will not store, with the HTTP status OpenRosa answers."""

    def __init__(self, message: str, code: str, status: int = 400):
        super().__init__(message, code=code)
        self.status = status


# ---- what a device downloads ------------------------------------------------------------------


def subjects_csv(user, form: PublishedForm, filename: str) -> str:
    """The places (or enterprises) the officer reaches, as the CSV the form's
    `select_one_from_file` reads: `name` is the record's id, `label` what the officer sees."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if filename == SUBJECT_LISTS["place"]:
        writer.writerow(["name", "label", "kind", "address"])
        if takes_new_places(form.mapping):
            writer.writerow([NEW_PLACE, _("Cơ sở mới (chưa có trong danh sách)"), "", ""])
        places = restrict(Place.objects.all(), user)
        kinds = form.questionnaire.place_kinds
        if kinds:
            places = places.filter(kind__in=kinds)
        for place in places.order_by("name", "pk").iterator():
            writer.writerow([place.pk, place.name, place.kind, place.address])
    else:
        writer.writerow(["name", "label", "tax_code"])
        enterprises = restrict(Enterprise.objects.all(), user).order_by("name", "pk")
        for enterprise in enterprises.iterator():
            writer.writerow([enterprise.pk, enterprise.name, getattr(enterprise, "tax_code", "")])
    return out.getvalue()


def takes_new_places(mapping: dict) -> bool:
    return mapping.get("subject") == "place" and any(
        f["code"] == NEW_PLACE_FIELDS["name"] for f in mapping.get("fields", [])
    )


def media_files(form: PublishedForm) -> list[str]:
    """The files a form's manifest lists: the list of its subject."""
    return [SUBJECT_LISTS[form.mapping.get("subject", "place")]]


# ---- reading a submission -----------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _find(root: Element, path: list[str]) -> list[Element]:
    """The elements at `path` below the root, namespaces ignored (Collect writes the instance
    with or without the XForms namespace)."""
    level = [root]
    for name in path:
        level = [child for node in level for child in node if _local(child.tag) == name]
    return level


def _text(root: Element, path: list[str] | None) -> str:
    if not path:
        return ""
    found = _find(root, path)
    return (found[0].text or "").strip() if found else ""


@dataclass
class Envelope:
    root: Element
    form_id: str
    version: str
    instance_id: str


def read_envelope(xml: bytes) -> Envelope:
    """The instance's form, version and instanceID; a malformed instance is refused."""
    try:
        root = ElementTree.fromstring(xml)
    except Exception as exc:  # ParseError and defusedxml's refusals (entities, DTDs)
        raise SubmissionRefused(
            _("Bản gửi không phải XML hợp lệ: %s") % exc, AssessmentErrorCode.SUBMISSION_MALFORMED
        ) from exc
    form_id = root.get("id", "")
    instance_id = _text(root, ["meta", "instanceID"])
    if not form_id or not instance_id:
        raise SubmissionRefused(
            _("Bản gửi thiếu mã biểu mẫu (id) hoặc meta/instanceID."),
            AssessmentErrorCode.SUBMISSION_MALFORMED,
        )
    if len(instance_id) > 100:
        raise SubmissionRefused(_("instanceID quá dài."), AssessmentErrorCode.SUBMISSION_MALFORMED)
    return Envelope(root, form_id, root.get("version", ""), instance_id)


def _photo(name: str, files: dict[str, UploadedFile], code: str) -> UploadedFile:
    upload = files.get(name)
    if upload is None:
        raise SubmissionRefused(
            _("Câu %(code)s: thiếu tệp ảnh %(name)s trong bản gửi.") % {"code": code, "name": name},
            AssessmentErrorCode.SUBMISSION_PHOTO,
        )
    try:
        validate_upload(upload, IMAGES)
    except ValidationError as exc:
        raise SubmissionRefused(
            _("Câu %(code)s: %(reason)s") % {"code": code, "reason": " ".join(exc.messages)},
            AssessmentErrorCode.SUBMISSION_PHOTO,
        ) from exc
    upload.seek(0)
    return upload


def _values(root: Element, fields: list[FieldSpec], files: dict[str, UploadedFile]) -> dict:
    values: dict[str, Any] = {}
    for spec in fields:
        if spec.repeat:
            rows = [
                {_local(c.tag): (c.text or "").strip() for c in row}
                for row in _find(root, spec.path)
            ]
            if rows:
                values[spec.code] = json.dumps(rows, ensure_ascii=False)
            continue
        raw = _text(root, spec.path)
        if not raw:
            continue
        if spec.type == Question.Type.MULTIPLE:
            values[spec.code] = raw.split()
        elif spec.type == Question.Type.PHOTO:
            values[spec.code] = _photo(raw, files, spec.code)
        else:
            values[spec.code] = raw
    return values


def _repeat_photos(
    root: Element, fields: list[FieldSpec], files: dict[str, UploadedFile]
) -> list[RepeatPhotoUpload]:
    """Every photo taken inside a repeat group, with the repeat instance it belongs to: its
    position among the repeat's instances and its path with every repeat's index
    (`/data/stalls[2]/photo`, as ODK writes a node's place). A photo the instance names and
    the submission lacks, or a file that is not an image, refuses the submission."""
    return [
        photo
        for spec in fields
        if spec.repeat and spec.photos
        for photo in _photos_of_repeat(root, spec, files)
    ]


def _photos_of_repeat(
    root: Element, spec: FieldSpec, files: dict[str, UploadedFile]
) -> list[RepeatPhotoUpload]:
    photos = {tuple(p) for p in spec.photos}
    repeats = {tuple(spec.path), *(tuple(p) for p in spec.repeats)}
    wanted = {p[:i] for p in photos for i in range(1, len(p) + 1)}
    found: list[RepeatPhotoUpload] = []

    def walk(node: Element, names: tuple, steps: tuple, position: int) -> None:
        seen: Counter = Counter()
        for child in node:
            name = _local(child.tag)
            here = (*names, name)
            if here not in wanted:
                continue
            seen[name] += 1
            step = f"{name}[{seen[name]}]" if here in repeats else name
            at = seen[name] if here == tuple(spec.path) else position
            if here not in photos:
                walk(child, here, (*steps, step), at)
            elif raw := (child.text or "").strip():
                path = "/".join((*steps, step))
                found.append(RepeatPhotoUpload(spec.code, at, path, _photo(raw, files, path)))

    walk(root, (), ("", _local(root.tag)), 0)
    return found


def _visit_date(root: Element, mapping: dict) -> dt.date:
    """The day of the visit: the form's `today`, else the day it was started, else today."""
    for key in ("date_path", "start_path"):
        raw = _text(root, mapping.get(key))
        if raw:
            try:
                return dt.date.fromisoformat(raw[:10])
            except ValueError:
                raise SubmissionRefused(
                    _("Ngày trong bản gửi không đọc được: %s") % raw,
                    AssessmentErrorCode.SUBMISSION_MALFORMED,
                ) from None
    return clock.today()


def _gps(root: Element, mapping: dict) -> dict[str, Any]:
    raw = _text(root, mapping.get("gps_path"))
    if not raw:
        return {}
    parts = raw.split()
    try:
        latitude, longitude = Decimal(parts[0]), Decimal(parts[1])
        accuracy = float(parts[3]) if len(parts) > 3 else None
    except (IndexError, InvalidOperation, ValueError):
        raise SubmissionRefused(
            _("Toạ độ GPS không đọc được: %s") % raw, AssessmentErrorCode.SUBMISSION_MALFORMED
        ) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise SubmissionRefused(
            _("Toạ độ GPS ngoài phạm vi: %s") % raw, AssessmentErrorCode.SUBMISSION_MALFORMED
        )
    return {
        "latitude": latitude.quantize(Decimal("0.000001")),
        "longitude": longitude.quantize(Decimal("0.000001")),
        "accuracy": accuracy,
    }


def _subject(root: Element, mapping: dict) -> Place | Enterprise | None:
    """The registry record the visit names; None when it names a new place."""
    raw = _text(root, mapping.get("subject_path"))
    if raw == NEW_PLACE and takes_new_places(mapping):
        return None
    model = Place if mapping.get("subject") == "place" else Enterprise
    # By primary key, so without the model's ordering: `first()` would add it, and compiling
    # it costs more than the query (a visit's reads are most of its cost on PostgreSQL). No
    # joins either: `unit_on` places the response from the ids, with the reference data it
    # remembers.
    found = model.objects.filter(pk=int(raw)) if raw.isdigit() else None
    subject = next(iter(found.order_by()), None) if found is not None else None
    if subject is None:
        raise SubmissionRefused(
            _("Không có cơ sở mã “%s” trong sổ.") % raw, AssessmentErrorCode.SUBJECT_UNKNOWN
        )
    return subject


def _new_place(user, form: PublishedForm, values: dict, gps: dict) -> Place:
    """The place the visit names and the registry does not hold yet, proposed (pending) in
    the registry; the answers describing it stay with the visit."""
    kinds = form.questionnaire.place_kinds
    kind = values.get(NEW_PLACE_FIELDS["kind"]) or (kinds[0] if len(kinds) == 1 else "")
    latitude, longitude = gps.get("latitude"), gps.get("longitude")
    return propose_place(
        user,
        kind=str(kind),
        name=str(values.get(NEW_PLACE_FIELDS["name"], "")),
        address=str(values.get(NEW_PLACE_FIELDS["address"], "")),
        latitude=None if latitude is None else float(latitude),
        longitude=None if longitude is None else float(longitude),
    )


def gps_check(place, gps: dict) -> dict[str, Any]:
    """Where the visit was against where the place is: near within the tolerance
    (`SCPVN_VISIT_GPS_TOLERANCE_M`), else far. Far visits are kept and flagged."""
    if not gps:
        return {"gps_check": Submission.GpsCheck.NO_GPS, "distance_m": None}
    if place is None or getattr(place, "latitude", None) is None or place.longitude is None:
        return {"gps_check": Submission.GpsCheck.NO_POINT, "distance_m": None}
    distance = distance_m(
        float(gps["latitude"]), float(gps["longitude"]), place.latitude, place.longitude
    )
    far = distance > settings.SCPVN_VISIT_GPS_TOLERANCE_M
    return {
        "gps_check": Submission.GpsCheck.FAR if far else Submission.GpsCheck.NEAR,
        "distance_m": round(distance, 1),
    }


def _received(instance_id: str) -> RawSQL:
    """Whether a submission of this instanceID is stored. Written as SQL: the same `Exists`
    through the ORM cost a third of the form's read to compile, on every visit."""
    table = connection.ops.quote_name(Submission._meta.db_table)
    column = connection.ops.quote_name(Submission._meta.get_field("instance_id").column)
    return RawSQL(
        f"EXISTS (SELECT 1 FROM {table} WHERE {column} = %s)",
        [instance_id],
        output_field=BooleanField(),
    )


def receive_submission(user, xml: bytes, files: dict[str, UploadedFile]) -> tuple[Submission, bool]:
    """Store a submission once; returns it and whether it is new. Raises SubmissionRefused
    (malformed, unknown or closed version, bad photo, invalid answers), or Denied for a place
    outside the officer's scope; nothing is stored then."""
    envelope = read_envelope(xml)
    # The form, and whether this instanceID was already received, in one query.
    form = (
        forms_visible_to(user)
        .filter(form_id=envelope.form_id, version=envelope.version)
        .annotate(received=_received(envelope.instance_id))
        .order_by()  # (form_id, version) is unique: `first()` then orders by id alone
        .first()
    )
    if form is None or form.received:
        # A resent instance gets its first receipt back, whatever became of its form since.
        existing = Submission.objects.filter(instance_id=envelope.instance_id).first()
        if existing is not None:
            return existing, False
    if form is None:
        raise SubmissionRefused(
            _("Không có biểu mẫu %(form)s phiên bản %(version)s.")
            % {"form": envelope.form_id, "version": envelope.version or "—"},
            AssessmentErrorCode.FORM_UNKNOWN,
            status=404,
        )
    if form.closed_at is not None:
        raise SubmissionRefused(
            _("Biểu mẫu %(form)s phiên bản %(version)s đã ngừng nhận bản gửi.")
            % {"form": form.form_id, "version": form.version},
            AssessmentErrorCode.FORM_CLOSED,
            status=409,
        )
    mapping = form.mapping
    root = envelope.root
    subject = _subject(root, mapping)
    fields = [FieldSpec(**f) for f in mapping.get("fields", [])]
    values = _values(root, fields, files)
    repeat_photos = _repeat_photos(root, fields, files)
    gps = _gps(root, mapping)
    date = _visit_date(root, mapping)

    def checked(subject: Place | Enterprise | None) -> CheckedResponse:
        return check_response(
            questionnaire=form.questionnaire,
            subject=subject,
            date=date,
            values=values,
            user=user,
            repeat_photos=repeat_photos,
        )

    new_place = subject is None
    # Checked before the transaction (reads only), unless the place is yet to be proposed.
    ready = None if new_place else checked(subject)
    try:
        with transaction.atomic():
            if new_place:
                subject = _new_place(user, form, values, gps)
                ready = checked(subject)
            # Stored now, counted when a reviewer accepts it (services.accept_visit).
            response = store_response(ready, count=False)
            submission = Submission.objects.create(
                instance_id=envelope.instance_id,
                form=form,
                response=response,
                xml=xml.decode("utf-8", errors="replace"),
                submitted_by=user,
                submitted_at=response.created_at,
                new_place=new_place,
                **gps,
                **gps_check(subject, gps),
            )
    except IntegrityError:
        # The same instance arrived twice at once: the other request stored it.
        return Submission.objects.get(instance_id=envelope.instance_id), False
    return submission, True
