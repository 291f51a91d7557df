"""Council meetings imported from a CSV or iCalendar file through the admin (the same service as the command)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from positions.models import Commitment
from proposals.models import CouncilMeeting

from . import builders as b
from .test_meetings_import import ICS

pytestmark = pytest.mark.django_db
URL = "/admin/proposals/councilmeeting/importeren/"


def upload(client, name, content, **extra):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **extra})


@pytest.fixture
def officer(client):
    user = b.staff("opvolger")
    client.force_login(user)
    return user


class CouncilMeetingAdminImportTests:
    def test_the_changelist_links_to_the_import_page_which_opens(self, client, officer):
        changelist = client.get(reverse("admin:proposals_councilmeeting_changelist")).content.decode()
        assert f'href="{URL}"' in changelist
        page = client.get(URL)
        assert page.status_code == 200
        assert 'type="file" name="file"' in page.content.decode()

    def test_a_csv_creates_meetings_and_resolves_waiting_triggers(self, client, officer):
        tte = b.tte()
        waiting = b.commitment(b.fiche(), due_event=Commitment.DueEvent.ANNOTATED_AGENDA, due_configuration=tte)
        response = upload(client, "raden.csv", f"configuratie;datum;formeel\n{tte.code};04-12-2026;ja\n")
        assert response.status_code == 302
        meeting = CouncilMeeting.objects.get(configuration=tte)
        assert meeting.date == datetime.date(2026, 12, 4) and meeting.is_formal
        waiting.refresh_from_db()
        assert waiting.due_meeting == meeting
        followed = client.get(response["Location"]).content.decode()
        assert "1 nieuw, 0 bijgewerkt, 0 ongewijzigd; 1 toezegging(en) gekoppeld" in followed

    def test_an_ics_file_imports_and_reimporting_it_creates_nothing_new(self, client, officer):
        b.tte(), b.ecofin()
        assert upload(client, "agenda.ics", ICS, skip_unknown="on").status_code == 302
        count = CouncilMeeting.objects.count()
        assert count >= 2
        response = upload(client, "agenda.ics", ICS, skip_unknown="on")
        assert CouncilMeeting.objects.count() == count
        assert "0 nieuw" in client.get(response["Location"]).content.decode()

    def test_a_bad_line_imports_nothing_and_says_which_line(self, client, officer):
        tte = b.tte()
        response = upload(client, "raden.csv", f"configuratie;datum\n{tte.code};04-12-2026\nOnbekende raad;05-12-2026\n")
        assert response.status_code == 400
        page = response.content.decode()
        assert "Niets geïmporteerd" in page and "Onbekende raad" in page
        assert not CouncilMeeting.objects.exists()

    @pytest.mark.parametrize("name, content, message", [
        ("raden.xlsx", "x", "Kies een .csv- of .ics-bestand."),
        ("raden.csv", "configuratie;datum\nTTE;04-12-2026\n".encode("utf-16"), "geen UTF-8-tekst"),
        ("raden.ics", b"\x00\x01 geen agenda", "Geen geldig iCalendar-bestand"),
    ])
    def test_unusable_files_get_a_clear_message_and_no_500(self, client, officer, name, content, message):
        b.tte()
        response = upload(client, name, content)
        assert response.status_code in (200, 400)
        assert message in response.content.decode()
        assert not CouncilMeeting.objects.exists()

    def test_an_editor_without_meeting_rights_is_refused(self, client):
        client.force_login(b.staff("redacteur", role="editor"))
        assert client.get(URL).status_code == 403
        assert upload(client, "raden.csv", "configuratie;datum\nTTE;04-12-2026\n").status_code == 403
