"""Backup and restore: the whole database and the uploaded files, in one checked archive.

The archive is a gzip'd tar with three kinds of member:

- `manifest.json` (first): format, creation time, the migrations the data was written under,
  rows per model, and the SHA-256 and size of every other member;
- `data.jsonl`: every row of every model, one JSON object a line (Django's `jsonl`
  serialization), models in dependency order, rows by primary key, written as a stream so
  memory stays flat however big the database is;
- `media/…`: the uploaded files.

Content types and permissions are not stored (migrate recreates them, with ids of its own);
references to them are written by natural key, so a backup taken on SQLite restores on
PostgreSQL and the other way round. Every other reference is written as the primary key the
archive carries. Restore checks everything before it writes anything, then loads in one
transaction and verifies the row counts before committing.
"""

import datetime as dt
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializedObject
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JsonlSerializer
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.constants import OnConflict
from django.dispatch import Signal

from scpvn.core.memo import forget as forget_memos

FORMAT = "scpvn-backup/1"
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA_PREFIX = "media/"
# Rebuilt by migrate (content types, permissions) or worthless after a restore (sessions,
# login-throttling counters and their expiry dates).
EXCLUDED = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "sessions.session",
        "axes.accessattempt",
        "axes.accessattemptexpiration",
        "axes.accesslog",
        "axes.accessfailurelog",
    }
)
# Rows are written to the database this many statements at a time at most (SQLite's limit
# on bound parameters may make the batches smaller).
BATCH = 1000

restored = Signal()
"""Sent (`using=`) inside the restore's transaction once every row is in. Rows go in as
whole batches (`_write`), without the per-row `post_save` an app may keep something current
with: such an app brings it up to date here (plans: every plan's revision, for pages cached
under the revision before)."""
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be written or an archive cannot be restored; the message says why."""


class LosslessJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes and times to milliseconds; a backup keeps every
    microsecond, so a restored row is the row that was backed up."""

    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


class _Serializer(JsonlSerializer):
    """Django's `jsonl`, with natural keys only where the archive does not carry the row
    referred to (content types, permissions: `EXCLUDED`). A reference to a user by natural
    key cost a query per row both ways, a query the backup's read of the user and the
    restore's lookup by username; by primary key it costs nothing. An archive written before
    reads the same."""

    def handle_fk_field(self, obj, field) -> None:
        if _by_natural_key(field):
            super().handle_fk_field(obj, field)
        else:
            self._current[field.name] = self._value_from_field(obj, field)

    def handle_m2m_field(self, obj, field) -> None:
        self.use_natural_foreign_keys = _by_natural_key(field)
        super().handle_m2m_field(obj, field)

    def end_object(self, obj) -> None:
        # the same line as Django's `json.dump`, which encodes in pure Python: `dumps` uses
        # the C encoder, a third of the backup's time
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs) + "\n")
        self._current = None


def _by_natural_key(field) -> bool:
    return field.remote_field.model._meta.label_lower in EXCLUDED


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model with rows worth keeping, parents before the rows that point at them."""
    app_list = {config: None for config in apps.get_app_configs() if config.models_module}
    ordered = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
    return [
        m
        for m in ordered
        if m._meta.label_lower not in EXCLUDED and not m._meta.proxy and m._meta.managed
    ]


def _rows(using: str) -> Iterator[models.Model]:
    for model in backed_up_models():
        yield from model._base_manager.using(using).order_by(model._meta.pk.name).iterator(2000)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def write_backup(
    target: Path, *, using: str = DEFAULT_DB_ALIAS, log: Callable[[str], None] = print
) -> dict:
    """Write the database `using` and MEDIA_ROOT to the archive `target`; return the manifest.

    Rows are read inside one transaction (REPEATABLE READ on PostgreSQL), so the backup is a
    consistent snapshot even while people keep working."""
    media_root = Path(settings.MEDIA_ROOT)
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="scpvn-backup-") as tmp:
        data_path = Path(tmp) / DATA
        connection = connections[using]
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic(using=using):
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            with data_path.open("w", encoding="utf-8") as out:
                _Serializer().serialize(
                    _counted(_rows(using), counts),
                    stream=out,
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=False,
                    cls=LosslessJSONEncoder,
                )
            migrations = _applied_migrations(using)
        members = {DATA: {"sha256": _sha256(data_path), "size": data_path.stat().st_size}}
        media = _media_files(media_root)
        for path in media:
            name = MEDIA_PREFIX + path.relative_to(media_root).as_posix()
            members[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(),
            "database_vendor": connections[using].vendor,
            "migrations": migrations,
            "counts": dict(sorted(counts.items())),
            "members": members,
        }
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(raw)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(raw))
            archive.add(data_path, arcname=DATA)
            for path in media:
                archive.add(path, arcname=MEDIA_PREFIX + path.relative_to(media_root).as_posix())
        partial.replace(target)
    log(f"{sum(counts.values())} bản ghi, {len(media)} tệp → {target}")
    return manifest


def _counted(rows: Iterator[models.Model], counts: Counter[str]) -> Iterator[models.Model]:
    for row in rows:
        counts[row._meta.label_lower] += 1
        yield row


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.load(archive.extractfile(member))
    except (KeyError, ValueError, TypeError) as exc:
        raise BackupError("Tệp sao lưu không có bản kê (manifest.json) hợp lệ.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Định dạng sao lưu không được hỗ trợ: {manifest.get('format')!r}.")
    return manifest


def verify_archive(archive: tarfile.TarFile, manifest: dict) -> None:
    """Every listed member present, intact (size and SHA-256) and safe to unpack; nothing
    unlisted. Reads the whole archive once; writes nothing."""
    expected = manifest["members"]
    seen = set()
    for member in archive.getmembers():
        if member.name == MANIFEST:
            continue
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts or not member.isfile():
            raise BackupError(f"Tệp sao lưu chứa mục không an toàn: {member.name}")
        if member.name not in expected:
            raise BackupError(f"Tệp sao lưu chứa mục không có trong bản kê: {member.name}")
        digest = hashlib.sha256()
        handle = archive.extractfile(member)
        for chunk in iter(lambda h=handle: h.read(CHUNK), b""):
            digest.update(chunk)
        wanted = expected[member.name]
        if member.size != wanted["size"] or digest.hexdigest() != wanted["sha256"]:
            raise BackupError(f"Tệp sao lưu bị hỏng: {member.name} sai mã kiểm tra (checksum).")
        seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"Tệp sao lưu thiếu: {', '.join(missing[:5])}")


def open_archive(source: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(source, "r:gz")
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BackupError(f"Không đọc được tệp sao lưu {source}: {exc}") from exc


def restore_backup(
    source: Path, *, using: str = DEFAULT_DB_ALIAS, log: Callable[[str], None] = print
) -> dict:
    """Load the archive `source` into the migrated database `using` and MEDIA_ROOT.

    All or nothing: the archive is verified first; rows are loaded in one transaction that
    rolls back unless afterwards every model holds exactly the rows of the backup (so rows
    migrations created are overwritten by their backed-up versions, and a database with other
    data is refused); files are unpacked to a staging folder and moved in only after the
    commit. Uploaded files already in MEDIA_ROOT with the same name are refused too."""
    try:
        with open_archive(source) as archive:
            manifest = read_manifest(archive)
            verify_archive(archive, manifest)
    except (OSError, tarfile.TarError, EOFError, zlib.error) as exc:
        raise BackupError(f"Tệp sao lưu bị hỏng: {exc}") from exc
    _check_migrations(manifest, using)
    media_root = Path(settings.MEDIA_ROOT)
    media_names = [n for n in manifest["members"] if n.startswith(MEDIA_PREFIX)]
    clashes = [n for n in media_names if (media_root / n[len(MEDIA_PREFIX) :]).exists()]
    if clashes:
        raise BackupError(f"Thư mục tệp tải lên đã có tệp trùng tên: {clashes[0]}")
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        with open_archive(source) as archive:
            for member in archive:
                if member.name.startswith(MEDIA_PREFIX):
                    destination = staging / member.name[len(MEDIA_PREFIX) :]
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    with destination.open("wb") as out:
                        shutil.copyfileobj(archive.extractfile(member), out, CHUNK)
            try:
                with transaction.atomic(using=using):
                    _load_rows(archive.extractfile(DATA), manifest, using)
            except (DatabaseError, serializers.base.DeserializationError) as exc:
                raise BackupError(
                    f"Không khôi phục được (cơ sở dữ liệu đích không trống?): {exc}"
                ) from exc
        for path in sorted(p for p in staging.rglob("*") if p.is_file()):
            destination = media_root / path.relative_to(staging)
            destination.parent.mkdir(parents=True, exist_ok=True)
            path.replace(destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log(f"{sum(manifest['counts'].values())} bản ghi, {len(media_names)} tệp ← {source}")
    return manifest


def _check_migrations(manifest: dict, using: str) -> None:
    applied = {tuple(m) for m in _applied_migrations(using)}
    missing = sorted({tuple(m) for m in manifest["migrations"]} - applied)
    if missing:
        app, name = missing[0]
        raise BackupError(
            f"Cơ sở dữ liệu đích chưa có migration {app}.{name} (và {len(missing) - 1} "
            "migration khác) của bản sao lưu: hãy chạy `scpvn migrate` trước."
        )


def _load_rows(stream: IO[bytes], manifest: dict, using: str) -> None:
    """Every row of the archive, one model's batch at a time. A batch is deserialized only
    once the models before it are written: an archive of an earlier version refers to users
    by natural key, which the deserializer looks up in the database."""
    loaded = {
        _write(list(PythonDeserializer(records, using=using)), using)
        for records in _batches(stream)
    }
    wrong = []
    expected = manifest["counts"]
    for model in backed_up_models():
        label = model._meta.label_lower
        have = model._base_manager.using(using).count()
        if have != expected.get(label, 0):
            wrong.append(f"{label}: {have} ≠ {expected.get(label, 0)}")
    if wrong:
        raise BackupError(
            "Cơ sở dữ liệu đích không trống hoặc khác cấu trúc; không khôi phục gì. "
            + "; ".join(wrong[:5])
        )
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(loaded))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    forget_memos()
    restored.send(sender=None, using=using)


def _batches(stream: IO[bytes]) -> Iterator[list[dict]]:
    """The archive's rows as parsed JSON, up to `BATCH` of one model at a time."""
    records: list[dict] = []
    for number, line in enumerate(io.TextIOWrapper(stream, encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            model = record["model"]
        except (ValueError, TypeError, KeyError) as exc:
            raise serializers.base.DeserializationError(f"{DATA}, dòng {number}: {exc}") from exc
        if records and (len(records) == BATCH or model != records[0]["model"]):
            yield records
            records = []
        records.append(record)
    if records:
        yield records


def _write(batch: list[DeserializedObject], using: str) -> type[models.Model]:
    """Store one model's deserialized rows as Django's raw save of each would (`raw=True`:
    the values as read, no `auto_now`, no `save()` override), in a few statements instead
    of an UPDATE and an INSERT per row: a row a migration already wrote (units, VSIC
    codes) is overwritten by its archived version, any other is inserted. Their many-to-many
    links replace what the row had. No signal is sent, so no history row is added to the
    archived history; what an app keeps current on saves it renews on `restored`."""
    model = type(batch[0].object)
    meta = model._meta
    manager = model._base_manager.using(using)
    fields = meta.local_concrete_fields
    values = [field for field in fields if not field.primary_key]
    rows = [obj.object for obj in batch]
    size = connections[using].ops.bulk_batch_size(fields, rows) or len(rows)
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        present = set(manager.filter(pk__in=[row.pk for row in chunk]).values_list("pk", flat=True))
        new = [row for row in chunk if row.pk not in present]
        if new:
            manager._insert(new, fields=fields, using=using, raw=True)
        old = [row for row in chunk if row.pk in present]
        if old and values:
            manager._insert(
                old,
                fields=fields,
                using=using,
                raw=True,
                on_conflict=OnConflict.UPDATE,
                update_fields=values,
                unique_fields=[meta.pk],
            )
    for field in meta.many_to_many:
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        links = [
            through(**{f"{source}_id": obj.object.pk, f"{target}_id": other})
            for obj in batch
            for other in obj.m2m_data.get(field.name, ())
        ]
        through._base_manager.using(using).filter(
            **{f"{source}__in": [row.pk for row in rows]}
        ).delete()
        through._base_manager.using(using).bulk_create(links, batch_size=BATCH)
    return model
