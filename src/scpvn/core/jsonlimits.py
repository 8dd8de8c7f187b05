"""Bounds on every JSON request body, before any view or parser reads it.

`[[[[…]]]]` a few hundred thousand levels deep made `/epcis/capture` answer 500 (Python's
decoder recursed until `RecursionError`), and a body of any size was read whole. This
middleware answers every request with a JSON media type (`application/json`,
`application/ld+json`, `…+json`) that is larger than SCPVN_JSON_MAX_BYTES with 413, and one
nested deeper than SCPVN_JSON_MAX_DEPTH with 400, both as problem+json with a stable `code`.
The depth is found by a scan that skips strings and stops at the limit, so it costs little.
"""

import json
import math
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from scpvn.core.problems import problem

# a JSON string (with escapes) or one bracket
TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
OPENERS = frozenset(b"[{")


def is_json(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is beyond what a JSON number can hold")
    return number


def read_json(raw: bytes | str) -> Any:
    """A request body as JSON (RFC 8259) has it: Python's reader also takes NaN and
    Infinity, and reads 1e400 as infinity, which no JSON column stores (PostgreSQL refused
    them with a 500). ValueError for those, as for any body that does not parse."""
    return json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite)


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """True as soon as `body` nests arrays/objects more than `limit` deep."""
    depth = 0
    for match in TOKENS.finditer(body):
        token = match.group()
        if token[0] in OPENERS:
            depth += 1
            if depth > limit:
                return True
        elif token[0] != ord('"'):
            depth -= 1
    return False


class JSONLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("POST", "PUT", "PATCH") and is_json(request.content_type or ""):
            refusal = self.refuse(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def refuse(self, request: HttpRequest) -> HttpResponse | None:
        max_bytes = settings.SCPVN_JSON_MAX_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > max_bytes:
            return self.too_large(max_bytes)
        body = request.body  # cached: views and parsers read the same bytes
        if len(body) > max_bytes:
            return self.too_large(max_bytes)
        max_depth = settings.SCPVN_JSON_MAX_DEPTH
        if json_depth_exceeds(body, max_depth):
            return problem(
                400,
                f"Dữ liệu JSON lồng nhau quá {max_depth} cấp.",
                code="json_too_deep",
            )
        return None

    @staticmethod
    def too_large(limit: int) -> HttpResponse:
        return problem(413, f"Dữ liệu JSON lớn hơn {limit} byte.", code="json_too_large")
