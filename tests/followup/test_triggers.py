import datetime

import pytest

from followup.services import resolve_due_triggers
from followup.tracking import MeetingSchedule
from positions.models import Commitment

from . import builders as b

pytestmark = pytest.mark.django_db

D = datetime.date


def agenda_commitment(fiche, **fields):
    return b.commitment(fiche, kind=Commitment.Kind.INFORM, due_event=Commitment.DueEvent.ANNOTATED_AGENDA, due_configuration=b.tte(), **fields)


class TriggerResolutionTests:
    def test_the_next_annotated_agenda_is_that_of_the_first_formal_meeting_after_the_fiche_was_sent(self):
        fiche = b.fiche(sent_on=D(2024, 3, 1))
        c = agenda_commitment(fiche)
        b.meeting(b.tte(), D(2024, 3, 5))  # its agenda went out on 27 February, before the fiche
        b.meeting(b.tte(), D(2024, 4, 15), formal=False)  # informal: no annotated agenda
        b.meeting(b.tte(), D(2024, 5, 21))
        b.meeting(b.tte(), D(2024, 12, 6))
        schedule = MeetingSchedule()
        assert schedule.next_meeting(c).date == D(2024, 5, 21)
        assert schedule.due_date(c) == D(2024, 5, 14)  # seven days' lead time

    def test_the_lead_time_is_a_setting(self, settings):
        settings.ANNOTATED_AGENDA_LEAD_DAYS = 10
        c = agenda_commitment(b.fiche(sent_on=D(2024, 3, 1)))
        b.meeting(b.tte(), D(2024, 5, 21))
        assert MeetingSchedule().due_date(c) == D(2024, 5, 11)

    def test_a_meeting_whose_agenda_would_go_out_before_the_fiche_is_skipped(self, settings):
        settings.ANNOTATED_AGENDA_LEAD_DAYS = 7
        c = agenda_commitment(b.fiche(sent_on=D(2024, 3, 1)))
        b.meeting(b.tte(), D(2024, 3, 7))  # agenda 29 February: one day too early
        b.meeting(b.tte(), D(2024, 3, 8))  # agenda 1 March: the day the fiche went out
        assert MeetingSchedule().next_meeting(c).date == D(2024, 3, 8)

    def test_a_commitment_without_a_known_meeting_resolves_as_soon_as_the_meeting_is_entered(self):
        c = agenda_commitment(b.fiche(sent_on=D(2026, 10, 1)))
        b.meeting(b.ecofin(), D(2026, 12, 9))  # another Council does not count
        assert MeetingSchedule().due_date(c) is None
        b.meeting(b.tte(), D(2026, 12, 5))
        assert MeetingSchedule().due_date(c) == D(2026, 11, 28)

    def test_a_council_meeting_trigger_falls_on_the_meeting_itself_formal_or_not(self):
        c = b.commitment(b.fiche(sent_on=D(2024, 3, 1)), due_event=Commitment.DueEvent.COUNCIL_MEETING, due_configuration=b.tte())
        b.meeting(b.tte(), D(2024, 4, 15), formal=False)
        assert MeetingSchedule().due_date(c) == D(2024, 4, 15)

    def test_without_its_own_configuration_the_trigger_uses_the_council_of_the_fiche(self):
        fiche = b.fiche(sent_on=D(2024, 3, 1), council_configuration=b.ecofin())
        c = b.commitment(fiche, due_event=Commitment.DueEvent.ANNOTATED_AGENDA)
        b.meeting(b.tte(), D(2024, 5, 21))
        b.meeting(b.ecofin(), D(2024, 5, 14))
        assert MeetingSchedule().due_date(c) == D(2024, 5, 7)

    def test_a_date_of_its_own_wins_over_the_event(self):
        c = agenda_commitment(b.fiche(sent_on=D(2024, 3, 1)), due_date=D(2024, 4, 1))
        b.meeting(b.tte(), D(2024, 5, 21))
        assert MeetingSchedule().due_date(c) == D(2024, 4, 1)

    def test_resolving_stores_the_meeting_so_the_model_property_agrees(self):
        c = agenda_commitment(b.fiche(sent_on=D(2024, 3, 1)))
        closed = agenda_commitment(b.fiche(sent_on=D(2024, 3, 1)), status=Commitment.Status.WITHDRAWN)
        meeting = b.meeting(b.tte(), D(2024, 5, 21))
        assert resolve_due_triggers() == 1
        c.refresh_from_db()
        closed.refresh_from_db()
        assert c.due_meeting == meeting
        assert c.effective_due_date == D(2024, 5, 14)
        assert closed.due_meeting is None
        assert resolve_due_triggers() == 0  # idempotent
