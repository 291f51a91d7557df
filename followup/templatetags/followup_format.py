"""Template filters for the Dutch notation of amounts (see followup.formatting) and for naming ministries."""

from django import template
from django.utils.translation import gettext, ngettext

from followup import formatting
from followup.filters import short_ministry_label

register = template.Library()

register.filter("euro", formatting.euro)
register.filter("euro_words", formatting.euro_words)
register.filter("percentage", formatting.percentage)


@register.simple_tag
def rate_range(low, high):
    return formatting.percentage_range(low, high)


@register.filter
def ministry_period(ministry):
    """'EZK 2017–2024' for a ministry that no longer exists, its abbreviation otherwise: ministries of the same
    name (three times Economische Zaken) tell apart."""
    if ministry is None:
        return ""
    if ministry.valid_until and ministry.valid_from:
        return f"{ministry.abbreviation} {ministry.valid_from:%Y}–{ministry.valid_until:%Y}"
    if ministry.valid_until:
        return gettext("%(abbreviation)s tot %(year)s") % {"abbreviation": ministry.abbreviation, "year": ministry.valid_until.year}
    return ministry.abbreviation


register.filter("short_ministry_label", short_ministry_label)


@register.filter
def overdue_label(days):
    """'12 dagen verlopen'; past two months in months and past two years in years ('20 jaar verlopen'), which
    reads at a glance where thousands of days do not."""
    if days is None:
        return ""
    if days <= 60:
        return ngettext("%(count)d dag verlopen", "%(count)d dagen verlopen", days) % {"count": days}
    if days < 730:
        months = days // 30
        return ngettext("%(count)d maand verlopen", "%(count)d maanden verlopen", months) % {"count": months}
    years = days // 365
    return ngettext("%(count)d jaar verlopen", "%(count)d jaar verlopen", years) % {"count": years}
