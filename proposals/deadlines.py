"""The terms that run from a Commission document's arrival: the one place their rules live. Pure functions.

The BNC-fiche: six weeks after the Commission document is received, three weeks when parliament marked the
proposal as a priority. Recess counts, except four weeks in August (1 to 28 August), which are added to the
term for every day of them it covers.

Parliament's subsidiarity window (Protocol No 2 on the application of the principles of subsidiarity and
proportionality, Article 6): a national parliament may send a reasoned opinion within eight weeks of the
transmission of a draft legislative act. In the Commission's practice the month of August is not counted
(1 to 31 August: the whole month, unlike the fiche's four weeks). fichetracker takes the date the Commission
document was received (``CommissionDocument.received_on``) as the transmission date: the Commission sends a
proposal to the national parliaments and to the governments on the same day.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

STANDARD_TERM = datetime.timedelta(weeks=6)
PRIORITY_TERM = datetime.timedelta(weeks=3)
AUGUST_PAUSE_DAYS = 28

SUBSIDIARITY_WINDOW = datetime.timedelta(weeks=8)
SUBSIDIARITY_AUGUST_DAYS = 31


def _paused_days(start, end, last_august_day=AUGUST_PAUSE_DAYS):
    """Days in (start, end] that fall in August from the 1st up to ``last_august_day``."""
    total = 0
    for year in range(start.year, end.year + 1):
        pause_start = datetime.date(year, 8, 1)
        pause_end = datetime.date(year, 8, last_august_day)
        first = max(pause_start, start + datetime.timedelta(days=1))
        last = min(pause_end, end)
        if first <= last:
            total += (last - first).days + 1
    return total


def _term_end(start, term, last_august_day):
    """``start`` plus ``term``, with every paused August day inside the term added to it."""
    end = start + term
    # Extending the term can push it into (more of) August: repeat until it is stable.
    while True:
        extended = start + term + datetime.timedelta(days=_paused_days(start, end, last_august_day))
        if extended == end:
            return end
        end = extended


@lru_cache(maxsize=16384)
def fiche_deadline(received_on, *, priority=False):
    """The date by which the fiche on a document received on ``received_on`` is due.

    Cached per process: a date's deadline never changes, and the API, the exports and the statistics ask it
    for every fiche they write out (a few thousand distinct dates over the years; bounded all the same)."""
    return _term_end(received_on, PRIORITY_TERM if priority else STANDARD_TERM, AUGUST_PAUSE_DAYS)


def exact_fiche_deadline(received_on, month_only=False):
    """A fiche's deadline (``Fiche.deadline``): None without an exact date of receipt (none, or only its month)."""
    return fiche_deadline(received_on) if received_on and not month_only else None


def is_on_time(received_on, sent_on, *, priority=False):
    return sent_on <= fiche_deadline(received_on, priority=priority)


def subsidiarity_window_end(transmitted_on):
    """The last day on which a national parliament may send a reasoned opinion on a draft legislative act
    transmitted on ``transmitted_on``: eight weeks, August not counted."""
    return _term_end(transmitted_on, SUBSIDIARITY_WINDOW, SUBSIDIARITY_AUGUST_DAYS)


def subsidiarity_days_left(transmitted_on, on):
    """Days of the window still to run after ``on`` (August days are no days of the window, so at most 56).

    Negative once the window has closed: then minus the calendar days since its last day.
    """
    end = subsidiarity_window_end(transmitted_on)
    if on > end:
        return -(on - end).days
    start = max(on, transmitted_on)
    return (end - start).days - _paused_days(start, end, SUBSIDIARITY_AUGUST_DAYS)


@dataclass(frozen=True)
class SubsidiarityWindow:
    """Parliament's eight weeks for a reasoned opinion on one legislative proposal."""

    transmitted_on: datetime.date

    @property
    def end(self):
        return subsidiarity_window_end(self.transmitted_on)

    def days_left(self, on):
        return subsidiarity_days_left(self.transmitted_on, on)

    def is_open(self, on):
        return self.transmitted_on <= on <= self.end
