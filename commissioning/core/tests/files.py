"""Small but real files for upload tests: zip packages of the right kind, not just the right first bytes."""

import io
import zipfile


def _package(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in members.items():
            package.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return _package({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx_bytes() -> bytes:
    return _package({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def odt_bytes() -> bytes:
    return _package({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


def plain_zip_bytes() -> bytes:
    return _package({"readme.txt": b"not a document"})
