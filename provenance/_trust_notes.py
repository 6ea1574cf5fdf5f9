"""What an audit says about its trust material: warnings in plain words, and structured advice.

Called once per audit (:func:`provenance.audit.audit_files`). The warnings never contain a command
line; each comes with an :class:`~provenance.advice.Advice` code that the CLI renders as one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from .advice import Advice, AdviceCode
from .trust import TrustConfig
from .verdict import ImageVerdict, Reason

__all__ = ["INTERIM_ISSUERS", "legacy_hint_applies", "trust_notes"]

INTERIM_ISSUERS = ("Adobe", "Truepic", "Leica", "Nikon", "Sony", "Canon", "Fujifilm", "Samsung")
"""Organisations whose root CAs are on the interim trust list (``anchors.pem`` of
contentauth/verify-site ``static/trust/``, 2025-08-28) and whose signers appear in the public corpus
or in cameras' output. A signer whose issuer names one of them and who is untrusted while no interim
list is in use gets the :attr:`AdviceCode.LEGACY_LIST` hint. A hint only: it never changes a verdict."""

_ISSUER = re.compile(r"\b(" + "|".join(INTERIM_ISSUERS) + r")\b", re.IGNORECASE)


def _stale_lists(trust: TrustConfig, at: datetime, max_age_days: int) -> tuple[list[str], list[Advice]]:
    warnings: list[str] = []
    advice: list[Advice] = []
    for source in trust.sources:
        # Pinned roots are the studio's own and do not go stale; fetched lists do.
        if source.fetched_at is None or source.kind == "pinned":
            continue
        age = (at - source.fetched_at).days
        if age > max_age_days:
            warnings.append(f"trust list {source.name} is {age} days old (fetched {source.fetched_at:%Y-%m-%d}), "
                            f"older than the policy's {max_age_days} days")
            advice.append(Advice(AdviceCode.REFRESH_LIST, source.name, source.kind, source.location))
    return warnings, advice


def legacy_hint_applies(verdict: ImageVerdict) -> bool:
    """Whether the :attr:`AdviceCode.LEGACY_LIST` hint names this image (when no interim list is in use):
    its signer is untrusted and its issuer names one of :data:`INTERIM_ISSUERS`. The hint reads only the
    verdict's ``path``, ``reasons`` and ``signer``."""
    return Reason.CREDENTIALS_UNTRUSTED in verdict.reasons and bool(verdict.signer) and \
        _ISSUER.search(verdict.signer or "") is not None


def _legacy_hint(trust: TrustConfig, verdicts: Sequence[ImageVerdict]) -> list[Advice]:
    if any(source.kind == "legacy" and source.role == "anchors" for source in trust.sources):
        return []
    images = tuple(verdict.path for verdict in verdicts if legacy_hint_applies(verdict))
    return [Advice(AdviceCode.LEGACY_LIST, "interim-anchors", "legacy", images=images)] if images else []


def trust_notes(
    trust: TrustConfig, verdicts: Sequence[ImageVerdict], *, at: datetime, max_age_days: int
) -> tuple[tuple[str, ...], tuple[Advice, ...]]:
    """The trust warnings and advice of one audit.

    Args:
        trust: the configuration the audit used (its own warnings and advice come first).
        verdicts: the images' verdicts (for the hint about untrusted signers).
        at: the evaluation time (UTC).
        max_age_days: the policy's ``[trust] max_trust_list_age_days``.
    Returns:
        ``(warnings, advice)``, each without duplicates, in a stable order.
    """
    warnings, advice = list(trust.warnings), list(trust.advice)
    stale_warnings, stale_advice = _stale_lists(trust, at, max_age_days)
    warnings += stale_warnings
    advice += stale_advice
    if not trust.anchors and not trust.allowed:
        warnings.append("nothing is trusted: no trust anchors were given and the trust store is empty (or not "
                        "used), so no signer can be trusted and no image can be compliant")
        advice.append(Advice(AdviceCode.FILL_STORE))
    advice += _legacy_hint(trust, verdicts)
    return tuple(dict.fromkeys(warnings)), tuple(dict.fromkeys(advice))
