"""Compile the project's .po files to .mo with polib, so no GNU gettext is needed to run."""

from pathlib import Path

import polib

# The project catalog (src/scpvn/locale) and each app's own (src/scpvn/<app>/locale).
root = Path(__file__).resolve().parent.parent / "src" / "scpvn"
for po_path in [*root.glob("locale/*/LC_MESSAGES/*.po"), *root.glob("*/locale/*/LC_MESSAGES/*.po")]:
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
