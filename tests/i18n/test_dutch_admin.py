"""Dutch all the way: the admin pages a ministry editor uses every day carry no English interface text.

Django's admin and the third-party apps translate most of it; what they leave in English (or what our own
templates forget to mark) shows up here as one of the tell-tale words of their English interfaces."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from positions.models import Fiche
from tests import factories
from tests.positions.conftest import make_fiche

pytestmark = pytest.mark.django_db

# Words of the English interfaces ("Filter" alone is Dutch too) of Django's admin, django-simple-history, django-otp and django-filter that a
# Dutch page never needs (checked as whole words in the visible text, outside the fiche's own data).
ENGLISH = ["Save", "Delete", "History", "Change", "Add another", "Choose", "Today", "Now", "Search", "Filter by", "Revert", "Show all",
           "View site", "Log out", "Home", "Recent actions", "Date/time", "User", "Action", "Comment", "Object", "Yes", "No",
           "Unknown", "Clear", "Go", "selected", "Select", "Previous", "Next", "Welcome", "Documentation", "Required", "Changed by"]
WORD = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH) + r")\b")


def visible_text(html):
    """The page's text as a reader sees it: no scripts, styles, tags or attribute values."""
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def editor(client):
    ministry = factories.ministry()
    user = User.objects.create_user("eva", password="x", is_staff=True, first_name="Eva")
    user.groups.add(Group.objects.get(name="editor"))
    ministry.members.add(user)
    fiche = make_fiche(Fiche.Status.DRAFT, ministry=ministry, title="Concept over batterijen")
    fiche.title = "Concept over batterijen, bijgewerkt"
    fiche.save()
    client.force_login(user)
    return fiche


def test_the_editors_admin_pages_are_dutch(client, editor):
    fiche = editor
    history = reverse("admin:positions_fiche_history", args=[fiche.pk])
    version = fiche.history.order_by("history_date").first()
    pages = [
        reverse("admin:index"),
        reverse("admin:positions_fiche_changelist"),
        reverse("admin:positions_fiche_change", args=[fiche.pk]),
        reverse("admin:positions_fiche_add"),
        history,
        reverse("admin:positions_fiche_simple_history", args=[fiche.pk, version.history_id]),
        reverse("importer:upload"),
    ]
    found = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == "nl"
        words = sorted(set(WORD.findall(visible_text(response.content.decode()))))
        if words:
            found[url] = words
    assert not found, f"English interface text on the Dutch admin pages: {found}"
