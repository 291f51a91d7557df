"""Content and publication data: publishers change publication data only, a published fiche's content changes
only through a revision draft, and the server refuses a request that sends content anyway."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from positions.models import BatchLetter, Fiche

from .conftest import VERDICTS, make_fiche
from .formdata import form_data

PUBLISHED = {"kamerstuk": "22112-9401", "sent_on": datetime.date(2024, 3, 1)}


def change_url(fiche):
    return reverse("admin:positions_fiche_change", args=[fiche.pk])


def page_form(client, fiche):
    return form_data(client.get(change_url(fiche)).content.decode(), "fiche_form")


@pytest.mark.django_db
class PublisherScopeTests:
    def test_a_publisher_cannot_change_a_verdict_sentence_of_a_published_fiche(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.PUBLISHED, ministry=own_ministry, **PUBLISHED)
        client.force_login(role_users["publisher"])
        data = page_form(client, fiche)
        assert "competence_sentence" not in data and "title" not in data  # shown read-only

        data["competence_sentence"] = ["Het kabinet staat negatief tegenover dit voorstel."]
        response = client.post(change_url(fiche), data)

        assert response.status_code == 200
        assert "alleen via een herzien fiche" in response.content.decode() and "Er is niets opgeslagen." in response.content.decode()
        fiche.refresh_from_db()
        assert fiche.competence_sentence == VERDICTS["competence_sentence"]
        client.logout()
        assert "negatief tegenover" not in client.get(fiche.get_absolute_url()).content.decode()

    def test_a_publisher_cannot_change_the_content_of_an_adopted_fiche(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.ADOPTED, ministry=own_ministry, title="Vastgestelde titel")
        client.force_login(role_users["publisher"])
        data = page_form(client, fiche)
        data.update(title=["Andere titel"], competence=["negatief"])
        client.post(change_url(fiche), data)
        fiche.refresh_from_db()
        assert (fiche.title, fiche.competence) == ("Vastgestelde titel", "positief")

    def test_a_publisher_cannot_change_section_texts_through_the_form_or_the_section_pages(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.PUBLISHED, ministry=own_ministry, **PUBLISHED)
        section = fiche.sections.get(position=1)
        client.force_login(role_users["publisher"])
        data = page_form(client, fiche)
        data["sections-0-text"] = ["Een nieuwe essentie."]
        data["sections-0-id"] = [str(section.pk)]
        client.post(change_url(fiche), data)
        section_url = reverse("admin:positions_fichesection_change", args=[section.pk])
        assert 'name="text"' not in client.get(section_url).content.decode()
        assert client.post(section_url, {"fiche": fiche.pk, "number": "2", "title": "Essentie", "key": "essence", "position": 1,
                                         "text": "Een nieuwe essentie."}).status_code == 403
        assert fiche.sections.get(pk=section.pk).text == "Tekst van het onderdeel."

    def test_a_publisher_changes_the_publication_data_of_an_adopted_fiche(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.ADOPTED, ministry=own_ministry, title="Klaar voor verzending")
        letter = BatchLetter.objects.create(kamerstuk="22112-3950", date=datetime.date(2024, 3, 1))
        client.force_login(role_users["publisher"])
        data = page_form(client, fiche)
        data.update(kamerstuk=["22 112, nr. 3951"], sent_on=["2024-03-01"], batch_letter=[str(letter.pk)], batch_position=["2"],
                    public_from_0=["2024-03-02"], public_from_1=["10:00:00"])
        response = client.post(change_url(fiche), data)
        assert response.status_code == 302, response.content.decode()[:3000]
        fiche.refresh_from_db()
        assert (fiche.kamerstuk, fiche.sent_on, fiche.batch_letter, fiche.batch_position) == (
            "22112-3951", datetime.date(2024, 3, 1), letter, 2)
        assert timezone.localtime(fiche.public_from).strftime("%Y-%m-%d %H:%M") == "2024-03-02 10:00"
        assert (fiche.title, fiche.updated_by) == ("Klaar voor verzending", role_users["publisher"])

    def test_the_change_form_says_why_the_content_is_read_only(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.ADOPTED, ministry=own_ministry)
        client.force_login(role_users["publisher"])
        html = client.get(change_url(fiche)).content.decode()
        assert "alleen de publicatiegegevens" in html and "de inhoud is vastgesteld" in html


@pytest.mark.django_db
class PublishedContentTests:
    def test_a_coordinator_changes_the_content_of_an_adopted_fiche(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.ADOPTED, ministry=own_ministry)
        client.force_login(role_users["coordinator"])
        data = page_form(client, fiche)
        data["title"] = ["Verbeterde titel"]
        assert client.post(change_url(fiche), data).status_code == 302
        assert Fiche.objects.get(pk=fiche.pk).title == "Verbeterde titel"

    @pytest.mark.parametrize("role", ["coordinator", "superuser"])
    def test_nobody_changes_the_content_of_a_published_fiche_but_the_embargo_may_move(self, client, role_users, own_ministry, role):
        fiche = make_fiche(Fiche.Status.PUBLISHED, ministry=own_ministry, title="Gepubliceerde titel",
                           public_from=timezone.now() + datetime.timedelta(days=3), **PUBLISHED)
        client.force_login(role_users[role])
        data = page_form(client, fiche)
        assert "title" not in data and "sections-0-text" not in data
        data.update(public_from_0=["2024-03-02"], public_from_1=["09:00:00"])
        assert client.post(change_url(fiche), data).status_code == 302
        fiche.refresh_from_db()
        assert fiche.title == "Gepubliceerde titel" and fiche.public_from < timezone.now()
        client.logout()
        assert client.get(fiche.get_absolute_url()).status_code == 200

    def test_an_editor_still_changes_everything_in_a_draft_of_their_ministry(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        client.force_login(role_users["editor"])
        data = page_form(client, fiche)
        data.update(title=["Nieuwe titel"], competence_sentence=["Nieuwe zin."], sent_on=["2024-03-01"])
        assert client.post(change_url(fiche), data).status_code == 302
        fiche.refresh_from_db()
        assert (fiche.title, fiche.competence_sentence, fiche.sent_on) == ("Nieuwe titel", "Nieuwe zin.", datetime.date(2024, 3, 1))


@pytest.mark.django_db
class RevisionTests:
    def test_an_editor_makes_a_revision_draft_of_a_published_fiche_of_their_ministry(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.PUBLISHED, ministry=own_ministry, title="Gepubliceerd fiche", **PUBLISHED)
        client.force_login(role_users["editor"])
        assert reverse("admin:positions_fiche_revise", args=[fiche.pk]) in client.get(change_url(fiche)).content.decode()
        url = reverse("admin:positions_fiche_revise", args=[fiche.pk])
        assert "Herzien concept maken" in client.get(url).content.decode()

        response = client.post(url)

        draft = Fiche.objects.get(revises=fiche)
        assert response.status_code == 302 and response["Location"] == change_url(draft)
        assert (draft.status, draft.is_revision, draft.title, draft.kamerstuk, draft.sent_on) == (
            Fiche.Status.DRAFT, True, "Gepubliceerd fiche", "", None)
        assert list(draft.documents.all()) == list(fiche.documents.all()) and draft.lead_ministry == own_ministry
        assert list(draft.sections.values_list("key", "text")) == list(fiche.sections.values_list("key", "text"))
        assert client.post(url)["Location"] == change_url(draft)  # the open revision, not a second one
        assert Fiche.objects.filter(revises=fiche).count() == 1
        data = page_form(client, draft)
        data["title"] = ["Herzien fiche"]
        assert client.post(change_url(draft), data).status_code == 302
        assert Fiche.objects.get(pk=fiche.pk).title == "Gepubliceerd fiche"

    @pytest.mark.parametrize("role", ["publisher", "reader-staff", "follow-up officer"])
    def test_roles_that_do_not_draft_make_no_revision(self, client, role_users, own_ministry, role):
        fiche = make_fiche(Fiche.Status.PUBLISHED, ministry=own_ministry, **PUBLISHED)
        client.force_login(role_users[role])
        client.post(reverse("admin:positions_fiche_revise", args=[fiche.pk]))
        assert not Fiche.objects.filter(revises=fiche).exists()

    def test_an_editor_of_another_ministry_makes_no_revision(self, client, role_users, other_ministry):
        fiche = make_fiche(Fiche.Status.PUBLISHED, ministry=other_ministry, **PUBLISHED)
        client.force_login(role_users["editor"])
        response = client.post(reverse("admin:positions_fiche_revise", args=[fiche.pk]), follow=True)
        assert "geen herzien concept maken" in response.content.decode()
        assert not Fiche.objects.filter(revises=fiche).exists()
