import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from positions.models import Commitment, CommitmentStatusChange

from . import outputs_builders as build

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_feed(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response, in a test
    assert root.tag == f"{ATOM}feed"
    entries = [
        {
            "title": e.findtext(f"{ATOM}title"),
            "link": e.find(f"{ATOM}link").get("href"),
            "id": e.findtext(f"{ATOM}id"),
            "summary": e.findtext(f"{ATOM}summary") or "",
            "updated": e.findtext(f"{ATOM}updated"),
        }
        for e in root.findall(f"{ATOM}entry")
    ]
    return root, entries


class FicheFeedTests:
    def test_the_feed_lists_published_fiches_newest_first(self, client):
        fiches = build.published_world(3)
        build.unpublished_world()
        root, entries = parse_feed(client.get(reverse("public:fiche_feed")))
        assert root.findtext(f"{ATOM}title") == "Nieuwe BNC-fiches"
        assert [e["link"] for e in entries] == [f"http://testserver{f.get_absolute_url()}" for f in reversed(fiches)]
        assert entries[0]["title"] == f"Openbaar fiche 2 ({fiches[2].kamerstuk_display})"
        assert fiches[2].documents.get().reference in entries[0]["summary"]
        assert "Bevoegdheid: positief" in entries[0]["summary"]
        assert len({e["id"] for e in entries}) == 3

    def test_a_filtered_feed_follows_exactly_the_filtered_list(self, client):
        build.published_world(4)
        root, entries = parse_feed(client.get(reverse("public:fiche_feed"), {"ministry": "fin"}))
        assert [e["title"].split(" (")[0] for e in entries] == ["Openbaar fiche 3", "Openbaar fiche 1"]
        assert "ministerie: Financiën)" in root.findtext(f"{ATOM}title")  # named as in the list's menu, without its count
        alternate = [link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
        assert alternate == ["http://testserver/fiches/?ministry=fin"]
        self_link = [link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert self_link == ["http://testserver/feeds/fiches/?ministry=fin"]

    def test_a_search_feed_finds_words_in_published_fiches_only(self, client):
        build.published_world(2)
        build.fiche(title="Fiche over kwantumcomputers")
        build.unpublished_world()
        _root, entries = parse_feed(client.get(reverse("public:fiche_feed"), {"q": "kwantumcomputers"}))
        assert [e["title"].split(" (")[0] for e in entries] == ["Fiche over kwantumcomputers"]
        _root, entries = parse_feed(client.get(reverse("public:fiche_feed"), {"q": build.SEARCH_WORD}))
        assert entries == []

    def test_invalid_filters_send_the_reader_to_the_list_page_that_explains_them(self, client):
        build.published_world(1)
        response = client.get(reverse("public:fiche_feed"), {"council": "NOPE", "year": "x"})
        assert response.status_code == 302
        assert response["Location"] == "/fiches/?council=NOPE&year=x"

    def test_an_embargoed_fiche_appears_once_the_embargo_is_over_dated_by_its_release(self, client):
        release = timezone.now() - datetime.timedelta(hours=1)
        fiche = build.fiche(title="Net vrijgegeven", public_from=release)
        _root, entries = parse_feed(client.get(reverse("public:fiche_feed")))
        assert entries[0]["link"].endswith(fiche.get_absolute_url())
        assert datetime.datetime.fromisoformat(entries[0]["updated"]) >= release.replace(microsecond=0)


class DossierFeedTests:
    def test_the_dossier_feed_announces_the_fiche_and_commitment_status_changes(self, client):
        (fiche,) = build.published_world(1)
        doc = fiche.documents.get()
        commitment = fiche.commitments.get(position=2)
        CommitmentStatusChange.objects.create(
            commitment=commitment, from_status=Commitment.Status.OPEN, to_status=Commitment.Status.LAPSED,
            note="Het voorstel is ingetrokken.", changed_at=timezone.now() + datetime.timedelta(minutes=1),
        )
        root, entries = parse_feed(client.get(reverse("public:dossier_feed", kwargs={"reference": doc.slug})))
        assert root.findtext(f"{ATOM}title") == f"Dossier {doc.reference}: fiches en toezeggingen"
        titles = [e["title"] for e in entries]
        assert titles[0] == "Toezegging vervallen: Toezegging 2 uit Openbaar fiche 0"
        assert "Het voorstel is ingetrokken." in entries[0]["summary"]
        assert entries[0]["link"] == f"http://testserver{fiche.get_absolute_url()}#toezegging-{commitment.position}"
        assert titles[1].startswith("Toezegging voldaan: Toezegging 1")
        assert "Kamerstuk 22 112, nr. 3942" in entries[1]["summary"]
        assert titles[2] == f"Nieuw fiche: Openbaar fiche 0 ({fiche.kamerstuk_display})"
        assert len({e["id"] for e in entries}) == 3
        assert all(e["id"].startswith("http://testserver/") for e in entries)

    def test_another_spelling_redirects_and_nonsense_is_not_found(self, client):
        (fiche,) = build.published_world(1)
        doc = fiche.documents.get()
        response = client.get(f"/feeds/voorstellen/COM({doc.year})%20{doc.number}/")
        assert response.status_code == 301
        assert response["Location"] == f"/feeds/voorstellen/{doc.slug}/"
        assert client.get("/feeds/voorstellen/onzin/").status_code == 404

    def test_the_dossier_of_an_unpublished_fiche_is_not_found(self, client):
        secrets = build.unpublished_world()
        missing = client.get("/feeds/voorstellen/com-2031-9999/")
        for fiche in secrets.values():
            response = client.get(reverse("public:dossier_feed", kwargs={"reference": fiche.documents.get().slug}))
            assert response.status_code == 404
            assert build.MARKER not in response.content.decode()
            assert response.status_code == missing.status_code


class FeedQueryCountTests:
    @pytest.mark.parametrize("size", [2, 9])
    def test_feeds_use_a_fixed_number_of_queries(self, client, django_assert_num_queries, size):
        fiches = build.published_world(size)
        doc = fiches[0].documents.get()
        for other in fiches[1:]:
            other.documents.add(doc)
        # content version + the page's keys + its fiches + their documents (as values: an entry names no co-ministries)
        with django_assert_num_queries(4):
            client.get(reverse("public:fiche_feed"))
        # again: the keys come from the cache (by content version and query string, like the list page's)
        with django_assert_num_queries(3):
            client.get(reverse("public:fiche_feed"))
        # + the filter's choices, queried once: to validate and to name the filter in the feed title
        with django_assert_num_queries(5):
            client.get(reverse("public:fiche_feed"), {"ministry": "ezk"})
        with django_assert_num_queries(3):
            client.get(reverse("public:fiche_feed"), {"ministry": "ezk"})
        # document + fiches + their documents + status changes
        with django_assert_num_queries(4):
            response = client.get(reverse("public:dossier_feed", kwargs={"reference": doc.slug}))
        _root, entries = parse_feed(response)
        assert len(entries) == 2 * size


class RevisionFeedTests:
    """A fiche that revises a public fiche is announced as a revision in the list and dossier feeds; one that
    revises an unpublished fiche is announced as an ordinary new fiche, naming nothing of the earlier one."""

    def test_the_list_feed_says_the_fiche_was_revised_and_links_to_the_changes(self, client):
        old = build.fiche(title="Oorspronkelijk fiche")
        new = build.fiche(title="Herzien chipsfiche", revises=old, is_revision=True, sent_on=datetime.date(2025, 6, 1))
        _root, entries = parse_feed(client.get(reverse("public:fiche_feed")))
        entry = next(e for e in entries if new.kamerstuk_display in e["title"])
        assert entry["title"] == f"Herzien fiche: Herzien chipsfiche ({new.kamerstuk_display})"
        assert f"Herziet het eerdere fiche {old.kamerstuk_display}; de wijzigingen staan op de fichepagina." in entry["summary"]
        assert entry["link"] == f"http://testserver{new.get_absolute_url()}#wijzigingen"
        assert entry["id"] == f"http://testserver{new.get_absolute_url()}"  # the same id as before it was announced as a revision
        plain = next(e for e in entries if old.kamerstuk_display in e["title"])
        assert plain["title"] == f"Oorspronkelijk fiche ({old.kamerstuk_display})"

    def test_the_dossier_feed_carries_a_revision_entry(self, client):
        doc = build.document(title="Chipsverordening")
        old = build.fiche(title="Eerste chipsfiche", documents=[doc], commitments=0)
        new = build.fiche(title="Tweede chipsfiche", documents=[doc], commitments=0, revises=old, is_revision=True,
                          sent_on=datetime.date(2025, 6, 1))
        _root, entries = parse_feed(client.get(reverse("public:dossier_feed", kwargs={"reference": doc.slug})))
        assert [e["title"] for e in entries] == [
            f"Fiche herzien: Tweede chipsfiche ({new.kamerstuk_display})",
            f"Nieuw fiche: Eerste chipsfiche ({old.kamerstuk_display})",
        ]
        assert entries[0]["link"].endswith(f"{new.get_absolute_url()}#wijzigingen")
        assert old.kamerstuk_display in entries[0]["summary"]

    def test_a_revision_of_an_unpublished_fiche_is_announced_as_new_without_naming_it(self, client):
        draft = build.fiche(title=f"Concept {build.MARKER}", status="draft")
        new = build.fiche(title="Herziening van een concept", revises=draft, is_revision=True)
        body = client.get(reverse("public:fiche_feed")).content.decode()
        _root, entries = parse_feed(client.get(reverse("public:fiche_feed")))
        assert [e["title"] for e in entries] == [f"Herziening van een concept ({new.kamerstuk_display})"]
        assert draft.kamerstuk not in body and build.MARKER not in body


class FeedOutputTests:
    """The feeds byte for byte, in both languages: what a feed reader stores must not change by accident."""

    FEED_START = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xml:lang="{lang}" xmlns="http://www.w3.org/2005/Atom">')

    @staticmethod
    def world():
        from positions.models import Fiche

        from .test_outputs_api import revised_fiche_world

        earlier, revision, bare = revised_fiche_world()
        Fiche.objects.update(updated_at=datetime.datetime(2025, 3, 2, 9, 30, tzinfo=datetime.UTC))
        CommitmentStatusChange.objects.update(changed_at=datetime.datetime(2025, 4, 1, 12, 0, tzinfo=datetime.UTC))
        return earlier, revision, bare

    def test_the_list_feed_in_dutch(self, client):
        earlier, _revision, bare = self.world()
        updated = "<updated>2025-03-02T09:30:00+00:00</updated>"
        assert client.get("/feeds/fiches/").content.decode() == (
            self.FEED_START.format(lang="nl")
            + '<title>Nieuwe BNC-fiches</title><link href="http://testserver/fiches/" rel="alternate"/>'
            '<link href="http://testserver/feeds/fiches/" rel="self"/><id>http://testserver/fiches/</id>'
            f"{updated}<author><name>fichetracker</name></author>"
            "<subtitle>BNC-fiches van het kabinet over nieuwe Europese Commissievoorstellen, nieuwste eerst.</subtitle>"
            "<entry><title>Herzien fiche: Herzien fiche (Kamerstuk 22 112, nr. 4002)</title>"
            '<link href="http://testserver/fiches/22112-4002/#wijzigingen" rel="alternate"/>'
            f"<published>2025-03-01T00:00:00+01:00</published>{updated}<id>http://testserver/fiches/22112-4002/</id>"
            '<summary type="html">Volledige titel van Herzien fiche\n\n'
            "Herziet het eerdere fiche Kamerstuk 22 112, nr. 4001; de wijzigingen staan op de fichepagina. · "
            "COM(2025) 611, SWD(2025) 612 · Ministerie van Financiën · Raad Economische en Financiële Zaken · "
            "Bevoegdheid: positief; Proportionaliteit: positief met kanttekeningen</summary>"
            '<category term="FIN"/><category term="ECOFIN"/></entry>'
            "<entry><title>Eerste fiche (Kamerstuk 22 112, nr. 4001)</title>"
            '<link href="http://testserver/fiches/22112-4001/" rel="alternate"/>'
            f"<published>2025-02-01T00:00:00+01:00</published>{updated}<id>http://testserver/fiches/22112-4001/</id>"
            '<summary type="html">Volledige titel van Eerste fiche\n\n'
            f"{earlier.documents.get().reference} · Ministerie van Economische Zaken en Klimaat · Raad Vervoer, Telecommunicatie en Energie · "
            "Bevoegdheid: positief; Subsidiariteit: neutraal; Proportionaliteit: positief met kanttekeningen</summary>"
            '<category term="EZK"/><category term="TTE"/></entry>'
            "<entry><title>Kaal fiche (Kamerstuk 22 112, nr. 4003)</title>"
            '<link href="http://testserver/fiches/22112-4003/" rel="alternate"/>'
            f"<published>2025-01-05T00:00:00+01:00</published>{updated}<id>http://testserver/fiches/22112-4003/</id>"
            f'<summary type="html">{bare.documents.get().reference}</summary></entry></feed>'
        )

    def test_the_list_feed_in_english(self, client):
        self.world()
        body = client.get("/en/feeds/fiches/").content.decode()
        assert body.startswith(
            self.FEED_START.format(lang="en")
            + '<title>New BNC fiches</title><link href="http://testserver/en/fiches/" rel="alternate"/>'
            '<link href="http://testserver/en/feeds/fiches/" rel="self"/><id>http://testserver/en/fiches/</id>'
        )
        assert (
            "<entry><title>Revised fiche: Herzien fiche (Kamerstuk 22 112, nr. 4002)</title>"
            '<link href="http://testserver/en/fiches/22112-4002/#wijzigingen" rel="alternate"/>'
            "<published>2025-03-01T00:00:00+01:00</published><updated>2025-03-02T09:30:00+00:00</updated>"
            "<id>http://testserver/en/fiches/22112-4002/</id>"
            '<summary type="html">Volledige titel van Herzien fiche\n\n'
            "Revises the earlier fiche Kamerstuk 22 112, nr. 4001; the changes are on the fiche page. · "
            "COM(2025) 611, SWD(2025) 612 · Ministerie van Financiën · Raad Economische en Financiële Zaken · "
            "Competence: positive; Proportionality: positive with reservations</summary>"
            '<category term="FIN"/><category term="ECOFIN"/></entry>'
        ) in body
        assert "Competence: positive; Subsidiarity: neutral; Proportionality: positive with reservations</summary>" in body

    def test_the_dossier_feed_in_dutch(self, client):
        self.world()
        changed = "2025-04-01T12:00:00+00:00"
        assert client.get("/feeds/voorstellen/com-2025-611/").content.decode() == (
            self.FEED_START.format(lang="nl")
            + '<title>Dossier COM(2025) 611: fiches en toezeggingen</title>'
            '<link href="http://testserver/voorstellen/com-2025-611/" rel="alternate"/>'
            '<link href="http://testserver/feeds/voorstellen/com-2025-611/" rel="self"/>'
            f"<id>http://testserver/voorstellen/com-2025-611/</id><updated>{changed}</updated>"
            "<author><name>fichetracker</name></author><subtitle>Voorstel</subtitle>"
            "<entry><title>Toezegging voldaan: Toezegging 1 uit Herzien fiche</title>"
            '<link href="http://testserver/fiches/22112-4002/#toezegging-1" rel="alternate"/>'
            f"<published>{changed}</published><id>http://testserver/fiches/22112-4002/#statuswijziging-"
            f"{CommitmentStatusChange.objects.get(commitment__fiche__kamerstuk='22112-4002').pk}</id>"
            '<summary type="html">Status van openstaand naar voldaan.\n\nNagekomen: Herzien fiche\n\n'
            "Bewijs: Kamerstuk 22 112, nr. 3942</summary></entry>"
            "<entry><title>Fiche herzien: Herzien fiche (Kamerstuk 22 112, nr. 4002)</title>"
            '<link href="http://testserver/fiches/22112-4002/#wijzigingen" rel="alternate"/>'
            "<published>2025-03-01T00:00:00+01:00</published><id>http://testserver/fiches/22112-4002/#herziening</id>"
            '<summary type="html">Volledige titel van Herzien fiche\n\n'
            "Herziet het eerdere fiche Kamerstuk 22 112, nr. 4001; de wijzigingen staan op de fichepagina. · "
            "COM(2025) 611, SWD(2025) 612 · Ministerie van Financiën · Raad Economische en Financiële Zaken · "
            "Bevoegdheid: positief; Proportionaliteit: positief met kanttekeningen</summary></entry></feed>"
        )
