"""The fast form renderer writes exactly what Django's templates write, for every widget it renders itself."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from common.renderers import INPUTS, FastTemplates

CHOICES = [("", "alle"), ("a", "A & B"), (1, 2024), ("<x>", mark_safe("<b>vet</b>")), (None, gettext_lazy("Fiches"))]
GROUPED = [("Groep <1>", [("g1", "een"), ("g2", "twee")]), ("los", "los"), (gettext_lazy("Toezeggingen"), [(3, "drie")])]


class Everything(forms.Form):
    text = forms.CharField(label="Zoeken <in> de tekst", help_text="hulp", widget=forms.TextInput(attrs={"type": "search", "aria-invalid": "true"}))
    empty = forms.CharField(required=False, label="")
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 0, "step": 1, "disabled": True, "hidden": False}))
    decimal = forms.DecimalField()
    email = forms.EmailField()
    url = forms.URLField()
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    plain_date = forms.DateField()
    when = forms.DateTimeField()
    time = forms.TimeField()
    check = forms.BooleanField(required=False)
    text_area = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    empty_area = forms.CharField(required=False, widget=forms.Textarea)
    choice = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED)
    several = forms.MultipleChoiceField(choices=CHOICES, required=False)
    null_boolean = forms.NullBooleanField()
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)  # not a fast path: the engine renders it
    boxes = forms.MultipleChoiceField(choices=GROUPED, widget=forms.CheckboxSelectMultiple)
    split = forms.SplitDateTimeField()
    upload = forms.FileField(required=False)


DATA = [
    {},
    {"text": 'een "zoekterm" & <script>', "number": "12", "decimal": "1.50", "email": "a@b.nl", "url": "https://x.nl/?a=1&b=2",
     "password": "geheim<>", "hidden": "v", "date": "2024-02-29", "plain_date": "nonsense", "when": "2024-01-01 10:00", "time": "10:30",
     "check": "on", "text_area": "regel 1\n<b>regel 2</b>", "choice": "<x>", "grouped": "g2", "several": ["a", "1"], "null_boolean": "true",
     "radio": "a", "boxes": ["g1", "3"], "split_0": "2024-01-01", "split_1": "12:00"},
    {"choice": "onbekend", "grouped": "", "several": ["zzz"], "null_boolean": "false", "number": "x"},
]
INITIAL = {"text": mark_safe("<i>veilig</i>"), "number": 1234567, "decimal": Decimal("1234.5"), "date": datetime.date(2024, 2, 29),
           "when": datetime.datetime(2024, 3, 1, 12, 30, tzinfo=datetime.UTC), "choice": 1, "several": ["a", 1], "null_boolean": None,
           "text_area": "", "check": True}


def renders(renderer, data, initial=None, *, prefix=None, auto_id="id_%s"):
    form = Everything(data=data if data is not None else None, initial=initial, renderer=renderer, prefix=prefix, auto_id=auto_id)
    if data is not None:
        form.is_valid()
    out = []
    for field in form:
        out += [str(field), field.label_tag(), field.legend_tag(), field.label_tag(attrs={"class": "x", "data-on": True}, label_suffix="!")]
    out.append(form.as_div())
    return out


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("case", range(len(DATA) + 3))
def test_every_widget_renders_byte_for_byte_as_djangos_templates(case, language):
    if case < len(DATA):
        arguments = {"data": DATA[case]}
    elif case == len(DATA):
        arguments = {"data": None, "initial": INITIAL}
    elif case == len(DATA) + 1:
        arguments = {"data": DATA[1], "prefix": "p<", "auto_id": False}
    else:
        arguments = {"data": None, "initial": INITIAL, "auto_id": "veld-%s"}
    with override(language):
        fast, slow = renders(FastTemplates(), **arguments), renders(DjangoTemplates(), **arguments)
    assert fast == slow
    assert any("<option" in html for html in fast) and any("<textarea" in html for html in fast)


def test_every_fast_path_is_in_use():
    """Against Django's templates as installed: if one of them changed, its fast path is off (and this fails,
    to say the renderer needs a look), not wrong."""
    fast = FastTemplates().fast
    assert set(fast) == {*INPUTS, "django/forms/widgets/select.html", "django/forms/widgets/textarea.html", "django/forms/label.html"}


def test_the_project_renders_its_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "common.renderers.FastTemplates"
    assert isinstance(get_default_renderer(), FastTemplates)


def test_a_select_with_options_of_another_template_is_left_to_the_engine():
    class OwnOption(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = OwnOption(choices=[("a", "A")])
    assert widget.render("x", "a", renderer=FastTemplates()) == widget.render("x", "a", renderer=DjangoTemplates())
