"""The markup of a fiche's stored text (its sections and footnotes), written by the importer and read by the pages.

Pure Python (no Django): the importer's parser (``importer.parsing``) writes these markers outside Django.
"""

import re

# A footnote marker in the text, ``[^12]``; group 1 is the footnote's number.
FOOTNOTE_MARKER = re.compile(r"\[\^(\d{1,3})\]")
