"""Small table classes: a table is a list of columns, each a header and a one-line cell
template (`row` is the object), rendered by `core/_table.html`. Pages stay short and a
column is reviewed on one line instead of inside a 300-character `<tr>`."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
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
