"""What a revised fiche changed against the earlier fiche it revises: verdicts and section texts.

Only called when both fiches' texts may be shown: the earlier one is public (``Fiche.public_revises``), the
revision is public or previewed by staff (``positions.fiche_page``). Sections are matched by key;
a section only one of the two has counts as added or removed. Footnote markers are left out of the
word diff: they renumber freely between versions and are not part of what the text says.
"""

from dataclasses import dataclass

from common.diff import word_diff_html

from .text import FOOTNOTE_MARKER


@dataclass
class VerdictChange:
    label: str
    old: str
    old_display: str
    new: str
    new_display: str


@dataclass
class SectionChange:
    key: str
    number: str
    title: str
    diff: str  # safe HTML


@dataclass
class Changes:
    earlier: object
    verdicts: list
    sections: list

    def __bool__(self):
        return bool(self.verdicts or self.sections)


def _words(text):
    return FOOTNOTE_MARKER.sub("", text or "").split()


def changes(earlier, fiche):
    """The Changes of ``fiche`` against ``earlier`` (both with their sections loaded)."""
    verdicts = [
        VerdictChange(label, old, old_display, new, new_display)
        for (label, old, old_display, _s), (_l, new, new_display, _t) in zip(earlier.verdicts, fiche.verdicts, strict=True)
        if old != new
    ]
    before = {s.key: s for s in earlier.sections.all()}
    after = {s.key: s for s in fiche.sections.all()}
    sections = []
    for section in [*fiche.sections.all(), *(s for key, s in before.items() if key not in after)]:
        old_words = _words(before[section.key].text) if section.key in before else []
        new_words = _words(section.text) if section.key in after else []
        if old_words != new_words:
            sections.append(SectionChange(section.key, section.number, section.title, word_diff_html(old_words, new_words, context=12)))
    return Changes(earlier, verdicts, sections)
