"""The plan file's shape. This model is the single definition: validation, the normalized
JSON (`scpvn plan validate --json`), the export and `docs/plan-schema.json` all come from it.
Rules that span several places (codes that must exist, windows inside the period) are in
`planfile.check_references`."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError


def _quantity(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError("number_type", "must be a number")
    if value < 0:
        raise PydanticCustomError("negative_number", "must not be negative")
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value


# A count or a measure: a YAML/JSON number ≥ 0. Strings such as "30" are refused rather than
# coerced, because a quoted number in a plan file is almost always a typing mistake.
Quantity = Annotated[
    int | float,
    PlainValidator(_quantity),
    PlainSerializer(lambda v: v, return_type=int | float),
    WithJsonSchema({"type": "number", "minimum": 0}),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
YearMonth = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
IndicatorCode = Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)*$")]
AgencyKind = Literal[
    "department", "district", "commune", "city", "ministry", "media", "enterprise", "other"
]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Frequency = Literal["monthly", "quarterly", "semiannual", "annual", "on_request"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class DateRange(Strict):
    """A first and last day (a plan's whole span), not a coded period of core.periods."""

    start: dt.date
    end: dt.date


class DocumentRef(Strict):
    code: Text
    date: dt.date | None = None
    issuer: Text | None = None
    title: Text | None = None


class Signer(Strict):
    authority: Text
    capacity: Text | None = None
    position: Text
    name: Text


class Funding(Strict):
    text: Text
    decision: DocumentRef | None = None
    notes: list[Text] = []


class AgencyEntry(Strict):
    code: Code
    name: Text = Field(description="the name as this plan writes it, kept with this plan")
    kind: AgencyKind
    replaces: list[Code] = Field(
        [],
        description="codes of agencies this one took over (a merger); they need not be in "
        "this file, an earlier plan may name them",
    )


class Source(Strict):
    url: Text
    note: Text | None = None


class Objective(Strict):
    number: Annotated[int, Field(strict=True, gt=0)]
    text: Text


class Method(Strict):
    kind: Literal["share", "reduction", "facility_count", "manual"] = Field(
        description="share: share of subjects meeting a condition; reduction: fall against a "
        "baseline; facility_count: number of facilities whose latest answers meet a condition; "
        "manual: entered by hand with its source document"
    )
    description: Text
    params: dict[str, Any] = {}


class Indicator(Strict):
    code: IndicatorCode
    name: Text
    scope: Literal["city", "province", "national"]
    unit: Text | None = None
    target: Quantity | None = None
    target_min: Quantity | None = Field(None, description="lower end of a target range")
    target_max: Quantity | None = Field(None, description="upper end of a target range")
    baseline: Quantity | None = None
    direction: Literal["increase", "decrease", "maintain"] | None = None
    deadline: dt.date | None = None
    method: Method | None = None
    lead: Code | None = None
    lead_source: Text | None = Field(
        None,
        description="where the plan's text names the lead (its words), or that it names none",
    )
    level: Literal["province", "district", "commune"] | None = Field(
        None, description="the administrative level the target is counted at"
    )
    series: Slug | None = Field(
        None, description="the same measure in other plans carries the same series slug"
    )


class Group(Strict):
    number: Annotated[int, Field(strict=True, gt=0)]
    name: Text


class Deliverable(Strict):
    code: Code
    name: Text
    unit: Text
    target: Quantity | None
    note: Text | None = None


class Task(Strict):
    number: Annotated[int, Field(strict=True, gt=0)]
    group: Annotated[int, Field(strict=True, gt=0)]
    title: Text
    content: Text
    lead: Code
    partners: list[Code] = []
    partners_note: Text | None = None
    start: YearMonth
    end: YearMonth
    window_text: Text | None = None
    targets_text: Text | None = None
    deliverables: list[Deliverable] = []


class Duty(Strict):
    agency: Code
    text: Text
    truncated: bool = Field(False, description="the source document is cut off inside this text")


class BudgetLine(Strict):
    task: Annotated[int, Field(strict=True, gt=0)] | None = Field(
        None, description="the task's number; none for money given to the plan as a whole"
    )
    agency: Code = Field(description="the agency that spends it")
    source: Literal["city", "agency", "socialised", "other"]
    decision: Text | None = Field(None, description="the decision that gives it")
    amount: Annotated[int, Field(ge=0)] = Field(description="in đồng")


class Reporting(Strict):
    code: Code
    what: Text
    frequency: Frequency
    due: Text | None = None
    by: Code | None = Field(None, description="the agency that reports; null: every agency")
    to: list[Code] = []


class PlanDocument(Strict):
    """An action plan as issued: identity, indicators, tasks and who does what."""

    code: Code | None = Field(
        description="số, ký hiệu; numbers restart each year. null only when the number "
        "could not be found (then complete: false and an explicit slug)"
    )
    slug: Slug | None = Field(
        None,
        description="the plan's name in commands and addresses; default from place, "
        "number and year",
    )
    title: Text
    issuer: Text
    place: Text | None = None
    issued: dt.date | None = Field(
        description="ngày ban hành; null only when it could not be found (complete: false)"
    )
    period: DateRange
    implements: DocumentRef | None = Field(
        None, description="the plan or programme this plan carries out"
    )
    sources: list[Source] = []
    complete: bool = Field(
        True, description="false: the text could not be found whole; `missing` says what lacks"
    )
    missing: list[Text] = []
    signer: Signer | None = None
    legal_basis: list[DocumentRef] = []
    funding: Funding | None = None
    agencies: Annotated[list[AgencyEntry], Field(min_length=1)]
    objectives: list[Objective] = []
    indicators: list[Indicator] = []
    groups: list[Group] = []
    tasks: list[Task] = []
    duties: list[Duty] = []
    budget: list[BudgetLine] = []
    reporting: list[Reporting] = []
    recipients: list[Text] = []
    closing: Text | None = None

    @model_validator(mode="after")
    def _canonical_agency_order(self) -> "PlanDocument":
        """Partner and recipient lists follow the order of `agencies`, so the normalized
        document and a database export (where these are sets) are the same text."""
        rank = {a.code: i for i, a in enumerate(self.agencies)}
        for task in self.tasks:
            task.partners = sorted(task.partners, key=lambda c: rank.get(c, len(rank)))
        for rep in self.reporting:
            rep.to = sorted(rep.to, key=lambda c: rank.get(c, len(rank)))
        if self.slug is None and self.code is not None:
            year = (self.issued or self.period.start).year
            self.slug = plan_slug(self.place or self.issuer, self.code, year)
        return self


def plan_slug(place: str, code: str, year: int) -> str:
    """`Hà Nội`, `96/KH-UBND`, 2020 → `ha-noi-96-kh-ubnd-2020`: unique as long as a place
    does not issue the same number twice in a year."""
    from django.utils.text import slugify

    text = f"{place} {code.replace('/', ' ')} {year}".replace("Đ", "D").replace("đ", "d")
    return slugify(text)


def json_schema() -> dict:
    schema = PlanDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://scpvn.local/schemas/plan.json"
    return schema
