"""The fiche deadline rule (six weeks, three for a priority, August paused) with real dates."""

import datetime

from proposals.deadlines import fiche_deadline


class DeadlineRuleTests:
    def test_six_weeks_after_receipt(self):
        assert fiche_deadline(datetime.date(2024, 1, 24)) == datetime.date(2024, 3, 6)

    def test_three_weeks_for_a_parliamentary_priority(self):
        assert fiche_deadline(datetime.date(2024, 1, 24), priority=True) == datetime.date(2024, 2, 14)

    def test_a_july_receipt_skips_the_four_weeks_of_august(self):
        # 1 July + 6 weeks = 12 August; 12 of the paused days fall before that, the rest follow: 9 September.
        assert fiche_deadline(datetime.date(2024, 7, 1)) == datetime.date(2024, 9, 9)
        assert fiche_deadline(datetime.date(2025, 7, 20)) == datetime.date(2025, 9, 28)

    def test_a_receipt_inside_august_starts_counting_after_the_pause(self):
        assert fiche_deadline(datetime.date(2024, 8, 10)) == datetime.date(2024, 10, 9)

    def test_a_receipt_after_the_pause_is_plain_six_weeks(self):
        assert fiche_deadline(datetime.date(2024, 9, 2)) == datetime.date(2024, 10, 14)
