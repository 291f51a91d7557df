import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ops.demo import content_digest
from positions.models import Commitment, Fiche, FicheSection, FicheTemplate, Footnote
from proposals.models import CommissionDocument, CouncilConfiguration, Ministry


@pytest.fixture
def reference_data(db):
    """Ministries, Council configurations and templates only: no real fiche."""
    call_command("loaddata", "fixtures/reference.json", "fixtures/templates.json", verbosity=0)


def generate(*args):
    call_command("generate_demo_data", *args, verbosity=0)


class DemoDataTests:
    def test_it_creates_realistic_fiches_of_both_templates_all_marked_as_demo(self, reference_data):
        generate("--fiches", "30", "--seed", "3")
        fiches = Fiche.objects.all()
        assert fiches.count() == 30
        assert not fiches.filter(is_demo=False).exists()
        assert {f.template.kind for f in fiches} == {"legislative", "communication"}
        assert fiches.filter(status=Fiche.Status.PUBLISHED).exists() and fiches.exclude(status=Fiche.Status.PUBLISHED).exists()
        published = fiches.filter(status=Fiche.Status.PUBLISHED)
        assert not published.filter(kamerstuk="").exists() and not published.filter(sent_on__isnull=True).exists()
        # Full-length text (~25 KB per fiche), with footnote markers that match the footnotes.
        fiche = published.first()
        text = "\n\n".join(fiche.sections.values_list("text", flat=True))
        assert 20_000 < len(text) < 40_000
        assert fiche.sections.count() == fiche.template.sections.count()
        numbers = list(fiche.footnotes.values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        assert all(f"[^{n}]" in text for n in numbers)
        # Commitments quote their fiche literally; verdict sentences too.
        for commitment in fiche.commitments.all():
            assert commitment.quote in text
        assert fiche.competence_sentence in text
        assert Commitment.objects.exclude(status=Commitment.Status.OPEN).exists()
        assert CommissionDocument.objects.count() >= 30
        if connection.vendor == "postgresql":
            # The search vector is maintained by a trigger (positions migration 0002); bulk inserts must fill it.
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM positions_fiche WHERE search_vector IS NULL OR length(search_vector) < 100")
                assert cursor.fetchone()[0] == 0

    def test_it_spreads_over_twenty_years_and_many_ministries(self, reference_data):
        generate("--fiches", "40", "--seed", "4")
        years = {d.year for d in Fiche.objects.values_list("received_on", flat=True)}
        assert min(years) <= 2010 and max(years) >= 2022
        assert Fiche.objects.values("lead_ministry").distinct().count() >= 8
        assert Fiche.objects.values("council_configuration").distinct().count() >= 5

    def test_the_same_seed_gives_the_same_data(self, reference_data):
        generate("--fiches", "12", "--seed", "42")
        first = content_digest()
        generate("--fiches", "12", "--seed", "42", "--clear")
        assert Fiche.objects.count() == 12
        assert content_digest() == first
        generate("--fiches", "12", "--seed", "43", "--clear")
        assert content_digest() != first

    def test_clear_removes_demo_data_and_what_only_it_used(self, reference_data):
        generate("--fiches", "10", "--seed", "5")
        from ops.demo import clear_demo_data

        assert clear_demo_data() == 10
        assert not Fiche.objects.exists() and not FicheSection.objects.exists() and not Footnote.objects.exists()
        assert not CommissionDocument.objects.exists()
        assert Ministry.objects.exists() and FicheTemplate.objects.exists()


class DemoDataRefusalTests:
    def real_fiche(self):
        return Fiche.objects.create(title="Echt fiche", template=FicheTemplate.objects.first(), lead_ministry=Ministry.objects.first())

    def test_it_refuses_a_database_with_real_fiches_and_creates_nothing(self, reference_data):
        self.real_fiche()
        with pytest.raises(CommandError, match=r"holds 1 real \(non-demo\) fiche.*--allow-real-data"):
            generate("--fiches", "5")
        assert Fiche.objects.count() == 1
        assert not CommissionDocument.objects.exists()

    def test_allow_real_data_adds_demo_fiches_beside_the_real_one_untouched(self, reference_data):
        real = self.real_fiche()
        generate("--fiches", "5", "--allow-real-data")
        generate("--fiches", "5", "--allow-real-data", "--clear")
        assert Fiche.objects.filter(is_demo=True).count() == 5
        assert Fiche.objects.get(is_demo=False) == real

    def test_it_exits_non_zero_with_a_clear_message_from_the_command_line(self, reference_data):
        self.real_fiche()
        from django.core.management import ManagementUtility

        with pytest.raises(SystemExit) as exit_info:
            ManagementUtility(["manage.py", "generate_demo_data", "--fiches", "3"]).execute()
        assert exit_info.value.code != 0

    def test_it_asks_for_the_reference_data_when_it_is_missing(self, db):
        with pytest.raises(CommandError, match=r"reference data is missing.*load_fixtures"):
            generate("--fiches", "5")
        assert not CouncilConfiguration.objects.exists()

    def test_it_refuses_to_add_to_existing_demo_data_without_clear(self, reference_data):
        generate("--fiches", "3")
        with pytest.raises(CommandError, match="already holds 3 demo fiches"):
            generate("--fiches", "3")

    def test_it_rejects_an_impossible_number_of_fiches(self, reference_data):
        with pytest.raises(CommandError, match="between 1 and 100,000"):
            generate("--fiches", "0")


class DemoArchiveShapeTests:
    """The demo looks like the archive: ministries of each period with their successors, each fiche led by the
    ministry that existed on its date, Kamerstuk numbers in the real range of dossier 22 112, and commitments
    older than two years mostly settled."""

    def test_it_creates_the_ministries_of_each_period_with_their_successors_when_missing(self, db):
        call_command("loaddata", "fixtures/templates.json", verbosity=0)
        CouncilConfiguration.objects.create(code="TTE", name="Raad Vervoer, Telecommunicatie en Energie")
        Ministry.objects.create(code="ez", abbreviation="EZ", name="Ministerie van Economische Zaken")  # today's only
        generate("--fiches", "5", "--seed", "2")
        chain, ministry = [], Ministry.objects.get(code="ez-tot-2010")
        while ministry:
            chain.append((ministry.abbreviation, ministry.valid_until and ministry.valid_until.year))
            ministry = ministry.successor
        assert chain == [("EZ", 2010), ("EL&I", 2012), ("EZ", 2017), ("EZK", 2024), ("EZ", None)]
        assert Ministry.objects.get(code="lnv").successor.code == "lvvn"
        assert {m.successor.code for m in Ministry.objects.filter(code__in=["venw", "vrom"])} == {"ienm"}
        generate("--fiches", "5", "--seed", "2", "--clear")  # a second run creates nothing new
        assert Ministry.objects.filter(code="ez-2012").count() == 1

    def test_each_fiche_is_led_by_a_ministry_that_existed_on_its_date(self, reference_data):
        generate("--fiches", "60", "--seed", "6")
        fiches = Fiche.objects.select_related("lead_ministry")
        for fiche in fiches:
            ministry = fiche.lead_ministry
            assert (ministry.valid_from or fiche.received_on) <= fiche.received_on, (fiche.received_on, ministry.code)
            assert ministry.valid_until is None or fiche.received_on < ministry.valid_until, (fiche.received_on, ministry.code)
        codes = {f.lead_ministry.code for f in fiches}
        assert codes & {"ez-tot-2010", "eli", "ez-2012", "ezk", "venw", "ienm", "venj", "justitie", "lnv", "lnv-2003", "vrom"}
        assert codes & {"ez", "ienw", "jenv", "kgg", "lvvn"}

    def test_kamerstuk_numbers_rise_with_the_date_in_the_real_range(self, reference_data):
        from ops.demo import kamerstuk_floor

        generate("--fiches", "60", "--seed", "7")
        published = Fiche.objects.exclude(kamerstuk="").order_by("sent_on", "kamerstuk")
        numbers = [(f.sent_on, int(f.kamerstuk.rpartition("-")[2])) for f in published]
        assert all(n >= kamerstuk_floor(day) for day, n in numbers)
        assert all(400 <= n <= 4300 for _day, n in numbers)  # at the archive's pace: about 600 in 2007, about 4,100 in 2026
        assert [n for _day, n in numbers] == sorted(n for _day, n in numbers)
        assert kamerstuk_floor(datetime.date(2007, 1, 1)) == 600 and kamerstuk_floor(datetime.date(2026, 12, 31)) == 4100

    def test_commitments_older_than_two_years_are_mostly_settled(self, reference_data):
        generate("--fiches", "150", "--seed", "8")
        today = datetime.date(2026, 11, 26)
        old = Commitment.objects.filter(fiche__sent_on__lt=today - datetime.timedelta(days=2 * 365))
        recent = Commitment.objects.filter(fiche__sent_on__gte=today - datetime.timedelta(days=365))
        assert old.count() > 200 and recent.exists()
        assert old.open().count() / old.count() < 0.15
        assert recent.open().count() / recent.count() > 0.5
        settled = old.exclude(status__in=Commitment.OPEN_STATUSES)
        assert all(c.status_changes.get().changed_at.date() < today for c in settled[:50])  # each with its change, in the past

    def test_clear_also_removes_what_follow_up_keeps_about_demo_commitments(self, reference_data):
        from django.contrib.auth.models import User

        from followup.models import CommitmentAssignment, ReminderLog
        from ops.demo import clear_demo_data

        generate("--fiches", "4", "--seed", "9")
        officer = User.objects.create_user("opvolger", password=None, is_staff=True)
        commitment = Commitment.objects.first()
        CommitmentAssignment.objects.create(commitment=commitment, officer=officer)
        ReminderLog.objects.create(user=officer, commitment=commitment, kind="overdue", due_date=datetime.date(2026, 1, 1),
                                   sent_on=datetime.date(2026, 1, 8))
        assert clear_demo_data() == 4
        assert not CommitmentAssignment.objects.exists() and not ReminderLog.objects.exists()
        assert User.objects.filter(username="opvolger").exists()
