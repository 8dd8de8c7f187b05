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
PostgreSQL and the other way round. Restore checks everything before it writes anything, then
loads in one transaction and verifies the row counts before committing.
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
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings

FORMAT = "scpvn-backup/1"
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA_PREFIX = "media/"
# Rebuilt by migrate (content types, permissions) or worthless after a restore (sessions,
# login-throttling counters).
EXCLUDED = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "sessions.session",
        "axes.accessattempt",
        "axes.accesslog",
        "axes.accessfailurelog",
    }
)
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
                serializers.serialize(
                    "jsonl",
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
                # The history rows are in the backup; saving must not add new ones.
                with (
                    override_settings(SIMPLE_HISTORY_ENABLED=False),
                    transaction.atomic(using=using),
                ):
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
    text = io.TextIOWrapper(stream, encoding="utf-8")
    loaded: set[type[models.Model]] = set()
    for obj in serializers.deserialize("jsonl", text, using=using):
        obj.save(using=using)
        loaded.add(type(obj.object))
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
