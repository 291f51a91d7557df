"""Restoring an earlier version of a fiche: judged by the fiche as it is now, content only, validated, shown first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from positions.models import Fiche
from tests import factories

from .conftest import make_fiche
from .formdata import form_data

PUBLISHED = {"status": Fiche.Status.PUBLISHED, "kamerstuk": "22112-9301", "sent_on": datetime.date(2024, 3, 1)}


def save_version(fiche, **changes):
    """Save ``changes`` on ``fiche`` as a new version, the way a model save records it."""
    for name, value in changes.items():
        setattr(fiche, name, value)
    fiche.save()
    return fiche.history.order_by("-history_date", "-history_id").first()


def latest_version(fiche):
    return fiche.history.order_by("-history_date", "-history_id").first()


def revert_url(fiche, version):
    return reverse("admin:positions_fiche_simple_history", args=[fiche.pk, version.history_id])


def post_revert(client, fiche, version):
    """Open the version's page and press its button with what the page holds, as a browser would."""
    url = revert_url(fiche, version)
    page = client.get(url)
    data = form_data(page.content.decode(), "historicalfiche_form") if page.status_code == 200 else {}
    return client.post(url, data)


@pytest.mark.django_db
class RevertPermissionTests:
    def test_an_editor_cannot_revert_a_published_fiche_of_their_own_ministry_to_its_draft_days(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry, title="Titel uit de conceptfase", kamerstuk="22112-9301",
                           sent_on=datetime.date(2024, 3, 1))
        draft_days = latest_version(fiche)
        embargo_over = timezone.now() - datetime.timedelta(days=1)
        save_version(fiche, title="Gepubliceerde titel", public_from=embargo_over, updated_by=role_users["publisher"], **PUBLISHED)
        client.force_login(role_users["editor"])

        response = post_revert(client, fiche, draft_days)

        assert response.status_code == 403
        assert "Een gepubliceerd fiche krijgt geen eerdere versie terug" in response.content.decode()
        fiche.refresh_from_db()
        assert (fiche.title, fiche.public_from, fiche.updated_by) == ("Gepubliceerde titel", embargo_over, role_users["publisher"])
        assert client.get(fiche.get_absolute_url()).status_code == 200

    def test_the_page_of_a_published_fiche_says_why_and_has_no_button(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry, title="Titel uit de conceptfase")
        draft_days = latest_version(fiche)
        save_version(fiche, title="Gepubliceerde titel", **PUBLISHED)
        client.force_login(role_users["coordinator"])
        html = client.get(revert_url(fiche, draft_days)).content.decode()
        assert "de inhoud verandert alleen via een herzien fiche" in html
        assert "Deze inhoud terugzetten" not in html

    def test_revert_is_judged_by_the_current_status_not_by_the_old_version(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry, title="Eerste titel")
        draft_days = latest_version(fiche)
        save_version(fiche, title="Vastgestelde titel", status=Fiche.Status.ADOPTED)
        client.force_login(role_users["editor"])
        assert post_revert(client, fiche, draft_days).status_code == 403
        assert Fiche.objects.get(pk=fiche.pk).title == "Vastgestelde titel"

    def test_an_editor_reverts_a_draft_of_their_own_ministry(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry, title="Eerste titel")
        first = latest_version(fiche)
        save_version(fiche, title="Tweede titel")
        client.force_login(role_users["editor"])
        response = post_revert(client, fiche, first)
        assert response.status_code == 302 and response["Location"] == reverse("admin:positions_fiche_change", args=[fiche.pk])
        fiche.refresh_from_db()
        assert (fiche.title, fiche.updated_by) == ("Eerste titel", role_users["editor"])
        assert fiche.history.order_by("-history_date", "-history_id").first().history_user == role_users["editor"]

    @pytest.mark.parametrize("role", ["reader-staff", "follow-up officer", "publisher"])
    def test_roles_that_may_not_change_the_content_cannot_revert(self, client, role_users, own_ministry, role):
        fiche = make_fiche(Fiche.Status.REVIEW, ministry=own_ministry, title="Eerste titel")
        first = latest_version(fiche)
        save_version(fiche, title="Tweede titel")
        client.force_login(role_users[role])
        assert post_revert(client, fiche, first).status_code == 403
        assert Fiche.objects.get(pk=fiche.pk).title == "Tweede titel"

    def test_a_reader_cannot_restore_an_earlier_text_of_a_section_either(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        section = fiche.sections.get(key="essence")
        first = section.history.order_by("-history_date").first()
        section.text = "Nieuwe tekst"
        section.save()
        client.force_login(role_users["reader-staff"])
        url = reverse("admin:positions_fichesection_simple_history", args=[section.pk, first.history_id])
        page = client.get(url)
        client.post(url, form_data(page.content.decode(), "historicalfichesection_form"))
        section.refresh_from_db()
        assert section.text == "Nieuwe tekst"

    def test_a_section_of_a_published_fiche_keeps_its_published_text(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.PUBLISHED, ministry=own_ministry, kamerstuk="22112-9302", sent_on=datetime.date(2024, 3, 1))
        section = fiche.sections.get(key="essence")
        first = section.history.order_by("-history_date").first()
        section.text = "Gepubliceerde tekst"
        section.save()
        client.force_login(role_users["coordinator"])
        url = reverse("admin:positions_fichesection_simple_history", args=[section.pk, first.history_id])
        page = client.get(url)
        client.post(url, form_data(page.content.decode(), "historicalfichesection_form"))
        section.refresh_from_db()
        assert section.text == "Gepubliceerde tekst"

    def test_another_ministrys_fiche_gives_403_and_an_unknown_version_404(self, client, role_users, other_ministry, own_ministry):
        theirs = make_fiche(Fiche.Status.DRAFT, ministry=other_ministry)
        client.force_login(role_users["editor"])
        assert client.get(revert_url(theirs, latest_version(theirs))).status_code == 403
        ours = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        assert client.get(reverse("admin:positions_fiche_simple_history", args=[ours.pk, "x1"])).status_code == 404
        assert client.get(reverse("admin:positions_fiche_simple_history", args=[ours.pk, latest_version(theirs).history_id])).status_code == 404


@pytest.mark.django_db
class RevertContentOnlyTests:
    def test_a_coordinator_reverting_a_published_fiche_does_not_bring_back_an_old_embargo(self, client, role_users, own_ministry):
        embargo = timezone.now() + datetime.timedelta(days=2)
        fiche = make_fiche(Fiche.Status.PUBLISHED, ministry=own_ministry, title="Onder embargo", public_from=embargo,
                           kamerstuk="22112-9303", sent_on=datetime.date(2024, 3, 1))
        before_the_move = latest_version(fiche)
        save_version(fiche, public_from=timezone.now() - datetime.timedelta(hours=1), title="Openbaar")
        assert client.get(fiche.get_absolute_url()).status_code == 200
        client.force_login(role_users["coordinator"])

        post_revert(client, fiche, before_the_move)

        fiche.refresh_from_db()
        assert fiche.public_from < timezone.now() and fiche.title == "Openbaar"
        client.logout()
        assert client.get(fiche.get_absolute_url()).status_code == 200

    def test_reverting_brings_back_content_but_never_status_embargo_or_publication_data(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.REVIEW, ministry=own_ministry, title="Oude titel", legal_basis="Artikel 173 VWEU",
                           kamerstuk="22112-9304", sent_on=datetime.date(2024, 3, 1), batch_position=2,
                           public_from=timezone.now() + datetime.timedelta(days=5))
        old = latest_version(fiche)
        other_document = factories.document("COM(2024) 99")
        fiche.documents.add(other_document)
        moved = timezone.now() - datetime.timedelta(hours=3)
        save_version(fiche, title="Nieuwe titel", legal_basis="Artikel 114 VWEU", status=Fiche.Status.ADOPTED, kamerstuk="22112-9305",
                     sent_on=datetime.date(2024, 3, 4), batch_position=3, public_from=moved)
        client.force_login(role_users["coordinator"])

        page = client.get(revert_url(fiche, old)).content.decode()
        restored_part, kept_part = page.split('id="ft-restored"')[1].split('id="ft-kept"')
        assert "Oude titel" in restored_part and "Artikel 173 VWEU" in restored_part and "COM(2024) 99" in restored_part
        assert "Openbaar vanaf" in kept_part and "Kamerstuknummer" in kept_part and "Status" in kept_part
        assert "Openbaar vanaf" not in restored_part

        response = post_revert(client, fiche, old)

        assert response.status_code == 302
        fiche.refresh_from_db()
        assert (fiche.title, fiche.legal_basis) == ("Oude titel", "Artikel 173 VWEU")
        assert other_document not in fiche.documents.all() and fiche.documents.count() == 1
        assert (fiche.status, fiche.kamerstuk, fiche.sent_on, fiche.batch_position, fiche.public_from) == (
            Fiche.Status.ADOPTED, "22112-9305", datetime.date(2024, 3, 4), 3, moved)
        messages = [str(m) for m in response.wsgi_request._messages]
        assert any("Status en publicatiegegevens zijn niet veranderd" in m for m in messages)


@pytest.mark.django_db
class RevertValidationTests:
    def test_reverting_a_published_fiche_to_a_version_without_kamerstuk_is_no_server_error(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.ADOPTED, ministry=own_ministry, title="Zonder nummer")
        unnumbered = latest_version(fiche)
        save_version(fiche, title="Met nummer", **PUBLISHED)
        client.force_login(role_users["superuser"])

        response = post_revert(client, fiche, unnumbered)

        assert response.status_code == 403
        assert "herzien fiche" in response.content.decode()
        fiche.refresh_from_db()
        assert (fiche.title, fiche.kamerstuk, fiche.status) == ("Met nummer", "22112-9301", Fiche.Status.PUBLISHED)

    def test_a_version_that_breaks_a_rule_of_the_fiche_gets_a_readable_message_and_changes_nothing(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.ADOPTED, ministry=own_ministry, title="Verkeerde datum", received_on=datetime.date(2024, 3, 10))
        late_receipt = latest_version(fiche)
        save_version(fiche, title="Goede datum", received_on=datetime.date(2024, 1, 24), sent_on=datetime.date(2024, 3, 1))
        client.force_login(role_users["coordinator"])

        response = post_revert(client, fiche, late_receipt)

        assert response.status_code == 400
        assert "De verzenddatum (2024-03-01) ligt voor de datum van ontvangst (2024-03-10)." in response.content.decode()
        fiche.refresh_from_db()
        assert (fiche.title, fiche.received_on) == ("Goede datum", datetime.date(2024, 1, 24))

    def test_a_fiche_in_review_does_not_get_back_a_version_without_verdicts(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry, filled=False, title="Zonder oordeel")
        empty = latest_version(fiche)
        save_version(fiche, title="Met oordeel", status=Fiche.Status.REVIEW, competence="positief", subsidiarity="positief",
                     proportionality="neutraal")
        client.force_login(role_users["editor"])
        response = post_revert(client, fiche, empty)
        assert response.status_code == 400
        assert "Het oordeel over de bevoegdheid ontbreekt" in response.content.decode()
        assert Fiche.objects.get(pk=fiche.pk).competence == "positief"

    def test_a_save_by_a_colleague_after_opening_the_page_is_not_overwritten(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry, title="Eerste titel")
        first = latest_version(fiche)
        save_version(fiche, title="Tweede titel")
        client.force_login(role_users["editor"])
        url = revert_url(fiche, first)
        data = form_data(client.get(url).content.decode(), "historicalfiche_form")
        save_version(Fiche.objects.get(pk=fiche.pk), title="Titel van een collega")
        response = client.post(url, data)
        assert response.status_code == 400
        assert "intussen opnieuw opgeslagen" in response.content.decode()
        assert Fiche.objects.get(pk=fiche.pk).title == "Titel van een collega"

    def test_a_version_equal_to_the_fiche_has_nothing_to_restore(self, client, role_users, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        client.force_login(role_users["editor"])
        html = client.get(revert_url(fiche, latest_version(fiche))).content.decode()
        assert "er is niets om terug te zetten" in html and "Deze inhoud terugzetten" not in html
