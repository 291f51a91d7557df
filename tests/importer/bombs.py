"""Hostile files built in the tests: Word files that unpack to a gigabyte, PDFs with streams of a gigabyte of zeros.

Nothing here holds the unpacked size in memory, nor spends the time to compress it: a chunk is
compressed once, after a full flush (which empties the compressor's history), and its compressed
bytes are repeated; only the checksum walks the whole length. A gigabyte costs about a second and
a few MB.
"""

import io
import struct
import zipfile
import zlib

GB = 1024 * 1024 * 1024
MB = 1024 * 1024


def repeated_deflate(head, chunk, count, tail, *, wrapped=False):
    """``(compressed, crc32, size)`` of head + chunk * count + tail: raw deflate with its CRC-32 for a zip member,
    or (``wrapped``) a zlib stream with its Adler-32 trailer for a PDF (crc32 None)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head_part = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    chunk_part = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail_part = compressor.compress(tail) + compressor.flush()
    checksum = zlib.adler32 if wrapped else zlib.crc32  # zlib's trailer, or the zip entry's CRC
    value = checksum(head)
    for _ in range(count):
        value = checksum(chunk, value)
    value = checksum(tail, value)
    compressed = head_part + chunk_part * count + tail_part
    if wrapped:
        return b"\x78\xda" + compressed + value.to_bytes(4, "big"), None, len(head) + len(chunk) * count + len(tail)
    return compressed, value, len(head) + len(chunk) * count + len(tail)


def write_zip(members):
    """A zip of ``(name, compressed, crc32, size)`` deflated members, written by hand (zipfile would compress)."""
    out, directory = io.BytesIO(), []
    for name, compressed, crc, size in members:
        encoded = name.encode()
        directory.append(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(compressed), size,
                                     len(encoded), 0, 0, 0, 0, 0, out.tell()) + encoded)
        out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(compressed), size, len(encoded), 0) + encoded)
        out.write(compressed)
    start = out.tell()
    out.write(b"".join(directory))
    out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(members), len(members), out.tell() - start, start, 0))
    return out.getvalue()


def deflated(name, data):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


def docx_bomb(document, size=GB, *, declared=None):
    """``document`` (a real .docx) with ``size`` bytes of paragraphs added to word/document.xml.

    ``declared``: the unpacked size its zip entry claims (a liar says less than it holds).
    """
    base = zipfile.ZipFile(io.BytesIO(document))
    xml = base.read("word/document.xml")
    cut = xml.index(b"<w:sectPr")
    paragraph = b"<w:p><w:r><w:t>" + b"Deze alinea is opvulling. " * 8 + b"</w:t></w:r></w:p>"
    chunk = paragraph * (MB // len(paragraph))
    members = [deflated(info.filename, base.read(info.filename)) for info in base.infolist() if info.filename != "word/document.xml"]
    compressed, crc, total = repeated_deflate(xml[:cut], chunk, max(size // len(chunk), 1), xml[cut:])
    members.append(("word/document.xml", compressed, crc, total if declared is None else declared))
    return write_zip(members)


def zeros_stream(size):
    """A FlateDecode stream of ``size`` zero bytes."""
    return repeated_deflate(b"", bytes(MB), size // MB, b"", wrapped=True)[0]


def pdf_with_pages(contents):
    """A PDF with one page per content stream in ``contents`` (already FlateDecode-compressed)."""
    count = len(contents)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count)) + b"] /Count %d >>" % count,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, stream in enumerate(contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return pdf_of(objects)


def pdf_of(objects):
    """A PDF file of ``objects`` (bodies; object 1 the catalog) with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
