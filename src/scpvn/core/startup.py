"""What a long-running server process does once its application is loaded."""

import gc


def freeze_loaded_objects() -> None:
    """Move every object alive once the application is loaded (modules, settings, URL
    patterns, compiled schemas and templates: they live as long as the process) out of the
    garbage collector's sight. Python's `gc.freeze` is meant for this: otherwise each full
    collection walks them all again, and a request that allocates much (a 1,000-event EPCIS
    capture) triggers several; they were a tenth of such a capture."""
    gc.collect()
    gc.freeze()
