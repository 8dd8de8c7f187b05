"""What the engine reads from an indicator's `method.params` in the plan file.

`share`: the share of subjects (enterprises or places) whose latest response in the period
to questionnaire `questionnaire` meets every `condition`; `reduction`: how far the rate
`amount / total` measured in follow-up visits fell against the baseline visits;
`facility_count`: how many distinct facilities stand, by their latest response up to the
period's end, as every `condition` says (4.2.3: producers still making plastic packaging);
`manual`: no parameters, the value is entered with its source document. See
docs/plan-format.md.
"""

from typing import Literal

from django.db.models import Q
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from scpvn.plans.conditions import CONDITIONS, RegisteredCondition


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Condition(BaseModel):
    """One test a subject's response must pass: on an answer (`question` with one of
    `equals`, `in`, `gte`), a condition registered by the app that owns the records
    (`plans.conditions`; e.g. `traceable`, registered by trace: the enterprise has
    products with captured EPCIS events), or `any` of several conditions."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    question: str | None = None
    equals: bool | str | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    gte: float | None = None
    any: list["Condition"] | None = Field(default=None, min_length=1)

    @property
    def registered(self) -> tuple[RegisteredCondition, object] | None:
        """The registered condition this one names, with its value (None: not one)."""
        for name, value in (self.model_extra or {}).items():
            return CONDITIONS[name], value
        return None

    @model_validator(mode="after")
    def one_test(self) -> "Condition":
        extra = self.model_extra or {}
        unknown = sorted(set(extra) - CONDITIONS.keys())
        if unknown:
            known = ", ".join(["question", "any", *sorted(CONDITIONS)])
            raise ValueError(f"unknown condition {', '.join(unknown)} (known: {known})")
        for name, value in extra.items():
            if not isinstance(value, CONDITIONS[name].value_type):
                raise ValueError(f"{name} must be {CONDITIONS[name].value_type.__name__}")
        answer_tests = [self.equals is not None, self.in_ is not None, self.gte is not None]
        if self.question is not None:
            if sum(answer_tests) != 1 or extra or self.any is not None:
                raise ValueError("a condition on a question needs exactly one of equals, in, gte")
        elif any(answer_tests) or len(extra) + (self.any is not None) != 1:
            raise ValueError("a condition needs a question, a registered condition or any")
        return self

    def answer_lookup(self) -> Q:
        """The Answer rows that satisfy this condition (a condition on a question)."""
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


Denominator = Literal["observed", "registry"]


class ShareParams(_Strict):
    """`denominator`: `registry`, every registered subject the filter selects (all
    distribution enterprises, all enterprises in industrial zones and clusters), or
    `observed`, only those with a response in the period."""

    questionnaire: str
    condition: list[Condition] = Field(min_length=1)
    filter: SubjectFilter = SubjectFilter()
    denominator: Denominator = "observed"


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


class FacilityCountParams(_Strict):
    questionnaire: str
    condition: list[Condition] = Field(min_length=1)
    filter: SubjectFilter = SubjectFilter()


class ManualParams(_Strict):
    pass


PARAMS = {
    "share": ShareParams,
    "reduction": ReductionParams,
    "facility_count": FacilityCountParams,
    "manual": ManualParams,
}
AnyParams = ShareParams | ReductionParams | FacilityCountParams | ManualParams


def questionnaire_specs() -> dict:
    """The shipped questionnaires, XLSForms compiled by pyxform (code → compiled form): what
    a plan file may name."""
    from scpvn.assessments.services import shipped_forms

    return shipped_forms()


def _questions(conditions: list[Condition], path: tuple = ("condition",)):
    """(path, question code) of every question the conditions name, nested ones included."""
    for i, condition in enumerate(conditions):
        if condition.question is not None:
            yield (*path, i, "question"), condition.question
        yield from _questions(condition.any or [], (*path, i, "any"))


def check_params(kind: str, params: dict) -> list[tuple[tuple, str, str]]:
    """Every problem of an indicator's `method.params`, for `scpvn plan validate`: the
    schema of the method (unknown keys, unknown filter keys, unknown conditions), then the
    questionnaire and the questions it names."""
    try:
        parsed = PARAMS[kind].model_validate(params or {})
    except ValidationError as exc:
        return [
            (
                tuple(p for p in error["loc"] if p != "in_"),
                f"tham số không hợp lệ: {error['msg']}",
                f"invalid parameter: {error['msg']}",
            )
            for error in exc.errors()
        ]
    code = getattr(parsed, "questionnaire", None)
    if code is None:
        return []
    spec = questionnaire_specs().get(code)
    if spec is None:
        return [
            (
                ("questionnaire",),
                f"không có bảng hỏi mã {code}",
                f"no questionnaire with code {code}",
            )
        ]
    asked = {field.code for field in spec.fields}
    named = list(_questions(getattr(parsed, "condition", [])))
    if isinstance(parsed, ReductionParams):
        named += [
            (("phase", "question"), parsed.phase.question),
            (("amount",), parsed.amount),
            (("total",), parsed.total),
        ]
    return [
        (
            path,
            f"bảng hỏi {code} không có câu hỏi {question}",
            f"questionnaire {code} has no question {question}",
        )
        for path, question in named
        if question not in asked
    ]


DIVIDES_BY: dict[str, str] = {
    "registry": gettext_lazy("tổng số đối tượng trong sổ"),
    "observed": gettext_lazy("số đối tượng đã khảo sát"),
}


def divides_by(method: dict | None) -> Denominator | None:
    """What a share indicator divides by (`registry` or `observed`), None for another
    method: pages, the API and the report show it beside the value and its coverage."""
    if not method or method.get("kind") != "share":
        return None
    denominator = (method.get("params") or {}).get("denominator", "observed")
    return denominator if denominator in DIVIDES_BY else None


def method_params(method: dict | None) -> AnyParams | None:
    """The typed params of an indicator's method, or None if it has no method."""
    if not method:
        return None
    return PARAMS[method["kind"]].model_validate(method.get("params") or {})
