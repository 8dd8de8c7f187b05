"""Table cells are templates: values are escaped, markup written in the column is not."""

from types import SimpleNamespace

from scpvn.core.tables import Column, Table


class NameTable(Table):
    empty = "—"
    columns = (
        Column("Tên", "<b>{{ row.name }}</b>"),
        Column("Số", '{{ row.n|floatformat:"-2g" }}', css="text-end"),
    )


def test_cells_escape_values_and_keep_the_columns_markup():
    rows = list(NameTable([SimpleNamespace(name="<script>x</script>", n=1234.5)]).rows())
    (name_css, name), (n_css, n) = rows[0]
    assert name == "<b>&lt;script&gt;x&lt;/script&gt;</b>"
    assert (name_css, n_css) == ("", "text-end") and n.strip()
