"""The green business network: one module per kind of activity the plan runs."""

from scpvn.network.models.events import Event, Feedback, Material, Registration
from scpvn.network.models.fairs import Booth, Chain, FairApplication, FairEvent
from scpvn.network.models.greenpoints import (
    Assessment,
    Certificate,
    Criterion,
    GreenField,
    GreenPoint,
)
from scpvn.network.models.media import MediaItem
from scpvn.network.models.pss import GuidanceDocument, PssPilot
from scpvn.network.models.survey import Question, Survey, SurveyReport, SurveyResponse, SurveySector

__all__ = [
    "Assessment",
    "Booth",
    "Certificate",
    "Chain",
    "Criterion",
    "Event",
    "FairApplication",
    "FairEvent",
    "Feedback",
    "GreenField",
    "GreenPoint",
    "GuidanceDocument",
    "Material",
    "MediaItem",
    "PssPilot",
    "Question",
    "Registration",
    "Survey",
    "SurveyReport",
    "SurveyResponse",
    "SurveySector",
]
