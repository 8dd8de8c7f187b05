"""Stable codes of the trace app's refusals. The EPCIS interface answers with the standard's
own fields (event index, eventID, field), its exception (epcisException:…) as `type`, and
these codes as `code`: for the query interface, and for the rules scpvn adds on top of the
standard (who may write on which lot, the lot's chronology, capture limits)."""

from dataclasses import dataclass
from enum import StrEnum

from scpvn.trace.validation import EventError


class TraceErrorCode(StrEnum):
    MASTER_DATA_OUT_OF_SCOPE = "trace.master_data_out_of_scope"
    CAPTURE_REFUSED = "trace.capture_refused"
    QUERY_PARAMETER = "trace.query_parameter"
    QUERY_TOO_LARGE = "trace.query_too_large"
    QUERY_EXISTS = "trace.query_exists"
    NO_SUCH_NAME = "trace.no_such_name"
    UNSUPPORTED_MEDIA_TYPE = "trace.unsupported_media_type"
    # The XML binding: not well-formed XML, entities or an external DTD (XXE, "billion
    # laughs"), not valid against GS1's EPCIS 2.0 XSD, larger than the bound on bodies.
    XML_MALFORMED = "trace.xml_malformed"
    XML_FORBIDDEN = "trace.xml_forbidden"
    XML_SCHEMA_INVALID = "trace.xml_schema_invalid"
    XML_TOO_LARGE = "trace.xml_too_large"
    # Subscriptions: a body the binding does not allow (stream xor schedule, a bad schedule,
    # bad fields), and a dest the repository will not send to (scheme, internal address).
    SUBSCRIPTION_CONTROLS = "trace.subscription_controls"
    DESTINATION_REFUSED = "trace.destination_refused"
    # "One step back, one step forward": a lot neither owned nor shipped to the enterprise.
    LOT_OUT_OF_SCOPE = "trace.lot_out_of_scope"
    # A received lot, but the event is not at one of the enterprise's own places.
    LOCATION_OUT_OF_SCOPE = "trace.location_out_of_scope"
    # The lot's chronology: dated before the lot existed, before the step it follows, or
    # after the lot was destroyed.
    BEFORE_LOT_EXISTED = "trace.before_lot_existed"
    BEFORE_PREVIOUS_STEP = "trace.before_previous_step"
    AFTER_DESTROYING = "trace.after_destroying"
    # Capture limits: events in one document, events per enterprise per day.
    CAPTURE_TOO_LARGE = "trace.capture_too_large"
    CAPTURE_QUOTA_EXCEEDED = "trace.capture_quota_exceeded"


@dataclass
class CaptureRefused(EventError):
    """An EPCIS refusal that carries one of the codes above (and, for the daily quota, how
    many seconds until the client may try again)."""

    code: TraceErrorCode = TraceErrorCode.LOT_OUT_OF_SCOPE
    retry_after: int | None = None

    def as_problem(self) -> dict:
        return {**super().as_problem(), "code": str(self.code)}
