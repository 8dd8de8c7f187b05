"""`make bench`: run every benchmark module in this package and print its ratios."""

import importlib
import os
import pkgutil
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scpvn.settings")
    django.setup()
    import bench

    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    if not names:
        print("Chưa có phép đo nào (no benchmarks yet).")
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}: {module.__doc__.strip().splitlines()[0] if module.__doc__ else ''}")
        module.run()
    sys.exit(0)


if __name__ == "__main__":
    main()
