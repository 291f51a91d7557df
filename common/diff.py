"""Word-level diff of two texts as escaped HTML (``<del>``/``<ins>``): the admin's history pages and the
public "what changed" part of a revised fiche show changes the same way.

Pure Python apart from Django's HTML escaping; the caller decides what counts as a word separator.
"""

import difflib

from django.utils.html import escape
from django.utils.safestring import mark_safe


def word_diff_html(old_words, new_words, *, context=6):
    """The diff of two word lists; an unchanged run longer than ``2 * context + 4`` words keeps only its
    first and last ``context`` words around an ellipsis. Every word is escaped."""
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            run = old_words[a1:a2]
            if len(run) > 2 * context + 4:
                run = [*run[:context], "…", *run[-context:]]
            parts.append(escape(" ".join(run)))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    return mark_safe(" ".join(parts))  # every word escaped above


def text_diff_html(old, new):
    """Word diff of two texts split on single spaces (line breaks stay inside their words)."""
    return word_diff_html(str(old or "").split(" "), str(new or "").split(" "))
