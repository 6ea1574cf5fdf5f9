"""Rendering the library's structured advice (:mod:`provenance.advice`) as the commands to run.

The library says what would help with an :class:`~provenance.advice.Advice` code; only here does it
become a `provenance trust ...` command line.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable

from ..advice import Advice, AdviceCode

__all__ = ["advice_lines", "refresh_command", "render_advice"]


def _update_flag(kind: str | None) -> str:
    from ..truststore.lists import Kind

    if kind == Kind.LEGACY:
        return " --legacy"
    if kind == Kind.TSA:
        return " --tsa"
    return ""


def refresh_command(name: str, kind: str | None, source: str | None) -> str:
    """A command (in backquotes) that stores the list ``name`` again from where it came.

    A pinned root is added again with ``--replace``; a published list fetched from its own address
    is fetched again (``--legacy`` for the interim list); a list stored from a file or another address
    is updated from it again (``--from``, with ``--legacy`` or ``--tsa`` for its kind, and ``--replace``
    since its entries may have changed).
    """
    # Imported here: the trust store package is not needed to print an audit's advice (start-up time).
    from ..truststore.lists import Kind, fixed_list

    if kind == Kind.PINNED:
        return f"`provenance trust add {shlex.quote(source or 'ROOT.pem')} --name {name} --replace`"
    spec = fixed_list(name)
    if spec is not None and source == spec.url:
        legacy = " --legacy" if kind == Kind.LEGACY else ""
        return f"`provenance trust update{legacy}`"
    return f"`provenance trust update{_update_flag(kind)} --from {shlex.quote(source or 'FILE')} --replace`"


def render_advice(advice: Advice) -> str:
    """One piece of advice as a sentence with the command to run."""
    code, name = advice.code, advice.list_name or "the list"
    if code is AdviceCode.FILL_STORE:
        return ("run `provenance trust update` (the C2PA trust lists) or `provenance trust add YOUR-ROOT.pem` "
                "(your studio's CA), or pass --trust-anchors FILE")
    if code is AdviceCode.EMPTY_STORE:
        return ("run `provenance trust update` (the C2PA trust lists) or `provenance trust add YOUR-ROOT.pem` "
                "(your studio's CA), or pass --no-trust-store to silence this")
    if code in (AdviceCode.REFRESH_LIST, AdviceCode.STORE_AGAIN):
        verb = "refresh" if code is AdviceCode.REFRESH_LIST else "store again"
        return f"run {refresh_command(name, advice.kind, advice.source)} to {verb} {name}"
    if code is AdviceCode.REMOVE_LIST:
        return f"run `provenance trust remove {name}` and add only the certificate"
    if code is AdviceCode.LEGACY_LIST:
        count = len(advice.images)
        subject = "1 untrusted signer was" if count == 1 else f"{count} untrusted signers were"
        return (f"{subject} issued by an organisation whose root is on the interim trust list (Verify site), "
                "which is not in use: run `provenance trust update --legacy` to add it")
    source = shlex.quote(advice.source or "FILE")  # AdviceCode.PIN_INSTEAD
    return (f"to trust these roots beside {name}, pin them: `provenance trust add {source} --name NAME`; "
            f"to replace {name} with them, add --replace")


def advice_lines(advice: Iterable[Advice]) -> list[str]:
    """``hint: ...`` lines for a text report (one per distinct advice)."""
    return [f"hint: {render_advice(item)}" for item in dict.fromkeys(advice)]
