"""Import of Council meetings from a CSV or iCalendar file.

Both formats are parsed into MeetingRow values first; nothing is written unless the whole file is
valid, and existing meetings (same configuration, same day) are updated in place, never recreated,
so commitments linked to them keep their link.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from proposals.models import CouncilConfiguration, CouncilMeeting

from .services import resolve_due_triggers

COLUMN_NAMES = {
    "configuration": {"configuratie", "raadsformatie", "raad", "configuration", "council", "code"},
    "date": {"datum", "date", "begindatum", "start", "startdatum"},
    "end_date": {"einddatum", "end_date", "end", "tot"},
    "is_formal": {"formeel", "formal", "is_formal"},
    "notes": {"toelichting", "notes", "omschrijving", "opmerking"},
}
TRUE_WORDS = {"ja", "j", "yes", "y", "true", "1", "formeel", "formal", "x"}
FALSE_WORDS = {"nee", "n", "no", "false", "0", "informeel", "informal"}
INFORMAL_RE = re.compile(r"\binforme(el|le)\b|\binformal\b", re.IGNORECASE)


class ImportFailed(Exception):
    """The file cannot be imported; ``errors`` lists every problem with its line or event."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class MeetingRow:
    source: str
    configuration: CouncilConfiguration
    date: datetime.date
    end_date: datetime.date | None
    is_formal: bool
    notes: str


class ConfigurationIndex:
    """Every way a Council configuration is named (EU code, Dutch name and short form, English name,
    aliases), lowercased; loaded in two queries."""

    def __init__(self):
        self.names = {}
        for configuration in CouncilConfiguration.objects.prefetch_related("aliases"):
            for name in (configuration.code, configuration.name, configuration.abbreviation, configuration.name_en,
                         *(alias.name for alias in configuration.aliases.all())):
                if name and name.strip():
                    self.names.setdefault(name.strip().lower(), configuration)

    def find(self, text):
        """Exact name first, then a name in parentheses ('Raad VTE (Telecom)'), then the longest known
        name inside the text as whole words ('Informele Telecomraad, Brussel')."""
        text = (text or "").strip()
        if not text:
            return None
        exact = self.names.get(text.lower())
        if exact:
            return exact
        for inner in re.findall(r"\(([^)]+)\)", text):
            found = self.names.get(inner.strip().lower())
            if found:
                return found
        best = None
        for name, configuration in self.names.items():
            longer = best is None or len(name) > len(best[0])
            if longer and len(name) >= 3 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
                best = (name, configuration)
        return best[1] if best else None


def parse_date(text):
    text = (text or "").strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _column_map(header):
    mapping = {}
    for index, raw in enumerate(header):
        name = raw.strip().lstrip("\ufeff").lower()
        for field, names in COLUMN_NAMES.items():
            if name in names and field not in mapping:
                mapping[field] = index
    return mapping


def parse_csv(text, index=None):
    """Rows of a CSV file with a header line; comma or semicolon separated."""
    index = index or ConfigurationIndex()
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise ImportFailed(["Het bestand is leeg."])
    columns = _column_map(header)
    missing = [label for field, label in (("configuration", "configuratie"), ("date", "datum")) if field not in columns]
    if missing:
        raise ImportFailed([
            f"Regel 1: kolom(men) {', '.join(missing)} ontbreken. Verwacht een kopregel met configuratie, datum "
            f"en eventueel einddatum, formeel, toelichting; gevonden: {', '.join(h.strip() for h in header)}."
        ])
    rows, errors = [], []

    def cell(values, field):
        position = columns.get(field)
        return values[position].strip() if position is not None and position < len(values) else ""

    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        where = f"Regel {line}"
        problems = []
        name = cell(values, "configuration")
        configuration = index.find(name)
        if configuration is None:
            problems.append(f"onbekende Raadsformatie {name!r}" if name else "Raadsformatie ontbreekt")
        start = end = None
        try:
            start = parse_date(cell(values, "date"))
        except ValueError:
            problems.append(f"datum {cell(values, 'date')!r} is geen datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ)")
        if cell(values, "end_date"):
            try:
                end = parse_date(cell(values, "end_date"))
            except ValueError:
                problems.append(f"einddatum {cell(values, 'end_date')!r} is geen datum")
        if start and end and end < start:
            problems.append("de einddatum ligt voor de datum")
        formal_text = cell(values, "is_formal").lower()
        if formal_text and formal_text not in TRUE_WORDS | FALSE_WORDS:
            problems.append(f"formeel {formal_text!r} moet ja of nee zijn")
        notes = cell(values, "notes")
        if len(notes) > 300:
            problems.append("de toelichting is langer dan 300 tekens")
        if problems:
            errors.append(f"{where}: {'; '.join(problems)}.")
            continue
        rows.append(MeetingRow(where, configuration, start, end if end != start else None, formal_text not in FALSE_WORDS, notes))
    if errors:
        raise ImportFailed(errors)
    return rows


def _as_date(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def parse_ics(data, index=None, skip_unknown=False):
    """Rows of an iCalendar file: one per VEVENT whose summary (or category) names a Council configuration.

    All-day events end the day before DTEND (RFC 5545: DTEND is exclusive). 'Informele' in the title
    marks an informal meeting. Cancelled events are left out. With ``skip_unknown``, events naming no
    known configuration are skipped (returned in the second value) instead of failing the import.
    """
    index = index or ConfigurationIndex()
    try:
        calendar = Calendar.from_ical(data)
    except ValueError as error:
        raise ImportFailed([f"Geen geldig iCalendar-bestand: {error}"]) from None
    rows, errors, skipped = [], [], []
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        summary = str(event.get("summary", "")).strip()
        where = f"Afspraak {number} ({summary or 'zonder titel'})"
        if str(event.get("status", "")).upper() == "CANCELLED":
            skipped.append(f"{where}: geannuleerd")
            continue
        configuration = index.find(summary)
        if configuration is None:
            categories = event.get("categories")
            for category_list in categories if isinstance(categories, list) else [categories] if categories else []:
                for category in getattr(category_list, "cats", []):
                    configuration = configuration or index.find(str(category))
        if configuration is None:
            if skip_unknown:
                skipped.append(f"{where}: geen bekende Raadsformatie")
            else:
                errors.append(f"{where}: geen bekende Raadsformatie in de titel.")
            continue
        dtstart = event.get("dtstart")
        if dtstart is None:
            errors.append(f"{where}: DTSTART ontbreekt.")
            continue
        raw_start = dtstart.dt
        start = _as_date(raw_start)
        end = None
        dtend = event.get("dtend")
        if dtend is not None:
            raw_end = dtend.dt
            end = _as_date(raw_end)
            if not isinstance(raw_end, datetime.datetime):
                end = end - datetime.timedelta(days=1)
            if end < start:
                errors.append(f"{where}: het einde ligt voor het begin.")
                continue
        notes = str(event.get("location", "")).strip()[:300]
        rows.append(MeetingRow(where, configuration, start, end if end and end != start else None, not INFORMAL_RE.search(summary), notes))
    if errors:
        raise ImportFailed(errors)
    return rows, skipped


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    linked_triggers: int = 0


@transaction.atomic
def council_meetings_import(*, rows):
    """Create or update meetings (natural key: configuration and date), then resolve event triggers."""
    seen = {}
    duplicates = []
    for row in rows:
        key = (row.configuration.pk, row.date)
        if key in seen:
            duplicates.append(f"{row.source}: {row.configuration.code} op {row.date:%d-%m-%Y} staat ook in {seen[key]}.")
        seen[key] = row.source
    if duplicates:
        raise ImportFailed(duplicates)
    existing = {
        (m.configuration_id, m.date): m
        for m in CouncilMeeting.objects.filter(date__in={r.date for r in rows}, configuration__in={r.configuration.pk for r in rows})
    }
    result = ImportResult()
    for row in rows:
        meeting = existing.get((row.configuration.pk, row.date))
        if meeting is None:
            meeting = CouncilMeeting(configuration=row.configuration, date=row.date)
            result.created += 1
        else:
            before = (meeting.end_date, meeting.is_formal, meeting.notes)
            after = (row.end_date, row.is_formal, row.notes or meeting.notes)
            if before == after:
                result.unchanged += 1
                continue
            result.updated += 1
        meeting.end_date = row.end_date
        meeting.is_formal = row.is_formal
        meeting.notes = row.notes or meeting.notes
        meeting.full_clean(validate_unique=False)
        meeting.save()
    result.linked_triggers = resolve_due_triggers()
    return result


def read_meetings_file(data, kind, *, skip_unknown=False):
    """Parse the bytes of a .csv or .ics file of Council meetings: (rows, notes on skipped events).

    Raises ImportFailed with a message that says what to do for an unknown type or a CSV that is not UTF-8.
    Shared by the import_council_meetings command and the admin upload page.
    """
    kind = (kind or "").lower().lstrip(".")
    if kind not in ("csv", "ics"):
        raise ImportFailed([f"Onbekend bestandstype {'.' + kind if kind else '(geen extensie)'}: gebruik een .csv- of .ics-bestand."])
    if kind == "ics":
        return parse_ics(data, skip_unknown=skip_unknown)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(["Het bestand is geen UTF-8-tekst; sla het op als CSV UTF-8."]) from None
    return parse_csv(text), []
