"""Scans of signed papers (8101): which files the archive takes, decided by their content.

The client-management system takes PDF, PNG and JPEG scans (the exam's 影像上传, single 14, multiple
6 and 11 A). A file's name says nothing: `id.pdf` may be a Word document, so the type is read from
the first bytes of the content (the formats' own signatures), and a PDF must also end as one (a
scan cut off in transfer is refused rather than archived). Three fixed signatures do not need a
library: a sniffing library would match the same bytes.
"""

from __future__ import annotations

from teller.domain.errors import BadInput
from teller.i18n import N_, _

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
SUFFIX = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg"}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # setting scan_max_bytes: a 300 dpi colour A4 page is 1-3 MB


def sniff(data: bytes) -> str | None:
    """The media type the content is, or None if it is none of the three."""
    if data.startswith(b"%PDF-"):
        return PDF if b"%%EOF" in data[-2048:] else None
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


def check_scan(name: str, data: bytes, max_bytes: int) -> str:
    """The scan's media type, or BAD_INPUT naming the file and the rule it breaks."""
    label = N_("影像文件")
    if not data:
        raise BadInput(label, _("{file} 是空文件").format(file=name))
    if len(data) > max_bytes:
        raise BadInput(label, _("{file} 有 {size} 字节，超过 {limit} 字节的上限").format(
            file=name, size=f"{len(data):,}", limit=f"{max_bytes:,}"))
    kind = sniff(data)
    if kind is None:
        raise BadInput(label, _("{file} 不是 PDF、PNG 或 JPEG 影像（按文件内容判断，不看文件名）").format(file=name))
    return kind
