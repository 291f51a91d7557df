"""The form renderer (``FORM_RENDERER``): Django's own templates, with the commonest widgets written out in Python.

A public filter form renders about a hundred ``<option>`` elements and the fiche change form hundreds of
inputs, each through three nested template renders (``select.html``, ``select_option.html``, ``attrs.html``):
about a quarter of a list page's server time went there (issue 17). ``FastTemplates`` produces the same
bytes without the template engine for these templates:

- ``django/forms/widgets/select.html`` with ``select_option.html`` options (Select, SelectMultiple,
  NullBooleanSelect, with or without option groups);
- the widgets that are ``{% include "django/forms/widgets/input.html" %}`` (text, number, email, date, hidden,
  checkbox, ...), and ``textarea.html``;
- the field label (``django/forms/label.html``).

Safety: each fast path is used only while Django's template of that name is, byte for byte, the text it was
written from (``TEMPLATES`` below); after an upgrade that changes one, that template is rendered by the engine
again, as is every other template (admin widgets, radio buttons, files, multi-widgets). Values go through the
same conversion and escaping as a template variable (``render_value_in_context``) and the ``stringformat:'s'``
filter. ``tests/common/test_renderers.py`` renders every kind of widget both ways and compares.
"""

from functools import cached_property
from pathlib import Path

import django
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

_ATTRS = ('{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}{% if value is not True %}='
          '"{{ value|stringformat:\'s\' }}"{% endif %}{% endif %}{% endfor %}')
_INPUT_INCLUDE = '{% include "django/forms/widgets/input.html" %}\n'
TEMPLATES = {
    "django/forms/widgets/attrs.html": _ATTRS,
    "django/forms/attrs.html": _ATTRS.replace("widget.attrs.items", "attrs.items"),
    "django/forms/widgets/input.html": ('<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} value='
                                        '"{{ widget.value|stringformat:\'s\' }}"{% endif %}{% include "django/forms/widgets/attrs.html" %}>\n'),
    "django/forms/widgets/select.html": (
        '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>{% for group_name, group_choices, group_index '
        'in widget.optgroups %}{% if group_name %}\n  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
        '  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n  </optgroup>{% endif %}{% endfor %}\n'
        '</select>\n'),
    "django/forms/widgets/select_option.html": ('<option value="{{ widget.value|stringformat:\'s\' }}"{% include '
                                                '"django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'),
    "django/forms/widgets/textarea.html": ('<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
                                           '{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n'),
    "django/forms/label.html": ("{% if use_tag %}<{{ tag }}{% include 'django/forms/attrs.html' %}>{{ label }}</{{ tag }}>"
                                "{% else %}{{ label }}{% endif %}\n"),
}
INPUTS = tuple(f"django/forms/widgets/{name}.html" for name in (
    "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "checkbox", "search", "tel", "color"))
OPTION = "django/forms/widgets/select_option.html"
_CONTEXT = Context()  # autoescape on, localisation as in a template: what render_value_in_context needs of it


def _text(value):
    """``{{ value }}``: localised, converted to text and escaped unless marked safe."""
    if value.__class__ is str:
        return conditional_escape(value)
    return render_value_in_context(value, _CONTEXT)


def _formatted(value):
    """``{{ value|stringformat:'s' }}``."""
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)  # exactly the filter's own conversion
    except (ValueError, TypeError):
        text = ""
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)  # safe only if it was


def _attrs(attrs):
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items() if value is not False
    )


def _input(widget):
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _select(widget):
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        parts.extend(f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>\n'
                     for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget):
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _label(context):
    if context["use_tag"]:
        tag = _text(context["tag"])
        return f"<{tag}{_attrs(context['attrs'])}>{_text(context['label'])}</{tag}>"
    return _text(context["label"])


class FastTemplates(DjangoTemplates):
    """Django's ``DjangoTemplates`` form renderer; select, input, textarea and label rendered without the engine."""

    @cached_property
    def fast(self):
        """{template name: function(context) -> HTML} for the templates that are still exactly as written above."""
        root = Path(django.__file__).parent / "forms" / "templates"

        def unchanged(*names):
            return all((root / name).read_text(encoding="utf-8") == TEMPLATES.get(name, _INPUT_INCLUDE) for name in names)

        fast = {}
        if unchanged("django/forms/widgets/attrs.html", "django/forms/widgets/input.html"):
            fast |= {name: lambda context: _input(context["widget"]) for name in INPUTS if unchanged(name)}
            if unchanged("django/forms/widgets/select.html", OPTION):
                fast["django/forms/widgets/select.html"] = self._select
            if unchanged("django/forms/widgets/textarea.html"):
                fast["django/forms/widgets/textarea.html"] = lambda context: _textarea(context["widget"])
        if unchanged("django/forms/label.html", "django/forms/attrs.html"):
            fast["django/forms/label.html"] = _label
        return fast

    def _select(self, context):
        widget = context["widget"]
        if any(option["template_name"] != OPTION for _name, options, _index in widget["optgroups"] for option in options):
            return None  # options of another template: the engine renders them
        return _select(widget)

    def render(self, template_name, context, request=None):
        render = self.fast.get(template_name)
        html = render(context) if render is not None else None
        if html is None:
            return super().render(template_name, context, request)
        return html.strip()  # plain text, as Django's renderer returns it (its callers mark it safe)
