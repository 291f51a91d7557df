"""The fiche deadline rule (six weeks, three for a priority, August paused) with real dates."""

import datetime

from proposals.deadlines import (
    SubsidiarityWindow,
    exact_fiche_deadline,
    fiche_deadline,
    is_on_time,
    subsidiarity_days_left,
    subsidiarity_window_end,
)


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

    def test_a_fiche_has_a_deadline_only_with_an_exact_date_of_receipt(self):
        received = datetime.date(2024, 7, 1)
        assert exact_fiche_deadline(received) == exact_fiche_deadline(received, False) == fiche_deadline(received) == datetime.date(2024, 9, 9)
        assert exact_fiche_deadline(received, True) is None  # only the month is known
        assert exact_fiche_deadline(None) is None and exact_fiche_deadline(None, True) is None
        assert is_on_time(received, datetime.date(2024, 9, 9)) and not is_on_time(received, datetime.date(2024, 9, 10))

    def test_each_date_is_worked_out_once(self):
        fiche_deadline.cache_clear()
        dates = [datetime.date(2023, 7, 1) + datetime.timedelta(days=n) for n in range(60)]
        first = [exact_fiche_deadline(date) for date in dates]
        assert [exact_fiche_deadline(date) for date in dates] == first
        assert fiche_deadline(dates[0], priority=True) == datetime.date(2023, 7, 22)  # another key: a miss
        info = fiche_deadline.cache_info()
        assert (info.misses, info.hits) == (61, 60) and info.maxsize == 16384


class SubsidiarityWindowTests:
    """Parliament's eight weeks for a reasoned opinion (Protocol No 2), August not counted (the Commission's practice)."""

    def test_eight_weeks_after_transmission_outside_august(self):
        # COM(2024) 28 reached parliament on 24 January 2024.
        assert subsidiarity_window_end(datetime.date(2024, 1, 24)) == datetime.date(2024, 3, 20)
        assert subsidiarity_window_end(datetime.date(2024, 9, 2)) == datetime.date(2024, 10, 28)

    def test_a_july_transmission_skips_the_whole_of_august(self):
        # 10 July + 8 weeks = 4 September; the 31 days of August are added: 5 October.
        assert subsidiarity_window_end(datetime.date(2024, 7, 10)) == datetime.date(2024, 10, 5)
        # 20 June + 8 weeks = 15 August: 41 days in June and July, the other 15 from 1 September.
        assert subsidiarity_window_end(datetime.date(2024, 6, 20)) == datetime.date(2024, 9, 15)

    def test_a_transmission_in_or_just_before_august_starts_counting_on_1_september(self):
        assert subsidiarity_window_end(datetime.date(2024, 8, 15)) == datetime.date(2024, 10, 26)
        assert subsidiarity_window_end(datetime.date(2024, 7, 31)) == datetime.date(2024, 10, 26)

    def test_the_window_pauses_all_of_august_where_the_fiche_term_pauses_four_weeks(self):
        assert fiche_deadline(datetime.date(2024, 7, 10)) == datetime.date(2024, 9, 18)
        assert subsidiarity_window_end(datetime.date(2024, 7, 10)) == datetime.date(2024, 10, 5)

    def test_days_left_count_only_days_of_the_window(self):
        transmitted = datetime.date(2024, 7, 10)
        assert subsidiarity_days_left(transmitted, transmitted) == 56
        assert subsidiarity_days_left(transmitted, datetime.date(2024, 7, 31)) == 35
        assert subsidiarity_days_left(transmitted, datetime.date(2024, 8, 20)) == 35  # August is no day of the window
        assert subsidiarity_days_left(transmitted, datetime.date(2024, 9, 1)) == 34
        assert subsidiarity_days_left(transmitted, datetime.date(2024, 10, 5)) == 0

    def test_after_the_window_closed_days_left_is_minus_the_days_since(self):
        assert subsidiarity_days_left(datetime.date(2024, 7, 10), datetime.date(2024, 10, 8)) == -3

    def test_the_window_object_agrees_with_the_functions(self):
        window = SubsidiarityWindow(datetime.date(2024, 7, 10))
        assert window.end == datetime.date(2024, 10, 5)
        assert window.is_open(datetime.date(2024, 8, 20)) and not window.is_open(datetime.date(2024, 10, 6))
        assert window.days_left(datetime.date(2024, 9, 1)) == 34
