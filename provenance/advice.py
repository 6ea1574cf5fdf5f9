"""Advice and hints as structured codes: the library says *what* would help, the CLI says *how*.

The library never writes command lines. A warning in a report says what is wrong in plain words
(an old list, an altered list, nothing trusted); an :class:`Advice` beside it names what would fix it
with a stable code and the list it concerns. ``provenance._cli`` renders each code as the command to
run; another front end may render it its own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Advice", "AdviceCode"]


class AdviceCode(StrEnum):
    """What would help (the ``code`` of an :class:`Advice`; stable strings in JSON reports)."""

    FILL_STORE = "trust.advice.fill_store"
    """Nothing is trusted: fetch the C2PA trust list or pin the studio's own root."""
    EMPTY_STORE = "trust.advice.empty_store"
    """The store is empty and only files given for this run are trusted."""
    REFRESH_LIST = "trust.advice.refresh_list"
    """A fetched list is older than the policy allows: fetch it again (``list_name``, ``kind``)."""
    STORE_AGAIN = "trust.advice.store_again"
    """A stored list no longer matches its digest and is not used: store it again from ``source``."""
    REMOVE_LIST = "trust.advice.remove_list"
    """A stored list holds a private key and is not used: remove it (``list_name``)."""
    LEGACY_LIST = "trust.hint.legacy_list"
    """Untrusted signers (``images``) were issued by a CA of the interim trust list, which is not in use."""
    PIN_INSTEAD = "trust.hint.pin_instead"
    """A bundle given to ``trust update --from`` would drop stored anchors: pin it beside them instead."""


@dataclass(frozen=True, slots=True)
class Advice:
    """One piece of advice: a :class:`AdviceCode` and what it concerns.

    ``list_name``, ``kind`` and ``source`` name the trust list concerned (when one is);
    ``images`` the audited paths it applies to (for hints about signers).
    """

    code: AdviceCode
    list_name: str | None = None
    kind: str | None = None
    source: str | None = None
    images: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``code`` plus the fields that are set."""
        out: dict[str, Any] = {"code": self.code.value}
        for key in ("list_name", "kind", "source"):
            value = getattr(self, key)
            if value is not None:
                out[key] = str(value)
        if self.images:
            out["images"] = list(self.images)
        return out
