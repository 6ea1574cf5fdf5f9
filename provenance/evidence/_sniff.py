"""Media-type sniffing from the first bytes of a file (the extension is ignored).

Signatures: JPEG (ISO/IEC 10918-1 SOI ``FF D8 FF``), PNG (RFC 2083 signature),
GIF (``GIF87a``/``GIF89a``), WebP (RIFF ``WEBP``), TIFF (``II*\\0`` / ``MM\\0*``;
DNG and most raw formats are TIFF containers), ISO BMFF images (``ftyp`` box
with an AVIF/HEIF brand), JPEG XL (codestream ``FF 0A`` or container box), BMP.
"""

from __future__ import annotations

__all__ = ["IMAGE_EXTENSIONS", "sniff_media_type"]

IMAGE_EXTENSIONS = frozenset({
    ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".webp", ".tif", ".tiff", ".dng",
    ".heic", ".heif", ".avif", ".jxl", ".bmp", ".arw", ".nef", ".cr2", ".cr3", ".raf",
    ".orf", ".rw2", ".pef", ".srw",
})
"""File-name endings treated as images in a folder walk even when the content
does not sniff as one (a broken ``.jpg`` is then reported unreadable, not skipped)."""

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}
_RAW_BY_EXTENSION = {".dng": "image/dng", ".arw": "image/x-sony-arw", ".nef": "image/x-nikon-nef"}


def sniff_media_type(head: bytes, suffix: str = "") -> str | None:
    """Return the media type the first bytes announce, or ``None``.

    Args:
        head: at least the first 32 bytes of the file (fewer is fine).
        suffix: the lower-case file-name ending, used only to name a TIFF-based
            raw format (``.dng`` -> ``image/dng``) once the content is TIFF.
    Returns:
        ``"image/jpeg"``, ``"image/png"``, ``"image/gif"``, ``"image/webp"``,
        ``"image/tiff"`` (or a raw type), ``"image/avif"``, ``"image/heif"``,
        ``"image/jxl"``, ``"image/bmp"``; ``None`` for anything else.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return _RAW_BY_EXTENSION.get(suffix, "image/tiff")
    if head[4:8] == b"ftyp":
        brands = {head[8:12]} | {head[i:i + 4] for i in range(16, min(len(head), 64), 4)}
        if brands & _AVIF_BRANDS:
            return "image/avif"
        if brands & _HEIF_BRANDS:
            return "image/heif"
        return None
    if head.startswith(b"\xff\x0a") or head.startswith(b"\x00\x00\x00\x0cJXL \r\n\x87\n"):
        return "image/jxl"
    if head.startswith(b"BM") and len(head) >= 14:
        return "image/bmp"
    return None
