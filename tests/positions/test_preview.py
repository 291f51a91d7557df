"""The admin preview of a fiche shows the public page's body as the public will see it once published
(``positions.fiche_page``): cited published fiches and documents link to our pages, a revision lists what it
changed, confirmed commitments only, in a fixed number of queries, and the draft's text never goes into the cache."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from positions import workflow
from positions.models import CommitmentStatusChange, Fiche, Verdict
from tests import factories

from .conftest import make_fiche

pytestmark = pytest.mark.django_db

# The keys of the fiche page's body: {% cache ... "fiche-body" ... %} takes its fragment name as written, quotes included
# (django.core.cache.utils.make_template_fragment_key).
BODY_KEYS = 'template.cache."fiche-body".'


def preview(client, fiche):
    response = client.get(reverse("admin:positions_fiche_preview", args=[fiche.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_cited_kamerstuk_or_document_links_to_our_page_only_when_it_is_published(client, superuser):
    cited = factories.fiche(title="Geciteerd fiche")
    factories.fiche(status=Fiche.Status.DRAFT, kamerstuk="22112-8801", title="Geheim concept")
    public_document = cited.documents.get()
    draft = make_fiche(Fiche.Status.DRAFT, title="Concept dat citeert")
    draft.sections.filter(key="essence").update(
        text=f"Zie {cited.kamerstuk_display} en Kamerstuk 22 112, nr. 8801 en {public_document.reference}.")
    client.force_login(superuser)
    body = preview(client, draft)
    assert f'<a href="{cited.get_absolute_url()}" class="cite cite-ours">{cited.kamerstuk_display}</a>' in body
    assert f'<a href="{public_document.get_absolute_url()}" class="cite cite-ours">{public_document.reference}</a>' in body
    # A draft fiche is cited as any outside paper: its official publication, not a page of ours, and not named.
    assert ('<a href="https://zoek.officielebekendmakingen.nl/kst-22112-8801.html" class="cite cite-official" rel="external">'
            "Kamerstuk 22 112, nr. 8801</a>") in body
    assert "/fiches/22112-8801/" not in body and "Geheim concept" not in body


def test_a_revision_draft_shows_what_it_changes_against_the_published_fiche(client, superuser):
    published = make_fiche(Fiche.Status.PUBLISHED, title="Gepubliceerd fiche", kamerstuk="22112-8802", sent_on=datetime.date(2024, 3, 1))
    draft, _created = workflow.start_revision(fiche=published, by=superuser)
    draft.sections.filter(key="essence").update(text="Tekst van het herziene onderdeel.")
    draft.proportionality = Verdict.NEGATIVE
    draft.save()
    client.force_login(superuser)
    body = preview(client, draft)
    assert "Dit fiche herziet een eerder fiche:" in body and published.get_absolute_url() in body
    assert '<a href="#wijzigingen">Wat is er veranderd?</a>' in body
    changes = body[body.index('<section aria-labelledby="wijzigingen"'):body.index('<section aria-labelledby="algemene-gegevens"')]
    assert "Tekst van het <ins>herziene</ins> onderdeel." in changes
    assert "<dt>Proportionaliteit</dt>" in changes and "negatief</ins>" in changes
    assert "Bevoegdheid" not in changes  # unchanged verdicts and sections are not listed


def test_a_revision_of_a_fiche_that_is_not_public_shows_no_changes_and_does_not_name_it(client, superuser):
    earlier = make_fiche(Fiche.Status.PUBLISHED, title="Eerdere versie onder embargo", kamerstuk="22112-8803", sent_on=datetime.date(2024, 3, 1),
                         public_from=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))
    draft = make_fiche(Fiche.Status.DRAFT, title="Herzien concept", revises=earlier, is_revision=True)
    draft.sections.filter(key="essence").update(text="Iets anders.")
    client.force_login(superuser)
    body = preview(client, draft)
    assert 'id="wijzigingen"' not in body and "Eerdere versie onder embargo" not in body and earlier.get_absolute_url() not in body


def test_it_shows_confirmed_commitments_with_their_histories_as_the_public_page_does(client, superuser):
    draft = make_fiche(Fiche.Status.DRAFT)
    shown = factories.commitment(draft, summary="Bevestigde toezegging")
    factories.commitment(draft, summary="Nog te bevestigen toezegging", confirmed=False)
    for day, note in ((9, "Tweede stap"), (2, "Eerste stap")):
        CommitmentStatusChange.objects.create(commitment=shown, from_status="open", to_status="open", note=note,
                                              changed_at=datetime.datetime(2024, 5, day, tzinfo=datetime.UTC))
    client.force_login(superuser)
    body = preview(client, draft)
    assert "Bevestigde toezegging" in body and "Nog te bevestigen toezegging" not in body
    assert body.index("Eerste stap") < body.index("Tweede stap")  # the history oldest first


def test_its_queries_do_not_grow_with_the_commitments(client, superuser):
    draft = make_fiche(Fiche.Status.DRAFT)
    client.force_login(superuser)

    def add_commitments(count):
        for _ in range(count):
            commitment = factories.commitment(draft)
            CommitmentStatusChange.objects.create(commitment=commitment, from_status="open", to_status="open", note="Herinnerd")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            preview(client, draft)
        return len(queries)

    add_commitments(1)
    preview(client, draft)  # the session and anything read once per process
    few = count_queries()
    add_commitments(8)
    assert count_queries() == few
    # Session and user, the fiche as the admin checks it, its page rows (documents, sections, footnotes,
    # co-ministries, revisions, commitments, their histories, cofinancing) and the cited pages, with room for
    # the admin's own checks: the bound does not depend on the number of commitments.
    assert few <= 20


def test_the_draft_body_never_goes_into_the_cache(client, superuser, monkeypatch):
    touched = []
    fragments = caches["default"]  # the {% cache %} tag's cache: no "template_fragments" cache is configured
    for method in ("get", "set", "add", "get_many", "set_many"):
        real = getattr(fragments, method)

        def spy(key_or_keys, *args, _real=real, **kwargs):
            keys = key_or_keys if isinstance(key_or_keys, (list, dict)) else [key_or_keys]
            touched.extend(str(key) for key in keys)
            return _real(key_or_keys, *args, **kwargs)

        monkeypatch.setattr(fragments, method, spy)
    draft = make_fiche(Fiche.Status.DRAFT, title="Concept met geheime tekst")
    client.force_login(superuser)
    assert "Tekst van het onderdeel." in preview(client, draft)
    assert not [key for key in touched if key.startswith(BODY_KEYS)]
    # The public page of a published fiche does cache its body, through the same cache: the spy sees it.
    published = make_fiche(Fiche.Status.PUBLISHED, kamerstuk="22112-8804", sent_on=datetime.date(2024, 3, 1))
    assert client.get(published.get_absolute_url()).status_code == 200
    assert [key for key in touched if key.startswith(BODY_KEYS)]


def test_a_draft_without_a_kamerstuk_yet_has_no_empty_place_for_it(client, superuser):
    draft = make_fiche(Fiche.Status.DRAFT, kamerstuk="", title="Concept zonder nummer")
    client.force_login(superuser)
    body = preview(client, draft)
    assert '<p class="kicker">BNC-fiche</p>' in body
