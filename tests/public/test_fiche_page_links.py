"""The fiche page's links and marks: official publications, citations in text and footnotes, the batch
letter, one numbering in the contents, commitment sentences linked both ways, and what a revision changed."""

import datetime
import re

import pytest

from positions.models import BatchLetter, Footnote, Verdict

from . import pages_data as data

pytestmark = pytest.mark.django_db


def page(client, fiche):
    response = client.get(fiche.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


class OfficialPublicationLinkTests:
    def test_the_fiche_links_to_its_own_official_publication(self, client):
        f = data.fiche(kamerstuk="22112-3908")
        body = page(client, f)
        assert 'href="https://zoek.officielebekendmakingen.nl/kst-22112-3908.html"' in body

    def test_fiche_4_is_explained_with_a_link_to_the_batch_letter(self, client):
        letter = BatchLetter.objects.create(kamerstuk="22112-3906", date=datetime.date(2024, 3, 1))
        f = data.fiche(batch_letter=letter, batch_position=4)
        body = page(client, f)
        assert "Fiche 4: het fiche met nummer 4 in de verzamelbrief" in body
        assert '<a href="https://zoek.officielebekendmakingen.nl/kst-22112-3906.html" rel="external">Kamerstuk 22 112, nr. 3906</a> van 1 maart 2024' in body
        assert "01-03-2024" not in body  # one date format across the page

    def test_a_fiche_without_batch_letter_shows_no_explanation(self, client):
        body = page(client, data.fiche())
        assert "verzamelbrief" not in body.lower()


class CitationLinkTests:
    def test_a_cited_published_fiche_links_to_our_page(self, client):
        cited = data.fiche(title="Eerder fiche")
        number = cited.kamerstuk.split("-")[1]
        f = data.fiche(sections=[("essence", "Essentie voorstel", f"Zie Kamerstuk 22 112, nr. {number} voor de eerdere positie.")])
        body = page(client, f)
        assert f'<a href="/fiches/{cited.kamerstuk}/" class="cite cite-ours">Kamerstuk 22 112, nr. {number}</a>' in body

    def test_a_cited_kamerstuk_we_do_not_hold_links_to_officielebekendmakingen(self, client):
        f = data.fiche(sections=[("essence", "Essentie voorstel", "Zie Kamerstukken II 2021/22, 21 501-33, nr. 12.")])
        body = page(client, f)
        assert ('<a href="https://zoek.officielebekendmakingen.nl/kst-21501-33-12.html" class="cite cite-official" rel="external">'
                "Kamerstukken II 2021/22, 21 501-33, nr. 12</a>") in body

    def test_a_cited_public_document_links_to_our_dossier_page(self, client):
        doc = data.document(year=2023, number=77)
        data.fiche(documents=[doc])
        f = data.fiche(sections=[("essence", "Essentie voorstel", "Eerder kwam COM(2023) 77 al.")])
        assert '<a href="/voorstellen/com-2023-77/" class="cite cite-ours">COM(2023) 77</a>' in page(client, f)

    def test_a_cited_commission_reference_we_do_not_hold_links_to_eurlex(self, client):
        f = data.fiche(sections=[("essence", "Essentie voorstel", "Zie ook JOIN(2022) 8 en SWD(2022) 385.")])
        body = page(client, f)
        assert 'href="https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=JOIN:2022:0008:FIN" class="cite cite-official"' in body
        assert 'href="https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=SWD:2022:0385:FIN" class="cite cite-official"' in body

    def test_citations_in_footnotes_link_too_and_the_text_stays_escaped(self, client):
        f = data.fiche(sections=[("essence", "Essentie voorstel", "Tekst.[^1]")])
        Footnote.objects.create(fiche=f, number=1, text="<b>Kamerstuk 26 643, nr. 941</b> en COM(2020) 66")
        body = page(client, f)
        assert ('&lt;b&gt;<a href="https://zoek.officielebekendmakingen.nl/kst-26643-941.html" class="cite cite-official" '
                'rel="external">Kamerstuk 26 643, nr. 941</a>&lt;/b&gt;') in body
        assert "uri=COM:2020:0066:FIN" in body
        assert "<b>Kamerstuk" not in body

    def test_a_year_that_cannot_be_a_reference_stays_plain_text(self, client):
        f = data.fiche(sections=[("essence", "Essentie voorstel", "COM(1234) 5 is geen referentie.")])
        body = page(client, f)
        assert "COM(1234) 5 is geen referentie." in body and "uri=COM:1234" not in body


class ContentsNumberingTests:
    def test_the_contents_show_each_section_number_once_and_no_list_numbers(self, client):
        f = data.fiche(sections=[("essence", "Essentie voorstel", "Tekst."), ("position", "Nederlandse positie", "Tekst.")])
        body = page(client, f)
        toc = body[body.index('<nav class="toc"'):body.index("</nav>", body.index('<nav class="toc"'))]
        assert '<ol class="toc-list" role="list">' in toc
        assert '<a href="#onderdeel-essence">2 Essentie voorstel</a>' in toc
        assert '<a href="#onderdeel-position">3 Nederlandse positie</a>' in toc
        # the heading and the contents use the same numbering
        assert '<h2 id="onderdeel-essence">2 Essentie voorstel</h2>' in body
        assert '<h2 id="algemene-gegevens">1 Algemene gegevens</h2>' in body


class CommitmentMarkTests:
    def test_a_commitment_sentence_is_marked_in_the_text_and_linked_both_ways(self, client):
        text = "De Commissie stelt iets voor.\n\nHet kabinet zal  zich inzetten[^1] voor\nduidelijke regels. Verder niets."
        f = data.fiche(sections=[("essence", "Essentie voorstel", text)])
        data.commitment(f, quote="Het kabinet zal zich inzetten voor duidelijke regels.", section_key="essence")
        body = page(client, f)
        mark = re.search(r'<mark class="commitment-mark" id="toezegging-tekst-1">(.*?)</mark>', body, re.S)
        assert mark and mark.group(1).startswith("Het kabinet zal  zich inzetten<sup")
        assert 'href="#voetnoot-1"' in mark.group(1)  # the footnote marker inside the sentence still links
        assert '</mark><a href="#toezegging-1" class="commitment-link">' in body
        assert '<a href="#toezegging-tekst-1">Lees deze zin in de tekst van het fiche</a>' in body
        assert "Verder niets." in body and body.count('class="commitment-mark"') == 1

    def test_a_sentence_not_in_the_text_gets_no_mark_and_no_link_back(self, client):
        f = data.fiche(sections=[("essence", "Essentie voorstel", "Iets anders.")])
        data.commitment(f, quote="Het kabinet zal iets doen.")
        body = page(client, f)
        assert "commitment-mark" not in body and "#toezegging-tekst-1" not in body

    def test_a_sentence_is_only_looked_for_in_its_own_section(self, client):
        sentence = "Het kabinet zal dit volgen."
        f = data.fiche(sections=[("essence", "Essentie voorstel", sentence), ("position", "Positie", sentence)])
        data.commitment(f, quote=sentence, section_key="position")
        body = page(client, f)
        assert body.index('id="toezegging-tekst-1"') > body.index('id="onderdeel-position"')


class RevisedFicheTests:
    def make(self, **old_fields):
        old = data.fiche(title="Oud fiche", sent_on=datetime.date(2024, 2, 20),
                         sections=[("essence", "Essentie voorstel", "De Commissie stelt een verordening voor over chips."),
                                   ("position", "Positie", "Het kabinet steunt dit.")], **old_fields)
        new = data.fiche(title="Herzien fiche", revises=old, is_revision=True, sent_on=datetime.date(2024, 9, 2),
                         verdict=Verdict.NEGATIVE,
                         sections=[("essence", "Essentie voorstel", "De Commissie stelt een richtlijn voor over chips.[^1]"),
                                   ("position", "Positie", "Het kabinet steunt dit.")])
        return old, new

    def test_the_page_says_when_it_was_revised_and_shows_changed_verdicts_and_a_word_diff(self, client):
        old, new = self.make()
        body = page(client, new)
        assert "Herzien op 2 september 2024." in body
        assert f'<a href="{old.get_absolute_url()}">Oud fiche</a> ({old.kamerstuk_display}, 20 februari 2024)' in body
        changes = body[body.index('<section aria-labelledby="wijzigingen"'):body.index('<section aria-labelledby="algemene-gegevens"')]
        assert changes.count("<dt>") == 3  # all three verdicts changed from positief to negatief
        assert "positief</del> → <ins>" in changes and "negatief</ins>" in changes
        assert "een <del>verordening</del> <ins>richtlijn</ins> voor over chips." in changes
        assert "[^1]" not in changes  # footnote markers are not part of the diff
        assert "Positie" not in changes  # an unchanged section is not listed
        assert '<a href="#wijzigingen">' in body

    def test_an_unchanged_revision_has_no_changes_section(self, client):
        old = data.fiche(sections=[("essence", "Essentie voorstel", "Gelijk.")])
        new = data.fiche(revises=old, is_revision=True, sections=[("essence", "Essentie voorstel", "Gelijk.")])
        body = page(client, new)
        assert 'id="wijzigingen"' not in body and old.get_absolute_url() in body

    def test_a_revision_of_an_unpublished_fiche_shows_no_diff_and_names_nothing_of_it(self, client):
        old, new = self.make(published=False)
        old.title = "Geheime eerdere versie"
        old.save()
        body = page(client, new)
        assert 'id="wijzigingen"' not in body and "Herzien op" not in body
        assert "een verordening voor over chips" not in body and "Geheime eerdere versie" not in body
