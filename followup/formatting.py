"""Dutch notation for amounts in euros, shared by the dashboard, the report and the CSV export.

Django's number localisation depends on the active language and on USE_THOUSAND_SEPARATOR; these
figures must read the same in a Dutch CSV and on an English page, so the notation is fixed here.
"""

from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")


def _group(integer_digits):
    """'75000000' -> '75.000.000'."""
    groups = []
    while len(integer_digits) > 3:
        groups.insert(0, integer_digits[-3:])
        integer_digits = integer_digits[:-3]
    groups.insert(0, integer_digits)
    return ".".join(groups)


def _to_decimal(amount):
    if amount is None:
        return None
    return amount if isinstance(amount, Decimal) else Decimal(str(amount))


def dutch_number(amount, decimals=None):
    """75000000 -> '75.000.000'; 1234.5 -> '1.234,50'. Cents only when there are any (or ``decimals`` asks)."""
    value = _to_decimal(amount)
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    value = abs(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    integer, _dot, cents = f"{value:f}".partition(".")
    if decimals is None:
        decimals = 0 if cents.strip("0") == "" else 2
    if decimals == 0:
        integer = str(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return f"{sign}{_group(integer)}"
    return f"{sign}{_group(integer)},{cents[:decimals].ljust(decimals, '0')}"


def euro(amount):
    """'EUR 75.000.000' (cents only when there are any); empty for None."""
    if amount is None:
        return ""
    return f"EUR {dutch_number(amount)}"


def _scaled(value, unit):
    scaled = (value / unit).quantize(_CENT, rounding=ROUND_HALF_UP).normalize()
    text = f"{scaled:f}"
    whole, _dot, fraction = text.partition(".")
    return f"{_group(whole)},{fraction}" if fraction else _group(whole)


def euro_words(amount):
    """'75 miljoen', '1,5 miljard', '250.000': how amounts are said in Dutch government texts."""
    value = _to_decimal(amount)
    if value is None:
        return ""
    magnitude = abs(value)
    if magnitude >= Decimal(10) ** 9:
        return f"{_scaled(value, Decimal(10) ** 9)} miljard"
    if magnitude >= Decimal(10) ** 6:
        return f"{_scaled(value, Decimal(10) ** 6)} miljoen"
    return dutch_number(value)


def percentage(value):
    """Decimal('50.00') -> '50%'; Decimal('62.50') -> '62,5%'."""
    value = _to_decimal(value)
    if value is None:
        return ""
    text = f"{value.quantize(_CENT, rounding=ROUND_HALF_UP).normalize():f}"
    return text.replace(".", ",") + "%"


def percentage_range(low, high):
    """'50–75%' for a range, '60%' for one value, '' when unknown."""
    if low is None and high is None:
        return ""
    if low is None or high is None or low == high:
        return percentage(low if high is None else high)
    return f"{percentage(low)[:-1]}–{percentage(high)}"
