"""`up_to_two_decimals` writes what `floatformat(x, "-2")` writes, in each language."""

import random
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from scpvn.core.numbers import up_to_two_decimals


def _values() -> list:
    rng = random.Random(7)
    values: list = [0, 1, -1, 10, 999, 1000, 1234567, Decimal("0.005"), Decimal("-0.004"),
                    Decimal("-0.005"), Decimal("12.345"), Decimal("12.5"), Decimal("100.00"),
                    Decimal("1E+3"), Decimal("0E-10"), Decimal("99999999.995"), 2.675, 0.1 + 0.2,
                    Decimal("1E+25"), Decimal("NaN"), float("inf"), "abc", "12.3"]  # fmt: skip
    for _ in range(2000):
        digits = rng.choice([0, 1, 2, 3, 4, 6])
        whole = rng.choice([0, 1, 9, 99, 999, 1000, 123456, 10**9])
        value = Decimal(rng.randint(-whole * 10**digits, whole * 10**digits)).scaleb(-digits)
        values.append(value)
        values.append(float(value))
    return values


@pytest.mark.parametrize("language", ["vi", "en"])
def test_writes_what_floatformat_writes(language):
    with translation.override(language):
        write = up_to_two_decimals()
        for value in _values():
            assert write(value) == floatformat(value, "-2"), (language, value)
