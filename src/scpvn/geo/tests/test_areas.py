"""Where a record is: one rule for every page, report and value (`geo.areas.area_name`)."""

from types import SimpleNamespace

from django.template import Context, Template

from scpvn.geo.areas import area_name
from scpvn.geo.models import District, Unit

WARD = Unit(name="Phường Hoàn Kiếm")
DISTRICT = District(name="Quận Hoàn Kiếm", short_name="Hoàn Kiếm")


def test_a_record_made_since_the_reform_is_named_by_its_ward_even_beside_a_district():
    record = SimpleNamespace(unit=WARD, district=DISTRICT)
    assert area_name(record) == "Phường Hoàn Kiếm"
    assert area_name(record, short=True) == "Phường Hoàn Kiếm"


def test_an_older_record_is_named_by_its_district_in_full_or_short():
    record = SimpleNamespace(unit=None, district=DISTRICT)
    assert area_name(record) == "Quận Hoàn Kiếm"
    assert area_name(record, short=True) == "Hoàn Kiếm"


def test_a_record_placed_nowhere_or_without_the_fields_is_named_by_nothing():
    assert area_name(SimpleNamespace(unit=None, district=None)) == ""
    assert area_name(object()) == ""


def test_the_template_filter_writes_the_same_escaped():
    template = Template(
        '{% load areas %}{{ a|area }}|{{ b|area:"short" }}|{{ c|area|default:"—" }}'
    )
    html = template.render(
        Context(
            {
                "a": SimpleNamespace(unit=Unit(name="Xã <Sóc Sơn>"), district=None),
                "b": SimpleNamespace(unit=None, district=DISTRICT),
                "c": SimpleNamespace(unit=None, district=None),
            }
        )
    )
    assert html == "Xã &lt;Sóc Sơn&gt;|Hoàn Kiếm|—"
