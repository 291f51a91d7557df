"""Two editors on one fiche: the refused save shows what the colleague changed and lets the editor choose per field."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from positions.models import Fiche

from .conftest import make_fiche, staff_user
from .formdata import form_data


def conflict_rows(html):
    section = html[html.index('id="ft-conflicts"'):html.index("</section>", html.index('id="ft-conflicts"'))]
    return dict(re.findall(r'name="conflict-([\w-]+)" value="(\w+)" checked', section))


@pytest.fixture
def two_editors(own_ministry):
    fiche = make_fiche(Fiche.Status.DRAFT, ministry=own_ministry, title="Oorspronkelijke titel")
    url = reverse("admin:positions_fiche_change", args=[fiche.pk])
    anna, ben = Client(), Client()
    anna.force_login(staff_user("anna", role="editor", ministries=[own_ministry]))
    ben.force_login(staff_user("ben", role="editor", ministries=[own_ministry]))
    return fiche, url, anna, ben


@pytest.mark.django_db
class ConflictViewTests:
    def test_the_refusal_lists_each_field_the_colleague_changed_with_both_values(self, two_editors):
        fiche, url, anna, ben = two_editors
        form_anna = form_data(anna.get(url).content.decode(), "fiche_form")
        form_ben = form_data(ben.get(url).content.decode(), "fiche_form")
        form_anna.update({"title": ["Titel van Anna"], "proportionality_sentence": ["Anna: proportionaliteit neutraal."],
                          "sections-0-text": ["Anna herschreef de essentie."]})
        assert anna.post(url, form_anna).status_code == 302
        form_ben.update({"title": ["Titel van Ben"], "competence_sentence": ["Ben: bevoegdheid positief."]})

        response = ben.post(url, form_ben)

        html = response.content.decode()
        assert response.status_code == 200
        assert "Dit fiche is intussen opgeslagen door Anna op" in html
        rows = conflict_rows(html)
        section_key = f"section-{fiche.sections.get(position=1).pk}"
        # Both changed the title: Ben's stays chosen; what only Anna changed defaults to hers.
        assert rows == {"title": "mine", "proportionality_sentence": "theirs", section_key: "theirs"}
        assert "Titel van Anna" in html and 'value="Titel van Ben"' in html
        assert "competence_sentence" not in rows
        assert Fiche.objects.get(pk=fiche.pk).title == "Titel van Anna"

    def test_saving_the_choices_takes_theirs_where_chosen_and_keeps_the_rest(self, two_editors):
        fiche, url, anna, ben = two_editors
        form_anna = form_data(anna.get(url).content.decode(), "fiche_form")
        form_ben = form_data(ben.get(url).content.decode(), "fiche_form")
        form_anna.update({"title": ["Titel van Anna"], "proportionality_sentence": ["Anna: proportionaliteit neutraal."],
                          "sections-0-text": ["Anna herschreef de essentie."], "sections-1-text": ["Anna over het beleid."]})
        assert anna.post(url, form_anna).status_code == 302
        form_ben.update({"title": ["Titel van Ben"], "competence_sentence": ["Ben: bevoegdheid positief."],
                         "sections-1-text": ["Ben over het beleid."]})
        refused = ben.post(url, form_ben).content.decode()
        rows = conflict_rows(refused)
        policy_key = f"section-{fiche.sections.get(position=2).pk}"
        assert rows[policy_key] == "mine"

        again = form_data(refused, "fiche_form")
        again["conflict-title"] = ["theirs"]
        response = ben.post(url, again)

        assert response.status_code == 302
        fiche.refresh_from_db()
        assert fiche.title == "Titel van Anna"
        assert fiche.competence_sentence == "Ben: bevoegdheid positief."
        assert fiche.proportionality_sentence == "Anna: proportionaliteit neutraal."
        assert fiche.sections.get(position=1).text == "Anna herschreef de essentie."
        assert fiche.sections.get(position=2).text == "Ben over het beleid."

    def test_a_third_save_in_between_is_refused_again(self, two_editors, own_ministry):
        fiche, url, anna, ben = two_editors
        form_ben = form_data(ben.get(url).content.decode(), "fiche_form")
        for title in ("Eerste van Anna", "Tweede van Anna"):
            data = form_data(anna.get(url).content.decode(), "fiche_form")
            data["title"] = [title]
            assert anna.post(url, data).status_code == 302
        form_ben["title"] = ["Titel van Ben"]
        refused = ben.post(url, form_ben).content.decode()
        assert "Tweede van Anna" in refused
        again = form_data(refused, "fiche_form")
        data = form_data(anna.get(url).content.decode(), "fiche_form")
        data["title"] = ["Derde van Anna"]
        assert anna.post(url, data).status_code == 302

        response = ben.post(url, again)

        assert response.status_code == 200 and "Derde van Anna" in response.content.decode()
        assert Fiche.objects.get(pk=fiche.pk).title == "Derde van Anna"
