"""Numbers written for pages many at a time.

`floatformat` reads the language's separators and grouping again for every number, and a
province's indicator page writes hundreds (126 rows of four figures, 126 map cells): about
half of that page's time (issue #12). `up_to_two_decimals` reads them once and writes what
`floatformat(x, "-2")` writes, character for character (tested against it).
"""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils import numberformat
from django.utils.formats import get_format

CENT = Decimal("0.01")
# larger than any figure a plan holds; beyond it `floatformat`'s own precision rules apply
LARGEST = Decimal(10) ** 20


def up_to_two_decimals() -> Callable[[Any], str]:
    """A writer of numbers as `floatformat(x, "-2")` in the active language: a whole number
    without decimals, any other rounded half up to two; grouped as the language groups."""
    decimal_sep = get_format("DECIMAL_SEPARATOR")
    thousand_sep = get_format("THOUSAND_SEPARATOR")
    grouping = get_format("NUMBER_GROUPING")

    def write(x: Any) -> str:
        try:
            d = x if isinstance(x, Decimal) else Decimal(str(x))
        except InvalidOperation:
            return floatformat(x, "-2")
        if not d.is_finite() or abs(d) >= LARGEST:
            return floatformat(x, "-2")
        if d == d.to_integral_value():
            text, places = str(int(d)), 0
        else:
            rounded = d.quantize(CENT, ROUND_HALF_UP)
            # a negative amount rounded to zero is written without its sign, as floatformat does
            text, places = f"{rounded if rounded else abs(rounded):f}", 2
        return numberformat.format(text, decimal_sep, places, grouping, thousand_sep, use_l10n=True)

    return write
