"""Workflow: allowed steps, recorded changes, publication requirements, embargo and preview."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from positions import workflow
from positions.models import Fiche, FicheStatusChange, FicheTemplate
from tests import factories

from .conftest import make_fiche


@pytest.mark.django_db
class WorkflowTests:
    def test_a_fiche_goes_from_draft_to_published_and_every_step_is_recorded(self, role_users):
        fiche = make_fiche(Fiche.Status.DRAFT, kamerstuk="22112-9100", sent_on=datetime.date(2024, 3, 1))
        workflow.fiche_transition(fiche=fiche, to_status="review", by=role_users["editor"], note="Klaar voor de BNC")
        workflow.fiche_transition(fiche=fiche, to_status="adopted", by=role_users["coordinator"])
        workflow.fiche_transition(fiche=fiche, to_status="published", by=role_users["publisher"])
        fiche.refresh_from_db()
        assert fiche.status == Fiche.Status.PUBLISHED
        assert fiche.updated_by == role_users["publisher"]
        steps = list(FicheStatusChange.objects.filter(fiche=fiche).values_list("from_status", "to_status", "changed_by__username", "note"))
        assert steps == [("draft", "review", "editor", "Klaar voor de BNC"), ("review", "adopted", "coordinator", ""),
                         ("adopted", "published", "publisher", "")]

    def test_skipping_a_step_is_refused(self, role_users):
        fiche = make_fiche(Fiche.Status.DRAFT, kamerstuk="22112-9101", sent_on=datetime.date(2024, 3, 1))
        with pytest.raises(workflow.TransitionError, match="geen toegestane stap"):
            workflow.fiche_transition(fiche=fiche, to_status="published", by=role_users["superuser"])

    def test_review_needs_the_three_verdicts(self, role_users):
        fiche = make_fiche(Fiche.Status.DRAFT, filled=False)
        with pytest.raises(workflow.TransitionError) as error:
            workflow.fiche_transition(fiche=fiche, to_status="review", by=role_users["editor"])
        assert len(error.value.messages) == 3
        assert "Het oordeel over de bevoegdheid ontbreekt" in error.value.messages[0]
        assert Fiche.objects.get(pk=fiche.pk).status == Fiche.Status.DRAFT

    def test_publishing_lists_precisely_what_is_missing(self, role_users):
        fiche = make_fiche(Fiche.Status.ADOPTED, documents=[])
        fiche.sections.filter(key="position-policy").update(text="  ")
        problems = workflow.publication_problems(fiche)
        assert problems == [
            "Er is geen Commissiedocument gekoppeld (1c, bijv. COM(2024) 28).",
            "Het Kamerstuknummer ontbreekt (bijv. 22112-3908).",
            "De datum van verzending aan de Kamer ontbreekt.",
            "Onderdeel 3a 'Essentie Nederlands beleid op dit terrein' is leeg.",
        ]
        with pytest.raises(workflow.TransitionError):
            workflow.fiche_transition(fiche=fiche, to_status="published", by=role_users["publisher"])

    def test_a_missing_section_row_counts_as_empty_and_optional_sections_do_not(self, role_users):
        fiche = make_fiche(Fiche.Status.ADOPTED, kamerstuk="22112-9102", sent_on=datetime.date(2024, 3, 1))
        fiche.sections.filter(key="essence").delete()
        fiche.template.sections.filter(key="competence").update(required=False)
        fiche.sections.filter(key="competence").update(text="")
        assert workflow.publication_problems(fiche) == ["Onderdeel 2 'Essentie voorstel' is leeg."]

    def test_the_change_form_shows_status_deadline_and_only_the_allowed_buttons(self, client, role_users):
        fiche = make_fiche(Fiche.Status.REVIEW, received_on=datetime.date(2024, 1, 24))
        client.force_login(role_users["coordinator"])
        html = client.get(reverse("admin:positions_fiche_change", args=[fiche.pk])).content.decode()
        assert "in review" in html
        assert "6 maart 2024" in html
        assert "?naar=draft" in html and "?naar=adopted" in html
        assert "?naar=published" not in html
        client.force_login(role_users["editor"])
        html = client.get(reverse("admin:positions_fiche_change", args=[fiche.pk])).content.decode()
        assert "?naar=" not in html

    def test_the_buttons_lead_to_a_confirmation_that_records_the_note(self, client, role_users):
        fiche = make_fiche(Fiche.Status.DRAFT)
        client.force_login(role_users["editor"])
        url = reverse("admin:positions_fiche_transition", args=[fiche.pk])
        page = client.get(url, {"naar": "review"})
        assert "Ter review aanbieden" in page.content.decode()
        response = client.post(url, {"naar": "review", "note": "Graag voor vrijdag"})
        assert response.status_code == 302
        change = FicheStatusChange.objects.get(fiche=fiche)
        assert (change.to_status, change.note, change.changed_by) == ("review", "Graag voor vrijdag", role_users["editor"])

    def test_a_step_that_is_not_allowed_is_refused_without_a_500(self, client, role_users):
        fiche = make_fiche(Fiche.Status.DRAFT)
        client.force_login(role_users["reader-staff"])
        response = client.post(reverse("admin:positions_fiche_transition", args=[fiche.pk]), {"naar": "review"})
        assert response.status_code == 302
        assert Fiche.objects.get(pk=fiche.pk).status == Fiche.Status.DRAFT

    def test_the_confirmation_page_lists_missing_requirements(self, client, role_users):
        fiche = make_fiche(Fiche.Status.ADOPTED)
        client.force_login(role_users["publisher"])
        html = client.get(reverse("admin:positions_fiche_transition", args=[fiche.pk]), {"naar": "published"}).content.decode()
        assert "Het Kamerstuknummer ontbreekt" in html
        assert 'name="note"' not in html

    def test_saving_the_form_never_changes_the_status(self, client, superuser):
        from .formdata import form_data

        fiche = make_fiche(Fiche.Status.REVIEW)
        client.force_login(superuser)
        url = reverse("admin:positions_fiche_change", args=[fiche.pk])
        data = form_data(client.get(url).content.decode(), "fiche_form")
        data["status"] = ["published"]
        data["title"] = ["Nieuwe titel"]
        assert client.post(url, data).status_code == 302
        fiche.refresh_from_db()
        assert (fiche.title, fiche.status, fiche.updated_by) == ("Nieuwe titel", Fiche.Status.REVIEW, superuser)

    def test_a_new_fiche_gets_the_sections_of_its_template(self, client, superuser, own_ministry):
        make_fiche()  # creates the template with three sections
        template = FicheTemplate.objects.get()
        client.force_login(superuser)
        data = {"title": "Nieuw fiche", "template": template.pk, "lead_ministry": own_ministry.pk, "status": "published"}
        for prefix in ("sections", "footnotes", "commitments", "cofinancing_budgets"):
            data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
        response = client.post(reverse("admin:positions_fiche_add"), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        fiche = Fiche.objects.get(title="Nieuw fiche")
        assert fiche.status == Fiche.Status.DRAFT
        assert list(fiche.sections.values_list("number", flat=True)) == ["2", "3a", "4a"]


@pytest.mark.django_db
class EmbargoAndPreviewTests:
    def test_a_published_fiche_under_embargo_stays_invisible_until_the_moment(self, client):
        moment = timezone.now() + datetime.timedelta(hours=2)
        fiche = factories.fiche(public_from=moment)
        assert not Fiche.objects.published().filter(pk=fiche.pk).exists()
        assert client.get(fiche.get_absolute_url()).status_code == 404
        assert Fiche.objects.published(now=moment).filter(pk=fiche.pk).exists()
        fiche.public_from = timezone.now() - datetime.timedelta(minutes=1)
        fiche.save()
        assert client.get(fiche.get_absolute_url()).status_code == 200

    def test_staff_preview_a_draft_as_the_public_would_see_it(self, client, role_users):
        fiche = make_fiche(Fiche.Status.DRAFT, title="Concept over AI")
        client.force_login(role_users["editor"])
        response = client.get(reverse("admin:positions_fiche_preview", args=[fiche.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        assert '<meta name="robots" content="noindex' in html
        assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
        assert "Voorbeeld – niet openbaar." in html
        assert "Concept over AI" in html and "Tekst van het onderdeel." in html
        assert "public/fiche_detail.html" in [t.name for t in response.templates]

    def test_the_preview_of_another_ministrys_draft_is_not_found(self, client, role_users, other_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=other_ministry)
        client.force_login(role_users["editor"])
        assert client.get(reverse("admin:positions_fiche_preview", args=[fiche.pk])).status_code == 404
        client.logout()
        assert client.get(reverse("admin:positions_fiche_preview", args=[fiche.pk])).status_code == 302
