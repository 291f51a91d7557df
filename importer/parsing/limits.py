"""The budgets a fiche file is read within, and the tally that checks them while it is read.

A fiche is small: the 6-page example is 26,000 characters, a 30-page fiche about 130,000; its Word
document.xml is a few MB, its PDF a few hundred objects. An upload is limited to 20 MB, but a
compressed file can unpack to far more than it weighs (a 2.4 MB .docx to 1 GB of XML, a 1 MB PDF
stream to 1 GB of zeros), so everything that unpacks is counted while it is unpacked and reading
stops at the first budget broken, with a message saying which. Each budget leaves a real fiche
ten times the room it needs.

The worker process that reads PDF and Word files (sandbox.py) has hard limits besides, for what
these counts do not foresee: WORKER_MEMORY_BYTES of address space, READ_SECONDS of CPU time, and
a wall-clock deadline after which it is killed.
"""

import time

from .errors import Budget, BudgetExceeded

MB = 1024 * 1024

MAX_BYTES = 20 * MB  # the file as uploaded: a 30-page fiche PDF is well under 2 MB
MAX_TEXT_CHARS = 1_000_000  # about 250 pages; parsing the text takes about 2.5 s per million characters

MAX_ZIP_MEMBERS = 1_000  # a Word file has 10 to 40 parts
MAX_ZIP_DIRECTORY_BYTES = MAX_ZIP_MEMBERS * 600  # the zip's table of contents, read before any member
MAX_DOCX_XML_BYTES = 32 * MB  # document.xml, footnotes.xml and the relationship files together, unpacked
MAX_DOCX_SMALL_PART_BYTES = 1 * MB  # [Content_Types].xml and a .rels file, each

MAX_PDF_PAGES = 300
MAX_PDF_OBJECTS = 100_000
MAX_PDF_STREAM_BYTES = 16 * MB  # one stream, unpacked (pypdf's limit, set per reading): a page of text is tens of KB
MAX_PDF_UNPACKED_BYTES = 48 * MB  # the content streams of all pages together, unpacked
MAX_PDF_INLINED_FORMS = 5_000  # form XObjects written into one page to read the text they hold (one per word: a full page)

MAX_MARKUP_ELEMENTS = 200_000  # HTML or XML elements: an official Kamerstuk page of a fiche has a few thousand

READ_SECONDS = 15  # a fiche reads in well under a second; gunicorn kills a request at 30 s
WORKER_GRACE_SECONDS = 5  # after READ_SECONDS the worker stops itself; after this as well it is killed
WORKER_MEMORY_BYTES = 512 * MB  # address space the worker may add to what it starts with


def megabytes(size):
    return f"{size / MB:.0f} MB" if size >= 10 * MB else f"{size / MB:.1f} MB".replace(".", ",")


def number(value):
    """1.000.000, the Dutch way."""
    return f"{value:,}".replace(",", ".")


class Allowance:
    """What is left of the budgets while one file is read: call it for every chunk unpacked and text produced."""

    def __init__(self, *, label, unpacked, seconds=READ_SECONDS):
        self.label = label  # "Word-bestand", "PDF-bestand": used in the messages
        self.limit = unpacked
        self.unpacked = 0
        self.chars = 0
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds

    def unpack(self, size, what):
        """Count ``size`` more unpacked bytes of ``what``; refuse when the total is over the budget."""
        self.unpacked += size
        if self.unpacked > self.limit:
            raise BudgetExceeded(
                f"Het {self.label} is uitgepakt te groot: {what} alleen al is meer dan {megabytes(self.limit)}, de grens "
                "voor een fiche. Een fiche is veel kleiner; is dit het juiste bestand?", budget=Budget.SIZE)
        self.tick()

    def declare(self, size, what):
        """Refuse before unpacking when the size a part says it has is already over what is left."""
        if self.unpacked + size > self.limit:
            raise BudgetExceeded(
                f"Het {self.label} is uitgepakt te groot: {what} is {megabytes(size)}; de grens voor een fiche is "
                f"{megabytes(self.limit)}. Is dit het juiste bestand?", budget=Budget.SIZE)

    def text(self, chars):
        self.chars += chars
        if self.chars > MAX_TEXT_CHARS:
            raise too_much_text()
        self.tick()

    def tick(self):
        if time.monotonic() > self.deadline:
            raise too_slow(self.seconds)


def too_much_text():
    return BudgetExceeded(f"Het bestand bevat meer dan {number(MAX_TEXT_CHARS)} tekens tekst (zo'n 250 pagina's); "
                          "een fiche is veel korter. Is dit het juiste bestand?", budget=Budget.TEXT)


def too_slow(seconds, usage=None):
    return BudgetExceeded(f"Het lezen van het bestand duurde langer dan {seconds} seconden en is afgebroken; is het bestand "
                          "beschadigd of ongewoon opgebouwd? Probeer het als Word-bestand, PDF of tekst.", budget=Budget.TIME, usage=usage)


def too_much_memory(usage=None):
    return BudgetExceeded(f"Het lezen van het bestand vroeg meer dan {megabytes(WORKER_MEMORY_BYTES)} geheugen en is afgebroken; "
                          "is het bestand beschadigd of ongewoon opgebouwd?", budget=Budget.MEMORY, usage=usage)
