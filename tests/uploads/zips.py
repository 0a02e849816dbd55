"""Hostile and harmless Office archives, built on the fly (nothing hostile is kept in the repository)."""
import io
import struct
import zipfile

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
MACRO_CONTENT_TYPES = CONTENT_TYPES.replace(
    b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
)
DOCUMENT = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
MiB = 1024 * 1024


FIXED_TIME = (2025, 1, 1, 0, 0, 0)


def docx(extra=(), *, content_types=CONTENT_TYPES, compression=zipfile.ZIP_DEFLATED):
    """A minimal .docx, plus `extra` parts as (name, bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in (("[Content_Types].xml", content_types), ("word/document.xml", DOCUMENT), *extra):
            # A fixed timestamp: two calls give the same bytes even across a second boundary.
            archive.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), data, compress_type=compression)
    return buffer.getvalue()


def zip_bomb(declared=1024 * MiB, *, name="word/document.xml"):
    """A .docx whose one big part is `declared` bytes of zeros, deflated: about a thousandth of that on disk.

    Written a mebibyte at a time, so building it does not hold the gigabyte either.
    """
    buffer = io.BytesIO()
    zeros = bytes(MiB)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open(name, "w") as entry:
            for _ in range(declared // MiB):
                entry.write(zeros)
    return buffer.getvalue()


def many_entries(count):
    """A .docx with `count` empty parts besides the document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCUMENT)
        for index in range(count):
            archive.writestr(f"customXml/{index}.xml", b"")
    return buffer.getvalue()


def end_record_at(data):
    return data.rindex(b"PK\x05\x06")


def understate_entries(data, count):
    """The same archive whose end record claims only `count` entries (the directory still holds them all)."""
    at = end_record_at(data)
    record = bytearray(data[at:])
    struct.pack_into("<2H", record, 8, count, count)
    return data[:at] + bytes(record)


def set_central_flags(data, flags):
    """Set the general-purpose flags of every central directory entry (bit 0: encrypted)."""
    data = bytearray(data)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        struct.pack_into("<H", data, at + 8, struct.unpack_from("<H", data, at + 8)[0] | flags)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def as_zip64(data):
    """The same archive with a zip64 end of central directory record (and locator) before its end record."""
    at = end_record_at(data)
    _sig, _disk, _cd_disk, on_disk, entries, size, offset, comment = struct.unpack_from("<4s4H2LH", data, at)
    zip64_end = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, on_disk, entries, size, offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, at, 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, comment)
    return data[:at] + zip64_end + locator + end + data[at + 22:]
