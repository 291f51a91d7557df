"""The term within which a BNC-fiche must reach parliament: the one place the rule lives.

Six weeks after the Commission document is received, three weeks when parliament marked the
proposal as a priority. Recess counts, except four weeks in August (1 to 28 August), which are
added to the term for every day of them it covers.
"""

import datetime

STANDARD_TERM = datetime.timedelta(weeks=6)
PRIORITY_TERM = datetime.timedelta(weeks=3)
AUGUST_PAUSE_DAYS = 28


def _paused_days(start, end):
    """Days in (start, end] that fall in a four-week August pause."""
    total = 0
    for year in range(start.year, end.year + 1):
        pause_start = datetime.date(year, 8, 1)
        pause_end = datetime.date(year, 8, AUGUST_PAUSE_DAYS)
        first = max(pause_start, start + datetime.timedelta(days=1))
        last = min(pause_end, end)
        if first <= last:
            total += (last - first).days + 1
    return total


def fiche_deadline(received_on, *, priority=False):
    """The date by which the fiche on a document received on ``received_on`` is due."""
    term = PRIORITY_TERM if priority else STANDARD_TERM
    deadline = received_on + term
    # Extending the term can push it into (more of) August: repeat until it is stable.
    while True:
        extended = received_on + term + datetime.timedelta(days=_paused_days(received_on, deadline))
        if extended == deadline:
            return deadline
        deadline = extended


def is_on_time(received_on, sent_on, *, priority=False):
    return sent_on <= fiche_deadline(received_on, priority=priority)
