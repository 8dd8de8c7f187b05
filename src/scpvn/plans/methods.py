"""Indicator methods as the plan file names them, checked at the door.

The plan file only says `method: {kind, params}`; what the params mean belongs to the app
that computes the indicator. That app registers a checker per kind (`register_method`, from
its AppConfig.ready), and `scpvn plan validate` reports every problem it finds as
`file:line: path: reason` without the plans floor importing the engine.
"""

from collections.abc import Callable

# A problem inside `params`: the path below it, the reason in Vietnamese and in English.
ParamProblem = tuple[tuple[str | int, ...], str, str]
MethodCheck = Callable[[dict], list[ParamProblem]]

_CHECKS: dict[str, MethodCheck] = {}


def register_method(kind: str, check: MethodCheck) -> None:
    _CHECKS[kind] = check


def check_method_params(kind: str, params: dict) -> list[ParamProblem]:
    """The problems of `params` for a method of `kind` (none when no app checks it)."""
    check = _CHECKS.get(kind)
    return check(params) if check else []
