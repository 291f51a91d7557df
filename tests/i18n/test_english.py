"""The interface in English (issue 3): public pages, follow-up, admin, and a catalogue that cannot fall behind.

The data (titles, section texts, quotes) stays in the language it was written in; only the interface
changes. The catalogue checks read locale/en/LC_MESSAGES/django.po and the compiled .mo directly, and
extract the translatable strings from the source the way `makemessages` does, so a string added without a
translation fails here instead of silently showing up in Dutch on an English page.
"""

import ast
import datetime
import functools
import gettext as gnu_gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation.template import templatize

from positions.models import Commitment, Fiche
from tests import factories
from tests.followup import builders
from tests.positions.conftest import make_fiche, staff_user

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)
PO = BASE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# What `make messages` leaves out (see the Makefile): the virtualenv and the tests.
IGNORED_DIRS = {".venv", "tests", "node_modules", "static", "staticfiles"}


# --- reading the catalogue ------------------------------------------------------------------------------

def _unquote(line):
    return ast.literal_eval(line)


def parse_po(path=PO):
    """Entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr or msgstr[n], flags, obsolete."""
    entries, entry, key = [], None, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if match:
            key = match.group(1)
            entry[key] = _unquote(match.group(2))
        else:
            assert line.startswith('"'), f"unreadable line in {path.name}: {raw!r}"
            entry[key] += _unquote(line)
    return [e for e in entries if not e["obsolete"]]


def catalogue():
    """The translatable entries (the header, msgid "", left out)."""
    return [e for e in parse_po() if e["msgid"]]


@functools.cache
def dutch_interface_strings(min_length=12):
    """Dutch source strings that read differently in English (placeholders and markup left out), whitespace-normalised
    and without closing punctuation, so 'Toelichting' and 'Toelichting:' count as the same string."""
    strings = set()
    for entry in catalogue():
        if "msgid_plural" in entry or "%" in entry["msgid"] or "<" in entry["msgid"]:
            continue
        if len(entry["msgid"]) >= min_length and entry["msgstr"] != entry["msgid"]:
            strings.add(_normalise(entry["msgid"]))
    return frozenset(strings)


def _normalise(text):
    return " ".join(text.split()).rstrip(":.")


def translations(entry):
    return [value for key, value in entry.items() if key.startswith("msgstr")]


# --- extracting the strings from the source, as makemessages does ----------------------------------------

PY_KEYWORDS = {  # function name -> (index of msgctxt or None, index of msgid, index of msgid_plural or None)
    "_": (None, 0, None), "gettext": (None, 0, None), "gettext_lazy": (None, 0, None), "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1), "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None), "pgettext_lazy": (0, 1, None), "npgettext": (0, 1, 2), "npgettext_lazy": (0, 1, 2),
}
TEMPLATE_CALL = re.compile(r"\b(n?p?gettext)\(((?:u?'(?:[^'\\]|\\.)*'(?:,\s*)?)+)")
TEMPLATE_LITERAL = re.compile(r"u?('(?:[^'\\]|\\.)*')")


def source_files(*suffixes):
    for path in BASE.rglob("*"):
        relative = path.relative_to(BASE).parts
        if path.suffix in suffixes and path.is_file() and not any(p in IGNORED_DIRS or p.startswith(".") for p in relative[:-1]):
            yield path


def _key(context, msgid):
    return (context or "", msgid)


def strings_in_python(path):
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr if isinstance(node.func, ast.Attribute) else None
        if name not in PY_KEYWORDS:
            continue
        ctx_at, id_at, _plural_at = PY_KEYWORDS[name]
        needed = [i for i in (ctx_at, id_at) if i is not None]
        if len(node.args) <= max(needed):
            continue
        args = node.args
        if all(isinstance(args[i], ast.Constant) and isinstance(args[i].value, str) for i in needed):
            found.add(_key(args[ctx_at].value if ctx_at is not None else None, args[id_at].value))
    return found


def strings_in_template(path):
    found = set()
    for function, arguments in TEMPLATE_CALL.findall(templatize(path.read_text(encoding="utf-8"), origin=str(path))):
        literals = [ast.literal_eval(lit) for lit in TEMPLATE_LITERAL.findall(arguments)]
        if function.startswith("np") or function == "pgettext":
            found.add(_key(literals[0], literals[1]))
        else:
            found.add(_key(None, literals[0]))
    return found


# --- test data -------------------------------------------------------------------------------------------

@pytest.fixture
def english(client):
    """A client that chose English with the language switch (the cookie it sets)."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


def interface_texts(body):
    """Every text node and every aria-label, title, placeholder and alt value of the page, normalised.

    Whole nodes, not substrings: the Dutch data on the page (fiche text, commitments) may well contain the
    words of an interface string, but never stands alone as one. <code> holds values, not words (the API
    page lists the stored verdict values), so it is left out."""
    body = re.sub(r"<(script|style|code)\b.*?</\1>", "", body, flags=re.S)
    texts = re.split(r"<[^>]*>", body) + re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', body)
    return {_normalise(html.unescape(t)) for t in texts} - {""}


def assert_no_dutch_interface(body):
    """No wrapped interface string of the catalogue is shown untranslated: a string translated at import time
    (gettext instead of gettext_lazy) or a fragment rendered outside the active language would show up here."""
    leaked = sorted(interface_texts(body) & dutch_interface_strings())
    assert not leaked, f"Dutch interface strings on an English page: {leaked}"


# --- pages -----------------------------------------------------------------------------------------------

class EnglishPublicPagesTests:
    def test_the_english_home_page_is_english(self, client):
        factories.fiche(title="Mededeling over betrouwbare AI")
        body = client.get("/en/").content.decode()
        assert '<html lang="en">' in body
        assert "What does the Netherlands think of new European proposals?" in body
        assert "Search all published fiches" in body and "Newest fiches" in body and "Skip to content" in body
        assert "Mededeling over betrouwbare AI" in body  # the data stays in Dutch
        assert "Zoek in alle gepubliceerde fiches" not in body
        assert_no_dutch_interface(body)

    def test_dutch_stays_the_default_without_a_preference(self, client):
        body = client.get("/").content.decode()
        assert '<html lang="nl">' in body and "Zoek in alle gepubliceerde fiches" in body

    def test_the_cookie_of_the_language_switch_wins_over_the_browser_where_one_url_serves_both(self, english):
        body = english.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
        assert '<html lang="en">' in body and "Open data: the fichetracker API" in body

    def test_the_example_fiche_page_shows_english_labels_and_dutch_text(self, english, example):
        body = english.get("/en" + example.get_absolute_url()).content.decode()
        assert '<html lang="en">' in body
        for label in ("General data", "Title of the proposal", "Date the Commission document was received",
                      "Verdict", "Competence", "Subsidiarity", "Proportionality", "Commitments", "Footnotes"):
            assert label in body, label
        assert example.title in body  # the fiche itself is not translated
        assert "Titel voorstel" not in body and "Datum ontvangst Commissiedocument" not in body
        assert_no_dutch_interface(body)

    def test_the_api_documentation_is_english(self, english):
        body = english.get("/api/v1/").content.decode()
        assert "Open data: the fichetracker API" in body and "Machine-readable description" in body
        assert "Stable keys" in body and "A fiche is named after its Kamerstuk (parliamentary paper) number" in body
        assert "Fields of" in body and "Meaning" in body
        assert_no_dutch_interface(body)

    def test_a_bad_filter_explains_itself_in_english(self, english):
        body = english.get("/en/toezeggingen/?status=onzin").content.decode()
        assert "Check the filters" in body and "Controleer de filters" not in body
        # The message is built when the filter classes are defined; it must still follow the reader's language.
        assert "Choose a status from the list; &#x27;onzin&#x27; does not occur in the published fiches." in body
        body = english.get("/en/fiches/", {"year": "abc"}).content.decode()
        assert "Choose a year from the list; &#x27;abc&#x27; does not occur in the published fiches." in body
        assert "komt in de gepubliceerde fiches niet voor" not in body

    def test_the_same_filter_error_stays_dutch_for_a_dutch_reader(self, client):
        body = client.get("/fiches/", {"year": "abc"}).content.decode()
        assert "Kies een jaar uit de lijst; &#x27;abc&#x27; komt in de gepubliceerde fiches niet voor." in body


class EnglishFollowUpTests:
    def test_the_follow_up_dashboard_speaks_english_to_staff(self, english):
        officer = builders.staff("opvolger", ministries=[builders.ezk()])
        today = datetime.date.today()
        fiche = builders.fiche(lead_ministry=builders.ezk(), sent_on=today - datetime.timedelta(days=60))
        builders.commitment(fiche, summary="Aandacht vragen voor open standaarden", due_date=today - datetime.timedelta(days=3))
        builders.commitment(fiche, summary="Brief over de uitvoering gestuurd", status=Commitment.Status.FULFILLED, evidence_reference="Kamerstuk 22 112, nr. 3942")
        english.force_login(officer)
        body = english.get(reverse("followup:dashboard")).content.decode()
        assert "<h1>Follow-up of commitments</h1>" in body
        for label in ("Open per ministry", "Overdue commitments", "3 days overdue", "Settled (1)",
                      "Half-yearly report EZK", "Calendar links (iCalendar)", "Cofinancing as CSV"):
            assert label in body, label
        assert "Aandacht vragen voor open standaarden" in body  # data stays Dutch
        assert "Opvolging van toezeggingen" not in body
        assert_no_dutch_interface(body)

    def test_the_half_yearly_report_is_english_and_rejects_a_bad_period_in_english(self, english):
        officer = builders.staff("opvolger", ministries=[builders.ezk()])
        english.force_login(officer)
        url = reverse("followup:report", kwargs={"code": "ezk"})
        report = english.get(url, {"periode": "2026-2"}).content.decode()
        assert "Half-yearly report on commitments: Ministerie van Economische Zaken en Klimaat" in report
        assert "Open without a date" in report and "Settled in this period" in report
        assert_no_dutch_interface(report)
        response = english.get(url, {"periode": "2026-7"})
        assert response.status_code == 400
        assert response.content.decode() == "Unknown period '2026-7': use the form 2026-1 (January to June) or 2026-2 (July to December)."


class EnglishAdminTests:
    @pytest.fixture
    def superuser(self):
        return staff_user("beheerder", superuser=True)

    def test_the_fiche_form_in_the_admin_has_english_labels(self, english, superuser):
        fiche = make_fiche(Fiche.Status.DRAFT)
        english.force_login(superuser)
        body = english.get(reverse("admin:positions_fiche_change", args=[fiche.pk])).content.decode()
        for label in ("fichetracker administration", "1. General data", "Sections (in the order of the template)", "Verdict",
                      "Template and revision", "Sending and publication", "Status and deadline", "Current status",
                      "Submit for review", "Preview as the public sees it", "Lead ministry"):
            assert label in body, label
        assert "1. Algemene gegevens" not in body and "Ter review aanbieden" not in body

    def test_the_admin_dashboard_and_changelist_are_english(self, english, superuser):
        make_fiche(Fiche.Status.DRAFT, title="Concept over chips")
        english.force_login(superuser)
        dashboard = english.get(reverse("admin:dashboard")).content.decode()
        assert "Documents awaiting a fiche" in dashboard and "Fiches awaiting a next step" in dashboard
        changelist = english.get(reverse("admin:positions_fiche_changelist")).content.decode()
        assert "Export selected fiches (CSV)" in changelist and "Import" in changelist
        assert "Search by title, Kamerstuk number (22112-3908)" in changelist

    def test_the_import_page_explains_the_upload_in_english(self, english, superuser):
        english.force_login(superuser)
        body = english.get("/admin/positions/fiche/import/").content.decode()
        assert "Import a fiche" in body
        assert "The fiche as a PDF, Word file (.docx) or text file, or the HTML page (.html) or XML (.xml) of the parliamentary paper on officielebekendmakingen.nl; at most 20 MB." in body  # help text built at import time
        assert_no_dutch_interface(body)

    def test_a_status_change_that_cannot_happen_yet_is_explained_in_english(self, english, superuser):
        fiche = make_fiche(Fiche.Status.DRAFT, filled=False)
        english.force_login(superuser)
        url = reverse("admin:positions_fiche_transition", args=[fiche.pk])
        body = english.get(url, {"naar": Fiche.Status.REVIEW}).content.decode()
        assert "This step is not possible yet. Missing:" in body
        assert "The verdict on competence is missing (choose positive, positive with reservations" in body
        assert "Deze stap kan nog niet" not in body and "Het oordeel over de bevoegdheid" not in body


# --- the catalogue ---------------------------------------------------------------------------------------

class CatalogueTests:
    def test_every_entry_is_translated_and_none_is_fuzzy(self):
        entries = catalogue()
        assert len(entries) > 900
        untranslated = [e["msgid"] for e in entries if any(t == "" for t in translations(e))]
        fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
        assert not untranslated, f"{len(untranslated)} untranslated; run `make messages` and translate: {untranslated[:10]}"
        assert not fuzzy, f"{len(fuzzy)} fuzzy entries; check and unflag them: {fuzzy[:10]}"

    def test_plural_entries_have_both_english_forms(self):
        plurals = [e for e in catalogue() if "msgid_plural" in e]
        assert plurals
        for entry in plurals:
            assert entry["msgstr[0]"] and entry["msgstr[1]"], entry["msgid"]

    def test_translations_keep_every_placeholder_and_html_tag(self):
        placeholder = re.compile(r"%\(\w+\)[-#0 +.\d]*[sdfr]|%%|%[sd]|\{\w*\}")
        tag = re.compile(r"</?[a-z][^>]*>")
        for entry in catalogue():
            sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
            for index, target in enumerate(translations(entry)):
                source = sources[min(index, 1)]
                assert sorted(placeholder.findall(target)) == sorted(placeholder.findall(source)), (source, target)
                assert sorted(tag.findall(target)) == sorted(tag.findall(source)), (source, target)

    def test_every_translatable_string_in_the_source_is_in_the_catalogue(self):
        in_catalogue = {_key(e.get("msgctxt"), e["msgid"]) for e in catalogue()}
        in_source = set()
        for path in source_files(".py"):
            in_source |= {(key, path) for key in strings_in_python(path)}
        for path in source_files(".html", ".txt"):
            in_source |= {(key, path) for key in strings_in_template(path)}
        assert len({key for key, _ in in_source}) > 900  # the extraction works at all
        missing = sorted((str(path.relative_to(BASE)), key[1]) for key, path in in_source if key not in in_catalogue)
        assert not missing, f"not in the catalogue; run `make messages` and translate: {missing[:15]}"

    def test_the_compiled_catalogue_matches_the_po_file(self):
        with MO.open("rb") as handle:
            compiled = gnu_gettext.GNUTranslations(handle)
        for entry in catalogue():
            msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
            if "msgid_plural" in entry:
                assert compiled.ngettext(msgid, entry["msgid_plural"], 1) == entry["msgstr[0]"], f"recompile: {msgid!r}"
                assert compiled.ngettext(msgid, entry["msgid_plural"], 2) == entry["msgstr[1]"], f"recompile: {msgid!r}"
            else:
                assert compiled.gettext(msgid) == entry["msgstr"], f"stale .mo, run compilemessages: {msgid!r}"
