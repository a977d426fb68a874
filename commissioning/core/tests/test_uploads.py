"""The generic upload check: type by extension AND magic bytes, and a size limit each caller names."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.core import uploads
from commissioning.core.tests.files import docx_bytes, odt_bytes, plain_zip_bytes, xlsx_bytes

PDF = b"%PDF-1.7\n"


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.pdf", PDF, "application/pdf"),
        ("a.DOCX", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("a.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("a.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("a.png", b"\x89PNG\r\n\x1a\nrest", "image/png"),
        ("a.jpeg", b"\xff\xd8\xff\xe0", "image/jpeg"),
    ],
)
def test_allowed_files_give_their_content_type(name, content, content_type):
    assert uploads.check_upload(upload(name, content), max_bytes=1024) == content_type


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.pdf", b"MZ\x90\x00 a program"),
        ("a.exe", b"MZ"),
        ("a", PDF),
        ("a.docx", PDF),
        # Any zip renamed, or a package of another kind, is not the document it claims to be.
        ("a.docx", plain_zip_bytes()),
        ("a.docx", xlsx_bytes()),
        ("a.odt", docx_bytes()),
        ("a.xlsx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_other_files_are_refused_by_name_or_content(name, content):
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(upload(name, content), max_bytes=1024)
    assert caught.value.message_dict == {"file": [uploads.WRONG_TYPE]}


def test_the_limit_is_the_callers_and_named_in_the_message():
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(upload("a.pdf", PDF + b"0" * 2048), max_bytes=2048, field="document")
    assert caught.value.message_dict == {"document": ["The selected file must be smaller than 2KB"]}
    assert uploads.size_label(10 * 1024 * 1024) == "10MB"


def test_empty_and_missing_files_are_refused():
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(upload("a.pdf", b""), max_bytes=1024)
    assert caught.value.messages == [uploads.EMPTY]
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(None, max_bytes=1024)
    assert caught.value.messages == [uploads.NO_FILE]


def test_the_limit_is_read_from_a_setting_with_a_default(settings):
    assert uploads.max_upload_bytes("NO_SUCH_UPLOAD_SETTING") == 10 * 1024 * 1024
    settings.SOME_UPLOAD_MAX_BYTES = 5000
    assert uploads.max_upload_bytes("SOME_UPLOAD_MAX_BYTES") == 5000


# --- Zip bombs -------------------------------------------------------------------------------------------------


def _docx_with(content: bytes, *, members: int = 1) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", b"<Types/>")
        for n in range(members):
            package.writestr(f"word/part{n}.xml", content)
    return buffer.getvalue()


def test_a_document_that_would_unpack_far_past_its_size_is_refused():
    bomb = _docx_with(b"\0" * (20 * 1024 * 1024))  # 20 MB of nothing packs into about 20 KB
    assert len(bomb) < 100 * 1024
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(upload("report.docx", bomb), max_bytes=10 * 1024 * 1024)
    assert caught.value.message_dict["file"] == [uploads.TOO_BIG_UNPACKED]


def test_an_ordinary_compressed_document_is_accepted():
    import random

    words = [f"word{n}" for n in range(2000)]
    rng = random.Random(7)
    text = " ".join(rng.choice(words) for _ in range(60000)).encode()  # compresses a few times, like real text
    document = _docx_with(text)
    assert len(text) / len(document) > 2
    assert uploads.check_upload(upload("report.docx", document), max_bytes=10 * 1024 * 1024).endswith("document")


def test_the_total_unpacked_size_and_the_number_of_parts_are_capped(settings):
    settings.ZIP_MAX_UNCOMPRESSED_BYTES = 1000
    with pytest.raises(ValidationError, match="too large when opened"):
        uploads.check_upload(upload("a.xlsx", _docx_with(b"x" * 2000).replace(b"word/", b"xl/pa")), max_bytes=10**6)
    settings.ZIP_MAX_UNCOMPRESSED_BYTES = 10**9
    settings.ZIP_MAX_MEMBERS = 10
    with pytest.raises(ValidationError, match="too large when opened"):
        uploads.check_upload(upload("a.docx", _docx_with(b"<w/>", members=20)), max_bytes=10**6)
