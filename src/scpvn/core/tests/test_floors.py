"""The house's floors (docs/HOUSE.md): imports only go down.

Fails when `core` imports an app, when a views module imports another app's views, or when
an app imports one on a higher floor. Imports are read with `ast` from every module of every
app (tests and migrations aside: tests may build any world, migrations are history), including
imports inside functions, which are dependencies all the same.

`audit` and `notifications` are low-level services: they know users (orgs) and nothing of
the work, and any app above may record a change or tell someone. Apps on the same floor may
import each other (network records progress activities; trace and assessments read registry
enterprises); a new app must be given a floor here before the test passes.
"""

import ast
from pathlib import Path

APPS_DIR = Path(__file__).resolve().parents[2]

FLOORS: dict[str, int] = {
    "core": 0,
    "geo": 1,
    "orgs": 1,
    "audit": 2,
    "notifications": 2,
    "plans": 3,
    "progress": 4,
    "registry": 4,
    "assessments": 4,
    "trace": 4,
    "network": 4,
    "fairs": 4,
    "greenpoints": 4,
    "outreach": 4,
    "surveys": 4,
    "indicators": 5,
    "reports": 6,
    "portal": 6,
}

# Known imports that break the rule, each with why it stays and whose it is to fix.
# (importing module, imported module prefix) — an entry that no longer matches fails the test,
# so the list only shrinks.
ALLOWED: set[tuple[str, str]] = set()


def app_modules() -> list[tuple[str, Path]]:
    """(app, file) for every module of an app, tests and migrations left out."""
    found = []
    for app_dir in sorted(p for p in APPS_DIR.iterdir() if (p / "apps.py").exists()):
        for path in sorted(app_dir.rglob("*.py")):
            parts = path.relative_to(app_dir).parts
            if "tests" in parts or "migrations" in parts:
                continue
            found.append((app_dir.name, path))
    return found


def module_name(path: Path) -> str:
    parts = list(path.relative_to(APPS_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of(path: Path) -> str:
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rsplit(".", 1)[0]


def imports_of(path: Path, package: str) -> set[str]:
    """Every absolute module a file imports (`from x import y` counts `x` and `x.y`, since
    `y` may be a submodule), relative imports resolved against the file's `package`."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def violations() -> list[tuple[str, str, str]]:
    """(importing module, imported module, rule broken), sorted."""
    found = set()
    for app, path in app_modules():
        here = module_name(path)
        is_views = "views" in here.split(".")[2:]
        for name in imports_of(path, package_of(path)):
            parts = name.split(".")
            if len(parts) < 2 or parts[0] != "scpvn" or parts[1] == app:
                continue
            other = parts[1]
            if other not in FLOORS:
                if (APPS_DIR / other / "apps.py").exists():
                    found.add((here, name, f"app {other} has no floor"))
                continue
            if app == "core":
                found.add((here, name, "core imports an app"))
            elif FLOORS[other] > FLOORS[app]:
                found.add((here, name, f"{app} (floor {FLOORS[app]}) imports up: {other}"))
            if is_views and "views" in parts[2:]:
                found.add((here, name, "a views module imports another app's views"))
    return sorted(found)


def test_every_app_has_a_floor():
    apps = {p.name for p in APPS_DIR.iterdir() if (p / "apps.py").exists()}
    assert apps == set(FLOORS), "give each app a floor in FLOORS (and in docs/HOUSE.md)"


def test_imports_only_go_down():
    broken = [
        v for v in violations() if not any(v[0] == a and v[1].startswith(b) for a, b in ALLOWED)
    ]
    assert not broken, "\n".join(f"{a} → {b}: {why}" for a, b, why in broken)


def test_allow_list_has_no_stale_entries():
    found = violations()
    stale = [(a, b) for a, b in ALLOWED if not any(v[0] == a and v[1].startswith(b) for v in found)]
    assert not stale, f"fixed, remove from ALLOWED: {stale}"


def test_the_checker_sees_what_it_must(tmp_path):
    """The parser catches function-level, aliased and relative imports."""
    module = tmp_path / "m.py"
    module.write_text(
        "import scpvn.trace.models as tm\n"
        "def f():\n    from scpvn.reports import views\n"
        "from . import services\n"
    )
    found = imports_of(module, "scpvn.network.views")
    assert {"scpvn.trace.models", "scpvn.reports.views", "scpvn.network.views.services"} <= found
