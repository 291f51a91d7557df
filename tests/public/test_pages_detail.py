import datetime
import time

import pytest
from django.utils import timezone

from positions.models import Commitment, CommitmentStatusChange, Fiche, Footnote, Verdict
from proposals.models import CouncilMeeting, DocumentRelation

from . import pages_data as data

pytestmark = pytest.mark.django_db


class FichePageTests:
    def make(self):
        f = data.fiche(
            title="Fiche over chips",
            sections=[("essence", "Essentie voorstel", "Eerste alinea.[^1]\n\nTweede alinea.[^2] En weer.[^1]"),
                      ("position-assessment", "Beoordeling + inzet", "Het kabinet steunt dit.")],
            verdict=Verdict.POSITIVE_WITH_REMARKS,
        )
        Footnote.objects.create(fiche=f, number=1, text="Kamerstuk 26 643, nr. 941", urls=["https://example.org/a"])
        Footnote.objects.create(fiche=f, number=2, text="COM(2023) 1")
        Footnote.objects.create(fiche=f, number=3, text="Nergens naar verwezen")
        c = data.commitment(f, status=Commitment.Status.FULFILLED, evidence_date=datetime.date(2024, 5, 8),
                            evidence_url="https://www.tweedekamer.nl/x", summary="Beoordeling AI Office naar de Kamer")
        CommitmentStatusChange.objects.create(commitment=c, from_status="open", to_status="fulfilled", note="Geleverd via schriftelijk overleg",
                                              evidence_reference="Kamerstuk 22 112, nr. 3942")
        return f

    def test_it_shows_sections_in_template_order_with_two_way_footnotes(self, client):
        f = self.make()
        body = client.get(f.get_absolute_url()).content.decode()
        assert body.index("Essentie voorstel") < body.index("Beoordeling + inzet")
        assert 'href="#voetnoot-1" id="voetnootref-1"' in body
        assert 'id="voetnootref-1-2"' in body  # second marker of footnote 1 keeps ids unique
        assert 'href="#voetnootref-2"' in body
        assert 'href="#voetnootref-3"' not in body  # no back link to a marker that does not exist
        assert 'id="voetnoot-3"' in body

    def test_it_shows_verdicts_with_symbol_text_and_sentence(self, client):
        f = self.make()
        body = client.get(f.get_absolute_url()).content.decode()
        assert "verdict-positive-remarks" in body
        assert "✓!" in body and "positief met kanttekeningen" in body
        assert "De grondhouding ten aanzien van de bevoegdheid is positief met kanttekeningen." in body

    def test_it_links_documents_to_eurlex_and_shows_commitments_with_evidence(self, client):
        f = self.make()
        doc = f.documents.get()
        body = client.get(f.get_absolute_url()).content.decode()
        assert f"https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:{doc.celex}" in body
        assert doc.get_absolute_url() in body
        assert 'id="toezegging-1"' in body and "Beoordeling AI Office naar de Kamer" in body
        assert "voldaan" in body and "https://www.tweedekamer.nl/x" in body
        assert "Geleverd via schriftelijk overleg" in body

    def test_it_links_revisions_both_ways_but_never_to_an_unpublished_one(self, client):
        old = data.fiche(title="Oud fiche")
        new = data.fiche(title="Herzien fiche", revises=old, is_revision=True)
        data.fiche(published=False, title="Concept-herziening", revises=old)
        old_body = client.get(old.get_absolute_url()).content.decode()
        assert "Dit fiche is herzien door" in old_body and new.get_absolute_url() in old_body
        assert "Concept-herziening" not in old_body
        assert old.get_absolute_url() in client.get(new.get_absolute_url()).content.decode()

    def test_the_kamerstuk_as_parliament_cites_it_redirects_to_the_canonical_url(self, client):
        f = data.fiche()
        number = f.kamerstuk.split("-")[1]
        for typed in (f"22 112, nr. {number}", f"Kamerstuk 22112, nr. {number}", f"22112-0{number}"):
            response = client.get(f"/fiches/{typed}/")
            assert response.status_code == 301, typed
            assert response["Location"] == f"/fiches/{f.kamerstuk}/", typed
        assert client.get("/fiches/22112 3908/").status_code == 404
        assert client.get(f"/fiches/22 112, nr. {int(number) + 1}/", follow=True).status_code == 404

    def test_an_embargoed_fiche_answers_404_until_the_embargo_lifts_and_then_its_page(self, client, django_assert_num_queries):
        """Its "not published" is cached, but never past the moment the embargo lifts (``ContentCache.fragment``)."""
        lifts = timezone.now() + datetime.timedelta(seconds=2)
        fiche = data.fiche(public_from=lifts)
        assert client.get(fiche.get_absolute_url()).status_code == 404
        with django_assert_num_queries(1):  # the content state only: "not published" comes from the cache
            assert client.get(fiche.get_absolute_url()).status_code == 404
        time.sleep(max(0, (lifts - timezone.now()).total_seconds()) + 0.1)
        assert client.get(fiche.get_absolute_url()).status_code == 200

    def test_unpublished_and_unknown_fiches_answer_404(self, client):
        draft = data.fiche(published=False, kamerstuk="22112-9999")
        embargoed = data.fiche(public_from=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))
        assert draft.kamerstuk
        for url in ("/fiches/22112-9999/", embargoed.get_absolute_url(), "/fiches/22112-1/", "/fiches/onzin/"):
            response = client.get(url)
            assert response.status_code == 404
            assert "Pagina niet gevonden" in response.content.decode()

    @pytest.mark.parametrize("extra", [0, 10])
    def test_fiche_queries_do_not_grow_with_rows(self, client, django_assert_num_queries, extra):
        f = self.make()
        for i in range(extra):
            Footnote.objects.create(fiche=f, number=10 + i, text=f"Voetnoot {i}")
            data.commitment(f, status=Commitment.Status.OPEN)
        # The fiche and the content version, then (its body not cached yet) 9 for the fiche and its rows, +1 for
        # the cited fiches and +1 for the cited documents (its footnotes cite a Kamerstuk and a COM reference):
        # citations are resolved once per page, whatever their number. Cached, the page costs the content version only.
        with django_assert_num_queries(13):
            assert client.get(f.get_absolute_url()).status_code == 200
        with django_assert_num_queries(1):
            assert client.get(f.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize("cited", [1, 12])
    def test_citation_lookups_cost_two_queries_however_many_are_cited(self, client, django_assert_num_queries, cited):
        text = " ".join(f"Zie Kamerstuk 22 112, nr. {100 + i} en COM(2021) {i + 1}." for i in range(cited))
        f = data.fiche(sections=[("essence", "Essentie voorstel", text)])
        data.commitment(f)
        with django_assert_num_queries(13):
            assert client.get(f.get_absolute_url()).status_code == 200

    def test_a_fiche_that_cites_nothing_costs_no_citation_queries(self, client, django_assert_num_queries):
        f = data.fiche()
        data.commitment(f)
        with django_assert_num_queries(11):
            assert client.get(f.get_absolute_url()).status_code == 200


class DossierPageTests:
    def test_any_spelling_redirects_permanently_to_the_canonical_url(self, client):
        data.fiche(documents=[data.document(year=2024, number=28)])
        for spelling in ("COM(2024) 28", "COM (2024) 28", "com-2024-028", "COM-2024-28", "COM 2024 28"):
            response = client.get(f"/voorstellen/{spelling}/")
            assert response.status_code == 301, spelling
            assert response["Location"] == "/voorstellen/com-2024-28/"
        assert client.get("/voorstellen/com-2024-28/").status_code == 200

    def test_unknown_invalid_and_unpublished_documents_answer_404(self, client):
        data.fiche(published=False, documents=[data.document(year=2024, number=77, title="Geheim voorstel")])
        for url in ("/voorstellen/com-2024-77/", "/voorstellen/com-2024-78/", "/voorstellen/onzin/", "/voorstellen/com-9999-1/"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert "Geheim voorstel" not in response.content.decode()

    def test_it_shows_facts_package_fiches_commitments_and_a_timeline(self, client):
        doc = data.document(year=2024, number=28, received_on=datetime.date(2024, 1, 24))
        sibling = data.document(year=2024, number=29, title="EuroHPC-wijziging")
        DocumentRelation.objects.create(source=doc, target=sibling, kind=DocumentRelation.Kind.SAME_PACKAGE)
        data.fiche(title="Fiche over EuroHPC", documents=[sibling])
        f = data.fiche(title="Fiche over AI", documents=[doc], sent_on=datetime.date(2024, 3, 20))  # deadline 6 March: late
        data.commitment(f, status=Commitment.Status.FULFILLED, evidence_date=datetime.date(2024, 5, 8), summary="AI Office beoordeeld")
        CouncilMeeting.objects.create(configuration=f.council_configuration, date=datetime.date(2024, 2, 20))
        CouncilMeeting.objects.create(configuration=f.council_configuration, date=datetime.date(2024, 6, 20))  # after the window
        body = client.get("/voorstellen/com-2024-28/").content.decode()
        assert "Fiche over AI" in body and "EuroHPC-wijziging" in body
        assert "6 maart 2024" in body
        assert "te laat, 14 dagen na de termijn" in body
        assert "Vergadering Raad Vervoer, Telecommunicatie en Energie" in body and "20 februari 2024" in body
        assert "20 juni 2024" not in body
        assert "Toezegging voldaan: AI Office beoordeeld" in body
        assert 'class="vtimeline"' in body and 'class="mark mark-fulfilled"' in body

    def test_the_timeline_shows_the_council_meeting_a_commitment_is_due_at_even_after_the_fiche(self, client):
        doc = data.document(year=2024, number=28, received_on=datetime.date(2024, 1, 24))
        f = data.fiche(documents=[doc], sent_on=datetime.date(2024, 3, 1))
        telecom = CouncilMeeting.objects.create(configuration=f.council_configuration, date=datetime.date(2024, 5, 21))
        data.commitment(f, due_event=Commitment.DueEvent.ANNOTATED_AGENDA, due_meeting=telecom)
        body = client.get("/voorstellen/com-2024-28/").content.decode()
        timeline = body[body.index('class="vtimeline"'):]
        day = timeline[timeline.index("21 mei 2024</time>"):]
        day = day[:day.index("</ul>")]
        assert "Vergadering Raad Vervoer, Telecommunicatie en Energie: termijn van een toezegging" in day

    def test_the_example_dossier_timeline_reaches_the_telecom_council_of_21_may_2024(self, client, example):
        body = client.get("/voorstellen/com-2024-28/").content.decode()
        timeline = body[body.index('class="vtimeline"'):]
        for moment in ("24 januari 2024", "6 maart 2024", "1 maart 2024", "8 mei 2024", "21 mei 2024"):
            assert moment in timeline, moment

    def test_same_day_events_share_one_date_and_partly_fulfilled_has_its_own_mark(self, client):
        doc = data.document(year=2024, number=28, received_on=datetime.date(2024, 1, 24))
        f = data.fiche(documents=[doc], sent_on=datetime.date(2024, 3, 1))
        data.commitment(f, status=Commitment.Status.FULFILLED, evidence_date=datetime.date(2024, 5, 8), summary="Eerste geleverd")
        data.commitment(f, status=Commitment.Status.PARTLY_FULFILLED, evidence_date=datetime.date(2024, 5, 8), summary="Half geleverd")
        body = client.get("/voorstellen/com-2024-28/").content.decode()
        timeline = body[body.index('class="vtimeline"'):body.index('class="meta timeline-key"')]
        assert timeline.count('<time datetime="2024-05-08">') == 1
        day = timeline[timeline.index('<time datetime="2024-05-08">'):]
        day = day[:day.index('class="vtimeline-day"') if 'class="vtimeline-day"' in day else len(day)]
        assert '<span class="mark mark-partly-fulfilled" aria-hidden="true"></span>' in day and "Half geleverd" in day
        assert '<span class="mark mark-fulfilled" aria-hidden="true"></span>' in day and "Eerste geleverd" in day
        assert day.index("Half geleverd") < day.index("Eerste geleverd")

    @pytest.mark.parametrize("size", [2, 8])
    def test_dossier_queries_do_not_grow_with_rows(self, client, django_assert_num_queries, size):
        doc = data.document(year=2024, number=28)
        for i in range(size):
            f = data.fiche(documents=[doc, data.document()])
            data.commitment(f, status=Commitment.Status.FULFILLED, evidence_date=datetime.date(2024, 5, 8))
            DocumentRelation.objects.create(source=doc, target=data.document(), kind=DocumentRelation.Kind.ACCOMPANIES)
            assert i >= 0
        # The content version, the document, then (its fragments not cached yet) the fiches, their documents, the
        # relations, which related documents are public, the commitments, the Council meetings and the outcome
        # ledger's published outcomes of these fiches. Cached: the content version only.
        with django_assert_num_queries(9):
            assert client.get("/voorstellen/com-2024-28/").status_code == 200
        with django_assert_num_queries(1):
            assert client.get("/voorstellen/com-2024-28/").status_code == 200


class CommitmentListTests:
    def test_the_count_groups_its_thousands_as_each_language_writes_them(self, client):
        f = data.fiche()
        Commitment.objects.bulk_create(
            Commitment(fiche=f, position=n, quote="Het kabinet zal hier aandacht voor vragen.", summary=f"Toezegging {n}",
                       kind=Commitment.Kind.RAISE) for n in range(1, 1235))
        assert "1.234 toezeggingen gevonden" in client.get("/toezeggingen/").content.decode()
        assert "1,234 commitments found" in client.get("/en/toezeggingen/").content.decode()

    def test_it_lists_commitments_of_published_fiches_linked_to_their_fiche(self, client):
        f = data.fiche(title="Publiek")
        data.commitment(f, summary="Aandacht vragen voor chips")
        data.commitment(data.fiche(published=False), summary="Geheime toezegging")
        body = client.get("/toezeggingen/").content.decode()
        assert "Aandacht vragen voor chips" in body and f"{f.get_absolute_url()}#toezegging-1" in body
        assert "Geheime toezegging" not in body

    @pytest.mark.parametrize(
        ("params", "expected", "excluded"),
        [
            ({"status": "fulfilled"}, "Nagekomen", "Nog open"),
            ({"kind": "inform"}, "Nagekomen", "Nog open"),
            ({"ministry": "fin"}, "Nagekomen", "Nog open"),
            ({"council": "ECOFIN"}, "Nagekomen", "Nog open"),
            ({"due": "overdue"}, "Nog open", "Nagekomen"),
            ({"due": "none"}, "Nagekomen", "Nog open"),
            ({"due_after": "2020-01-01", "due_before": "2021-01-01"}, "Nog open", "Nagekomen"),
        ],
    )
    def test_filters_narrow_the_list(self, client, params, expected, excluded):
        data.commitment(data.fiche(), summary="Nog open", due_date=datetime.date(2020, 6, 1))
        data.commitment(data.fiche(ministry="fin", council="ecofin"), summary="Nagekomen", status=Commitment.Status.FULFILLED,
                        kind=Commitment.Kind.INFORM)
        body = client.get("/toezeggingen/", params).content.decode()
        assert expected in body and excluded not in body

    def test_the_filters_but_the_search_fold_behind_a_summary_that_counts_the_active_ones(self, client):
        data.commitment(data.fiche(ministry="fin"), summary="Nog open")
        body = client.get("/toezeggingen/").content.decode()
        folded = body[body.index('<details class="filter-panel">'):body.index("</details>", body.index('<details class="filter-panel">'))]
        assert "<summary>Filters</summary>" in folded and 'name="ministry"' in folded and 'name="due_before"' in folded
        assert 'name="q"' not in folded and 'name="q"' in body  # the search stays in sight
        body = client.get("/toezeggingen/", {"ministry": "fin", "status": "open", "q": "open"}).content.decode()
        assert "<summary>Filters (2 actief)</summary>" in body
        # With an error the panel is open, so the field in error is in sight.
        assert '<details class="filter-panel" open>' in client.get("/toezeggingen/", {"due_after": "gisteren"}).content.decode()

    def test_invalid_filters_give_an_error_not_a_500(self, client):
        response = client.get("/toezeggingen/", {"status": "klaar", "due_after": "gisteren"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "Controleer de filters" in body and "Kies een status uit de lijst" in body and "Uiterste datum vanaf" in body

    @pytest.mark.parametrize("size", [2, 10])
    def test_commitment_queries_do_not_grow_with_rows(self, client, django_assert_num_queries, size):
        data.world(size)
        # count, keys, rows, the facet cache's content version + on a miss 2 facets; 4 once they are cached
        with django_assert_num_queries(6):
            assert client.get("/toezeggingen/", {"status": "open"}).status_code == 200
        with django_assert_num_queries(4):
            assert client.get("/toezeggingen/", {"status": "fulfilled"}).status_code == 200


class StatisticsPageTests:
    def test_cached_figures_change_with_the_first_write_and_follow_the_language(self, client, django_assert_num_queries):
        first = data.fiche(year=2024)
        data.commitment(first, status=Commitment.Status.FULFILLED, due_date=datetime.date(2024, 7, 1), evidence_date=datetime.date(2024, 7, 11))
        data.commitment(first, status=Commitment.Status.OPEN)
        # the content version + 3 figure queries on a miss (the fiches with their ministries' and Councils' names, the
        # commitments, the outcome ledger); only the content version once cached
        with django_assert_num_queries(4):
            assert "50% (1 van 2" in client.get("/statistieken/").content.decode()
        with django_assert_num_queries(1):
            assert "50% (1 van 2" in client.get("/statistieken/").content.decode()
        data.commitment(first, status=Commitment.Status.FULFILLED, due_date=datetime.date(2024, 7, 1), evidence_date=datetime.date(2024, 7, 21))
        assert "67% (2 van 3" in client.get("/statistieken/").content.decode()
        english = client.get("/en/statistieken/")
        assert english["Content-Language"] == "en" and english.content.decode() != client.get("/statistieken/").content.decode()

    def test_it_counts_published_data_only_with_tables_next_to_charts(self, client):
        data.fiche(year=2023, sent_on=datetime.date(2023, 2, 1))  # on time (deadline 7 March)
        late = data.fiche(year=2024, ministry="fin", sent_on=datetime.date(2024, 6, 1), verdict=Verdict.NEGATIVE)
        data.fiche(published=False, year=2022)
        data.commitment(late, status=Commitment.Status.FULFILLED, due_date=datetime.date(2024, 7, 1), evidence_date=datetime.date(2024, 7, 11))
        data.commitment(late, status=Commitment.Status.FULFILLED, due_date=datetime.date(2024, 7, 1), evidence_date=datetime.date(2024, 7, 21))
        data.commitment(late, status=Commitment.Status.OPEN)
        data.commitment(late, status=Commitment.Status.WITHDRAWN)
        response = client.get("/statistieken/")
        body = response.content.decode()
        assert response.status_code == 200
        assert "<th scope=\"row\">2022</th>" not in body
        assert "<th scope=\"row\">2023</th>" in body and "<th scope=\"row\">2024</th>" in body
        assert "<th scope=\"row\">Financiën</th><td>0 (0%)</td><td>1 (100%)</td>" in body
        assert "<th scope=\"row\">Economische Zaken en Klimaat</th><td>1 (100%)</td>" in body
        assert "67% (2 van 3" in body
        assert "15 dagen na de termijn" in body
        assert body.count('class="hchart"') == 4 and body.count("<table") == 5  # four charts with their tables, and the grid

    def test_timeliness_shows_one_year_when_chosen_and_the_grid_of_every_year(self, client):
        data.fiche(year=2023, sent_on=datetime.date(2023, 2, 1))  # on time
        data.fiche(year=2024, sent_on=datetime.date(2024, 6, 1))  # late
        chosen = client.get("/statistieken/", {"jaar": "2024"}).content.decode()
        chart = chosen[chosen.index('id="grafiek-tijdigheid-tabel"'):]
        chart = chart[:chart.index("</table>")]
        assert "Economische Zaken en Klimaat</th><td>0 (0%)</td><td>1 (100%)</td><td>0 (0%)</td><td>1</td>" in chart
        assert '<option value="2024" selected>' in chosen
        grid = chosen[chosen.index('id="raster-tijdigheid"'):]
        grid = grid[:grid.index("</table>")]
        assert "<th scope=\"col\">2023</th><th scope=\"col\">2024</th>" in grid
        assert "100% <span class=\"meta\">(1/1)</span></td><td>0% <span class=\"meta\">(0/1)</span>" in grid

    def test_an_unknown_year_says_which_years_exist_and_shows_all_years(self, client):
        data.fiche(year=2023, sent_on=datetime.date(2023, 2, 1))
        for wrong in ("1999", "abcd", "20233"):
            response = client.get("/statistieken/", {"jaar": wrong})
            body = response.content.decode()
            assert response.status_code == 200
            assert "Kies een jaar uit de lijst: 2023 tot en met 2023." in body, wrong
            assert "Tijdigheid per ministerie, alle jaren" in body

    def test_ministries_with_the_same_name_are_told_apart_by_their_period(self):
        from proposals.models import Ministry, ministry_label  # the one helper: statistics, list filters and rows, Ministry.label

        assert ministry_label("Ministerie van Economische Zaken", datetime.date(2012, 11, 5), datetime.date(2017, 10, 26)) == "Economische Zaken (2012-2017)"
        assert ministry_label("Ministerie van Economische Zaken", None, datetime.date(2010, 10, 14)) == "Economische Zaken (tot 2010)"
        assert ministry_label("Ministerie van Economische Zaken", datetime.date(2024, 7, 2), None) == "Economische Zaken (sinds 2024)"
        assert ministry_label("Ministerie van Financiën", None, None) == "Financiën"
        old = Ministry(name="Ministerie van Economische Zaken", abbreviation="EZ", valid_from=datetime.date(2012, 11, 5),
                       valid_until=datetime.date(2017, 10, 26))
        assert (old.label, old.short_label) == ("Economische Zaken (2012-2017)", "EZ (2012-2017)")
        current = Ministry(name="Ministerie van Financiën", abbreviation="FIN")
        assert (current.label, current.short_label) == ("Financiën", "FIN")

    def test_verdicts_are_grouped_under_the_full_council_name_with_a_pattern_besides_colour(self, client):
        f = data.fiche(year=2024, verdict=Verdict.NEGATIVE)
        data.commitment(f, status=Commitment.Status.FULFILLED, due_date=datetime.date(2024, 7, 11), evidence_date=datetime.date(2024, 7, 1))
        body = client.get("/statistieken/").content.decode()
        chart = body[body.index('id="grafiek-oordelen-kop"'):]
        chart = chart[:chart.index("</figure>")]
        assert '<p class="hchart-group">Raad Vervoer, Telecommunicatie en Energie</p>' in chart
        for verdict in ("Bevoegdheid", "Subsidiariteit", "Proportionaliteit"):
            assert f'<span class="hchart-label">{verdict}</span>' in chart, verdict
        assert 'class="seg seg-negative"' in chart
        # every segment kind has its own pattern (or the one solid fill), so no two differ by colour alone
        for pattern in ("pat-stripes-light", "pat-hatch-dark", "pat-dots", "pat-horizontal", "pat-vertical", "pat-grid", "pat-diagonal-white"):
            assert f'<pattern id="{pattern}"' in body
        assert "<th scope=\"row\">Raad Vervoer, Telecommunicatie en Energie</th><th scope=\"row\">Bevoegdheid</th>" in body
        assert "10 dagen vóór de termijn" in body and "-10" not in body

    def test_verdict_labels_follow_the_interface_language(self, client):
        data.fiche(year=2024)
        body = client.get("/en/statistieken/").content.decode()
        assert '<span class="hchart-label">Competence</span>' in body and "Bevoegdheid" not in body


class StaticPagesTests:
    def test_home_links_every_public_surface(self, client, example):
        body = client.get("/").content.decode()
        for url in ("/fiches/", "/toezeggingen/", "/statistieken/", "/over/", "/toegankelijkheid/", "/feeds/fiches/", "/api/v1/", "/sitemap.xml"):
            assert f'href="{url}' in body, url
        assert example.title in body

    def test_the_open_commitments_count_on_home_matches_the_list_it_links_to(self, client):
        f = data.fiche()
        data.commitment(f, status=Commitment.Status.OPEN, summary="Nog te doen")
        data.commitment(f, status=Commitment.Status.PARTLY_FULFILLED, summary="Half gedaan")
        home = client.get("/").content.decode()
        assert 'href="/toezeggingen/?status=open">Alle 1 openstaande toezegging</a>' in home
        assert "Half gedaan" not in home
        assert "1 toezegging gevonden" in client.get("/toezeggingen/", {"status": "open"}).content.decode()

    def test_about_and_accessibility_pages_explain_in_plain_dutch(self, client):
        about = client.get("/over/").content.decode()
        assert "Wat is een BNC-fiche?" in about and "positief met kanttekeningen" in about and "deels voldaan" in about
        assert "Toegankelijkheidsverklaring" in client.get("/toegankelijkheid/").content.decode()

    def test_the_accessibility_statement_names_the_contact_address(self, client, settings):
        settings.CONTACT_EMAIL = "toegankelijkheid@example.nl"
        body = client.get("/toegankelijkheid/").content.decode()
        assert '<a href="mailto:toegankelijkheid@example.nl">toegankelijkheid@example.nl</a>' in body

    def test_every_page_has_a_skip_link_and_a_language_switch_that_works_without_javascript(self, client):
        body = client.get("/over/").content.decode()
        # The switch is one link to the same page in the other language (common.language).
        assert 'class="skip-link" href="#inhoud"' in body and 'href="http://testserver/en/over/" hreflang="en" lang="en"' in body
        english = client.get("/en/over/").content.decode()
        assert '<html lang="en">' in english and "What is a BNC fiche?" in english

    def test_data_stays_in_its_language_when_the_interface_is_english(self, client):
        f = data.fiche(title="Mededeling over betrouwbare AI")
        body = client.get("/en" + f.get_absolute_url()).content.decode()
        assert "Mededeling over betrouwbare AI" in body and "Commitments" in body and Fiche.Status.PUBLISHED
