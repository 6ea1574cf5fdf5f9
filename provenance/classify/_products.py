"""Names of generative products and features, shared by the C2PA and metadata tables."""

from __future__ import annotations

import re

__all__ = ["GENERATIVE_PRODUCTS", "MIXED_AI_EDITORS", "generative_product_in", "mixed_editor_in"]

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


def generative_product_in(text: str) -> str | None:
    """Return the name of the generative product ``text`` names, or ``None``.

    Args:
        text: a software name, history entry, credit or label.
    Returns:
        The display name from :data:`GENERATIVE_PRODUCTS` (first match), else ``None``.
    """
    for name, pattern in _PRODUCTS:
        if pattern.search(text):
            return name
    return None


def mixed_editor_in(text: str) -> str | None:
    """Return the name of the mixed AI editor ``text`` names (Canva, PhotoRoom, Pixlr), or ``None``."""
    for name, pattern in _MIXED:
        if pattern.search(text):
            return name
    return None
