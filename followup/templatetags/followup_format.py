"""Template filters for the Dutch notation of amounts (see followup.formatting)."""

from django import template

from followup import formatting

register = template.Library()

register.filter("euro", formatting.euro)
register.filter("euro_words", formatting.euro_words)
register.filter("percentage", formatting.percentage)


@register.simple_tag
def rate_range(low, high):
    return formatting.percentage_range(low, high)
