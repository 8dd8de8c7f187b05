"""Small table classes: a table is a list of columns, each a header and a one-line cell
template (`row` is the object), rendered by `core/_table.html`. Pages stay short and a
column is reviewed on one line instead of inside a 300-character `<tr>`."""

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.template import Context, Template
from django.utils.safestring import SafeData, SafeString, mark_safe


@dataclass(frozen=True)
class Column:
    """A header and the template of its cell (`row` is the row's object); `css` classes go on
    both the header and the cells (e.g. `text-end` for numbers). A table that builds its rows
    in Python (overriding `Table.rows`) gives its columns' headers only."""

    header: str
    cell: str = ""
    css: str = ""


class Table:
    """Subclasses set `columns` and `empty` (the sentence shown when there is no row).

    The cells of every column are compiled into one template for the table's rows, rendered
    once per page: a template per cell, rendered in a context of its own, made rendering the
    cells most of a 50-row list page's time."""

    columns: ClassVar[Sequence[Column]] = ()
    empty: ClassVar[str] = ""
    css: ClassVar[str] = "table-sm"
    # template tag libraries the cells use beside i18n and l10n (e.g. "areas")
    libraries: ClassVar[Sequence[str]] = ()

    def __init__(self, rows: Iterable[Any]) -> None:
        self.objects = rows

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cells = "".join(f'<td class="{column.css}">{column.cell}</td>' for column in cls.columns)
        cls._rows_template = Template(
            f"{{% load i18n l10n {' '.join(cls.libraries)} %}}{{% for row in rows %}}<tr>"
            + cells
            + "</tr>{% endfor %}"
        )

    def rows(self) -> SafeString:
        """The body's `<tr>`s, one per row ("" when there is none)."""
        return self._rows_template.render(Context({"rows": self.objects}))


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
