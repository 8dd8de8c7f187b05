"""Stable codes of the progress refusals: API clients match on these, never on the prose."""

from enum import StrEnum


class ProgressError(StrEnum):
    # A hand-entered activity on a deliverable a module counts, without naming the record.
    COUNTED_BY_MODULE = "counted_by_module"
    # The named record is not a module record of the same deliverable.
    NOT_A_MODULE_RECORD = "not_a_module_record"
    # Voiding needs a reason, and only counted hand-entered work can be voided.
    VOID_REASON_REQUIRED = "void_reason_required"
    NOT_VOIDABLE = "not_voidable"
    # The duty named belongs to another plan than the task.
    DUTY_OF_ANOTHER_PLAN = "duty_of_another_plan"
