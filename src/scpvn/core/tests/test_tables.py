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
    rows = list(NameTable([SimpleNamespace(name="<script>x</script>", n=1234.5)]).rows())
    (name_css, name), (n_css, n) = rows[0]
    assert name == "<b>&lt;script&gt;x&lt;/script&gt;</b>"
    assert (name_css, n_css) == ("", "text-end") and n.strip()


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
