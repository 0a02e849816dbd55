"""Inspect a zip-based Office document (.docx) before it is stored, from its central directory.

A .docx is a zip archive. Opening one that is hostile costs nothing until
something unpacks it — then a 1 MB "zip bomb" declares a gigabyte, or a
renamed .docm carries VBA macros. The checks here read the archive's central
directory (the table of contents at its end: each entry's name, compression
method and declared sizes) one entry at a time, with a bounded read per entry,
and stop at the first refusal: memory stays flat whatever the archive claims.
Nothing is extracted; only `[Content_Types].xml`, once it is known to be
small, is decompressed (into at most `CONTENT_TYPES_MAX_BYTES`) to see
whether the package declares itself macro-enabled.

`zipfile` is not used for the walk because it builds a ZipInfo for every
entry of the directory before a caller can count them (a 10 MB archive of
empty entries is two hundred thousand objects). The layout is PKWARE's
APPNOTE.TXT 6.3: end of central directory record (4.3.16), its zip64
variants (4.3.14, 4.3.15), central directory file header (4.3.12), local file
header (4.3.7), zip64 extended information extra field (4.5.3).
"""
import struct
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

END_RECORD = struct.Struct("<4s4H2LH")  # signature, disks, entries on disk, entries, size, offset, comment length
ZIP64_LOCATOR = struct.Struct("<4sLQL")
ZIP64_END_RECORD = struct.Struct("<4sQ2H2L4Q")
CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
LOCAL_HEADER = struct.Struct("<4s5HL2L2H")
END_SIGNATURE, ZIP64_LOCATOR_SIGNATURE = b"PK\x05\x06", b"PK\x06\x07"
ZIP64_END_SIGNATURE, CENTRAL_SIGNATURE, LOCAL_SIGNATURE = b"PK\x06\x06", b"PK\x01\x02", b"PK\x03\x04"
ZIP64_EXTRA_ID = 0x0001
MAX_COMMENT = 0xFFFF
STORED, DEFLATED = 0, 8  # the only methods ECMA-376 Part 2 (Open Packaging Conventions) allows
ENCRYPTED_FLAG = 0x1

# Entries smaller than this are not held to the compression ratio: a short run of repeated XML legitimately
# packs far better than 100:1, and the total declared size bounds them anyway (Apache POI's ZipSecureFile
# uses the same grace size before it checks its minimum inflate ratio of 1%).
RATIO_GRACE_BYTES = 100 * 1024
# Part names in an Office package are short paths; a longer one is not an Office document.
MAX_NAME_BYTES = 1024
CONTENT_TYPES = "[Content_Types].xml"
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
# Parts that hold code: VBA projects and their data, ActiveX controls, and any binary part (*.bin: VBA,
# ActiveX persistence, embedded OLE objects — the OLE packager carries executables).
MACRO_PART_NAMES = {"vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin", "vbaprojectsignatureagile.bin"}
MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"activex", b"ms-office.vbadata")


class ArchiveRefused(Exception):
    """The archive must not be stored: `code` says why, `params` give the figures for the message."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Entry:
    name: str
    flags: int
    method: int
    compressed_size: int
    size: int
    header_offset: int


def _read_exactly(fileobj, size):
    data = fileobj.read(size)
    if len(data) != size:
        raise ArchiveRefused("archive_corrupt")
    return data


def _directory_location(fileobj):
    """(offset of the central directory from the file's start, its size in bytes, the entries it declares)."""
    fileobj.seek(0, 2)
    file_size = fileobj.tell()
    tail_size = min(file_size, END_RECORD.size + MAX_COMMENT)
    fileobj.seek(file_size - tail_size)
    tail = fileobj.read(tail_size)
    at = tail.rfind(END_SIGNATURE)
    if at < 0 or len(tail) - at < END_RECORD.size:
        raise ArchiveRefused("archive_corrupt")
    end_at = file_size - tail_size + at
    _sig, disk, directory_disk, _on_disk, entries, size, offset, _comment = END_RECORD.unpack_from(tail, at)
    record_start = end_at
    if 0xFFFF in (entries, disk, directory_disk) or 0xFFFFFFFF in (size, offset):
        locator_at = end_at - ZIP64_LOCATOR.size
        if locator_at < 0:
            raise ArchiveRefused("archive_corrupt")
        fileobj.seek(locator_at)
        locator = ZIP64_LOCATOR.unpack(_read_exactly(fileobj, ZIP64_LOCATOR.size))
        record_start = locator_at - ZIP64_END_RECORD.size
        if locator[0] != ZIP64_LOCATOR_SIGNATURE or record_start < 0:
            raise ArchiveRefused("archive_corrupt")
        fileobj.seek(record_start)
        record = ZIP64_END_RECORD.unpack(_read_exactly(fileobj, ZIP64_END_RECORD.size))
        if record[0] != ZIP64_END_SIGNATURE:
            raise ArchiveRefused("archive_corrupt")
        disk, directory_disk, entries, size = record[4], record[5], record[7], record[8]
    if disk or directory_disk:
        raise ArchiveRefused("archive_multi_volume")
    # As zipfile does: the directory ends where the end records begin, whatever bytes precede the archive.
    start = record_start - size
    if start < 0:
        raise ArchiveRefused("archive_corrupt")
    return start, size, entries


def _zip64_sizes(extra, size, compressed_size, header_offset):
    """The 64-bit values the extra field holds for the 32-bit fields set to 0xFFFFFFFF, in APPNOTE's order."""
    position = 0
    while position + 4 <= len(extra):
        tag, length = struct.unpack_from("<2H", extra, position)
        if tag == ZIP64_EXTRA_ID:
            values = extra[position + 4:position + 4 + length]
            fields = [size, compressed_size, header_offset]
            index = 0
            for slot, value in enumerate(fields):
                if value == 0xFFFFFFFF:
                    if index + 8 > len(values):
                        raise ArchiveRefused("archive_corrupt")
                    fields[slot] = struct.unpack_from("<Q", values, index)[0]
                    index += 8
            return tuple(fields)
        position += 4 + length
    raise ArchiveRefused("archive_corrupt")


def central_directory(fileobj, *, max_entries):
    """Yield the archive's entries from its central directory; refuse past `max_entries` without reading on."""
    start, size, declared = _directory_location(fileobj)
    if declared > max_entries:
        raise ArchiveRefused("archive_entries", count=declared, limit=max_entries)
    fileobj.seek(start)
    consumed, count = 0, 0
    while consumed < size:
        header = CENTRAL_HEADER.unpack(_read_exactly(fileobj, CENTRAL_HEADER.size))
        if header[0] != CENTRAL_SIGNATURE:
            raise ArchiveRefused("archive_corrupt")
        count += 1
        if count > max_entries:  # the end record may understate the count: the directory itself decides
            raise ArchiveRefused("archive_entries", count=f"{max_entries}+", limit=max_entries)
        flags, method = header[5], header[6]
        compressed_size, file_size = header[10], header[11]
        name_length, extra_length, comment_length = header[12], header[13], header[14]
        header_offset = header[18]
        if name_length > MAX_NAME_BYTES:
            raise ArchiveRefused("archive_corrupt")
        raw_name = _read_exactly(fileobj, name_length)
        extra = _read_exactly(fileobj, extra_length)
        fileobj.seek(comment_length, 1)
        if 0xFFFFFFFF in (compressed_size, file_size, header_offset):
            file_size, compressed_size, header_offset = _zip64_sizes(extra, file_size, compressed_size, header_offset)
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
        consumed += CENTRAL_HEADER.size + name_length + extra_length + comment_length
        yield Entry(name, flags, method, compressed_size, file_size, header_offset)


def is_macro_part(name):
    """Whether a part name holds code: a VBA project or its data, an ActiveX control, any binary part."""
    path = PurePosixPath(name.lower())
    return path.name in MACRO_PART_NAMES or path.suffix == ".bin" or "activex" in path.parts


def _read_part(fileobj, entry, limit):
    """The decompressed bytes of one small entry, never more than `limit`."""
    fileobj.seek(entry.header_offset)
    header = LOCAL_HEADER.unpack(_read_exactly(fileobj, LOCAL_HEADER.size))
    if header[0] != LOCAL_SIGNATURE:
        raise ArchiveRefused("archive_corrupt")
    fileobj.seek(header[9] + header[10], 1)  # the local name and extra field
    data = _read_exactly(fileobj, entry.compressed_size)
    if entry.method == STORED:
        return data[:limit]
    try:
        return zlib.decompressobj(-zlib.MAX_WBITS).decompress(data, limit)
    except zlib.error:
        raise ArchiveRefused("archive_corrupt") from None


def inspect_package(fileobj, *, max_entries, max_total_size, max_ratio):
    """Refuse (ArchiveRefused) an archive too large unpacked, too many entries, too compressed, or with macros.

    Returns the entries' names when the archive may be stored. `fileobj` is
    left at its start.
    """
    try:
        names, total, content_types = [], 0, None
        for entry in central_directory(fileobj, max_entries=max_entries):
            if entry.flags & ENCRYPTED_FLAG:
                raise ArchiveRefused("archive_encrypted")
            if entry.method not in (STORED, DEFLATED):
                raise ArchiveRefused("archive_method")
            total += entry.size
            if total > max_total_size:
                raise ArchiveRefused("archive_too_large", size=total, limit=max_total_size)
            if entry.size > RATIO_GRACE_BYTES and entry.size > max_ratio * entry.compressed_size:
                ratio = entry.size // max(entry.compressed_size, 1)
                raise ArchiveRefused("archive_ratio", ratio=ratio, limit=max_ratio)
            if is_macro_part(entry.name):
                raise ArchiveRefused("archive_macros")
            if entry.name == CONTENT_TYPES:
                content_types = entry
            names.append(entry.name)
        if content_types is not None:
            # A real one is a few kilobytes; deflate never grows data by more than a few bytes per block.
            if content_types.size > CONTENT_TYPES_MAX_BYTES or content_types.compressed_size > 2 * CONTENT_TYPES_MAX_BYTES:
                raise ArchiveRefused("archive_corrupt")
            declared = _read_part(fileobj, content_types, CONTENT_TYPES_MAX_BYTES).lower()
            if any(marker in declared for marker in MACRO_CONTENT_TYPES):
                raise ArchiveRefused("archive_macros")
        return names
    except (struct.error, OSError, ValueError):
        raise ArchiveRefused("archive_corrupt") from None
    finally:
        fileobj.seek(0)
