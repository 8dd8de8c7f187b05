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
    rows = NameTable([SimpleNamespace(name="<script>x</script>", n=1234.5)]).rows()
    assert rows.startswith('<tr><td class=""><b>&lt;script&gt;x&lt;/script&gt;</b></td>')
    assert '</b></td><td class="text-end">1' in rows and rows.endswith("</td></tr>")


def test_one_row_per_object_and_none_without_objects():
    rows = NameTable([SimpleNamespace(name=str(i), n=i) for i in range(3)]).rows()
    assert rows.count("<tr>") == 3
    assert NameTable([]).rows() == ""
