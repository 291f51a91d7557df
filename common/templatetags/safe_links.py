"""``safe_url``: the link itself when it may be an ``href`` (http, https, mailto), else "".

Templates render every stored link through it and show anything else as plain text::

    {% with href=url|safe_url %}{% if href %}<a href="{{ href }}">{{ url }}</a>{% else %}{{ url }}{% endif %}{% endwith %}

The database already refuses other schemes; this also catches what a constraint cannot see (a link
without a host, control or bidi characters) and rows written before the constraint existed.
"""

from django import template

from common.urls_safety import is_safe_url

register = template.Library()


@register.filter
def safe_url(value):
    return value if is_safe_url(value) else ""
