"""Table cells are templates: values are escaped, markup written in the column is not."""

from types import SimpleNamespace

from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from scpvn.core.tables import Column, Table, html_rows


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


def test_html_rows_escape_as_format_html_join_does():
    fmt = '<tr data-x="{}"><td>{}</td><td>{}</td><td>{}</td></tr>'
    rows = [
        ('a"b', "<script>alert('x')</script> & Đống Đa", mark_safe("<i>1,5</i>"), 126),
        ("", "Phường Ba Đình", 2.5, 0),
    ]
    built = html_rows(fmt, rows)
    assert built == format_html_join("\n", fmt, rows)
    assert "<script>" not in built and "&lt;script&gt;" in built and "<i>1,5</i>" in built
    assert 'data-x="a&quot;b"' in built
    assert hasattr(built, "__html__")  # safe: a template prints it as it is
