"""Sent after bulk changes to the registry (an import) that bypass per-row model signals, so
apps that derive figures from the registry (the indicator engine) can refresh them."""

from django.dispatch import Signal

registry_changed = Signal()
