
import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from followup.models import ReminderLog
from followup.reminders import reminder_kind
from followup.tasks import send_reminders_task
from positions.models import Commitment

from . import builders as b

pytestmark = pytest.mark.django_db


def run(on=b.TODAY):
    call_command("send_reminders", date=on.isoformat(), stdout=_Sink(), stderr=_Sink())
    return mail.outbox


class _Sink:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


@pytest.fixture
def setting():
    """EZK with an officer and commitments around the boundaries, FIN with one of its own."""
    ezk, fin = b.ezk(), b.fin()
    officer = b.staff("opvolger", ministries=[ezk])
    fiche = b.fiche(lead_ministry=ezk)
    rows = {
        "overdue_by_one_day": b.commitment(fiche, summary="Een dag te laat", due_date=b.days(-1)),
        "due_today": b.commitment(fiche, summary="Vandaag uiterlijk", due_date=b.days(0)),
        "due_in_7": b.commitment(fiche, summary="Over precies een week", due_date=b.days(7)),
        "due_in_8": b.commitment(fiche, summary="Over acht dagen", due_date=b.days(8)),
        "due_in_28": b.commitment(fiche, summary="Over precies vier weken", due_date=b.days(28)),
        "due_in_29": b.commitment(fiche, summary="Over negenentwintig dagen", due_date=b.days(29)),
        "fulfilled": b.commitment(fiche, summary="Al voldaan", due_date=b.days(-3), status=Commitment.Status.FULFILLED,
                                  evidence_reference="Kamerstuk 22 112, nr. 3942"),
        "vague": b.commitment(fiche, summary="Zonder datum"),
        "fin": b.commitment(fiche, summary="Van Financiën", due_date=b.days(2), ministry=fin),
    }
    b.commitment(b.draft_fiche(lead_ministry=ezk), summary="Uit een concept", due_date=b.days(1))
    return {"officer": officer, "rows": rows, "ezk": ezk, "fin": fin}


class ReminderSelectionTests:
    @pytest.mark.parametrize(
        ("offset", "kind"),
        [(-1, ReminderLog.Kind.OVERDUE), (0, ReminderLog.Kind.ONE_WEEK), (7, ReminderLog.Kind.ONE_WEEK), (8, ReminderLog.Kind.FOUR_WEEKS),
         (28, ReminderLog.Kind.FOUR_WEEKS), (29, None)],
    )
    def test_each_due_date_earns_the_right_notice(self, offset, kind):
        assert reminder_kind(b.days(offset), b.TODAY) == kind

    def test_the_officer_gets_one_digest_with_the_boundaries_in_the_right_groups(self, setting):
        outbox = run()
        assert len(outbox) == 1
        message = outbox[0]
        assert message.to == ["opvolger@minezk.nl"]
        assert "5 toezeggingen vragen aandacht" in message.subject
        body = message.body
        overdue, one_week, four_weeks = body.index("VERLOPEN"), body.index("UITERLIJK BINNEN EEN WEEK"), body.index("UITERLIJK BINNEN VIER WEKEN")
        assert overdue < body.index("Een dag te laat") < one_week
        assert one_week < body.index("Vandaag uiterlijk") < four_weeks
        assert one_week < body.index("Over precies een week") < four_weeks
        assert four_weeks < body.index("Over acht dagen")
        assert four_weeks < body.index("Over precies vier weken")
        for absent in ("Over negenentwintig dagen", "Al voldaan", "Zonder datum", "Van Financiën", "Uit een concept"):
            assert absent not in body
        assert "1 dag verlopen" in body
        assert f"/opvolging/toezeggingen/{setting['rows']['due_today'].fiche.natural_id}/{setting['rows']['due_today'].position}/" in body
        html = message.alternatives[0][0]
        assert "Over precies vier weken" in html

    def test_running_twice_on_the_same_day_sends_nothing_new(self, setting):
        run()
        assert ReminderLog.objects.count() == 5
        run()
        assert len(mail.outbox) == 1
        assert ReminderLog.objects.count() == 5

    def test_the_next_day_only_new_notices_go_out_and_overdue_repeats_weekly(self, setting):
        run()
        mail.outbox.clear()
        run(b.days(1))  # 'due in 29' is now exactly four weeks away; 'due in 8' now within a week
        assert len(mail.outbox) == 1
        body = mail.outbox[0].body
        assert "Over negenentwintig dagen" in body and "Over acht dagen" in body
        assert body.index("VERLOPEN") < body.index("Vandaag uiterlijk") < body.index("UITERLIJK BINNEN EEN WEEK")  # just became overdue
        assert "Een dag te laat" not in body and "Over precies vier weken" not in body and "Over precies een week" not in body
        mail.outbox.clear()
        for day in range(2, 7):
            run(b.days(day))
        assert all("Een dag te laat" not in m.body for m in mail.outbox)
        mail.outbox.clear()
        run(b.days(7))
        assert any("Een dag te laat" in m.body for m in mail.outbox)

    def test_a_new_deadline_earns_new_notices(self, setting):
        run()
        c = setting["rows"]["due_in_28"]
        c.due_date = b.days(20)
        c.save()
        mail.outbox.clear()
        run()
        assert len(mail.outbox) == 1
        assert "Over precies vier weken" in mail.outbox[0].body

    def test_only_follow_up_officers_of_the_ministry_with_an_address_are_mailed(self, setting):
        b.staff("fin-opvolger", ministries=[setting["fin"]])
        b.staff("zonder-adres", ministries=[setting["ezk"]], email="")
        b.staff("redacteur", role="editor", ministries=[setting["ezk"]])
        b.staff("zonder-ministerie")
        outbox = run()
        assert sorted(m.to[0] for m in outbox) == ["fin-opvolger@minezk.nl", "opvolger@minezk.nl"]
        fin_mail = next(m for m in outbox if m.to == ["fin-opvolger@minezk.nl"])
        assert "Van Financiën" in fin_mail.body and "Vandaag uiterlijk" not in fin_mail.body

    def test_an_event_trigger_counts_with_its_resolved_date(self, setting):
        b.meeting(b.tte(), b.days(10))
        b.commitment(b.fiche(lead_ministry=setting["ezk"], sent_on=b.days(-30)), summary="Met de geannoteerde agenda",
                     due_event=Commitment.DueEvent.ANNOTATED_AGENDA, due_configuration=b.tte())
        body = run()[0].body
        assert body.index("UITERLIJK BINNEN EEN WEEK") < body.index("Met de geannoteerde agenda") < body.index("UITERLIJK BINNEN VIER WEKEN")

    def test_a_malformed_date_is_refused_with_a_clear_message(self, setting):
        with pytest.raises(CommandError, match="JJJJ-MM-DD"):
            call_command("send_reminders", date="26-11-2026")
        assert mail.outbox == []

    def test_the_task_runs_the_same_reminders_and_reports_counts(self, setting):
        result = send_reminders_task.enqueue(on=b.TODAY.isoformat())
        assert result.return_value == {"sent": 1, "notices": 5, "failed": [], "linked_triggers": 0}
        assert send_reminders_task.enqueue(on=b.TODAY.isoformat()).return_value["sent"] == 0
        assert len(mail.outbox) == 1
