"""Checks on an uploaded agreement document: its type, by name and by content, and its size.

A file is accepted only when its extension is one we allow AND its first bytes are what that kind of file
starts with, so a program renamed `contract.pdf` is refused. The size limit is the setting
AGREEMENT_UPLOAD_MAX_BYTES (10 MB unless configured).
"""

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


def max_upload_bytes() -> int:
    return int(getattr(settings, "AGREEMENT_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def too_big_message(limit: int | None = None) -> str:
    limit = max_upload_bytes() if limit is None else limit
    megabytes = limit / (1024 * 1024)
    shown = f"{megabytes:g}MB" if megabytes >= 1 else f"{max(limit // 1024, 1)}KB"
    return f"The selected file must be smaller than {shown}"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_upload(upload) -> str:
    """The file's content type when it is allowed; a ValidationError on `file` when not."""
    if upload is None:
        raise ValidationError({"file": NO_FILE})
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": EMPTY})
    if size > max_upload_bytes():
        raise ValidationError({"file": too_big_message()})
    kind = ALLOWED.get(extension(upload.name or ""))
    if kind is None:
        raise ValidationError({"file": WRONG_TYPE})
    upload.seek(0)
    head = upload.read(len(kind.magic))
    upload.seek(0)
    if head != kind.magic:
        raise ValidationError({"file": WRONG_TYPE})
    return kind.content_type
