from scpvn.core.tests.matrix import STAFF, Rule


def indicator(w) -> dict:
    return {"pk": w.plan.indicators.get(code="4.1").pk}


def manual_indicator(w) -> dict:
    from scpvn.plans.models import Indicator

    national, _ = Indicator.objects.get_or_create(
        plan=w.plan,
        code="5.1",
        defaults={
            "name": "Tỷ lệ đóng góp của công nghiệp xanh trong GDP",
            "scope": "national",
            "unit": "%",
            "method": {"kind": "manual", "description": "nhập tay", "params": {}},
        },
    )
    return {"pk": national.pk}


def value(w) -> dict:
    import datetime as dt

    from scpvn.indicators.models import IndicatorValue

    stored = IndicatorValue.objects.create(
        indicator=w.plan.indicators.get(code="4.1"),
        period="2020",
        period_kind="year",
        start=dt.date(2020, 1, 1),
        end=dt.date(2020, 12, 31),
        source="computed",
    )
    return {"pk": stored.pk}


RULES = {
    "indicators:dashboard": Rule(get=STAFF),
    "indicators:detail": Rule(get=STAFF, kwargs=indicator),
    "indicators:provenance": Rule(
        get=STAFF, kwargs=lambda w: {**indicator(w), "period": "2020", "unit": "city"}
    ),
    "indicators:manual": Rule(get=STAFF, kwargs=manual_indicator),
    "indicators:source_document": Rule(
        get=STAFF,
        skip="serves an uploaded source document; its access is tested in indicators/tests",
    ),
    "indicator-value-list": Rule(get=STAFF),
    "indicator-value-detail": Rule(get=STAFF, kwargs=value),
}
