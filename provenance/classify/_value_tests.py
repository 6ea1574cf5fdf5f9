"""Value tests of the metadata table (:data:`~._metadata.METADATA_RULES`): one named predicate per test.

Each takes a signal's value (a string) and returns whether the row's test holds, so the table
reads as data. Sources are cited on the rows that use them.
"""

from __future__ import annotations

import re

from ._products import generative_product_in, mixed_editor_in

__all__ = [
    "ai_mask",
    "apple_clean_up",
    "content_aware",
    "generative_fill_method",
    "generative_product_named",
    "google_ai_credit",
    "heal_or_clone",
    "history_generative",
    "http_url",
    "lens_blur_active",
    "mentions_canva_site",
    "mixed_editor_named",
    "not_a_program_name",
    "not_false",
    "present",
    "remove_tool_or_neural_filter",
    "sky_replacement",
    "slider_moved",
    "truthy",
    "upright_on",
    "white_balance_set",
]

_URL = re.compile(r"^\s*https?://", re.IGNORECASE)
_GENERATIVE_WORD = re.compile(r"\bgenerative\b", re.IGNORECASE)
_SKY_REPLACEMENT = re.compile(r"\bsky replacement\b", re.IGNORECASE)
_REMOVE_OR_NEURAL = re.compile(r"\bremove tool\b|\bneural filters?\b", re.IGNORECASE)
_CONTENT_AWARE = re.compile(r"\bcontent[- ]aware\b|\bspot healing\b|\bhealing brush\b|\bclone stamp\b"
                            r"|\bpatch tool\b", re.IGNORECASE)
_GOOGLE_CREDIT = re.compile(r"\b(?:made|edited) with google ai\b", re.IGNORECASE)
_APPLE_CLEAN_UP = re.compile(r"\bapple photos clean\s?up\b", re.IGNORECASE)
_GENERATIVE_FILL_METHOD = re.compile(r"\bfill_method=(?:firefly|generative\w*)\b|\bpm_clio_model_version=",
                                     re.IGNORECASE)
_ANY_FILL_METHOD = re.compile(r"\bfill_method=|\bpm_clio_model_version=", re.IGNORECASE)
_HEAL_CLONE = re.compile(r"\bSpotType=(?:heal|clone|heal_patchmatch)\b(?!\S)", re.IGNORECASE)
_AI_MASK = re.compile(r"\bWhat=Mask/Image\b", re.IGNORECASE)
_LENS_BLUR_OFF = re.compile(r"\bActive=(?:false|0)\b", re.IGNORECASE)


_IDENTIFIER = re.compile(r"^\s*(?:urn:uuid:)?(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                         r"|[0-9a-f]{16,})\s*$", re.IGNORECASE)


def not_a_program_name(value: str) -> bool:
    """A bare UUID (RFC 9562) or hex string of 16+ digits (an id), structured data (JSON), several lines or
    more than 200 characters: not what a writer puts as its own name."""
    text = value.strip()
    return bool(_IDENTIFIER.match(text)) or text[:1] in ("{", "[") or "\n" in text or len(text) > 200


def present(value: str) -> bool:
    return bool(value.strip())


def generative_product_named(value: str) -> bool:
    return generative_product_in(value) is not None


def mixed_editor_named(value: str) -> bool:
    return mixed_editor_in(value) is not None


def http_url(value: str) -> bool:
    return bool(_URL.match(value))


def history_generative(value: str) -> bool:
    return bool(_GENERATIVE_WORD.search(value)) or generative_product_named(value)


def sky_replacement(value: str) -> bool:
    return bool(_SKY_REPLACEMENT.search(value))


def remove_tool_or_neural_filter(value: str) -> bool:
    return bool(_REMOVE_OR_NEURAL.search(value))


def content_aware(value: str) -> bool:
    return bool(_CONTENT_AWARE.search(value))


def google_ai_credit(value: str) -> bool:
    return bool(_GOOGLE_CREDIT.search(value))


def apple_clean_up(value: str) -> bool:
    return bool(_APPLE_CLEAN_UP.search(value))


def upright_on(value: str) -> bool:
    """``crs:PerspectiveUpright`` 1 Auto, 2 Full, 3 Level, 4 Vertical, 5 Guided; 0 is Off (ET XMP.pm)."""
    return value.strip() in ("1", "2", "3", "4", "5")


def truthy(value: str) -> bool:
    return value.strip().lower() in ("true", "1", "yes")


def not_false(value: str) -> bool:
    return value.strip().lower() not in ("", "false", "0", "no")


def generative_fill_method(value: str) -> bool:
    return bool(_GENERATIVE_FILL_METHOD.search(value))


def heal_or_clone(value: str) -> bool:
    return bool(_HEAL_CLONE.search(value)) and not _ANY_FILL_METHOD.search(value)


def ai_mask(value: str) -> bool:
    return bool(_AI_MASK.search(value))


def lens_blur_active(value: str) -> bool:
    return not _LENS_BLUR_OFF.search(value)


# Judgements the XMP reader used to make while reading (issue #8 item 5): it now reports every value
# as it is, and these tests decide.

def slider_moved(value: str) -> bool:
    """A tone slider away from zero (a slider at 0 is no edit); a value that is not a number counts as moved."""
    try:
        return float(value.strip().replace(",", ".")) != 0.0
    except ValueError:
        return bool(value.strip())


def white_balance_set(value: str) -> bool:
    """A white balance other than the camera's own ("As Shot"), which is no edit."""
    return bool(value.strip()) and not value.strip().lower().startswith("as shot")


def mentions_canva_site(value: str) -> bool:
    """An XMP value that mentions canva.com (a Canva export: its namespace URI, a link), c2pa-signals A4."""
    return "canva.com" in value.lower()
