"""Names of generative products and features, shared by the C2PA and metadata tables."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "GENERATIVE_PRODUCTS",
    "MIXED_AI_EDITORS",
    "generative_product_in",
    "mixed_editor_in",
    "names_generative_product",
]

GENERATIVE_PRODUCTS: tuple[tuple[str, str], ...] = (
    # (name shown in reasons, case-insensitive pattern). Products that only generate
    # images, and generative features of editors. Sources: charter "Forbidden" list;
    # c2pa-signals A3/A4 (software agents and generator records of real files).
    ("Adobe Firefly", r"\bfirefly\b"),
    ("Midjourney", r"\bmid-?journey\b"),
    ("DALL·E", r"\bdall[\s·\-_.]?e\b"),
    ("Stable Diffusion", r"\bstable[\s_-]?diffusion\b|\bsdxl\b"),
    ("AUTOMATIC1111 web UI", r"\bautomatic1111\b|\ba1111\b|stable-diffusion-webui"),
    ("SD.Next", r"\bsd\.next\b"),
    ("ComfyUI", r"\bcomfy\s?ui\b"),
    ("InvokeAI", r"\binvoke\s?ai\b"),
    ("Fooocus", r"\bfooocus\b"),
    ("SwarmUI", r"\bswarm\s?ui\b"),
    ("NovelAI", r"\bnovel\s?ai\b"),
    ("Leonardo.ai", r"\bleonardo(?:\.ai|\s+ai)\b"),
    ("Ideogram", r"\bideogram\b"),
    ("Craiyon", r"\bcraiyon\b"),
    ("DreamStudio", r"\bdream\s?studio\b"),
    ("Bing Image Creator", r"\bimage creator\b"),
    ("OpenAI image generation", r"\bchatgpt\b|\bgpt-?4o\b|\bgpt-image\b|\bopenai\b|\bsora\b"),
    ("Google generative AI", r"\bgemini\b|\bnano[\s-]?banana\b|\bgoogle\s+imagen\b|\bimagen\s+[234]\b"
                            r"|\b(?:made|edited) with google ai\b|google generative ai"),
    ("FLUX", r"\bflux\.1\b|\bflux[\s-](?:dev|pro|schnell|kontext)\b|\bblack forest labs\b"),
    ("Runway", r"\brunway\s?ml\b"),
    ("Flair.ai", r"\bflair\.ai\b"),
    ("AdCreative.ai", r"\badcreative(?:\.ai)?\b"),
    ("a generative AI feature", r"\bgenerative\s+(?:fill|expand|remove|ai|edit|erase)\b"),
)
"""Generative products and features, by the name a tool writes (charter "Forbidden")."""

MIXED_AI_EDITORS: tuple[tuple[str, str], ...] = (
    ("Canva", r"\bcanva\b|canva\.com"),
    ("PhotoRoom", r"\bphotoroom\b"),
    ("Pixlr", r"\bpixlr\b"),
)
"""Editors the charter lists among generators but that also edit without AI: review."""

_PRODUCTS = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in GENERATIVE_PRODUCTS]
_MIXED = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in MIXED_AI_EDITORS]


MEMO_TEXT_CHARS = 512
"""Texts of at most this many characters have their answer remembered (2,048 per process, least recently
used first out): the 23 patterns cost about 14 us per text, and a batch repeats its software agents,
tool names and credits (#12)."""


def generative_product_in(text: str) -> str | None:
    """Return the name of the generative product ``text`` names, or ``None``.

    Args:
        text: a software name, history entry, credit or label.
    Returns:
        The display name from :data:`GENERATIVE_PRODUCTS` (first match), else ``None``.
    """
    return _remembered_product(text) if len(text) <= MEMO_TEXT_CHARS else _product_in(text)


def _product_in(text: str) -> str | None:
    for name, pattern in _PRODUCTS:
        if pattern.search(text):
            return name
    return None


@lru_cache(maxsize=2048)
def _remembered_product(text: str) -> str | None:
    return _product_in(text)


def mixed_editor_in(text: str) -> str | None:
    """Return the name of the mixed AI editor ``text`` names (Canva, PhotoRoom, Pixlr), or ``None``."""
    for name, pattern in _MIXED:
        if pattern.search(text):
            return name
    return None


# Generative products named by claim generators (c2pa-signals A3: Firefly, ChatGPT,
# OpenAI, DALL·E, Sora, Bing). Software agents and descriptions use the wider list above.
_GENERATIVE_CLAIM_GENERATOR = re.compile(
    r"firefly|\bchatgpt\b|openai|dall[·\-. ]?e|\bsora\b|midjourney|microsoft_responsible_ai|"
    r"stable[ _-]?diffusion",
    re.IGNORECASE,
)


def names_generative_product(text: str | None, *, claim_generator: bool = False) -> str | None:
    """Return the generative product named in ``text``, or ``None``.

    ``claim_generator=True`` uses the narrower list for claim generators
    (products that only ever generate: Firefly, ChatGPT/OpenAI, DALL·E, Sora...),
    since editors such as Photoshop sign both generative and ordinary work.
    Source: c2pa-signals A3 (claim generators and software agents of real
    generative manifests); charter "Generative signals win" (the claim generator).
    """
    if not text:
        return None
    if not claim_generator:
        return generative_product_in(text)
    match = _GENERATIVE_CLAIM_GENERATOR.search(text)
    return match.group(0) if match else None
