"""`scpvn backup` / `scpvn restore`: a full demo dataset from SQLite to PostgreSQL, and
archives that must be refused with nothing written."""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from bench.throwaway import migrated_sqlite, pg_template
from django.core.management import CommandError, call_command

from scpvn.core.backup import DATA, MANIFEST, backed_up_models

PG_SERVER = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def scpvn(*args: str, env: dict[str, str]) -> str:
    """Run the `scpvn` command in its own process, on the database `env` names (SQLite under
    SCPVN_VAR_DIR when it names none)."""
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "scpvn.cli", *args],
        env={**base, "DJANGO_SETTINGS_MODULE": "scpvn.settings", **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"scpvn {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


# Cache tokens, not content: loading a plan's rows moves its revision (plans.revisions).
RENEWED = {("plans.plan", "revision")}


def rows_by_model(archive_path: Path) -> dict[str, dict[str, dict]]:
    with tarfile.open(archive_path) as archive:
        rows: dict[str, dict[str, dict]] = {}
        for line in archive.extractfile(DATA):
            obj = json.loads(line)
            rows.setdefault(obj["model"], {})[json.dumps(obj["pk"])] = obj["fields"]
    return rows


def pg_admin() -> psycopg.Connection:
    config = dj_database_url.parse(PG_SERVER)
    return psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        dbname="postgres",
        connect_timeout=3,
        autocommit=True,
    )


@pytest.fixture
def migrated_pg_database(tmp_path):
    """A migrated throwaway PostgreSQL database, dropped afterwards: under `make test` a copy
    of the run's template (migrated once by `scpvn migrate`, bench/throwaway.py), which the
    `migrate` here then finds up to date; else migrated here."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the SQLite → PostgreSQL round trip runs once, in the SQLite pass")
    try:
        admin = pg_admin()
    except psycopg.Error as exc:
        pytest.skip(f"no PostgreSQL answers at {PG_SERVER}: {exc}")
    name = f"scpvn_restore_{os.getpid()}"
    template = pg_template()
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    config = dj_database_url.parse(PG_SERVER)
    url = (
        f"postgres://{config['USER'] or 'postgres'}"
        f"{':' + config['PASSWORD'] if config['PASSWORD'] else ''}"
        f"@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{name}"
    )
    scpvn("migrate", "--noinput", env={"SCPVN_VAR_DIR": str(tmp_path), "DATABASE_URL": url})
    yield url
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_demo_dataset_round_trips_from_sqlite_to_postgresql(tmp_path, migrated_pg_database):
    source = {"SCPVN_VAR_DIR": str(tmp_path / "a"), "MEDIA_ROOT": str(tmp_path / "a" / "media")}
    upload = tmp_path / "a" / "media" / "evidence" / "bien-ban.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.4 bi\xc3\xaan b\xe1\xba\xa3n\n")
    migrated_sqlite(tmp_path / "a")  # a copy of the run's template under make test
    scpvn("migrate", "--noinput", env=source)  # nothing left to apply then
    scpvn("demo", "load", env=source)
    scpvn("backup", str(tmp_path / "sqlite.tar.gz"), env=source)

    target = {
        "SCPVN_VAR_DIR": str(tmp_path / "b"),
        "MEDIA_ROOT": str(tmp_path / "b" / "media"),
        "DATABASE_URL": migrated_pg_database,
    }
    scpvn("restore", str(tmp_path / "sqlite.tar.gz"), env=target)
    scpvn("backup", str(tmp_path / "postgresql.tar.gz"), env=target)

    before = rows_by_model(tmp_path / "sqlite.tar.gz")
    after = rows_by_model(tmp_path / "postgresql.tar.gz")
    assert sum(len(rows) for rows in before.values()) > 100, "demo data should be loaded"
    assert sorted(before) == sorted(after)
    for model, rows in before.items():
        assert len(after[model]) == len(rows), model
        differences = [
            f"{model} pk={pk} {field}: {value!r} → {after[model][pk].get(field)!r}"
            for pk, fields in rows.items()
            for field, value in fields.items()
            if after[model][pk].get(field) != value and (model, field) not in RENEWED
        ]
        assert not differences, "content differs after the round trip:\n" + "\n".join(
            differences[:10]
        )
    # a restore is a change to everything: pages cached under a plan's revision before it
    # must not be served after it
    for model, field in RENEWED:
        assert all(after[model][pk][field] != row[field] for pk, row in before[model].items())
    restored = tmp_path / "b" / "media" / "evidence" / "bien-ban.pdf"
    assert restored.read_bytes() == upload.read_bytes()


def counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in backed_up_models()}


@pytest.fixture
def archive(tmp_path, settings, users):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    return path


def rewrite(source: Path, target: Path, change) -> Path:
    """Copy the archive member by member, letting `change(name, bytes)` alter contents."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = change(member.name, old.extractfile(member).read())
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return target


@pytest.mark.django_db
def test_corrupted_archive_is_refused_and_nothing_written(archive, tmp_path):
    from scpvn.orgs.models import User

    User.objects.filter(username="officer").delete()
    before = counts()

    def flip(name: str, data: bytes) -> bytes:
        return data.replace(b'"officer"', b'"intruder"') if name == DATA else data

    corrupted = rewrite(archive, tmp_path / "corrupted.tar.gz", flip)
    with pytest.raises(CommandError, match="bị hỏng"):
        call_command("restore", str(corrupted))
    assert counts() == before

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match=r"hỏng|Không đọc được"):
        call_command("restore", str(truncated))
    assert counts() == before
    assert not User.objects.filter(username__in=["officer", "intruder"]).exists()


@pytest.mark.django_db
def test_archive_without_manifest_is_refused(archive, tmp_path):
    def drop_manifest(name: str, data: bytes) -> bytes:
        return b"{}" if name == MANIFEST else data

    with pytest.raises(CommandError, match="Định dạng sao lưu"):
        call_command("restore", str(rewrite(archive, tmp_path / "x.tar.gz", drop_manifest)))


@pytest.mark.django_db
def test_database_with_other_data_is_refused(archive, users):
    """Restore only succeeds when the database ends up equal to the backup; a database with
    rows the backup does not have is left exactly as it was."""
    from scpvn.conftest import make_user

    make_user("later", "reviewer", users["reviewer"].agency)
    users["agency_officer"].full_name = "Tên đã sửa"
    users["agency_officer"].save()
    before = counts()
    with pytest.raises(CommandError, match="không trống"):
        call_command("restore", str(archive))
    assert counts() == before
    users["agency_officer"].refresh_from_db()
    assert users["agency_officer"].full_name == "Tên đã sửa"


def test_backup_keeps_every_microsecond():
    """Django's JSON encoder would write 12:00:00.000123 as 12:00:00.000 and lose it."""
    import datetime as dt

    from scpvn.core.backup import LosslessJSONEncoder

    moment = dt.datetime(2020, 8, 1, 12, 0, 0, 123, tzinfo=dt.UTC)
    text = json.dumps(moment, cls=LosslessJSONEncoder)
    assert text == '"2020-08-01T12:00:00.000123Z"'
    from django.utils.dateparse import parse_datetime

    assert parse_datetime(json.loads(text)) == moment


@pytest.mark.django_db
def test_users_are_referred_to_by_key_and_an_archive_naming_them_still_restores(
    archive, users, tmp_path, monkeypatch
):
    """A backup refers to a user by primary key (by username it cost a query per row each
    way); an archive written before, naming users by username, restores the same rows, the
    automatic `updated_at` included."""
    from scpvn.core import backup
    from scpvn.orgs.models import PartialDigest, User

    officer = users["agency_officer"]
    written = rows_by_model(archive)["orgs.partialdigest"]
    assert {row["user"] for row in written.values()} == {u.pk for u in users.values() if u}

    monkeypatch.setattr(backup, "_by_natural_key", lambda field: True)  # the writer before
    earlier = tmp_path / "earlier.tar.gz"
    call_command("backup", str(earlier), stdout=io.StringIO())
    [(pk, row)] = [
        (pk, row)
        for pk, row in rows_by_model(earlier)["orgs.partialdigest"].items()
        if row["user"] == ["officer"]
    ]
    full = counts()
    officer.delete()  # their digest goes with them
    User.history.filter(history_type="-").delete()  # a row the archive does not have
    call_command("restore", str(earlier), stdout=io.StringIO())
    digest = PartialDigest.objects.get(user__username="officer")
    assert digest.pk == json.loads(pk) and digest.ha1 == row["ha1"]
    assert digest.updated_at.isoformat().replace("+00:00", "Z") == row["updated_at"]
    assert counts() == full
