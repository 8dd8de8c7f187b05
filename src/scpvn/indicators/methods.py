"""What the engine reads from an indicator's `method.params` in the plan file.

`share`: the share of subjects (enterprises or places) whose latest response in the period
to questionnaire `questionnaire` meets every `condition`; `reduction`: how far the rate
`amount / total` measured in follow-up visits fell against the baseline visits; `manual`:
no parameters, the value is entered with its source document. See docs/plan-format.md.
"""

from typing import Literal

from django.db.models import Q
from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Condition(_Strict):
    question: str
    equals: bool | str | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    gte: float | None = None

    @model_validator(mode="after")
    def one_test(self) -> "Condition":
        tests = [self.equals is not None, self.in_ is not None, self.gte is not None]
        if sum(tests) != 1:
            raise ValueError("a condition needs exactly one of equals, in, gte")
        return self

    def answer_lookup(self) -> Q:
        """The Answer rows that satisfy this condition."""
        if isinstance(self.equals, bool):
            return Q(boolean=self.equals)
        if self.equals is not None:
            return Q(text=self.equals)
        if self.in_ is not None:
            return Q(text__in=self.in_)
        return Q(number__gte=self.gte)


class SubjectFilter(_Strict):
    """Which registered subjects the indicator is about (all must hold)."""

    distribution: list[str] | None = None  # enterprise kinds of distribution business
    in_industrial_zone: bool | None = None
    vsic_prefixes: list[str] | None = None
    place_kinds: list[str] | None = None

    def q(self, prefix: str = "") -> Q:
        """The filter on the subject's fields, or through a relation when `prefix` is given
        (`enterprise__`, `place__`), so responses are filtered by a join."""
        q = Q()
        if self.distribution is not None:
            q &= Q(**{f"{prefix}distribution__in": self.distribution})
        if self.in_industrial_zone is not None:
            q &= Q(**{f"{prefix}industrial_zone__isnull": not self.in_industrial_zone})
        if self.vsic_prefixes:
            prefixes = Q()
            for code in self.vsic_prefixes:
                prefixes |= Q(**{f"{prefix}vsic_code__startswith": code})
            q &= prefixes
        if self.place_kinds is not None:
            q &= Q(**{f"{prefix}kind__in": self.place_kinds})
        return q


class ShareParams(_Strict):
    questionnaire: str
    condition: list[Condition] = Field(min_length=1)
    filter: SubjectFilter = SubjectFilter()
    denominator: Literal["observed", "registry"] = "observed"


class Phase(_Strict):
    question: str
    baseline: str
    follow_up: str


class ReductionParams(_Strict):
    questionnaire: str
    phase: Phase
    amount: str
    total: str
    filter: SubjectFilter = SubjectFilter()


class ManualParams(_Strict):
    pass


PARAMS = {"share": ShareParams, "reduction": ReductionParams, "manual": ManualParams}


def method_params(method: dict | None) -> ShareParams | ReductionParams | ManualParams | None:
    """The typed params of an indicator's method, or None if it has no method."""
    if not method:
        return None
    return PARAMS[method["kind"]].model_validate(method.get("params") or {})
