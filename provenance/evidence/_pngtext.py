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
``parameters`` plus ``fooocus_scheme``. Every text chunk is reported under its
keyword, whatever the keyword (the classifier decides which matter): kind
``GENERATOR_RECORD`` for the keywords above, ``SOFTWARE`` for ``Software`` and
``Source``, ``DESCRIPTION`` for ``Title``, ``Description`` and ``Comment``, ``TEXT``
for any other.

Each chunk is read on its own: a damaged chunk is a blocking read problem for that
chunk and the walk goes on when the chunk's length is sound. Caps (each reached cap
is a blocking ``metadata.cap_reached``): a compressed text inflates to at most
:data:`MAX_DECOMPRESSED_BYTES` (8 MiB); at most 512 text chunks and 32 MiB of text
per file; signal values are cut at :data:`._text.MAX_VALUE_CHARS`.
"""

from __future__ import annotations

import binascii
import struct
import zlib
from dataclasses import dataclass, field
from functools import partial

from ..model import Container, MetadataSignal, ReadProblem, SignalKind
from ._problems import ProblemLog
from ._text import MAX_VALUE_CHARS, decode_text, make_signal

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
_DESCRIPTION_KEYWORDS = frozenset({"title", "description", "comment"})


@dataclass
class PngResult:
    """Signals from the text chunks, plus the XMP packets and EXIF blocks found."""

    signals: list[MetadataSignal] = field(default_factory=list)
    log: ProblemLog = field(default_factory=ProblemLog)
    xmp: list[bytes] = field(default_factory=list)
    exif: list[bytes] = field(default_factory=list)
    iptc: list[bytes] = field(default_factory=list)

    @property
    def problems(self) -> list[ReadProblem]:
        """What could not be read (see :mod:`._problems`)."""
        return self.log.items


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
    if lowered in _DESCRIPTION_KEYWORDS:
        return SignalKind.DESCRIPTION
    return SignalKind.TEXT


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
        other readers, and ``problems`` (a damaged chunk, text cut at the
        8 MiB inflate cap: blocking). Never raises for bad input; stops at ``IEND``.
    """
    result = PngResult()
    if not data.startswith(_SIGNATURE):
        result.log.malformed("PNG file", "the file does not start with the PNG signature; chunks not read")
        return result
    position = len(_SIGNATURE)
    text_chunks = 0
    text_bytes = 0
    while position + 8 <= len(data):
        length, ctype = struct.unpack_from(">I4s", data, position)
        start = position + 8
        end = start + length
        if end + 4 > len(data):
            result.log.malformed(f"PNG chunk {ctype.decode('latin-1')!r} at byte {position}",
                                 "it runs past the end of the file; the rest of the file was not read")
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
            result.log.cap("PNG file", f"more than {_MAX_TEXT_CHUNKS} text chunks or "
                                       f"{_MAX_TOTAL_TEXT // (1024 * 1024)} MiB of text; the rest was not read")
            break
        chunk_type = ctype.decode("latin-1")
        text_bytes += result.log.guard(f"PNG {chunk_type} chunk at byte {start - 8}",
                                       partial(_read_text_chunk, chunk_type, data[start:end], result)) or 0
    return result


def _read_text_chunk(ctype: str, chunk: bytes, result: PngResult) -> int:
    """Read one text chunk into ``result``; return how many text bytes it gave."""
    parsed = _text_chunk(ctype, chunk, result)
    if parsed is None:
        return 0
    keyword, body, is_utf8 = parsed
    _dispatch(ctype, keyword, body, is_utf8, result)
    return len(body)


def _text_chunk(ctype: str, chunk: bytes, result: PngResult) -> tuple[str, bytes, bool] | None:
    """Return (keyword, text bytes, text is UTF-8) of one text chunk, or None when damaged."""
    keyword_raw, sep, rest = chunk.partition(b"\x00")
    keyword = keyword_raw.decode("latin-1")
    if not sep or not keyword:
        result.log.malformed(f"PNG {ctype} chunk", "it has no keyword; not read")
        return None
    if ctype == "tEXt":
        return keyword, rest, False
    if ctype == "zTXt":
        if not rest or rest[0] != 0:
            result.log.malformed(f"PNG zTXt {keyword!r}", "it uses an unknown compression method; not read")
            return None
        body, _ = _inflate_checked(rest[1:], ctype, keyword, result)
        return (keyword, body, False) if body is not None else None
    # iTXt
    if len(rest) < 2:
        result.log.malformed(f"PNG iTXt {keyword!r}", "it is truncated; not read")
        return None
    compressed, method = rest[0], rest[1]
    parts = rest[2:].split(b"\x00", 2)
    if len(parts) < 3:
        result.log.malformed(f"PNG iTXt {keyword!r}", "it is truncated; not read")
        return None
    body = parts[2]
    if compressed:
        if method != 0:
            result.log.malformed(f"PNG iTXt {keyword!r}", "it uses an unknown compression method; not read")
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
        result.log.malformed(f"PNG {ctype} {keyword!r}", f"it does not decompress ({error}); not read")
        return None, False
    if cut:
        result.log.cap(f"PNG {ctype} {keyword!r}", f"it inflates to more than "
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
    if len(text) > MAX_VALUE_CHARS:
        result.log.cap(f"PNG {ctype} {keyword!r}", f"the text is longer than {MAX_VALUE_CHARS} characters; "
                                                 "only its head and tail were kept")
    if text:
        result.signals.append(make_signal(Container.PNG, keyword, _kind(keyword), text, namespace=ctype))
