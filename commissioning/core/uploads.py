"""Checks on an uploaded file: its type, by name and by content, and its size.

A file is accepted only when its extension is one we allow AND its first bytes are what that kind of file
starts with, so a program renamed `contract.pdf` is refused. Each caller names its own size limit, usually
read from a setting with `max_upload_bytes("AGREEMENT_UPLOAD_MAX_BYTES")` (10 MB unless configured).
"""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

PDF = b"%PDF"
ZIP = b"PK\x03\x04"  # DOCX, XLSX and ODT are zip packages
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"


@dataclass(frozen=True)
class Kind:
    content_type: str
    magic: bytes


ALLOWED = {
    "pdf": Kind("application/pdf", PDF),
    "docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "odt": Kind("application/vnd.oasis.opendocument.text", ZIP),
    "png": Kind("image/png", PNG),
    "jpg": Kind("image/jpeg", JPEG),
    "jpeg": Kind("image/jpeg", JPEG),
}

WRONG_TYPE = "The selected file must be a PDF, Word, Excel, OpenDocument, PNG or JPEG file"
EMPTY = "The selected file is empty"
NO_FILE = "Select a file"
# For a file input's hint: "A PDF, Word, ... file, smaller than 10MB".
ALLOWED_HINT = "A PDF, Word, Excel, OpenDocument, PNG or JPEG file"


# Zip-based documents (DOCX, XLSX, ODT): refused when their content would unpack to more than this many times the
# size of the file, or to more than this in all, or holds more than this many parts. Real office documents compress
# text about 5 to 20 times; a "zip bomb" built to exhaust a server or a reader's computer, thousands of times.
ZIP_MAX_RATIO = 100
ZIP_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
ZIP_MAX_MEMBERS = 5000
TOO_BIG_UNPACKED = (
    "The selected file is too large when opened. Save it again without embedded files, or as a PDF, and upload that"
)


def max_upload_bytes(setting: str, default: int = DEFAULT_MAX_BYTES) -> int:
    """The limit in the setting named `setting`, or `default` when it is not set."""
    return int(getattr(settings, setting, default))


def size_label(limit: int) -> str:
    """10MB, 2MB, or 50KB for a limit under a megabyte."""
    megabytes = limit / (1024 * 1024)
    return f"{megabytes:g}MB" if megabytes >= 1 else f"{max(limit // 1024, 1)}KB"


def too_big_message(limit: int) -> str:
    return f"The selected file must be smaller than {size_label(limit)}"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_upload(upload, *, max_bytes: int, field: str = "file") -> str:
    """The file's content type when it is allowed; a ValidationError on `field` when not."""
    if upload is None:
        raise ValidationError({field: NO_FILE})
    size = upload.size or 0
    if size == 0:
        raise ValidationError({field: EMPTY})
    if size > max_bytes:
        raise ValidationError({field: too_big_message(max_bytes)})
    kind = ALLOWED.get(extension(upload.name or ""))
    if kind is None:
        raise ValidationError({field: WRONG_TYPE})
    upload.seek(0)
    head = upload.read(len(kind.magic))
    upload.seek(0)
    if head != kind.magic or not package_matches(upload, extension(upload.name or "")):
        raise ValidationError({field: WRONG_TYPE})
    if kind.magic == ZIP and expands_too_far(upload, size):
        raise ValidationError({field: TOO_BIG_UNPACKED})
    return kind.content_type


def expands_too_far(upload, size: int) -> bool:
    """Whether a zip package (an open file) would unpack past the ratio, the total or the number of parts allowed.
    The sizes are read from the package's directory; nothing is unpacked. Documents and spreadsheets both use it."""
    try:
        with zipfile.ZipFile(upload) as package:
            members = package.infolist()
            total = sum(member.file_size for member in members)
    except (zipfile.BadZipFile, OSError):
        return True
    finally:
        upload.seek(0)
    return (
        len(members) > getattr(settings, "ZIP_MAX_MEMBERS", ZIP_MAX_MEMBERS)
        or total > getattr(settings, "ZIP_MAX_UNCOMPRESSED_BYTES", ZIP_MAX_UNCOMPRESSED_BYTES)
        or total > getattr(settings, "ZIP_MAX_RATIO", ZIP_MAX_RATIO) * max(size, 1)
    )


def zip_names(upload) -> list[str] | None:
    """The names inside a zip package (an open file), or None when it is not a readable zip."""
    try:
        with zipfile.ZipFile(upload) as package:
            return package.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)


# What each zip-based format must contain, beyond starting like any zip file.
PACKAGE_MEMBERS = {"docx": "word/", "xlsx": "xl/"}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def package_matches(upload, ext: str) -> bool:
    """A .docx, .xlsx or .odt must be a readable zip package of that kind, not any zip renamed."""
    if ext not in {"docx", "xlsx", "odt"}:
        return True
    try:
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
            if ext == "odt":
                return "mimetype" in names and package.read("mimetype").strip() == ODT_MIMETYPE
            return "[Content_Types].xml" in names and any(n.startswith(PACKAGE_MEMBERS[ext]) for n in names)
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    finally:
        upload.seek(0)
