"""PNG chunk reading for the metadata pass: text chunks, XMP, eXIf.

Chunk layout is PNG (ISO/IEC 15948 / W3C PNG 3rd ed.) §11.3.3: ``tEXt``
(keyword, NUL, Latin-1 text), ``zTXt`` (keyword, NUL, method 0, zlib data),
``iTXt`` (keyword, NUL, compression flag, method, language tag, NUL,
translated keyword, NUL, UTF-8 text, optionally zlib-compressed); ``eXIf``
holds a TIFF-structured EXIF block (PNG 1.5 extension). The XMP packet is the
``iTXt`` chunk keyword ``XML:com.adobe.xmp`` (XMP Specification part 3 §1.1.5).

Generators record their parameters in text chunks (c2pa-signals A4): A1111 /
Forge / SD.Next ``parameters``; ComfyUI ``prompt`` and ``workflow``; InvokeAI
``invokeai_metadata``, ``invokeai_graph``, older ``sd-metadata`` and
``Dream``; SwarmUI a ``parameters`` JSON holding ``sui_image_params``;
NovelAI ``Software``, ``Source``, ``Title`` and a ``Comment`` JSON; Fooocus
``parameters`` plus ``fooocus_scheme``. Every text chunk is reported (the
classifier decides which matter); decompression is bounded.
"""

from __future__ import annotations

import binascii
import struct
import zlib
from dataclasses import dataclass, field

from ..model import Container, MetadataSignal, SignalKind
from ._exif import decode_text, make_signal

__all__ = ["GENERATOR_KEYWORDS", "MAX_DECOMPRESSED_BYTES", "PngResult", "read_png"]

MAX_DECOMPRESSED_BYTES = 8 * 1024 * 1024
"""A compressed text chunk is inflated to at most this many bytes (8 MiB)."""

_MAX_TEXT_CHUNKS = 512
_MAX_TOTAL_TEXT = 32 * 1024 * 1024
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_XMP_KEYWORD = "XML:com.adobe.xmp"

GENERATOR_KEYWORDS = frozenset({
    "parameters", "prompt", "workflow", "invokeai_metadata", "invokeai_graph", "invokeai_workflow",
    "sd-metadata", "dream", "sui_image_params", "fooocus_scheme",
})
"""Keywords (lower case) that only image generators write; their signals are GENERATOR_RECORD."""

_SOFTWARE_KEYWORDS = frozenset({"software", "source"})


@dataclass
class PngResult:
    """Signals from the text chunks, plus the XMP packets and EXIF blocks found."""

    signals: list[MetadataSignal] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    xmp: list[bytes] = field(default_factory=list)
    exif: list[bytes] = field(default_factory=list)
    iptc: list[bytes] = field(default_factory=list)


def _inflate(data: bytes) -> tuple[bytes, bool]:
    """Inflate zlib data to at most 8 MiB; return (bytes, whether it was cut)."""
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, MAX_DECOMPRESSED_BYTES)
    return out, bool(inflater.unconsumed_tail)


def _raw_profile(text: str) -> tuple[str, bytes] | None:
    """Decode an ImageMagick ``Raw profile type <name>`` text (name, length, hex lines)."""
    lines = text.strip().split("\n", 2)
    if len(lines) < 3:
        return None
    try:
        return lines[0].strip().lower(), binascii.unhexlify("".join(lines[2].split()))
    except (binascii.Error, ValueError):
        return None


def _kind(keyword: str) -> SignalKind:
    lowered = keyword.lower()
    if lowered in GENERATOR_KEYWORDS:
        return SignalKind.GENERATOR_RECORD
    if lowered in _SOFTWARE_KEYWORDS:
        return SignalKind.SOFTWARE
    return SignalKind.DESCRIPTION


def read_png(data: bytes) -> PngResult:
    """Walk the chunks of a PNG file and read its text, XMP and EXIF chunks.

    Args:
        data: the whole file.
    Returns:
        A :class:`PngResult`: one ``MetadataSignal`` per text chunk (field
        ``"PNG <chunk type> <keyword>"``, e.g. ``"PNG tEXt parameters"``;
        kind ``GENERATOR_RECORD`` for generator keywords, ``SOFTWARE`` for
        ``Software``/``Source``, ``DESCRIPTION`` otherwise), the raw XMP
        packets (``iTXt XML:com.adobe.xmp``, ImageMagick ``Raw profile type
        xmp``) and EXIF blocks (``eXIf``, ``Raw profile type exif``) for the
        other readers, and plain-words errors (damaged chunk, text cut at the
        8 MiB inflate limit). Never raises for bad input; stops at ``IEND``.
    """
    result = PngResult()
    if not data.startswith(_SIGNATURE):
        result.errors.append("PNG: the file does not start with the PNG signature; chunks not read")
        return result
    position = len(_SIGNATURE)
    text_chunks = 0
    text_bytes = 0
    while position + 8 <= len(data):
        length, ctype = struct.unpack_from(">I4s", data, position)
        start = position + 8
        end = start + length
        if end + 4 > len(data):
            result.errors.append(f"PNG: chunk {ctype!r} at byte {position} runs past the end of the file; "
                                 "the rest was not read")
            break
        position = end + 4
        if ctype == b"IEND":
            break
        if ctype == b"eXIf":
            result.exif.append(data[start:end])
            continue
        if ctype not in (b"tEXt", b"zTXt", b"iTXt"):
            continue
        text_chunks += 1
        if text_chunks > _MAX_TEXT_CHUNKS or text_bytes > _MAX_TOTAL_TEXT:
            result.errors.append(f"PNG: more than {_MAX_TEXT_CHUNKS} text chunks or "
                                 f"{_MAX_TOTAL_TEXT // (1024 * 1024)} MiB of text; the rest was not read")
            break
        parsed = _text_chunk(ctype.decode("latin-1"), data[start:end], result)
        if parsed is None:
            continue
        keyword, body, is_utf8 = parsed
        text_bytes += len(body)
        _dispatch(ctype.decode("latin-1"), keyword, body, is_utf8, result)
    return result


def _text_chunk(ctype: str, chunk: bytes, result: PngResult) -> tuple[str, bytes, bool] | None:
    """Return (keyword, text bytes, text is UTF-8) of one text chunk, or None when damaged."""
    keyword_raw, sep, rest = chunk.partition(b"\x00")
    keyword = keyword_raw.decode("latin-1")
    if not sep or not keyword:
        result.errors.append(f"PNG: a {ctype} chunk has no keyword; skipped")
        return None
    if ctype == "tEXt":
        return keyword, rest, False
    if ctype == "zTXt":
        if not rest or rest[0] != 0:
            result.errors.append(f"PNG: zTXt {keyword!r} uses an unknown compression method; skipped")
            return None
        body, _ = _inflate_checked(rest[1:], ctype, keyword, result)
        return (keyword, body, False) if body is not None else None
    # iTXt
    if len(rest) < 2:
        result.errors.append(f"PNG: iTXt {keyword!r} is truncated; skipped")
        return None
    compressed, method = rest[0], rest[1]
    parts = rest[2:].split(b"\x00", 2)
    if len(parts) < 3:
        result.errors.append(f"PNG: iTXt {keyword!r} is truncated; skipped")
        return None
    body = parts[2]
    if compressed:
        if method != 0:
            result.errors.append(f"PNG: iTXt {keyword!r} uses an unknown compression method; skipped")
            return None
        inflated, _ = _inflate_checked(body, ctype, keyword, result)
        if inflated is None:
            return None
        body = inflated
    return keyword, body, True


def _inflate_checked(data: bytes, ctype: str, keyword: str, result: PngResult) -> tuple[bytes | None, bool]:
    try:
        body, cut = _inflate(data)
    except zlib.error as error:
        result.errors.append(f"PNG: {ctype} {keyword!r} does not decompress ({error}); skipped")
        return None, False
    if cut:
        result.errors.append(f"PNG: {ctype} {keyword!r} inflates to more than "
                             f"{MAX_DECOMPRESSED_BYTES // (1024 * 1024)} MiB; only the first part was read")
    return body, cut


def _dispatch(ctype: str, keyword: str, body: bytes, is_utf8: bool, result: PngResult) -> None:
    if keyword == _XMP_KEYWORD:
        result.xmp.append(body)
        return
    text = body.decode("utf-8", errors="replace") if is_utf8 else decode_text(body)
    if keyword.lower().startswith("raw profile type "):
        profile = _raw_profile(text)
        if profile is not None:
            name, blob = profile
            if name == "xmp":
                result.xmp.append(blob)
            elif name in ("exif", "app1"):
                result.exif.append(blob)
            elif name in ("iptc", "8bim"):
                result.iptc.append(blob)
            return
    text = text.strip()
    if text:
        result.signals.append(make_signal(Container.PNG, keyword, _kind(keyword), text, namespace=ctype))
