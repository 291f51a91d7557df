"""The fiche change form's fieldsets as plain values for ``admin/positions/fiche/includes/fieldset.html``.

Django's ``admin/includes/fieldset.html`` asks every field a dozen questions through the template engine (is it
a checkbox, read-only, a group of inputs, hidden; has it help or errors; and the line's length up to four times),
each an attribute lookup that the engine first tries as a key, and it renders every field's empty error list
through a template to get nothing. On the fiche form with its 14 sections, footnotes and commitments that was
most of the page's time (issue 17). ``fieldset_lines`` asks those questions once per field, in Python, of Django's
own helpers (``Fieldline``, ``AdminField``, ``AdminReadonlyField``: the same labels, widgets, read-only contents and
errors), and the template writes Django's markup (same elements, classes, ids and ARIA attributes) from the answers.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def fieldset_lines(fieldset):
    """The lines of an admin ``Fieldset``: [{"classes", "fields": [field, ...]}], each field a dict (see ``_field``)."""
    lines = []
    for line in fieldset:
        fields = list(line)
        single = len(line.fields) == 1
        # One field on the line: its errors, as Django's ``line.errors``; several: each field's own.
        line_errors = _errors(fields) if single else ""
        names = "".join(f" field-{name}" for name in map(_name, fields) if name)
        classes = f"form-row{'' if single else ' flex-container form-multiline'}{'' if line.has_visible_field else ' hidden'}{names}"
        lines.append({"classes": classes, "fields": [_field(field, single, line_errors) for field in fields]})
    return lines


def _name(field):
    return field.field["name"] if field.is_readonly else field.field.name


def _errors(fields):
    """Django's ``Fieldline.errors()``, without rendering the empty lists."""
    shown = [field.field.errors.as_ul() for field in fields if not field.is_readonly and field.field.errors]
    return mark_safe("\n".join(shown))


def _field(field, single, line_errors):
    if field.is_readonly:
        info = field.field  # a dict: name, label, help_text, is_hidden
        name, help_text, hidden, label_id, errors = info["name"], info["help_text"], info["is_hidden"], "", ""
        html = field.contents()
    else:
        bound = field.field
        name, help_text, hidden, label_id = bound.name, bound.help_text, bound.is_hidden, bound.id_for_label
        errors = field.errors() if bound.errors else ""
        html = conditional_escape(bound)
    classes = ["flex-container"]
    if errors or (single and line_errors):
        classes.append("errors")
    if not single:
        classes.append(f"fieldBox field-{name}" if name else "fieldBox")
        if hidden:
            classes.append("hidden")
    if field.is_checkbox:
        classes.append("checkbox-row")
    return {
        "classes": " ".join(classes),
        "label": field.label_tag(),
        "group": field.is_fieldset if not field.is_readonly else False,  # inputs in a <fieldset> with the label as <legend>
        "checkbox": field.is_checkbox,
        "readonly": field.is_readonly,
        "help": mark_safe(help_text) if help_text else "",
        "help_hidden": hidden,
        "label_id": label_id,
        "errors": line_errors if single else errors,
        "html": html,
    }

