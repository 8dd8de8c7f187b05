"""Stable codes of the trace app's refusals. The EPCIS interface answers with these as
`code` and the standard's exception (epcisException:…) as `type`."""

from enum import StrEnum


class TraceErrorCode(StrEnum):
    MASTER_DATA_OUT_OF_SCOPE = "trace.master_data_out_of_scope"
    CAPTURE_REFUSED = "trace.capture_refused"
    QUERY_PARAMETER = "trace.query_parameter"
    QUERY_TOO_LARGE = "trace.query_too_large"
    QUERY_EXISTS = "trace.query_exists"
    NO_SUCH_NAME = "trace.no_such_name"
    UNSUPPORTED_MEDIA_TYPE = "trace.unsupported_media_type"
