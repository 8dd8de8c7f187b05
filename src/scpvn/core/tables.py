"""Small table classes: a table is a list of columns, each a header and a one-line cell
template (`row` is the object), rendered by `core/_table.html`. Pages stay short and a
column is reviewed on one line instead of inside a 300-character `<tr>`."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.template import Context, Template
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Column:
    """A header and the template of its cell (`row` is the row's object); `css` classes go on
    both the header and the cells (e.g. `text-end` for numbers)."""

    header: str
    cell: str
    css: str = ""


class Table:
    """Subclasses set `columns` and `empty` (the sentence shown when there is no row).

    The cells of every column are compiled into one template for the table's rows, rendered
    once per page: a template per cell, rendered in a context of its own, made rendering the
    cells most of a 50-row list page's time."""

    columns: ClassVar[Sequence[Column]] = ()
    empty: ClassVar[str] = ""
    css: ClassVar[str] = "table-sm"

    def __init__(self, rows: Iterable[Any]) -> None:
        self.objects = rows

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cells = "".join(f'<td class="{column.css}">{column.cell}</td>' for column in cls.columns)
        cls._rows_template = Template(
            "{% load i18n l10n %}{% for row in rows %}<tr>" + cells + "</tr>{% endfor %}"
        )

    def rows(self) -> SafeString:
        """The body's `<tr>`s, one per row ("" when there is none)."""
        return self._rows_template.render(Context({"rows": self.objects}))
