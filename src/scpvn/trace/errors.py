"""Stable codes of the trace app's refusals outside the EPCIS interface (which answers
with the standard's own error types)."""

from enum import StrEnum


class TraceErrorCode(StrEnum):
    MASTER_DATA_OUT_OF_SCOPE = "trace.master_data_out_of_scope"
