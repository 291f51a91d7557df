"""The precedent panel of the fiche change form: earlier published fiches on the same legal basis, in the same Council
configuration or with a similar title, with their verdicts and why they matched; a notice when the fiche's verdict
differs from most of the last ten on its legal basis; never a draft or unpublished revision of any ministry; a fixed
number of queries. The panel has its own page (``admin:positions_fiche_precedents``; ``?paneel=1``: the panel alone,
which the form's script puts in place): the change form links to it and reads none of it. Runs on SQLite and on
PostgreSQL (full-text and trigram matching)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from positions import precedents
from positions.models import Fiche
from positions.permissions import ROLE_EDITOR
from positions.precedents import (
    Article,
    Candidates,
    PrecedentPanel,
    find_precedents,
    legal_basis_articles,
    title_words,
    verdict_notices,
)
from tests import factories

from .conftest import make_fiche, staff_user

ART_114 = "Artikel 114 van het Verdrag betreffende de werking van de Europese Unie (VWEU)"
D = datetime.date
MARCH_2024 = D(2024, 3, 1)
JANUARY_2020 = D(2020, 1, 1)


@pytest.fixture
def agri(db):
    return factories.council("AGRIFISH", "Raad Landbouw en Visserij")


@pytest.fixture
def envi(db):
    return factories.council("ENVI", "Raad Milieu")


def published(title, *, legal_basis="", council=None, sent_on=MARCH_2024, ministry=None, **fields):
    """A published fiche; by default with nothing in common with the drafts below but its status."""
    return factories.fiche(title=title, legal_basis=legal_basis, council_configuration=council, sent_on=sent_on,
                           received_on=sent_on - datetime.timedelta(days=40), lead_ministry=ministry or factories.ministry(), **fields)


def draft(title="Verordening kunstmatige intelligentie", *, legal_basis="Artikel 114 VWEU", council=None, ministry=None, **fields):
    return make_fiche(Fiche.Status.DRAFT, ministry=ministry, title=title, legal_basis=legal_basis, council_configuration=council, **fields)


def titles(fiche):
    return [p.fiche.title for p in find_precedents(fiche)]


def reasons(fiche):
    return {p.fiche.title: p.reasons for p in find_precedents(fiche)}


def change_form(client, fiche):
    return client.get(reverse("admin:positions_fiche_change", args=[fiche.pk]))


def panel_url(fiche):
    return reverse("admin:positions_fiche_precedents", args=[fiche.pk])


def panel_page(client, fiche, **params):
    return client.get(panel_url(fiche), params)


def panel_html(html):
    start = html.index('id="ft-precedents"')
    return html[start:html.index("</section>", start)]


class LegalBasisReadingTests:
    @pytest.mark.parametrize(("text", "expected"), [
        (ART_114, [("114", "VWEU")]),
        ("Artikel 192, eerste lid, VWEU", [("192", "VWEU")]),
        ("Artikel 82, tweede lid, en artikel 83, eerste lid, VWEU", [("82", "VWEU"), ("83", "VWEU")]),
        ("Artikelen 43, lid 2, en 114 VWEU", [("43", "VWEU"), ("114", "VWEU")]),
        ("artikel 43, leden 2 en 3, en 114 VWEU", [("43", "VWEU"), ("114", "VWEU")]),
        ("Het voorstel is gebaseerd op artikel 352 VWEU en artikel 203 Euratom-Verdrag.", [("352", "VWEU"), ("203", "Euratom")]),
        ("artikel 21, lid 2, onder a, VEU", [("21", "VEU")]),
        ("Artikel 114", [("114", None)]),
        ("art. 114 VWEU", [("114", "VWEU")]),
        ("N.v.t.", []),
        ("", []),
    ])
    def test_it_reads_the_articles_and_their_treaty(self, text, expected):
        assert [(a.number, a.treaty) for a in legal_basis_articles(text)] == expected

    def test_an_article_without_a_treaty_is_the_same_as_one_with(self):
        assert Article("114", None).same_as(Article("114", "VWEU"))
        assert not Article("114", "VEU").same_as(Article("114", "VWEU"))
        assert not Article("14", "VWEU").same_as(Article("114", "VWEU"))

    def test_title_words_leave_out_what_every_title_says(self):
        assert title_words("Voorstel voor een verordening betreffende de Europese digitale identiteit (EU)") == ["digitale", "identiteit"]


@pytest.mark.django_db
class PrecedentMatchingTests:
    def test_it_finds_published_fiches_on_the_same_legal_basis(self):
        same = published("Interne markt voor noodsituaties", legal_basis=ART_114)
        listed = published("Douane en handel", legal_basis="Artikelen 33 en 114 VWEU")
        abbreviated = published("Productveiligheid", legal_basis="Het voorstel berust op art. 114\nVWEU.")
        published("Natuurherstel", legal_basis="Artikel 192, eerste lid, VWEU")
        published("Oude wetgeving", legal_basis="Artikel 1140 VWEU")
        published("Gemeenschappelijk buitenlands beleid", legal_basis="Artikel 114 VEU")
        fiche = draft()
        assert sorted(titles(fiche)) == sorted([same.title, listed.title, abbreviated.title])
        assert reasons(fiche)[same.title] == ["zelfde rechtsbasis (artikel 114 VWEU)"]

    def test_it_finds_published_fiches_in_the_same_council_configuration(self, agri, envi):
        same = published("Gewasbescherming", council=agri)
        published("Natuurherstel", council=envi)
        fiche = draft(legal_basis="", council=agri)
        assert reasons(fiche) == {same.title: ["zelfde Raadsformatie (Raad Landbouw en Visserij)"]}

    def test_it_finds_published_fiches_with_a_similar_title(self):
        similar = published("Herziening van de verordening over de Europese digitale identiteit")
        inflected = published("Digitaal paspoort en identiteit van reizigers")
        published("Verordening batterijen en afgedankte batterijen")
        published("Europese digitale strategie")  # one shared word of two is not enough
        fiche = draft("Verordening digitale identiteit", legal_basis="")
        found = reasons(fiche)
        assert set(found) == {similar.title, inflected.title}
        assert found[similar.title] == ["vergelijkbare titel (digitale, identiteit)"]

    def test_an_older_fiche_with_the_same_subject_is_found_among_many_newer_ones_sharing_a_word(self):
        older = published("Europese digitale identiteit voor burgers", sent_on=D(2015, 1, 1))
        for i in range(40):
            published(f"Digitale weerbaarheid van sector {i}", sent_on=D(2023, 1, 1) + datetime.timedelta(days=i))
        assert titles(draft("Verordening digitale identiteit", legal_basis="")) == [older.title]

    def test_every_reason_is_given_and_the_most_alike_come_first(self, agri):
        council_only = published("Gewasbescherming", council=agri, sent_on=D(2024, 6, 1))
        basis_only = published("Noodinstrument interne markt", legal_basis=ART_114, sent_on=D(2024, 5, 1))
        everything = published("Landbouw en kunstmatige intelligentie", legal_basis="Artikel 114 VWEU", council=agri, sent_on=D(2023, 1, 1))
        fiche = draft("Kunstmatige intelligentie in de landbouw", council=agri)
        found = find_precedents(fiche)
        assert [p.fiche for p in found] == [everything, basis_only, council_only]
        assert found[0].reasons == ["zelfde rechtsbasis (artikel 114 VWEU)", "zelfde Raadsformatie (Raad Landbouw en Visserij)",
                                    "vergelijkbare titel (kunstmatige, intelligentie, landbouw)"]

    def test_at_most_ten_are_shown_newest_first_among_equals(self):
        made = [published(f"Wetgeving nummer {i}", legal_basis=ART_114, sent_on=D(2020, 1, 1) + datetime.timedelta(days=30 * i))
                for i in range(12)]
        found = find_precedents(draft())
        assert [p.fiche for p in found] == made[::-1][:10]

    def test_only_earlier_fiches_are_precedents_of_a_sent_fiche(self):
        earlier = published("Eerder", legal_basis=ART_114, sent_on=D(2023, 1, 1))
        published("Later", legal_basis=ART_114, sent_on=D(2025, 1, 1))
        fiche = published("Dit fiche", legal_basis=ART_114, sent_on=D(2024, 1, 1))
        assert titles(fiche) == [earlier.title]

    def test_never_the_fiche_itself_the_fiche_it_revises_or_a_fiche_a_revision_replaced(self):
        original = published("Origineel", legal_basis=ART_114, sent_on=D(2022, 1, 1))
        revision = published("Herzien", legal_basis=ART_114, sent_on=D(2023, 1, 1), is_revision=True, revises=original)
        replaced = published("Vervangen", legal_basis=ART_114, sent_on=D(2021, 1, 1))
        published("Vervanger", legal_basis=ART_114, sent_on=D(2021, 6, 1), is_revision=True, revises=replaced)
        revising_draft = draft("Tweede herziening", is_revision=True, revises=revision)
        assert "Herzien" not in titles(revising_draft)
        assert set(titles(revising_draft)) == {"Vervanger"}  # the original and the replaced fiche gave way to their revisions
        assert titles(revision) == ["Vervanger"]

    def test_a_fiche_with_nothing_to_match_on_costs_no_query(self, django_assert_num_queries):
        published("Iets", legal_basis=ART_114)
        fiche = draft("Van de", legal_basis="N.v.t.")
        with django_assert_num_queries(0):
            assert find_precedents(fiche) == []
            assert verdict_notices(fiche) == []


@pytest.mark.django_db
class PrecedentScopingTests:
    """Only published fiches, past any embargo: an editor never sees a draft, a fiche in review or an unpublished
    revision through the panel, of another ministry nor of their own."""

    @pytest.fixture
    def world(self, own_ministry, other_ministry):
        visible = published("Gepubliceerd voorbeeld", legal_basis=ART_114, ministry=other_ministry)
        hidden = [
            make_fiche(Fiche.Status.DRAFT, ministry=other_ministry, title="Geheim concept van Financien", legal_basis=ART_114),
            make_fiche(Fiche.Status.REVIEW, ministry=other_ministry, title="Geheim in review van Financien", legal_basis=ART_114),
            make_fiche(Fiche.Status.ADOPTED, ministry=other_ministry, title="Geheim vastgesteld van Financien", legal_basis=ART_114),
            make_fiche(Fiche.Status.DRAFT, ministry=own_ministry, title="Ander eigen concept", legal_basis=ART_114),
            make_fiche(Fiche.Status.DRAFT, ministry=other_ministry, title="Ongepubliceerde herziening", legal_basis=ART_114,
                       is_revision=True, revises=visible),
            published("Onder embargo", legal_basis=ART_114, ministry=other_ministry,
                      public_from=timezone.now() + datetime.timedelta(days=3)),
        ]
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry, title="Mijn concept", legal_basis=ART_114)
        editor = staff_user("redacteur", role=ROLE_EDITOR, ministries=[own_ministry])
        return fiche, visible, hidden, editor

    def test_an_editor_sees_only_published_fiches_in_the_panel(self, client, world):
        fiche, visible, hidden, editor = world
        client.force_login(editor)
        response = panel_page(client, fiche)
        assert response.status_code == 200
        panel = panel_html(response.content.decode())
        assert visible.title in panel
        assert f'href="/fiches/{visible.kamerstuk}/"' in panel
        for other in hidden:
            assert other.title not in panel
        assert titles(fiche) == [visible.title]

    def test_no_panel_for_a_fiche_the_user_may_not_view(self, client, world):
        _fiche, visible, hidden, editor = world
        secret = hidden[0]  # another ministry's draft with the same legal basis
        client.force_login(editor)
        response = client.get(reverse("admin:positions_fiche_change", args=[secret.pk]), follow=True)
        html = response.content.decode()
        assert secret.title not in html and "ft-precedents" not in html and visible.title not in html
        for params in ({}, {"paneel": "1"}):
            response = panel_page(client, secret, **params)
            assert response.status_code == 404
            assert secret.title not in response.content.decode() and visible.title not in response.content.decode()

    def test_no_panel_on_the_add_form(self, client, world):
        _fiche, visible, _hidden, editor = world
        client.force_login(editor)
        html = client.get(reverse("admin:positions_fiche_add")).content.decode()
        assert "ft-precedents" not in html and visible.title not in html


    def test_the_panel_page_and_the_panel_alone(self, client, world):
        fiche, visible, _hidden, editor = world
        client.force_login(editor)
        page = panel_page(client, fiche)
        assert {"private", "no-store"} <= {part.strip() for part in page["Cache-Control"].split(",")}
        html = page.content.decode()
        assert "<details open>" in panel_html(html)  # on its own page the panel is open
        assert f'href="{reverse("admin:positions_fiche_change", args=[fiche.pk])}#ft-precedents"' in html  # back to the form
        alone = panel_page(client, fiche, paneel="1")
        assert {"private", "no-store"} <= {part.strip() for part in alone["Cache-Control"].split(",")}
        html = alone.content.decode().strip()
        assert html.startswith('<section class="module collapse ft-precedents" id="ft-precedents"') and html.endswith("</section>")
        assert visible.title in html and "<details>" in html  # no notice: closed, as in the form


@pytest.mark.django_db
class PrecedentPanelPageTests:
    def test_each_precedent_shows_its_facts_verdicts_and_why_it_matched(self, client, superuser, other_ministry):
        precedent = published("Noodinstrument interne markt", legal_basis=ART_114, ministry=other_ministry, sent_on=D(2024, 3, 1),
                              competence="positief", competence_sentence="Het kabinet acht de EU bevoegd.",
                              subsidiarity="negatief", subsidiarity_sentence="Het kabinet oordeelt negatief over de subsidiariteit.",
                              proportionality="neutraal", proportionality_sentence="De proportionaliteit is neutraal.")
        fiche = draft()
        client.force_login(superuser)
        panel = panel_html(panel_page(client, fiche, paneel="1").content.decode())
        assert "<details" in panel and "Precedenten (1)" in panel
        for text in (precedent.title, f">{precedent.kamerstuk_display} · verzonden 1 maart 2024 · ", "Kamerstuk 22 112, nr.",
                     f'<abbr title="{other_ministry.name}">FIN</abbr>', "Gevonden op: zelfde rechtsbasis (artikel 114 VWEU)",
                     "<dt>Bevoegdheid</dt><dd><strong>positief</strong> · Het kabinet acht de EU bevoegd.</dd>",
                     "<dt>Subsidiariteit</dt><dd><strong>negatief</strong> · Het kabinet oordeelt negatief over de subsidiariteit.</dd>",
                     "<dt>Proportionaliteit</dt><dd><strong>neutraal</strong> · De proportionaliteit is neutraal.</dd>"):
            assert text in panel, text

    def test_the_panel_follows_the_verdicts(self, client, superuser):
        fiche = draft()
        client.force_login(superuser)
        html = change_form(client, fiche).content.decode()
        verdicts = html.index('id="fieldset-0-2-heading"')  # Grondhouding
        assert verdicts < html.index('id="ft-precedents"') < html.index('id="footnotes-group"')
        # Without JavaScript a link to the panel's page; the script loads the panel alone in its place.
        placeholder = panel_html(html)
        assert f'data-precedents-panel="{panel_url(fiche)}?paneel=1"' in placeholder
        assert f'<a href="{panel_url(fiche)}">Precedenten en afwijkende oordelen bekijken</a>' in placeholder
        assert "js/fiche-precedents" in html
        assert "Geen eerdere gepubliceerde fiches" in panel_html(panel_page(client, fiche).content.decode())

    def test_the_change_form_reads_no_precedents(self, client, superuser, agri):
        """Off the first render: the form of a fiche with a legal basis, a Council configuration and a title to match
        on runs none of the panel's three queries (each reads ``CANDIDATES`` rows at most) and shows no precedent."""
        for i in range(3):
            published(f"Kunstmatige intelligentie deel {i}", legal_basis=ART_114, council=agri)
        fiche = draft(council=agri)
        with CaptureQueriesContext(connection) as panel_queries:
            assert len(PrecedentPanel(fiche).precedents) == 3
        assert len(panel_queries) == 3 and all(f"LIMIT {precedents.CANDIDATES}" in q["sql"] for q in panel_queries)
        client.force_login(superuser)
        with CaptureQueriesContext(connection) as queries:
            html = change_form(client, fiche).content.decode()
        assert "Kunstmatige intelligentie deel" not in html
        assert not [q["sql"] for q in queries if f"LIMIT {precedents.CANDIDATES}" in q["sql"]]


@pytest.mark.django_db
class VerdictNoticeTests:
    def make_history(self, subsidiarity_values, start=JANUARY_2020):
        for i, value in enumerate(subsidiarity_values):
            published(f"Eerder fiche {i}", legal_basis=ART_114, sent_on=start + datetime.timedelta(days=20 * i), competence="positief",
                      subsidiarity=value, proportionality="positief")

    def test_a_verdict_against_the_majority_of_the_last_ten_is_named(self, client, superuser):
        # Three older negative verdicts fall outside the last ten; of those, 7 are positive.
        self.make_history(["negatief"] * 3 + ["positief"] * 7 + ["neutraal"] * 3)
        fiche = draft(competence="positief", subsidiarity="negatief", proportionality="positief")
        expected = "7 van de laatste 10 fiches op artikel 114 VWEU oordeelden positief over subsidiariteit; dit concept: negatief."
        assert [n.text for n in verdict_notices(fiche)] == [expected]
        client.force_login(superuser)
        panel = panel_html(panel_page(client, fiche, paneel="1").content.decode())
        assert expected in panel
        assert "<details open>" in panel and "1 afwijkend oordeel" in panel

    def test_no_notice_when_the_verdict_agrees_or_there_is_no_majority(self):
        self.make_history(["positief"] * 5 + ["negatief"] * 5)
        assert verdict_notices(draft(subsidiarity="negatief", competence="positief", proportionality="positief")) == []

    def test_no_notice_from_fewer_than_three_fiches(self):
        self.make_history(["positief"] * 2)
        assert verdict_notices(draft(subsidiarity="negatief")) == []

    def test_a_verdict_not_yet_given_gets_no_notice(self):
        self.make_history(["positief"] * 5)
        assert verdict_notices(draft(competence="", subsidiarity="", proportionality="")) == []

    def test_the_notice_counts_only_fiches_that_cite_the_article(self):
        self.make_history(["positief"] * 4)
        published("Ander artikel", legal_basis="Artikel 1140 VWEU", subsidiarity="negatief")
        notices = verdict_notices(draft(subsidiarity="negatief", competence="positief", proportionality="positief"))
        assert [n.text for n in notices] == [
            "4 van de laatste 4 fiches op artikel 114 VWEU oordeelden positief over subsidiariteit; dit concept: negatief."
        ]

    def test_a_published_fiche_is_called_a_fiche(self):
        self.make_history(["positief"] * 3)
        fiche = published("Dit fiche", legal_basis=ART_114, sent_on=D(2025, 1, 1), competence="positief", subsidiarity="positief",
                          proportionality="negatief")
        assert [n.text for n in verdict_notices(fiche)] == [
            "3 van de laatste 3 fiches op artikel 114 VWEU oordeelden positief over proportionaliteit; dit fiche: negatief."
        ]


@pytest.mark.django_db
class PrecedentQueryCountTests:
    def fill(self, n, agri):
        for i in range(n):
            ministry = factories.ministry(f"m{i}", f"M{i}", f"Ministerie {i}")
            published(f"Kunstmatige intelligentie deel {i}", legal_basis=ART_114, council=agri, ministry=ministry,
                      sent_on=D(2020, 1, 1) + datetime.timedelta(days=i), subsidiarity="positief")

    @pytest.mark.parametrize("params", [{}, {"paneel": "1"}])
    def test_the_panel_page_costs_the_same_with_3_or_30_precedents(self, client, superuser, agri, params):
        fiche = draft(council=agri, subsidiarity="negatief")
        client.force_login(superuser)
        self.fill(3, agri)
        with CaptureQueriesContext(connection) as few:
            assert "Precedenten (3)" in panel_page(client, fiche, **params).content.decode()
        self.fill(30, agri)
        with CaptureQueriesContext(connection) as many:
            assert "Precedenten (10)" in panel_page(client, fiche, **params).content.decode()
        assert len(many) == len(few)

    def test_the_panel_costs_three_queries(self, agri, django_assert_num_queries):
        self.fill(30, agri)
        fiche = draft(council=agri, subsidiarity="negatief")
        panel = PrecedentPanel(fiche)
        with django_assert_num_queries(3):
            found, notices = panel.precedents, panel.notices
            for precedent in found:
                assert precedent.fiche.lead_ministry.abbreviation and precedent.fiche.council_configuration.name
        assert len(found) == precedents.PRECEDENT_LIMIT and len(notices) == 1


@pytest.mark.django_db
class PrecedentIndexTests:
    def test_similar_titles_are_read_nearest_first_from_the_trigram_index_on_postgresql(self):
        for i in range(5):
            published(f"Digitale identiteit deel {i}")
        candidates = Candidates(draft("Verordening digitale identiteit", legal_basis=""))
        with CaptureQueriesContext(connection) as queries:
            assert len(candidates.on_subject) == 5
        sql = queries.captured_queries[-1]["sql"]
        if connection.vendor == "postgresql":
            # Ordered by the distance alone, so that the GiST index of migration 0008 can return the nearest titles
            # without computing the distance of every row (a second sort key made it take a second at 10,000 fiches).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_sort = off")  # a handful of rows: the planner would rather sort them
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "positions_fiche_title_trgm" in plan and "Order By" in plan, plan
        else:
            assert sql.count("LIKE") >= 2 and "ORDER BY" in sql
