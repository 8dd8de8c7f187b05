"""Text comes in composed (Unicode NFC).

Vietnamese can be typed precomposed ("ế") or decomposed ("e" + two combining marks, what
some keyboards and macOS file names produce). Both look the same, but a name stored
decomposed is not found by a search typed composed. One middleware normalises every form
field, query-string value and JSON body on the way in, so models, searches and exports only
ever see NFC.
"""

import io
import json
import unicodedata
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict

from scpvn.core.jsonlimits import is_json

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfc_query(data: QueryDict) -> QueryDict:
    """A copy of `data` with every value in NFC (unchanged and not copied when already so)."""
    if all(unicodedata.is_normalized("NFC", v) for values in data.lists() for v in values[1]):
        return data
    normalised = QueryDict(mutable=True)
    for key, values in data.lists():
        normalised.setlist(nfc(key), [nfc(v) for v in values])
    normalised._mutable = False
    return normalised


class NormalizeTextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = nfc_query(request.GET)
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in FORM_TYPES:
            request.POST = nfc_query(request.POST)
        elif request.method in ("POST", "PUT", "PATCH") and is_json(content_type):
            nfc_json_body(request)
        return self.get_response(request)


def nfc_json_body(request: HttpRequest) -> None:
    """Compose every string of a JSON body (escaped `\\u0301` included); the view and DRF's
    parser then read the composed document. The body is already bounded in size and depth
    (`core.jsonlimits` runs first); one that does not parse is left for the parser to refuse."""
    try:
        document = json.loads(request.body)
    except (ValueError, RecursionError):
        return
    composed = _compose(document)
    if composed == document:
        return
    request._body = json.dumps(composed, ensure_ascii=False).encode("utf-8")
    request._stream = io.BytesIO(request._body)


def _compose(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_compose(v) for v in value]
    if isinstance(value, dict):
        return {nfc(k): _compose(v) for k, v in value.items()}
    return value
