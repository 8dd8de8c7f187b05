"""Run a benchmark body in a child process against a throwaway database of each engine.

The child gets `DATABASE_URL` pointing at a temporary SQLite file or at a PostgreSQL
database created for it (and dropped after), migrates it, runs `module.measure()` and
prints its lines; the developer's own database is never touched.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

PG_SERVER = os.environ.get("SCPVN_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
ROOT = Path(__file__).resolve().parent.parent


def _pg_admin():
    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3)


def engines(pg_db: str) -> list[tuple[str, str, Path]]:
    """(label, DATABASE_URL, temp dir) for SQLite, and PostgreSQL when one answers."""
    tmp = Path(tempfile.mkdtemp(prefix="scpvn-bench-"))
    found = [("SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}", tmp)]
    try:
        with _pg_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{pg_db}"')
            conn.execute(f'CREATE DATABASE "{pg_db}"')
        found.append(("PostgreSQL", f"{PG_SERVER}/{pg_db}", tmp))
    except psycopg.Error:
        print("  PostgreSQL không trả lời: chỉ đo trên SQLite (SQLite only)")
    return found


def run_in_children(module: str) -> None:
    """Measure `module` on every engine, each in its own process."""
    pg_db = "scpvn_i5_" + module.rsplit(".", 1)[-1]
    for label, url, tmp in engines(pg_db):
        print(f"  -- {label}", flush=True)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SCPVN_VAR_DIR": str(tmp),
            "MEDIA_ROOT": str(tmp / "media"),
        }
        code = (
            "import django; django.setup();"
            "from django.core.management import call_command;"
            "call_command('migrate', verbosity=0);"
            f"import {module} as m; m.measure()"
        )
        subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
        if label == "PostgreSQL":
            with _pg_admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_db}"')
