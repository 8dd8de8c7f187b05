#!/usr/bin/env bash
# Refresh the English catalogs: each app with its own locale/ gets its own; the project
# catalog (src/scpvn/locale) takes the rest. Needs GNU gettext (xgettext), as makemessages does.
set -euo pipefail
cd "$(dirname "$0")/../src/scpvn"
scpvn=../../.venv/bin/scpvn
ignores=()
shopt -s nullglob
for app in */locale; do
  app=${app%/locale}
  ignores+=(--ignore "$app/*")
  (cd "$app" && "../$scpvn" makemessages -l en --no-obsolete)
done
"$scpvn" makemessages -l en --no-obsolete --ignore "*/tests/*" "${ignores[@]}"
../../.venv/bin/python ../../scripts/compile_messages.py
