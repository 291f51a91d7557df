"""Template filters for the account pages: durations in words (the lockout page's "30 minuten", not "0:30:00")."""

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration_in_words(value):
    """A timedelta in whole hours or minutes, in the active language."""
    if value is None or not hasattr(value, "total_seconds"):
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d uur", "%(count)d uur", hours) % {"count": hours}
    return ngettext("%(count)d minuut", "%(count)d minuten", minutes) % {"count": minutes}
