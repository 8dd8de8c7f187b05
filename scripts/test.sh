#!/usr/bin/env bash
# `make test`: lint, the migrations check, the deploy check, then the whole suite (browser
# tests included) on SQLite, and again on PostgreSQL when one answers.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=scpvn.settings
bin=.venv/bin

bash scripts/system-deps.sh

# Migrate once per engine, up front and side by side with the checks below: each pytest
# worker's test database, and the tests that need a database of their own, start from a copy
# of these templates (bench/throwaway.py) instead of replaying every migration again.
pg_url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
pg_build=()
if $bin/python scripts/db_reachable.py "$pg_url"; then
  export SCPVN_TEST_BOTH_ENGINES=1
  pg_build=(--pg)
fi
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/scpvn-test.XXXXXXXX")"
export SCPVN_BENCH_CACHE="$run_dir/templates" SCPVN_BENCH_PG="${pg_url%/*}"
cleanup() {
  env -u DATABASE_URL $bin/python -m bench.throwaway drop || true
  rm -rf "$run_dir"
}
trap cleanup EXIT
echo "== migrate: the templates (SQLite${pg_build:+, PostgreSQL})"
env -u DATABASE_URL $bin/python -m bench.throwaway build "${pg_build[@]}" &
templates=$!

echo "== ruff"
$bin/ruff check src bench scripts
$bin/ruff format --check src bench scripts
echo "== makemigrations --check"
env -u DATABASE_URL $bin/scpvn makemigrations --check --dry-run
echo "== check --deploy (production settings)"
DEBUG=0 SECRET_KEY="$($bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  ALLOWED_HOSTS=scpvn.example.vn $bin/scpvn check --deploy --fail-level WARNING
wait "$templates"

# With both engines, each test runs where it says something (root conftest.py): tests that
# touch no database and browser tests run in the SQLite pass only, the costly PostgreSQL-leaning ones (marker
# `once_on_postgresql`) in the PostgreSQL pass only. The slowest tests are listed at the end.
if [ -z "${SCPVN_TEST_BOTH_ENGINES:-}" ]; then
  echo "PostgreSQL không trả lời tại $pg_url: chỉ chạy trên SQLite (SQLite only)."
fi

echo "== pytest: SQLite"
env -u DATABASE_URL $bin/pytest -n 2 --durations=15 "$@"

if [ -n "${SCPVN_TEST_BOTH_ENGINES:-}" ]; then
  echo "== pytest: PostgreSQL ($pg_url)"
  DATABASE_URL="$pg_url" $bin/pytest -n 2 --durations=15 "$@"
fi
