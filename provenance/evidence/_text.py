"""Text helpers shared by the metadata readers: decoding what writers meant as text, and building signals.

:data:`MAX_VALUE_CHARS` is the per-value size cap of every metadata signal: a longer value keeps its head
and its tail (the reader that cut it reports a blocking ``metadata.cap_reached``). The UserComment
character-code header (8 bytes: ``ASCII``, ``JIS``, ``UNICODE``, or all zero for "undefined") is Exif 2.32
§4.6.5 table 9. A1111 writes UserComment through piexif with ``encoding="unicode"``, which is big-endian
UTF-16 whatever the TIFF byte order (c2pa-signals A4, "Stable Diffusion A1111/Forge"); others follow the
TIFF byte order, so the byte order is detected from the text itself.
"""

from __future__ import annotations

from ..model import Container, MetadataSignal, SignalKind

__all__ = ["MAX_VALUE_CHARS", "clip_value", "decode_text", "decode_user_comment", "decode_utf16", "make_signal"]

MAX_VALUE_CHARS = 256 * 1024
"""Signal values longer than this (256 Ki characters) are cut, head and tail kept (:func:`clip_value`).
Large enough for a ComfyUI workflow graph; a value over it is a blocking ``metadata.cap_reached``."""

_CLIP_MARK = " […] "

def clip_value(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """Return ``text`` cut to at most ``limit`` characters.

    Long values keep their head and their tail with `` […] `` between, because
    generator records put their telling part at the end (A1111 writes the
    prompt first and ``Steps: ..., Sampler: ...`` last).

    Args:
        text: any text.
        limit: the maximum length of the result (default :data:`MAX_VALUE_CHARS`).
    Returns:
        ``text`` itself when short enough, else a string of exactly ``limit`` characters.
    """
    if len(text) <= limit:
        return text
    head = limit // 2
    tail = limit - head - len(_CLIP_MARK)
    return text[:head] + _CLIP_MARK + text[-tail:]


def make_signal(container: Container, name: str, kind: SignalKind, value: str, *, namespace: str | None = None,
                path: str | None = None, part: int | None = None) -> MetadataSignal:
    """Build a :class:`MetadataSignal` (fields as documented there), cutting the value to :data:`MAX_VALUE_CHARS`."""
    return MetadataSignal(container=container, name=name, kind=kind, value=clip_value(value), namespace=namespace,
                          path=path, part=part)


def decode_text(raw: bytes) -> str:
    """Decode a byte string a writer meant as text.

    UTF-8 first (most modern writers), Latin-1 as the fallback (never fails);
    NUL bytes are treated as separators and white space is trimmed.

    Args:
        raw: the bytes.
    Returns:
        The text (possibly empty).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return " ".join(part.strip() for part in text.split("\x00") if part.strip())


def decode_utf16(raw: bytes, byte_order: str) -> str:
    """Decode UTF-16 of unknown endianness (BOM, else zero-byte placement, else TIFF order)."""
    if raw[:2] == b"\xfe\xff":
        return raw[2:].decode("utf-16-be", errors="replace")
    if raw[:2] == b"\xff\xfe":
        return raw[2:].decode("utf-16-le", errors="replace")
    sample = raw[:4096]
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    if even_zeros > odd_zeros:
        codec = "utf-16-be"
    elif odd_zeros > even_zeros:
        codec = "utf-16-le"
    else:
        codec = "utf-16-be" if byte_order == ">" else "utf-16-le"
    if len(raw) % 2:
        raw = raw[:-1]
    return raw.decode(codec, errors="replace")


def decode_user_comment(raw: bytes, byte_order: str = ">") -> str:
    """Decode an EXIF UserComment (Exif 2.32 §4.6.5, character-code header).

    Args:
        raw: the tag's bytes, header included.
        byte_order: ``">"`` or ``"<"``, the TIFF byte order, used only when
            UTF-16 text does not reveal its own endianness.
    Returns:
        The comment text, NULs and surrounding white space removed. A value
        without a recognised header is decoded as plain text.
    """
    head, body = raw[:8], raw[8:]
    if head.startswith(b"UNICODE"):
        text = decode_utf16(body, byte_order)
    elif head.startswith(b"ASCII"):
        text = decode_text(body)
    elif head.startswith(b"JIS"):
        try:
            text = body.decode("shift_jis")
        except UnicodeDecodeError:
            text = body.decode("iso2022_jp", errors="replace")
    elif head == b"\x00" * 8:
        text = decode_text(body)
    else:
        text = decode_text(raw)
    return " ".join(part.strip() for part in text.split("\x00") if part.strip())


