"""The admin upload, preview and confirmation."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from positions.models import Commitment, Fiche

from .helpers import EXAMPLE, make_reference_data

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/positions/fiche/import/"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_fiche", "change_fiche", "view_fiche", "edit_all_fiches",
                                                                       "view_all_fiches"]))
    return user


def upload(client, content, name="fiche.txt"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


class AdminImportTests:
    def test_the_url_is_the_documented_one(self):
        assert reverse("importer:upload") == UPLOAD

    def test_anonymous_users_go_to_the_login(self, client):
        response = client.get(UPLOAD)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]

    def test_staff_without_the_add_permission_is_refused(self, client, django_user_model):
        client.force_login(django_user_model.objects.create_user("lezer", password="x", is_staff=True))
        assert client.get(UPLOAD).status_code == 403

    def test_upload_preview_and_confirm_create_a_draft(self, client, editor):
        make_reference_data()
        client.force_login(editor)
        assert "Lezen en controleren" in client.get(UPLOAD).content.decode()
        response = upload(client, EXAMPLE.read_bytes())
        assert response.status_code == 302 and response["Location"].endswith("controleren/")
        page = client.get(response["Location"]).content.decode()
        assert "COM(2024) 28" in page and "52024DC0028" in page and "EZK" in page
        assert "Geen Kamerstuknummer gevonden" in page  # the warning, next to its field
        assert page.count('name="commitment"') >= 9
        assert not Fiche.objects.exists()
        response = client.post(response["Location"], {"commitment": ["0", "1"], "amount": []})
        fiche = Fiche.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("admin:positions_fiche_change", args=[fiche.pk])
        assert fiche.status == Fiche.Status.DRAFT and fiche.updated_by == editor
        assert Commitment.objects.filter(fiche=fiche).count() == 2
        assert not fiche.cofinancing_budgets.exists()

    def test_a_file_that_is_no_fiche_gets_its_error_on_the_form(self, client, editor):
        client.force_login(editor)
        response = upload(client, b"\x00\x01binary" * 100, "x.pdf")
        assert response.status_code == 400
        assert "binaire gegevens" in response.content.decode()

    def test_the_preview_without_an_upload_sends_back_to_the_form(self, client, editor):
        client.force_login(editor)
        response = client.get(UPLOAD + "controleren/")
        assert response.status_code == 302 and response["Location"] == UPLOAD

    def test_confirming_over_a_published_fiche_is_refused_with_a_message(self, client, editor):
        import datetime

        make_reference_data()
        client.force_login(editor)
        upload(client, EXAMPLE.read_bytes())
        client.post(UPLOAD + "controleren/", {})
        Fiche.objects.update(status=Fiche.Status.PUBLISHED, kamerstuk="22112-3908", sent_on=datetime.date(2024, 3, 1))
        upload(client, EXAMPLE.read_bytes())
        page = client.get(UPLOAD + "controleren/").content.decode()
        assert "wordt niet overschreven" in page
        response = client.post(UPLOAD + "controleren/", {}, follow=True)
        assert "niet overschreven" in response.content.decode() and Fiche.objects.count() == 1
        response = client.post(UPLOAD + "controleren/", {"revision": "1"})
        assert response.status_code == 302 and Fiche.objects.filter(status=Fiche.Status.DRAFT, is_revision=True).count() == 1


def ministry_editor(ministry):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(f"redacteur-{ministry.code}", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    ministry.members.add(user)
    return user


def text_led_by(ministry_name):
    return EXAMPLE.read_text(encoding="utf-8").replace("Ministerie van Economische Zaken en Klimaat", ministry_name).encode()


class MinistryAtTheDoorTests:
    def test_an_editor_cannot_import_a_fiche_led_by_another_ministry(self, client):
        from tests import factories

        make_reference_data()
        client.force_login(ministry_editor(factories.ministry()))
        response = upload(client, text_led_by("Ministerie van Financiën"))
        assert response.status_code == 400
        html = response.content.decode()
        assert "Dit fiche is van FIN (eerstverantwoordelijk ministerie)" in html and "eigen ministerie(s) importeren (EZK)" in html
        assert client.get(UPLOAD + "controleren/").status_code == 302  # nothing waits for confirmation
        assert not Fiche.objects.exists()

    def test_an_editor_imports_a_fiche_of_their_own_ministry_and_lands_on_it(self, client):
        from tests import factories

        make_reference_data()
        client.force_login(ministry_editor(factories.ministry()))
        upload(client, EXAMPLE.read_bytes())
        response = client.post(UPLOAD + "controleren/", {}, follow=True)
        fiche = Fiche.objects.get()
        assert fiche.lead_ministry.code == "ezk" and response.redirect_chain[-1][0] == reverse("admin:positions_fiche_change", args=[fiche.pk])
        assert response.status_code == 200 and "bestaat niet" not in response.content.decode()

    def test_without_a_known_ministry_the_editor_chooses_one_of_their_own(self, client):
        from tests import factories

        make_reference_data()
        ezk, fin = factories.ministry(), factories.ministry("fin", "FIN", "Ministerie van Financiën")
        client.force_login(ministry_editor(ezk))
        assert upload(client, text_led_by("Ministerie van Onbekende Zaken")).status_code == 302
        page = client.get(UPLOAD + "controleren/").content.decode()
        choices = page.split('name="ministry"')[1].split("</select>")[0]
        assert f'value="{ezk.pk}"' in choices and f'value="{fin.pk}"' not in choices and "Financiën" not in choices

        response = client.post(UPLOAD + "controleren/", {"ministry": str(fin.pk)}, follow=True)
        assert "Kies het eerstverantwoordelijke ministerie uit de lijst." in response.content.decode()
        assert not Fiche.objects.exists()

        client.post(UPLOAD + "controleren/", {"ministry": str(ezk.pk)})
        fiche = Fiche.objects.get()
        assert fiche.lead_ministry == ezk and fiche.lead_ministry_raw == "Ministerie van Onbekende Zaken"

    def test_confirming_without_choosing_a_ministry_is_refused_with_a_message(self, client):
        from tests import factories

        make_reference_data()
        client.force_login(ministry_editor(factories.ministry()))
        upload(client, text_led_by("Ministerie van Onbekende Zaken"))
        response = client.post(UPLOAD + "controleren/", {}, follow=True)
        assert "kies hieronder een van uw eigen ministeries" in response.content.decode()
        assert not Fiche.objects.exists()

    def test_the_preview_says_what_confirming_would_do(self, client, editor):
        make_reference_data()
        client.force_login(editor)
        upload(client, EXAMPLE.read_bytes())
        assert "Zou een nieuw concept aanmaken." in client.get(UPLOAD + "controleren/").content.decode()
        client.post(UPLOAD + "controleren/", {})
        Fiche.objects.update(title="Eigen titel")
        upload(client, EXAMPLE.read_bytes())
        page = client.get(UPLOAD + "controleren/").content.decode()
        # Confirmed without ticking any suggestion: the suggested commitments would still be new.
        assert "Zou fiche &#x27;Eigen titel&#x27; (zonder Kamerstuknummer) bijwerken (velden: titel fiche, toezeggingen (" in page
