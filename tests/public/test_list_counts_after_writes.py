"""Menus, counts and search order of the public lists stay exact right after a write made as the admin makes
it (the ORM): a publication, a withdrawal, an embargo, a verdict or ministry change, a commitment's status
change, a document linked or its kind changed. On PostgreSQL the menus count trigger-maintained columns of the
fiche (migration positions 0009); a test checks those columns against a recomputation after every kind of write.
"""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from positions.models import Commitment, Fiche, Verdict
from proposals.models import CommissionDocument

from . import pages_data as data
from .test_pages_fiche_list import options, page, result_count

pytestmark = pytest.mark.django_db
URL = "/fiches/"
COMMITMENTS = "/toezeggingen/"
DOCUMENTS = "/voorstellen/"


def menus_match_results(client, params):
    """Every count of every menu of the fiche list under ``params`` equals the results of choosing it."""
    body = page(client, URL, params)
    for name in ("year", "council", "ministry", "document_kind", "template", "competence", "subsidiarity",
                 "proportionality", "commitment_status"):
        for value, count in options(body, name).items():
            assert result_count(page(client, URL, {**params, name: value})) == count, f"{name}={value} under {params}"
    return body


class FicheMenusAfterWritesTests:
    def test_a_publication_a_withdrawal_and_an_embargo_change_menus_and_count_at_once(self, client):
        data.fiche(ministry="ezk", verdict=Verdict.NEGATIVE)
        draft = data.fiche(published=False, ministry="fin", verdict=Verdict.NEUTRAL)
        body = page(client, URL)
        assert result_count(body) == 1 and "fin" not in options(body, "ministry") and "neutraal" not in options(body, "competence")
        draft.status, draft.kamerstuk, draft.sent_on = Fiche.Status.PUBLISHED, "22112-9901", datetime.date(2024, 3, 1)
        draft.save()
        body = menus_match_results(client, {})
        assert result_count(body) == 2 and options(body, "ministry") == {"ezk": 1, "fin": 1}
        assert options(body, "competence") == {"negatief": 1, "neutraal": 1}
        draft.status = Fiche.Status.DRAFT
        draft.save()
        body = page(client, URL)
        assert result_count(body) == 1 and "fin" not in options(body, "ministry")
        draft.status, draft.public_from = Fiche.Status.PUBLISHED, timezone.now() + datetime.timedelta(days=2)
        draft.save()
        body = page(client, URL)
        assert result_count(body) == 1 and "fin" not in options(body, "ministry")  # under embargo: not published yet

    def test_a_verdict_and_a_ministry_change_move_their_counts(self, client):
        first = data.fiche(ministry="ezk", verdict=Verdict.POSITIVE)
        data.fiche(ministry="ezk", verdict=Verdict.POSITIVE)
        assert options(page(client, URL), "competence") == {"positief": 2}
        first.competence = Verdict.NEGATIVE
        first.lead_ministry = data.reference()["fin"]
        first.save()
        body = menus_match_results(client, {})
        assert options(body, "competence") == {"negatief": 1, "positief": 1}
        assert options(body, "ministry") == {"ezk": 1, "fin": 1}
        assert options(page(client, URL, {"competence": Verdict.POSITIVE}), "ministry") == {"ezk": 1}

    def test_a_commitment_status_change_and_its_confirmation_move_the_status_menu(self, client):
        fiche = data.fiche(title="Fiche over windenergie", sections=[("essence", "Essentie", "Over windenergie op zee.")])
        commitment = data.commitment(fiche)
        data.commitment(data.fiche(), status=Commitment.Status.OPEN)
        assert options(page(client, URL), "commitment_status") == {"open": 2}
        commitment.status = Commitment.Status.WITHDRAWN
        commitment.save()
        assert options(menus_match_results(client, {}), "commitment_status") == {"open": 1, "withdrawn": 1}
        assert options(page(client, URL, {"q": "windenergie"}), "commitment_status") == {"withdrawn": 1}
        commitment.confirmed = False  # a commitment waiting for confirmation is not public
        commitment.save()
        assert options(page(client, URL), "commitment_status") == {"open": 1}
        commitment.delete()
        assert options(menus_match_results(client, {"q": "windenergie"}), "commitment_status") == {}

    def test_a_document_linked_unlinked_or_of_another_kind_moves_the_kind_menu(self, client):
        regulation = data.document(kind=CommissionDocument.Kind.REGULATION)
        fiche = data.fiche(documents=[regulation])
        assert options(page(client, URL), "document_kind") == {"regulation": 1}
        directive = data.document(kind=CommissionDocument.Kind.DIRECTIVE)
        fiche.documents.add(directive)
        assert options(menus_match_results(client, {}), "document_kind") == {"regulation": 1, "directive": 1}
        regulation.kind = CommissionDocument.Kind.DIRECTIVE
        regulation.save()
        assert options(page(client, URL), "document_kind") == {"directive": 1}  # a fiche counts once a kind
        fiche.documents.remove(directive)
        regulation.kind = CommissionDocument.Kind.DECISION
        regulation.save()
        assert options(menus_match_results(client, {}), "document_kind") == {"decision": 1}

    def test_a_search_counts_its_menus_and_its_results_within_the_other_filters(self, client):
        for index in range(4):
            data.fiche(ministry=("ezk", "fin")[index % 2], verdict=(Verdict.POSITIVE, Verdict.NEGATIVE)[index // 2],
                       sections=[("essence", "Essentie", "Over waterstofnetwerken." if index < 3 else "Over landbouw.")])
        body = menus_match_results(client, {"q": "waterstofnetwerken", "ministry": "ezk"})
        assert result_count(body) == 2
        assert options(body, "ministry") == {"ezk": 2, "fin": 1}
        assert options(body, "competence") == {"positief": 1, "negatief": 1}


class SearchOrderTests:
    def test_title_hits_come_first_then_proposal_and_document_titles_then_the_newest(self, client):
        data.fiche(title="Ander fiche, nieuwst", sent_on=datetime.date(2024, 6, 1),
                   sections=[("essence", "Essentie", "Terloops iets over kernfusie, kernfusie en nog eens kernfusie.")])
        data.fiche(title="Ouder fiche", sent_on=datetime.date(2024, 3, 1),
                   documents=[data.document(title="Verordening over kernfusie")])
        data.fiche(title="Kernfusie in Europa", sent_on=datetime.date(2024, 2, 1))
        body = page(client, URL, {"q": "kernfusie"})
        # PostgreSQL ranks a hit in a document title (B) above one in the text only; the SQLite fallback knows titles only.
        order = ("Kernfusie in Europa", "Ouder fiche", "Ander fiche, nieuwst")
        if connection.vendor != "postgresql":
            order = ("Kernfusie in Europa", "Ander fiche, nieuwst", "Ouder fiche")
        positions = [body.index(title) for title in order]
        assert positions == sorted(positions)
        assert result_count(body) == 3

    def test_the_pages_of_a_search_follow_the_order_of_the_search_itself(self, client):
        """On PostgreSQL the list cuts a search's pages from the keys its menus' query sorted (``filters.RELEVANCE_ORDER``
        in SQL): the same order as ``search.search_fiches``, ties in rank included (newest first, then by Kamerstuk
        number as text, descending)."""
        from public import search

        day = datetime.date(2024, 5, 1)
        for number, sent_on in (("22112-999", day), ("22112-1000", day), ("22112-1001", day - datetime.timedelta(days=1))):
            data.fiche(title="Kernfusie in Europa", kamerstuk=number, sent_on=sent_on)
        for number, sent_on in (("22112-998", day), ("22112-1002", day), ("22112-1003", day + datetime.timedelta(days=1))):
            data.fiche(title="Ander fiche", kamerstuk=number, sent_on=sent_on, sections=[("essence", "Essentie", "Over kernfusie.")])
        expected = list(search.search_fiches(Fiche.objects.published(), "kernfusie").values_list("kamerstuk", flat=True))
        body = page(client, URL, {"q": "kernfusie"})
        assert re.findall(r'<h3><a href="/fiches/([^/]+)/"', body) == expected
        assert expected[:3] == ["22112-999", "22112-1000", "22112-1001"]  # the title hits first, then by date and number

    def test_a_phrase_and_a_negation_still_work(self, client):
        data.fiche(title="Fiche A", sections=[("essence", "Essentie", "Over de interne markt voor energie.")])
        data.fiche(title="Fiche B", sections=[("essence", "Essentie", "De markt is intern geregeld, ook voor energie.")])
        data.fiche(title="Fiche C", sections=[("essence", "Essentie", "Over de interne markt voor batterijen.")])
        negated = page(client, URL, {"q": "markt -batterijen"})
        if connection.vendor != "postgresql":  # the SQLite fallback ignores quotes and minus signs: every word must occur
            assert "Fiche C" in negated and result_count(negated) == 1
            return
        assert "Fiche A" in negated and "Fiche B" in negated and "Fiche C" not in negated
        phrase = page(client, URL, {"q": '"interne markt"'})
        assert "Fiche A" in phrase and "Fiche C" in phrase and "Fiche B" not in phrase


class CommitmentAndDocumentListsAfterWritesTests:
    def test_commitment_menus_and_count_follow_a_publication_and_a_confirmation(self, client):
        data.commitment(data.fiche(council="tte"))
        draft = data.fiche(published=False, council="ecofin", ministry="fin")
        waiting = data.commitment(draft)
        body = page(client, COMMITMENTS)
        assert "1 toezegging gevonden" in body and "ECOFIN" not in body.split('name="council"')[1].split("</select>")[0]
        draft.status, draft.kamerstuk, draft.sent_on = Fiche.Status.PUBLISHED, "22112-9902", datetime.date(2024, 3, 1)
        draft.save()
        body = page(client, COMMITMENTS)
        assert "2 toezeggingen gevonden" in body
        assert options(body, "council") == {"TTE": 1, "ECOFIN": 1}
        waiting.confirmed = False
        waiting.save()
        body = page(client, COMMITMENTS)
        assert "1 toezegging gevonden" in body and options(body, "council") == {"TTE": 1}
        assert 'value="fin"' not in body.split('name="ministry"')[1].split("</select>")[0]

    def test_document_menus_and_count_follow_a_publication(self, client):
        data.fiche(documents=[data.document(year=2023, kind=CommissionDocument.Kind.REGULATION)])
        draft = data.fiche(published=False, documents=[data.document(year=2024, kind=CommissionDocument.Kind.DIRECTIVE)])
        body = page(client, DOCUMENTS)
        assert "1 document gevonden" in body and options(body, "year") == {"2023": 1} and options(body, "kind") == {"regulation": 1}
        draft.status, draft.kamerstuk, draft.sent_on = Fiche.Status.PUBLISHED, "22112-9903", datetime.date(2024, 3, 1)
        draft.save()
        body = page(client, DOCUMENTS)
        assert "2 documenten gevonden" in body
        assert options(body, "year") == {"2023": 1, "2024": 1} and options(body, "kind") == {"regulation": 1, "directive": 1}


IN_SYNC = """
SELECT f.id FROM positions_fiche f WHERE
    f.search_vector IS DISTINCT FROM positions_fiche_search_vector(f.id, f.title, f.proposal_title)
    OR f.rank_vector IS DISTINCT FROM ts_filter(f.search_vector, '{a,b}')
    OR f.document_kinds IS DISTINCT FROM ARRAY(SELECT DISTINCT d.kind FROM positions_fiche_documents fd
        JOIN proposals_commissiondocument d ON d.id = fd.commissiondocument_id WHERE fd.fiche_id = f.id ORDER BY 1)::text[]
    OR f.commitment_statuses IS DISTINCT FROM ARRAY(SELECT DISTINCT c.status FROM positions_commitment c
        WHERE c.fiche_id = f.id AND c.confirmed ORDER BY 1)::text[]
"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger-maintained columns exist on PostgreSQL only")
class TriggeredColumnsTests:
    def out_of_sync(self):
        with connection.cursor() as cursor:
            cursor.execute(IN_SYNC)
            return [row[0] for row in cursor.fetchall()]

    def test_every_kind_of_write_keeps_the_list_columns_in_sync(self):
        first = data.fiche(title="Windenergie op zee", documents=[data.document(kind=CommissionDocument.Kind.REGULATION)])
        second = data.fiche(published=False)
        steps = []
        commitment = data.commitment(first)
        steps.append("commitment added")
        commitment.status = Commitment.Status.LAPSED
        commitment.save()
        steps.append("status changed")
        commitment.confirmed = False
        commitment.save()
        steps.append("unconfirmed")
        commitment.confirmed, commitment.fiche = True, second
        commitment.save()
        steps.append("moved to another fiche")
        Commitment.objects.filter(pk=commitment.pk).update(status=Commitment.Status.OPEN)
        steps.append("bulk status update")
        directive = data.document(kind=CommissionDocument.Kind.DIRECTIVE, title="Richtlijn over waterstof")
        first.documents.add(directive)
        steps.append("document linked")
        directive.kind = CommissionDocument.Kind.DECISION
        directive.title = "Besluit over waterstof"
        directive.save()
        steps.append("document kind and title changed")
        first.documents.remove(directive)
        steps.append("document unlinked")
        section = first.sections.first()
        section.text = "Nu over zonne-energie."
        section.save()
        steps.append("section edited")
        first.title, first.competence = "Zonne-energie op land", Verdict.NEGATIVE
        first.save()
        steps.append("title and verdict changed")
        first.subsidiarity = Verdict.NEUTRAL
        first.save()
        steps.append("verdict changed")
        commitment.delete()
        steps.append("commitment deleted")
        assert self.out_of_sync() == [], steps
        with connection.cursor() as cursor:
            cursor.execute("SELECT document_kinds, commitment_statuses, rank_vector::text FROM positions_fiche WHERE id = %s", [first.pk])
            kinds, statuses, ranked = cursor.fetchone()
        assert kinds == ["regulation"] and statuses == [] and "'zonne-energie'" in ranked and "windenergie" not in ranked

    def test_a_change_to_neither_title_nor_children_keeps_the_stored_vector(self):
        fiche = data.fiche(title="Windenergie op zee")
        with connection.cursor() as cursor:
            # A stale marker in the vector survives an edit of another field: the trigger did not recompute it.
            cursor.execute("UPDATE positions_fiche SET search_vector = search_vector || 'merkteken'::tsvector WHERE id = %s", [fiche.pk])
        fiche.competence = Verdict.NEGATIVE
        fiche.save()
        with connection.cursor() as cursor:
            cursor.execute("SELECT search_vector::text FROM positions_fiche WHERE id = %s", [fiche.pk])
            assert "merkteken" in cursor.fetchone()[0]
        fiche.title = "Windenergie op land"
        fiche.save()
        assert self.out_of_sync() == []


class CachedSnippetsTests:
    def test_a_search_snippet_follows_an_edited_section_and_each_page_has_its_own(self, client):
        fiche = data.fiche(title="Fiche over energie", sections=[("essence", "Essentie", "Over windparken op de Noordzee.")])
        assert "<mark>windparken</mark> op de Noordzee" in page(client, URL, {"q": "windparken"})
        section = fiche.sections.get()
        section.text = "Over windparken bij Texel."
        section.save()
        body = page(client, URL, {"q": "windparken"})
        assert "<mark>windparken</mark> bij Texel" in body and "Noordzee" not in body
        for index in range(27):
            data.fiche(title=f"Fiche {index:02d}", sections=[("essence", "Essentie", f"Over zonnepanelen nummer {index:02d}.")])
        first, second = page(client, URL, {"q": "zonnepanelen"}), page(client, URL, {"q": "zonnepanelen", "page": "2"})
        assert second.count("<mark>zonnepanelen</mark>") == 2 and first.count("<mark>zonnepanelen</mark>") == 25
        assert page(client, URL, {"q": "zonnepanelen", "page": "2"}) == second  # from the cache now
