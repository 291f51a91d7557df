"""The alerts run as a Django task, so a scheduler with a django.tasks backend can enqueue it
(``send_alerts_task.enqueue()``); cron runs ``manage.py send_alerts`` instead. Both call the same
function, and the record of sent items keeps either from sending anything twice."""

from django.tasks import task

from .sending import send_alerts


@task
def send_alerts_task():
    """Returns the counts of the run (JSON-serialisable)."""
    return send_alerts().as_dict()
