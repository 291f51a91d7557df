from decimal import Decimal

import pytest

from followup import formatting


class DutchNotationTests:
    @pytest.mark.parametrize(
        ("amount", "expected"),
        [(Decimal("75000000.00"), "EUR 75.000.000"), (Decimal("1234.50"), "EUR 1.234,50"), (Decimal("0"), "EUR 0"),
         (Decimal("999.999"), "EUR 1.000"), (Decimal("-2500"), "EUR -2.500"), (None, "")],
    )
    def test_amounts_in_euros(self, amount, expected):
        assert formatting.euro(amount) == expected

    @pytest.mark.parametrize(
        ("amount", "expected"),
        [(Decimal("75000000"), "75 miljoen"), (Decimal("2500000"), "2,5 miljoen"), (Decimal("1500000000"), "1,5 miljard"),
         (Decimal("250000"), "250.000"), (Decimal("1250000.50"), "1,25 miljoen")],
    )
    def test_amounts_in_words(self, amount, expected):
        assert formatting.euro_words(amount) == expected

    def test_rates(self):
        assert formatting.percentage_range(Decimal("50.00"), Decimal("75.00")) == "50–75%"
        assert formatting.percentage_range(Decimal("60.00"), None) == "60%"
        assert formatting.percentage_range(None, None) == ""
        assert formatting.percentage(Decimal("62.50")) == "62,5%"
