import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from positions.models import Commitment
from proposals.models import CouncilConfigurationAlias, CouncilMeeting

from . import builders as b

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def councils():
    tte, ecofin = b.tte(), b.ecofin()
    tte.abbreviation = "VTE"
    tte.save()
    CouncilConfigurationAlias.objects.create(configuration=tte, name="Telecomraad")
    return tte, ecofin


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_council_meetings", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Raad//agenda//NL
BEGIN:VEVENT
UID:1@example
SUMMARY:Raad Vervoer, Telecommunicatie en Energie (Telecom)
DTSTART;VALUE=DATE:20261204
DTEND;VALUE=DATE:20261205
LOCATION:Brussel
END:VEVENT
BEGIN:VEVENT
UID:2@example
SUMMARY:Informele Telecomraad
DTSTART;VALUE=DATE:20270122
DTEND;VALUE=DATE:20270124
END:VEVENT
BEGIN:VEVENT
UID:3@example
SUMMARY:ECOFIN
DTSTART:20261208T090000Z
DTEND:20261208T170000Z
END:VEVENT
BEGIN:VEVENT
UID:4@example
SUMMARY:Telecomraad
STATUS:CANCELLED
DTSTART;VALUE=DATE:20261110
END:VEVENT
END:VCALENDAR
"""


class CsvImportTests:
    def test_it_imports_by_code_name_or_alias_and_resolves_waiting_commitments(self, tmp_path, councils):
        tte, ecofin = councils
        waiting = b.commitment(b.fiche(sent_on=D(2026, 10, 1)), due_event=Commitment.DueEvent.ANNOTATED_AGENDA, due_configuration=tte)
        path = write(tmp_path, "raden.csv", "configuratie;datum;einddatum;formeel;toelichting\n"
                                            "Telecomraad;04-12-2026;;ja;Brussel\nECOFIN;2026-12-08;2026-12-09;;\nTTE;2027-01-22;;nee;Informeel\n")
        out, _err = run(path)
        assert "3 nieuw, 0 bijgewerkt, 0 ongewijzigd; 1 toezegging(en) gekoppeld" in out
        assert CouncilMeeting.objects.get(configuration=ecofin).end_date == D(2026, 12, 9)
        assert not CouncilMeeting.objects.get(configuration=tte, date=D(2027, 1, 22)).is_formal
        waiting.refresh_from_db()
        assert waiting.due_meeting.date == D(2026, 12, 4)
        assert waiting.effective_due_date == D(2026, 11, 27)

    def test_importing_twice_updates_in_place(self, tmp_path, councils):
        path = write(tmp_path, "raden.csv", "configuratie,datum\nTTE,2026-12-04\n")
        run(path)
        first = CouncilMeeting.objects.get()
        out, _err = run(path)
        assert "0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in out
        write(tmp_path, "raden.csv", "configuratie,datum,formeel\nTTE,2026-12-04,nee\n")
        out, _err = run(path)
        assert "0 nieuw, 1 bijgewerkt" in out
        assert CouncilMeeting.objects.get().pk == first.pk

    def test_one_bad_line_imports_nothing_and_names_every_problem(self, tmp_path, councils):
        path = write(tmp_path, "raden.csv", "configuratie,datum,einddatum\nTTE,2026-12-04,\nSportraad,2026-12-05,\nECOFIN,31-02-2026,\nTTE,2026-12-10,2026-12-09\n")
        with pytest.raises(CommandError, match="Niets geïmporteerd: 3 fout"):
            run(path)
        assert not CouncilMeeting.objects.exists()

    def test_the_errors_go_to_stderr_with_their_line(self, tmp_path, councils):
        path = write(tmp_path, "raden.csv", "configuratie,datum\nSportraad,2026-12-05\nTTE,morgen\n")
        err = io.StringIO()
        with pytest.raises(CommandError):
            call_command("import_council_meetings", path, stdout=io.StringIO(), stderr=err)
        assert "Regel 2: onbekende Raadsformatie 'Sportraad'." in err.getvalue()
        assert "Regel 3: datum 'morgen' is geen datum" in err.getvalue()

    def test_a_missing_column_duplicate_or_unreadable_file_is_a_clear_error(self, tmp_path, councils):
        with pytest.raises(CommandError, match="kolom"):
            run(write(tmp_path, "a.csv", "raad;wanneer\nTTE;2026-12-04\n"))
        with pytest.raises(CommandError, match="staat ook in Regel 2"):
            run(write(tmp_path, "b.csv", "configuratie,datum\nTTE,2026-12-04\nTelecomraad,04-12-2026\n"))
        with pytest.raises(CommandError, match="UTF-8"):
            run(write(tmp_path, "c.csv", "configuratie,datum\nRaad Economische en Financi\xeble Zaken,2026-12-04\n".encode("latin-1")))
        with pytest.raises(CommandError, match=r"Kan .* niet lezen"):
            run(str(tmp_path / "bestaat-niet.csv"))
        with pytest.raises(CommandError, match="Onbekend bestandstype"):
            run(write(tmp_path, "d.xlsx", "x"))
        assert not CouncilMeeting.objects.exists()

    def test_dry_run_saves_nothing(self, tmp_path, councils):
        out, _err = run(write(tmp_path, "raden.csv", "configuratie,datum\nTTE,2026-12-04\n"), dry_run=True)
        assert "1 vergadering(en) gevonden" in out
        assert not CouncilMeeting.objects.exists()


class IcsImportTests:
    def test_it_imports_events_with_exclusive_all_day_ends_informal_titles_and_skips_cancelled_ones(self, tmp_path, councils):
        tte, ecofin = councils
        out, _err = run(write(tmp_path, "raden.ics", ICS))
        assert "3 nieuw" in out
        assert "geannuleerd" in out
        formal = CouncilMeeting.objects.get(configuration=tte, date=D(2026, 12, 4))
        assert formal.is_formal and formal.end_date is None and formal.notes == "Brussel"
        informal = CouncilMeeting.objects.get(configuration=tte, date=D(2027, 1, 22))
        assert not informal.is_formal and informal.end_date == D(2027, 1, 23)
        assert CouncilMeeting.objects.get(configuration=ecofin).date == D(2026, 12, 8)
        assert not CouncilMeeting.objects.filter(date=D(2026, 11, 10)).exists()

    def test_an_unknown_council_stops_the_import_unless_skipped(self, tmp_path, councils):
        path = write(tmp_path, "raden.ics", ICS.replace("SUMMARY:ECOFIN", "SUMMARY:Europese Raad"))
        with pytest.raises(CommandError):
            run(path)
        assert not CouncilMeeting.objects.exists()
        out, _err = run(path, skip_unknown=True)
        assert "Overgeslagen: Afspraak 3 (Europese Raad): geen bekende Raadsformatie." in out
        assert CouncilMeeting.objects.count() == 2

    def test_a_file_that_is_not_icalendar_is_refused(self, tmp_path, councils):
        with pytest.raises(CommandError, match="Niets geïmporteerd"):
            run(write(tmp_path, "raden.ics", "dit is geen agenda"))

    def test_the_feed_of_fichetracker_itself_can_be_imported_back(self, tmp_path, councils, client):
        tte, _ecofin = councils
        b.meeting(tte, D(2026, 12, 4))
        feed = client.get("/agenda.ics").content
        CouncilMeeting.objects.all().delete()
        out, _err = run(write(tmp_path, "terug.ics", feed))
        assert "1 nieuw" in out
