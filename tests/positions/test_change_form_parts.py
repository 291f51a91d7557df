"""The fiche form for a working day: jump links to every part, commitments placed in a section by its title and
numbered by themselves, and the publish confirmation that says when the fiche becomes public."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from positions.models import Commitment, Fiche

from .conftest import make_fiche
from .formdata import form_data


def jump_links(html):
    nav = html[html.index('class="ft-jump"'):html.index("</nav>", html.index('class="ft-jump"'))]
    return re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', nav)


@pytest.mark.django_db
class JumpLinkTests:
    def test_every_part_has_a_link_at_the_top_in_the_order_of_the_page(self, client, superuser, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        client.force_login(superuser)
        html = client.get(reverse("admin:positions_fiche_change", args=[fiche.pk])).content.decode()
        links = jump_links(html)
        labels = [label for _, label in links]
        assert labels == ["Algemene gegevens", "Onderdelen", "Sjabloon en herziening", "Grondhouding", "Precedenten", "Voetnoten", "Toezeggingen",
                          "Cofinancieringsbudgetten", "Verzending en publicatie"]
        positions = [html.index(f'id="{anchor}"') for anchor, _ in links]
        assert positions == sorted(positions), "every link has its target, in the order of the links"
        assert html.index('class="ft-jump"') < positions[0]


@pytest.mark.django_db
class CommitmentSectionTests:
    def test_the_section_is_chosen_from_the_fiches_section_titles(self, client, superuser, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        Commitment.objects.create(fiche=fiche, position=1, quote="Het kabinet zal.", summary="Iets", section_key="essence")
        client.force_login(superuser)
        html = client.get(reverse("admin:positions_fiche_change", args=[fiche.pk])).content.decode()
        select = html[html.index('name="commitments-0-section_key"'):html.index("</select>", html.index('name="commitments-0-section_key"'))]
        assert re.findall(r'<option value="([^"]*)"', select) == ["", "essence", "position-policy", "competence"]
        assert '<option value="essence" selected>2. Essentie voorstel</option>' in select
        assert "3a. Essentie Nederlands beleid op dit terrein" in select

    def test_a_key_that_is_not_one_of_the_fiches_sections_is_refused_in_dutch(self, client, superuser, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        client.force_login(superuser)
        url = reverse("admin:positions_fiche_change", args=[fiche.pk])
        data = form_data(client.get(url).content.decode(), "fiche_form")
        data.update({"commitments-TOTAL_FORMS": ["1"], "commitments-0-quote": ["Het kabinet zal."], "commitments-0-summary": ["x"],
                     "commitments-0-kind": ["other"], "commitments-0-section_key": ["verzonnen"]})
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Selecteer een geldige keuze" in response.content.decode()
        assert not Commitment.objects.exists()

    def test_new_commitments_without_an_order_follow_the_last_one(self, client, superuser, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        Commitment.objects.create(fiche=fiche, position=4, quote="Eerder.", summary="Eerste")
        client.force_login(superuser)
        url = reverse("admin:positions_fiche_change", args=[fiche.pk])
        data = form_data(client.get(url).content.decode(), "fiche_form")
        data["commitments-TOTAL_FORMS"] = ["3"]
        for index, summary in ((1, "Tweede"), (2, "Derde")):
            data.update({f"commitments-{index}-quote": ["Het kabinet zal."], f"commitments-{index}-summary": [summary],
                         f"commitments-{index}-kind": ["other"], f"commitments-{index}-section_key": ["competence"],
                         f"commitments-{index}-position": [""], f"commitments-{index}-fiche": [str(fiche.pk)]})
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        assert list(fiche.commitments.order_by("position").values_list("summary", "position", "section_key")) == [
            ("Eerste", 4, ""), ("Tweede", 5, "competence"), ("Derde", 6, "competence")]

    def test_a_commitment_added_on_its_own_page_gets_the_next_number(self, client, superuser, own_ministry):
        fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        Commitment.objects.create(fiche=fiche, position=2, quote="Eerder.", summary="Eerste")
        client.force_login(superuser)
        response = client.post(reverse("admin:positions_commitment_add"), {
            "fiche": fiche.pk, "position": "", "quote": "Het kabinet zal.", "summary": "Nieuw", "kind": "other", "due_event": "",
            "status_changes-TOTAL_FORMS": 0, "status_changes-INITIAL_FORMS": 0,
        })
        assert response.status_code == 302, re.findall(r'errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S)
        assert Commitment.objects.get(summary="Nieuw").position == 3


@pytest.mark.django_db
class PublishConfirmationTests:
    def test_the_publish_confirmation_shows_the_embargo_in_local_time(self, client, superuser, own_ministry):
        moment = timezone.make_aware(datetime.datetime(2031, 6, 3, 9, 30))
        fiche = make_fiche(Fiche.Status.ADOPTED, ministry=own_ministry, kamerstuk="22112-4000", sent_on=datetime.date(2026, 1, 5),
                           public_from=moment)
        client.force_login(superuser)
        html = client.get(reverse("admin:positions_fiche_transition", args=[fiche.pk]), {"naar": "published"}).content.decode()
        embargo = html[html.index('id="ft-embargo"'):html.index("</dd>", html.index('id="ft-embargo"'))]
        assert "onder embargo tot 3 juni 2031 09:30" in embargo

    def test_without_an_embargo_it_says_the_fiche_is_public_at_once(self, client, superuser, own_ministry):
        fiche = make_fiche(Fiche.Status.ADOPTED, ministry=own_ministry, kamerstuk="22112-4001", sent_on=datetime.date(2026, 1, 5))
        client.force_login(superuser)
        html = client.get(reverse("admin:positions_fiche_transition", args=[fiche.pk]), {"naar": "published"}).content.decode()
        assert "direct bij publiceren (geen embargo)" in html
        review = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry)
        html = client.get(reverse("admin:positions_fiche_transition", args=[review.pk]), {"naar": "review"}).content.decode()
        assert 'id="ft-embargo"' not in html
