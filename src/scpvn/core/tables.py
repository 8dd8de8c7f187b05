"""Small table classes: a table is a list of columns, each a header and a one-line cell
template (`row` is the object), rendered by `core/_table.html`. Pages stay short and a
column is reviewed on one line instead of inside a 300-character `<tr>`."""

import html
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.template import Context, Template
from django.utils.safestring import SafeData, SafeString, mark_safe


@dataclass(frozen=True)
class Column:
    """A header and the template of its cell (`row` is the row's object); `css` classes go on
    both the header and the cells (e.g. `text-end` for numbers)."""

    header: str
    cell: str
    css: str = ""
    template: Template = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "template", Template("{% load i18n l10n %}" + self.cell))

    def render(self, row: Any) -> SafeString:
        return self.template.render(Context({"row": row}))


class Table:
    """Subclasses set `columns` and `empty` (the sentence shown when there is no row)."""

    columns: ClassVar[Sequence[Column]] = ()
    empty: ClassVar[str] = ""
    css: ClassVar[str] = "table-sm"

    def __init__(self, rows: Iterable[Any]) -> None:
        self.objects = rows

    def rows(self) -> Iterator[list[tuple[str, SafeString]]]:
        for row in self.objects:
            yield [(column.css, column.render(row)) for column in self.columns]


def _escaped(value: Any) -> Any:
    """`conditional_escape` without its lazy-string wrapper: safe strings and numbers as they
    are, anything else through `html.escape` (which Django's `escape` calls too)."""
    if isinstance(value, SafeData | int | float):
        return value
    return html.escape(str(value))


def html_rows(fmt: str, rows: Iterable[Sequence[Any]], sep: str = "\n") -> SafeString:
    """`format_html_join(sep, fmt, rows)`, for pages of a hundred rows or more (a province's
    126 communes and wards): each argument escaped the same way, at a tenth of the cost, where
    template tags or `format_html_join` cost more than the rest of the page (issue #12)."""
    return mark_safe(sep.join(fmt.format(*map(_escaped, row)) for row in rows))
