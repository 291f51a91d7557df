"""Harvesting the fiches from the official publications repository: its public SRU search, then each document's XML.

``harvest_fiches`` asks the SRU 2.0 endpoint of repository.overheid.nl for the Kamerstukken of dossier 22 112
published in a period, keeps the records whose title says they are or hold fiches, downloads each one's
Kamerstuk XML and hands it to ``ArchiveImport`` (importer/archive.py): the same rules as ``import_archive``
(collisions refused, idempotent, one transaction a document, ``--published``).

- **What a record is.** ``sru:record/sru:recordData/gzd:gzd``: ``gzd:originalData`` holds the metadata
  (``dcterms:identifier`` such as kst-22112-3950, ``dcterms:title``, ``dcterms:available``), ``gzd:enrichedData``
  the URLs of the manifestations (``gzd:itemUrl manifestation="xml"``). Elements are found by local name, so a
  change of namespace prefix or of nesting within ``gzd:originalData`` does not lose them.
- **Which records.** Every Kamerstuk of the dossier carries the dossier's title ("Nieuwe Commissievoorstellen en
  initiatieven van de lidstaten van de Europese Unie") before its own; only the part after it decides, else the
  dossier's annotated agendas and Council reports would be read as fiches.
- **Resumable, politely.** An identifier already imported (``ImportedFile.identifier``, same ``--published``) is
  skipped without a download. Every request waits ``delay`` seconds after the previous one; a failed request
  (HTTP error, timeout, XML that does not parse) is tried again up to ``RETRIES`` times, waiting longer each time
  (scaled by ``delay``, so ``delay=0`` never sleeps). What still fails is reported and the run goes on.
- **Offline.** ``OfflineFetcher`` reads saved answers from a folder (SRU pages as ``sru-<startRecord>.xml``,
  documents as ``<identifier>.xml``): how the tests run, and how a ministry behind a proxy can harvest from a
  download made elsewhere. The fetcher is an argument, so a test can give one that fails first.
"""

import datetime
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from .archive import Item
from .models import ImportedFile

SRU_URL = "https://repository.overheid.nl/sru"
# The index of the publication date in the query. Not confirmed in public documentation (dt.date and dt.modified
# are used by public code); should the server refuse it, its diagnostic fails the first page with its message.
# The records' own dcterms:available is checked against the period as well.
DATE_INDEX = "dt.available"
PAGE_SIZE = 100
RETRIES = 3
TIMEOUT = 60
USER_AGENT = "fichetracker harvest_fiches (BNC-fiches, Kamerstuk 22 112; https://github.com/fichetracker)"
DOSSIER_TITLE = "nieuwe commissievoorstellen en initiatieven van de lidstaten van de europese unie"
FICHE_TITLE = re.compile(r"fiche|\bBNC\b|nieuwe commissievoorstellen", re.IGNORECASE)
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


class FetchError(Exception):
    """A page or document could not be fetched (or did not parse); the message says why, in Dutch."""


def query(since, until=None):
    """The CQL query for the dossier's Kamerstukken available from ``since`` (to ``until``, both inclusive)."""
    parts = ["c.product-area==officielepublicaties", "w.dossiernummer==22112", "w.publicatienaam==Kamerstuk",
             f"{DATE_INDEX}>={since.isoformat()}"]
    if until:
        parts.append(f"{DATE_INDEX}<={until.isoformat()}")
    return " AND ".join(parts)


class WebFetcher:
    """Fetches from the repository itself (urllib; no dependency): SRU pages and documents."""

    def __init__(self, *, url=SRU_URL, timeout=TIMEOUT):
        self.url, self.timeout = url, timeout

    def page_url(self, cql, start, size):
        return self.url + "?" + urllib.parse.urlencode({
            "operation": "searchRetrieve", "version": "2.0", "query": cql, "startRecord": start, "maximumRecords": size})

    def page(self, cql, start, size):
        return self._get(self.page_url(cql, start, size))

    def document(self, record):
        if not record.url:
            raise FetchError(_("Het SRU-record %(identifier)s noemt geen XML-bestand.") % {"identifier": record.identifier})
        return self._get(record.url)

    def _get(self, url):
        # The document URLs come from the answers: only https, never file: or another scheme urllib would open.
        if urllib.parse.urlsplit(url).scheme != "https":
            raise FetchError(_("%(url)s is geen https-adres; niet opgehaald.") % {"url": url})
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/xml, text/xml"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (https only, checked above)
                return response.read(MAX_DOCUMENT_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise FetchError(_("%(url)s gaf HTTP-fout %(code)s.") % {"url": url, "code": error.code}) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise FetchError(_("%(url)s is niet bereikbaar: %(reason)s.") % {"url": url, "reason": reason}) from error


class OfflineFetcher:
    """Reads saved answers from ``folder``: ``sru-<startRecord>.xml`` and ``<identifier>.xml``; a missing file is a
    failed fetch, as a missing page on the web would be."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def page(self, cql, start, size):
        return self._read(self.folder / f"sru-{start}.xml")

    def document(self, record):
        return self._read(self.folder / f"{record.identifier}.xml")

    def _read(self, path):
        try:
            return path.read_bytes()
        except OSError as error:
            raise FetchError(_("%(path)s kan niet worden gelezen: %(reason)s.") % {"path": path, "reason": error.strerror}) from error

    def where(self, record):
        return str(self.folder / f"{record.identifier}.xml")


@dataclass
class Record:
    """One SRU record, as far as the harvest needs it."""

    identifier: str
    title: str
    available: datetime.date | None
    url: str
    signed: datetime.date | None = None  # the letter's date, when the metadata gives it

    @property
    def is_fiche(self):
        rest = self.title
        if rest.lower().startswith(DOSSIER_TITLE):
            rest = rest[len(DOSSIER_TITLE):]
        return bool(FICHE_TITLE.search(rest))


@dataclass
class Page:
    total: int
    records: list
    next_start: int | None


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""  # comments and processing instructions have no name


def _xml(data):
    """The parsed XML, without entities resolved or anything fetched (the answers come from outside)."""
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


def _first(element, name, **attributes):
    for child in element.iter():
        if _local(child.tag) == name and all(child.get(key) == value for key, value in attributes.items()):
            return (child.text or "").strip()
    return ""


def _day(value):
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def parse_page(data):
    """The records of one ``sru:searchRetrieveResponse``; FetchError when it is no such answer."""
    try:
        root = _xml(data)
    except etree.XMLSyntaxError as error:
        raise FetchError(_("Het SRU-antwoord is geen geldige XML (%(error)s).") % {"error": error}) from error
    if _local(root.tag) != "searchRetrieveResponse":
        diagnostic = _first(root, "message") or _first(root, "details") or _local(root.tag)
        raise FetchError(_("Het SRU-antwoord is geen zoekresultaat: %(what)s.") % {"what": diagnostic})
    total = _first(root, "numberOfRecords")
    records = []
    for record in root.iter():
        if _local(record.tag) != "recordData":
            continue
        identifier = _first(record, "identifier")
        url = _first(record, "itemUrl", manifestation="xml")
        if not url and _first(record, "url").endswith(".xml"):
            url = _first(record, "url")
        records.append(Record(identifier=identifier, title=_first(record, "title"), url=url,
                              available=_day(_first(record, "available") or _first(record, "issued")),
                              signed=_day(_first(record, "datumOndertekening"))))
    following = _first(root, "nextRecordPosition")
    return Page(total=int(total) if total.isdigit() else len(records), records=records,
                next_start=int(following) if following.isdigit() else None)


@dataclass
class Failure:
    """A page or document that failed after every retry."""

    what: str
    message: str


class Harvest:
    """Walk the SRU pages and yield the documents to import, as ``Item``s fetched one at a time.

    ``pages()`` runs first (it needs no downloads of documents): it gathers the fiche records not done before, the
    failed pages and the counts; ``items()`` then downloads each record's XML as the import asks for it.
    """

    def __init__(self, fetcher, *, since, until=None, published=False, delay=1.0, page_size=PAGE_SIZE, sleep=time.sleep,
                 on_page=None):
        self.fetcher, self.since, self.until, self.published = fetcher, since, until, published
        self.delay, self.page_size, self.sleep, self.on_page = max(0.0, delay), page_size, sleep, on_page or (lambda text: None)
        self.requests, self.downloads = 0, 0
        self.records, self.failures = [], []
        self.found = self.outside = self.not_fiches = self.done_before = 0

    def _fetch(self, call):
        """``call()`` with the rate limit and up to RETRIES retries, waiting 2, 4 and 8 times ``delay`` before them."""
        for attempt in range(RETRIES + 1):
            if self.requests:
                self.sleep(self.delay * (2 ** attempt if attempt else 1))
            self.requests += 1
            try:
                return call()
            except FetchError:
                if attempt == RETRIES:
                    raise
        raise AssertionError("unreachable")

    def pages(self):
        """Fetch every page of the search; fills ``records`` (fiches to download) and ``failures`` (pages)."""
        cql, start, total, number, stride = query(self.since, self.until), 1, None, 0, self.page_size
        while start is not None:
            number += 1
            try:
                page = self._fetch(lambda start=start: parse_page(self.fetcher.page(cql, start, self.page_size)))
            except FetchError as error:
                self.failures.append(Failure(f"sru-{start}", _("SRU-pagina vanaf record %(start)s mislukt: %(error)s")
                                             % {"start": start, "error": error}))
                self.on_page(f"Pagina {number} (vanaf record {start}): mislukt.")
                # The next page's start is on the page that failed: past the first page, it is one stride on.
                start = start + stride if total is not None and start + stride <= total else None
                continue
            total = page.total
            chosen = self._choose(page.records)
            self.on_page(f"Pagina {number} (records {start}-{start + max(len(page.records), 1) - 1} van {total}): "
                         f"{len(chosen)} fiches op te halen.")
            self.records.extend(chosen)
            if page.next_start and page.next_start > start:
                start, stride = page.next_start, page.next_start - start
            else:
                start = None
        return self.records

    def _choose(self, records):
        chosen, seen = [], {record.identifier for record in self.records}
        for record in records:
            self.found += 1
            if not record.identifier or record.identifier in seen:  # a record shown again on a later page: once is enough
                self.not_fiches += not record.identifier
            elif record.available and (record.available < self.since or (self.until and record.available > self.until)):
                self.outside += 1
            elif not record.is_fiche:
                self.not_fiches += 1
            else:
                chosen.append(record)
                seen.add(record.identifier)
        done = set(ImportedFile.objects.done().filter(identifier__in=[r.identifier for r in chosen], published=self.published)
                   .values_list("identifier", flat=True))
        self.done_before += sum(record.identifier in done for record in chosen)
        return [record for record in chosen if record.identifier not in done]

    def where(self, record):
        return getattr(self.fetcher, "where", lambda record: record.url or record.identifier)(record)

    def items(self):
        """The failed pages first (as failed items), then each record's document, downloaded when the import reaches it."""
        for failure in self.failures:
            yield Item(failure.what, failure=failure.message)
        for record in self.records:
            where = self.where(record)
            try:
                data = self._fetch(lambda record=record: self._document(record))
            except FetchError as error:
                yield Item(where, identifier=record.identifier,
                           failure=_("Document %(identifier)s niet opgehaald: %(error)s") % {"identifier": record.identifier, "error": error})
                continue
            self.downloads += 1
            yield Item(where, data=data, identifier=record.identifier, sent_on=record.signed)

    def _document(self, record):
        data = self.fetcher.document(record)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise FetchError(_("Het document is groter dan %(limit)s MB.") % {"limit": MAX_DOCUMENT_BYTES // 1024 // 1024})
        try:
            _xml(data)
        except etree.XMLSyntaxError as error:
            raise FetchError(_("Het document is geen geldige XML (%(error)s).") % {"error": error}) from error
        return data
