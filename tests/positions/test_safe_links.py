"""Only http, https and mailto links are stored or rendered: footnote links and evidence links.

Three layers, each tested on its own: the model validators (admin, follow-up forms, importer) refuse
with a Dutch message; the CHECK constraints refuse a write that skips validation (update, bulk_create,
raw SQL); the ``safe_url`` filter renders what the constraint lets through but is still odd as text.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.template import Context, Template
from django.urls import reverse

from common.templatetags.safe_links import safe_url
from positions.models import Commitment, CommitmentStatusChange, Fiche, Footnote
from tests.public import outputs_builders as build

from .conftest import make_fiche, staff_user

SCRIPT_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "\tjava\nscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
]
OTHER_REFUSED = ["ftp://example.org/stuk.pdf", "//evil.example/", "/fiches/", "eur-lex.europa.eu", "https://", "mailto:",
                 "https://example.org/\u202egnp.exe", "https://exa mple.org/"]
SAFE = ["https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:52024DC0028", "HTTP://EXAMPLE.ORG/Stuk", "mailto:info@example.org",
        "https://example.org/één?a=1&b=\"2\"", "https://example.org/pad\\met\\backslash"]


def fiche_with_commitment():
    fiche = build.fiche(title="Fiche met links", commitments=1)
    return fiche, fiche.commitments.get()


@pytest.mark.django_db
class SafeLinkValidationTests:
    @pytest.mark.parametrize("url", SCRIPT_LINKS + OTHER_REFUSED)
    def test_a_footnote_refuses_a_link_that_is_not_http_https_or_mailto_in_dutch(self, url):
        fiche, _commitment = fiche_with_commitment()
        note = Footnote(fiche=fiche, number=2, text="Zie", urls=["https://example.org/", url])
        with pytest.raises(ValidationError) as refused:
            note.full_clean()
        assert "is geen toegestane link" in str(refused.value.message_dict["urls"])
        assert "http://, https:// of mailto:" in str(refused.value.message_dict["urls"])

    @pytest.mark.parametrize("url", SAFE)
    def test_a_footnote_accepts_http_https_and_mailto_links(self, url):
        fiche, _commitment = fiche_with_commitment()
        Footnote(fiche=fiche, number=2, text="Zie", urls=[url]).full_clean()

    @pytest.mark.parametrize("urls", ["https://example.org/", {"link": "https://example.org/"}, [1, 2]])
    def test_footnote_links_must_be_a_list_of_texts(self, urls):
        fiche, _commitment = fiche_with_commitment()
        with pytest.raises(ValidationError, match="lijst van teksten"):
            Footnote(fiche=fiche, number=2, text="Zie", urls=urls).full_clean()

    @pytest.mark.parametrize("url", [*SCRIPT_LINKS, "ftp://example.org/stuk.pdf"])
    def test_evidence_links_are_refused_on_commitments_and_status_changes(self, url):
        _fiche, commitment = fiche_with_commitment()
        commitment.evidence_url = url
        with pytest.raises(ValidationError) as refused:
            commitment.full_clean()
        assert "evidence_url" in refused.value.message_dict
        change = CommitmentStatusChange(commitment=commitment, from_status="open", to_status="fulfilled", note="Gedaan", evidence_url=url)
        with pytest.raises(ValidationError) as refused:
            change.full_clean()
        assert "evidence_url" in refused.value.message_dict

    def test_the_admin_refuses_a_script_link_in_a_footnote_with_a_dutch_message_and_keeps_the_old_links(self, client):
        fiche = make_fiche(Fiche.Status.DRAFT)
        note = Footnote.objects.create(fiche=fiche, number=1, text="Zie de website.", urls=["https://example.org/"])
        client.force_login(staff_user("beheerder", superuser=True))
        url = reverse("admin:positions_footnote_change", args=[note.pk])
        response = client.post(url, {"fiche": fiche.pk, "number": 1, "text": "Zie de website.", "urls": '["JaVaScRiPt:alert(1)"]'})
        assert response.status_code == 200
        assert "is geen toegestane link" in response.content.decode()
        note.refresh_from_db()
        assert note.urls == ["https://example.org/"]


@pytest.mark.django_db
class SafeLinkConstraintTests:
    @pytest.mark.parametrize("url", [*SCRIPT_LINKS, "ftp://example.org/stuk.pdf", "/fiches/"])
    def test_an_unsafe_evidence_link_written_past_the_model_is_refused_by_the_database(self, url):
        _fiche, commitment = fiche_with_commitment()
        change = commitment.status_changes.first() or CommitmentStatusChange.objects.create(
            commitment=commitment, from_status="open", to_status="open", note="Geen wijziging")
        for model, pk in ((Commitment, commitment.pk), (CommitmentStatusChange, change.pk)):
            with pytest.raises(IntegrityError), transaction.atomic():
                model.objects.filter(pk=pk).update(evidence_url=url)
        commitment.refresh_from_db()
        assert commitment.evidence_url == ""

    @pytest.mark.parametrize(
        "urls",
        [["javascript:alert(1)"], ["https://example.org/", "JaVaScRiPt:alert(1)"], [" https://example.org/"], ["data:text/html,x"],
         "https://example.org/", {"link": "https://example.org/"}, [["https://example.org/"]], [None], ['"https://example.org/']],
        ids=repr,
    )
    def test_unsafe_footnote_links_are_refused_by_the_database_on_update_and_bulk_create(self, urls):
        fiche, _commitment = fiche_with_commitment()
        note = fiche.footnotes.get()
        with pytest.raises(IntegrityError), transaction.atomic():
            Footnote.objects.filter(pk=note.pk).update(urls=urls)
        with pytest.raises(IntegrityError), transaction.atomic():
            Footnote.objects.bulk_create([Footnote(fiche=fiche, number=9, text="Nieuw", urls=urls)])
        note.refresh_from_db()
        assert note.urls == ["https://example.org/stuk"]

    def test_the_database_accepts_every_safe_link_however_it_is_spelled(self):
        fiche, commitment = fiche_with_commitment()
        Footnote.objects.filter(fiche=fiche).update(urls=SAFE)
        assert fiche.footnotes.get().urls == SAFE
        Footnote.objects.filter(fiche=fiche).update(urls=[])
        for url in SAFE:
            Commitment.objects.filter(pk=commitment.pk).update(evidence_url=url)

    def test_raw_sql_cannot_force_a_script_link_in_either(self):
        fiche, commitment = fiche_with_commitment()
        table = connection.ops.quote_name(Commitment._meta.db_table)
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET evidence_url = %s WHERE id = %s", ["javascript:alert(1)", commitment.pk])  # noqa: S608
        footnotes = connection.ops.quote_name(Footnote._meta.db_table)
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {footnotes} SET urls = %s WHERE fiche_id = %s", ['["javascript:alert(1)"]', fiche.pk])  # noqa: S608


class SafeUrlFilterTests:
    @pytest.mark.parametrize("url", SCRIPT_LINKS + OTHER_REFUSED + ["", None, 42, "https://[::1"])
    def test_anything_but_a_well_formed_http_https_or_mailto_link_becomes_empty(self, url):
        assert safe_url(url) == ""

    @pytest.mark.parametrize("url", SAFE)
    def test_a_safe_link_passes_unchanged(self, url):
        assert safe_url(url) == url

    def test_a_refused_link_is_rendered_as_escaped_text(self):
        template = Template("{% load safe_links %}{% with href=url|safe_url %}{% if href %}<a href=\"{{ href }}\">{{ url }}</a>"
                            "{% else %}{{ url }}{% endif %}{% endwith %}")
        assert template.render(Context({"url": "javascript:alert('<b>')"})) == "javascript:alert(&#x27;&lt;b&gt;&#x27;)"
        assert template.render(Context({"url": "https://example.org/"})) == '<a href="https://example.org/">https://example.org/</a>'


def hrefs(body):
    return re.findall(r'href="([^"]*)"', body)


@pytest.mark.django_db
class SafeLinksOnPagesTests:
    """Values the constraint allows (the scheme is right) but that are still no link never become an href."""

    ODD = ["https://", "HTTPS://example.org/\u202egnp.exe", "https://exa mple.org/", "mailto:"]

    def test_the_fiche_page_renders_odd_footnote_links_as_text_and_good_ones_as_links(self, client):
        fiche, _commitment = fiche_with_commitment()
        Footnote.objects.filter(fiche=fiche).update(urls=[*self.ODD, "https://eur-lex.europa.eu/"])
        body = client.get(fiche.get_absolute_url()).content.decode()
        assert "https://eur-lex.europa.eu/" in hrefs(body)
        for odd in self.ODD:
            assert odd not in hrefs(body)
        assert '<span class="url">https://exa mple.org/</span>' in body

    @pytest.mark.parametrize("odd", ODD)
    def test_odd_evidence_links_are_text_on_the_fiche_page_and_the_commitment_list(self, client, odd):
        fiche, commitment = fiche_with_commitment()
        Commitment.objects.filter(pk=commitment.pk).update(status=Commitment.Status.FULFILLED, evidence_reference="", evidence_url=odd)
        for url in (fiche.get_absolute_url(), reverse("public:commitment_list")):
            body = client.get(url).content.decode()
            assert odd not in hrefs(body), url
            assert "Bewijs" in body

    def test_a_good_evidence_link_stays_a_link(self, client):
        fiche, commitment = fiche_with_commitment()
        Commitment.objects.filter(pk=commitment.pk).update(evidence_url="https://www.tweedekamer.nl/kamerstukken/3942")
        for url in (fiche.get_absolute_url(), reverse("public:commitment_list")):
            assert "https://www.tweedekamer.nl/kamerstukken/3942" in hrefs(client.get(url).content.decode()), url
