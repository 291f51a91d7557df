"""The reminder run as a Django task, so a scheduler with a django.tasks backend can enqueue it
(``send_reminders_task.enqueue()``); cron runs ``manage.py send_reminders`` instead. Both call the same
function, and the ReminderLog keeps either from sending anything twice."""

import datetime

from django.tasks import task

from .reminders import send_reminders


@task
def send_reminders_task(on=None):
    """``on``: ISO date (YYYY-MM-DD) to run for, today when omitted. Returns the counts (JSON-serialisable)."""
    today = datetime.date.fromisoformat(on) if on else None
    return send_reminders(today=today).as_dict()
