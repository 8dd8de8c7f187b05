"""Throwaway databases for benchmarks, migrated once per `make bench` run.

Migrating the schema (and loading the country's units) takes a minute or more on a loaded
two-core machine, and the benchmarks need a fresh database a dozen times. `bench/__main__.py`
names a folder in `SCPVN_BENCH_CACHE`; the first benchmark that needs a database of an engine
migrates a template there once (a SQLite file, or a PostgreSQL database), and every later one
gets a copy (SQLite's backup API, `CREATE DATABASE … TEMPLATE`).

`make test` (scripts/test.sh) uses the same cache: `python -m bench.throwaway build` migrates
both templates once, side by side, before the suite; each pytest worker's test database, and
the tests that need a database of their own (backup round trip, multi-server, load test), start
from a copy. The migrations still run once per engine per `make test`, with `scpvn migrate`
itself. Without `SCPVN_BENCH_CACHE` (a developer's `pytest`) each database is migrated as before.

`run_in_children` runs a benchmark body in a child process against a throwaway database of
each engine: a temporary SQLite file, or a PostgreSQL database created for it (and dropped
after); the developer's own database is never touched. It runs with DEBUG off (`child_code`).
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

PG_SERVER = os.environ.get("SCPVN_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
ROOT = Path(__file__).resolve().parent.parent
CACHE_ENV = "SCPVN_BENCH_CACHE"
SQLITE_NAME = "scpvn.sqlite3"  # the file settings.py opens under SCPVN_VAR_DIR


def _pg_admin():
    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3)


def _migrate(url: str, var_dir: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SCPVN_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "scpvn.settings",
    }
    done = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode:
        raise RuntimeError(f"migrate failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")


def _cache() -> Path | None:
    folder = os.environ.get(CACHE_ENV)
    return Path(folder) if folder else None


def _pg_template_name() -> str:
    # unique to this run: the cache folder sits in the run's own temporary folder
    cache = Path(os.environ[CACHE_ENV])
    run = (cache.parent.name if cache.name == "templates" else cache.name)[-8:].lower()
    return f"scpvn_bench_template_{''.join(c for c in run if c.isalnum())}"


def _build_sqlite_template(cache: Path) -> Path:
    template = cache / SQLITE_NAME
    if not template.exists():
        print("  (migrating the SQLite template once for this run)", flush=True)
        building = cache / "building"
        building.mkdir(exist_ok=True)
        _migrate(f"sqlite:///{building / SQLITE_NAME}", building)
        # the backup API folds the WAL in: the template is one self-contained file
        _copy_sqlite(building / SQLITE_NAME, template)
        shutil.rmtree(building, ignore_errors=True)
    return template


def sqlite_template() -> Path | None:
    """This run's migrated SQLite template file, when one was built (None: migrate yourself)."""
    cache = _cache()
    template = cache / SQLITE_NAME if cache is not None else None
    return template if template is not None and template.exists() else None


def migrated_sqlite(var_dir: Path) -> bool:
    """Put a migrated copy of this run's SQLite template at `var_dir/scpvn.sqlite3`.
    False when no template cache is configured: the caller migrates itself."""
    cache = _cache()
    if cache is None:
        return False
    template = _build_sqlite_template(cache)
    var_dir.mkdir(parents=True, exist_ok=True)
    _copy_sqlite(template, var_dir / SQLITE_NAME)
    return True


def _copy_sqlite(source: Path, target: Path) -> None:
    # closing(): a sqlite3 connection's own `with` commits but leaves the file open
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def create_pg_database(name: str) -> str:
    """Create `name` (dropping an old one), migrated: a copy of this run's template when the
    cache is configured, else migrated here. Returns its URL."""
    cache = _cache()
    url = f"{PG_SERVER}/{name}"
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if cache is None:
            conn.execute(f'CREATE DATABASE "{name}"')
        else:
            template = _build_pg_template(conn, cache)
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    if cache is None:
        _migrate(url, Path(tempfile.gettempdir()))
    return url


def _build_pg_template(conn, cache: Path) -> str:
    template = _pg_template_name()
    if not (cache / "pg-template").exists():
        print("  (migrating the PostgreSQL template once for this run)", flush=True)
        conn.execute(f'DROP DATABASE IF EXISTS "{template}"')
        conn.execute(f'CREATE DATABASE "{template}"')
        _migrate(f"{PG_SERVER}/{template}", cache)
        (cache / "pg-template").touch()
    return template


def pg_template() -> str | None:
    """The name of this run's migrated PostgreSQL template database (on `SCPVN_BENCH_PG`),
    when one was built (None: migrate yourself)."""
    cache = _cache()
    if cache is None or not (cache / "pg-template").exists():
        return None
    return _pg_template_name()


def pg_template_url() -> str | None:
    template = pg_template()
    return f"{PG_SERVER}/{template}" if template else None


def build_templates(*, pg: bool) -> None:
    """Migrate this run's SQLite template, and the PostgreSQL one when `pg`, side by side
    (one process per engine: each migration is one core's work)."""
    cache = _cache()
    if cache is None:
        raise SystemExit(f"{CACHE_ENV} names no folder")
    cache.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(_build_sqlite_template, cache)]
        if pg:

            def build_pg() -> None:
                with _pg_admin() as conn:
                    _build_pg_template(conn, cache)

            jobs.append(pool.submit(build_pg))
        for job in jobs:
            job.result()


def drop_pg_database(name: str) -> None:
    with _pg_admin() as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def drop_templates() -> None:
    """At the end of the run: the PostgreSQL template goes (the SQLite one goes with the
    cache folder)."""
    cache = _cache()
    if cache is not None and (cache / "pg-template").exists():
        with contextlib.suppress(psycopg.Error):
            drop_pg_database(_pg_template_name())


def pg_available() -> bool:
    try:
        with _pg_admin() as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def engines(pg_db: str, *, only: str | None = None) -> list[tuple[str, str, Path]]:
    """(label, DATABASE_URL, temp dir) for SQLite, and PostgreSQL when one answers; each
    database already migrated. `only` keeps one engine ("SQLite" or "PostgreSQL")."""
    tmp = Path(tempfile.mkdtemp(prefix="scpvn-bench-"))
    found = []
    if only in (None, "SQLite"):
        if not migrated_sqlite(tmp):
            _migrate(f"sqlite:///{tmp / SQLITE_NAME}", tmp)
        found.append(("SQLite", f"sqlite:///{tmp / SQLITE_NAME}", tmp))
    if only in (None, "PostgreSQL"):
        if pg_available():
            found.append(("PostgreSQL", create_pg_database(pg_db), tmp))
        else:
            print("  PostgreSQL không trả lời: chỉ đo trên SQLite (SQLite only)")
    return found


def child_code(module: str) -> str:
    """What a child process runs to measure `module`: its `measure()`, with DEBUG off as a
    production server runs (`bench/__main__.py` does the same for the benchmarks it runs
    itself). DEBUG's query log formats every query's SQL with its parameters, on SQLite with
    one more query to quote them: a cost no user's server pays, heavier on the side of a
    comparison that runs more queries."""
    return (
        "import django; django.setup(); from django.test.utils import override_settings; "
        f"import {module} as m; override_settings(DEBUG=False)(m.measure)()"
    )


def run_in_children(module: str, *, only: str | None = None) -> None:
    """Measure `module` on every engine (or `only` one), each in its own process."""
    pg_db = "scpvn_i5_" + module.rsplit(".", 1)[-1]
    found = engines(pg_db, only=only)
    for label, url, tmp in found:
        print(f"  -- {label}", flush=True)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SCPVN_VAR_DIR": str(tmp),
            "MEDIA_ROOT": str(tmp / "media"),
        }
        try:
            subprocess.run(
                [sys.executable, "-c", child_code(module)], env=env, cwd=ROOT, check=True
            )
        finally:
            if label == "PostgreSQL":
                drop_pg_database(pg_db)
    for folder in {tmp for _label, _url, tmp in found}:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    # scripts/test.sh: `build [--pg]` before the suite, `drop` after it
    if sys.argv[1:2] == ["build"]:
        build_templates(pg="--pg" in sys.argv[2:])
    elif sys.argv[1:] == ["drop"]:
        drop_templates()
    else:
        raise SystemExit("usage: python -m bench.throwaway build [--pg] | drop")
