"""Outreach: events (trainings, workshops, conferences), media, and PSS."""

from scpvn.outreach.models.events import Event, Feedback, Material, Registration
from scpvn.outreach.models.media import MediaItem
from scpvn.outreach.models.pss import GuidanceDocument, PssPilot

__all__ = [
    "Event",
    "Feedback",
    "GuidanceDocument",
    "Material",
    "MediaItem",
    "PssPilot",
    "Registration",
]
