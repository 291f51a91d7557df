"""Saving beside a colleague: what they changed since the editor opened the fiche, and taking their value per field.

The fiche form carries the moment and the history version it was loaded with. When a colleague saved in
between, the save is refused (``FicheAdminForm._check_concurrent_save``) and ``conflicts`` lists every field
and section text the colleague changed: their value next to the editor's, with a choice per field. The refused
form then starts from the colleague's save, so the next save goes through with what the editor chose:
``take_theirs`` puts the stored value in place of the posted one for each field chosen "theirs", in the request
data, before the form and the inline formsets read it. A field the editor did not touch defaults to "theirs",
so a colleague's change is never undone by an editor who did not see it.
"""

import datetime

from django import forms
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.admin import LONG_TEXT, KnownRowsForm
from common.diff import text_diff_html

from . import workflow
from .models import Commitment, Fiche, FicheSection

CHOICE_PREFIX = "conflict-"
THEIRS, MINE = "theirs", "mine"
SECTION_PREFIX = "section-"


def display_value(field, value):
    """A stored value as the admin shows it: names for relations and choices, Dutch local dates, ja/nee.
    Foreign keys are given as primary keys, m2m fields as sets of primary keys."""
    if value in (None, "") or (isinstance(value, set) and not value):
        return ""
    if field.many_to_many:
        return ", ".join(str(obj) for obj in field.related_model.objects.filter(pk__in=value))
    if field.many_to_one:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related is not None else _("(verwijderd: %(pk)s)") % {"pk": value}
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return str(value)


def _raw(field, value):
    """A cleaned form value in the shape ``display_value`` and the history use: pks for relations."""
    if field.many_to_many:
        return {obj.pk for obj in value} if value is not None else set()
    if field.many_to_one:
        return value.pk if value is not None else None
    return value


def _row(name, label, loaded, theirs, mine, mine_known=True, theirs_text=None, mine_text=None):
    theirs_text = theirs if theirs_text is None else theirs_text
    mine_text = mine if mine_text is None else mine_text
    long_text = max(len(theirs_text), len(mine_text)) > LONG_TEXT
    untouched = mine_known and mine == loaded
    return {"name": name, "choice_name": f"{CHOICE_PREFIX}{name}", "label": label, "theirs": theirs_text, "mine": mine_text,
            "diff": text_diff_html(theirs_text, mine_text) if long_text and theirs_text != mine_text else None,
            "default": THEIRS if untouched or theirs_text == mine_text else MINE}


def latest_version_id(fiche_pk):
    return Fiche.history.filter(id=fiche_pk).order_by("-history_id").values_list("history_id", flat=True).first()


def field_conflicts(form, current, version):
    """The form's fields that changed between ``version`` (as the editor loaded it) and ``current``."""
    restored, kept = workflow.version_differences(current, version)
    rows = []
    cleaned = getattr(form, "cleaned_data", {})
    for field, now, then in [*restored, *kept]:
        if field.name not in form.fields:
            continue
        mine_known = field.name in cleaned
        if mine_known:
            mine = _raw(field, cleaned[field.name])
            mine_text = display_value(field, mine)
        else:  # the editor's value did not validate: show what they typed
            mine = None
            mine_text = ", ".join(form.data.getlist(form.add_prefix(field.name))) if hasattr(form.data, "getlist") else ""
        rows.append(_row(field.name, capfirst(field.verbose_name), then, now, mine, mine_known,
                         display_value(field, now), mine_text))
    return rows


def section_conflicts(data, current, version):
    """Section texts a colleague changed since ``version``: the texts as they stood before the first save after it."""
    following = Fiche.history.filter(id=current.pk, history_id__gt=version.history_id).order_by("history_id").first()
    boundary = following.history_date if following else timezone.now()
    posted = {data.get(f"sections-{i}-id"): i for i in range(_total(data, "sections"))}
    rows = []
    for section in current.sections.order_by("position"):
        index = posted.get(str(section.pk))
        if index is None:
            continue
        before = FicheSection.history.filter(id=section.pk, history_date__lt=boundary).order_by("-history_date").first()
        loaded = before.text if before is not None else ""
        if loaded == section.text:
            continue
        mine = data.get(f"sections-{index}-text", "")
        title = f"{section.number}. {section.title}" if section.number else section.title
        rows.append(_row(f"{SECTION_PREFIX}{section.pk}", _("Onderdeel %(title)s") % {"title": title}, _normal(loaded),
                         _normal(section.text), _normal(mine)))
    return rows


def _normal(text):
    return "\n".join((text or "").replace("\r\n", "\n").split("\n")).strip()


def _total(data, prefix):
    value = data.get(f"{prefix}-TOTAL_FORMS", "0")
    return min(int(value), 1000) if str(value).isdigit() else 0


def chosen_theirs(data):
    return [key[len(CHOICE_PREFIX):] for key, value in data.items() if key.startswith(CHOICE_PREFIX) and value == THEIRS]


def take_theirs(data, form_class, current):
    """``data`` with the stored value of ``current`` in place of the posted one for every field chosen "theirs"."""
    names = chosen_theirs(data)
    if not names:
        return data
    data = data.copy()
    stored = form_class(instance=current)
    sections = {str(s.pk): s for s in current.sections.all()}
    positions = {data.get(f"sections-{i}-id"): i for i in range(_total(data, "sections"))}
    for name in names:
        if name.startswith(SECTION_PREFIX):
            section = sections.get(name[len(SECTION_PREFIX):])
            index = positions.get(name[len(SECTION_PREFIX):])
            if section is not None and index is not None:
                data[f"sections-{index}-text"] = section.text
            continue
        if name not in stored.fields or name in ("loaded_updated_at", "loaded_version"):
            continue
        _put(data, name, stored[name])
    return data


def _put(data, name, bound):
    widget = bound.field.widget
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    value = bound.value()
    if isinstance(widget, forms.MultiWidget):
        parts = widget.decompress(value)
        for i, (part, sub) in enumerate(zip(parts, widget.widgets, strict=False)):
            data[f"{name}_{i}"] = sub.format_value(part) or ""
    elif isinstance(widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    elif isinstance(widget, forms.SelectMultiple):
        data.setlist(name, [str(v) for v in value or []])
    else:
        formatted = widget.format_value(value)
        data[name] = "" if formatted is None else str(formatted)


# ---------------------------------------------------------------------------------------------------
# Commitments: the section chosen from the fiche's sections, the order filled in
# ---------------------------------------------------------------------------------------------------


def section_choices(fiche):
    """The fiche's sections as (key, "number. title") choices, in template order, after an empty choice."""
    rows = fiche.sections.order_by("position").values_list("key", "number", "title") if fiche is not None and fiche.pk else []
    return [("", _("(geen onderdeel)")), *((key, f"{number}. {title}" if number else title) for key, number, title in rows if key)]


class CommitmentForm(KnownRowsForm):
    """A commitment whose section is one of its fiche's (a list of their titles, not a typed key) and whose
    order, when left empty, follows the last commitment of the fiche."""

    section_key = forms.ChoiceField(label=gettext_lazy("Onderdeel"), required=False)
    section_options = None  # set per fiche by the admin (CommitmentForm.for_fiche)
    numbered_by_formset = False  # in the fiche's inline, the formset numbers all new rows at once

    class Meta:
        model = Commitment
        fields = "__all__"  # the admin narrows it to its fields

    @classmethod
    def for_fiche(cls, fiche):
        return type(cls.__name__, (cls,), {"section_options": section_choices(fiche)})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "section_key" in self.fields:
            options = list(self.section_options or section_choices(getattr(self.instance, "fiche", None) if self.instance.fiche_id else None))
            current = self.instance.section_key
            if current and current not in dict(options):
                options.append((current, _("%(key)s (geen onderdeel van dit fiche)") % {"key": current}))
            self.fields["section_key"].choices = options
            self.fields["section_key"].help_text = _("Het onderdeel van het fiche waarin de toezegging staat.")
        if "position" in self.fields:
            self.fields["position"].required = False
            self.fields["position"].help_text = _("Leeg: na de laatste toezegging van het fiche.")

    def clean(self):
        cleaned = super().clean()
        if not self.numbered_by_formset and "position" in self.fields:
            fiche = cleaned.get("fiche") or (self.instance.fiche if self.instance.fiche_id else None)
            number_new_commitments([(self, fiche)])
        return cleaned


class CommitmentInlineFormSet(forms.BaseInlineFormSet):
    """The commitments of one fiche: new rows without an order get the next numbers, in the order shown."""

    def clean(self):
        rows = [(form, self.instance) for form in self.forms
                if form.is_valid() and form.has_changed() and not self._should_delete_form(form)]
        number_new_commitments(rows)
        super().clean()


def number_new_commitments(forms_with_fiche):
    """Give every (form, fiche) whose position was left empty the next free number in its fiche."""
    taken = {}
    for form, fiche in forms_with_fiche:
        if fiche is None:
            continue
        numbers = taken.setdefault(fiche.pk, set(Commitment.objects.filter(fiche=fiche).values_list("position", flat=True))
                                   if fiche.pk else set())
        if form.cleaned_data.get("position"):
            numbers.add(form.cleaned_data["position"])
    for form, fiche in forms_with_fiche:
        if fiche is None or form.cleaned_data.get("position"):
            continue
        numbers = taken[fiche.pk]
        following = max(numbers, default=0) + 1
        numbers.add(following)
        form.cleaned_data["position"] = form.instance.position = following
