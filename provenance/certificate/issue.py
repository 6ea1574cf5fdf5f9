"""Issuing a certificate: sign the Statement of a fully compliant audit report."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import PolicyError, UsageError
from ..keys import SigningKey
from ..policy import Policy, default_policy, load_policy
from ..report import AuditReport
from ._text import _mib
from .coverage import other_files
from .envelope import MAX_PAYLOAD_BYTES, PAYLOAD_TYPE, Certificate, EnvelopeSignature
from .globs import ignore_patterns
from .statement import build_statement, serialize_statement

__all__ = ["issue_certificate"]


def _policy_for(report: AuditReport, policy: Policy | None) -> Policy:
    if policy is None:
        policy = default_policy()
        if policy.sha256 != report.policy.sha256:
            try:
                policy = load_policy(report.policy.source)
            except PolicyError:
                pass
    if policy.sha256 != report.policy.sha256:
        raise UsageError(
            f"the policy given is not the one the report was made with ({report.policy.id} "
            f"{report.policy.version}, sha256 {report.policy.sha256[:12]}…): pass that Policy"
        )
    return policy


def issue_certificate(
    report: AuditReport,
    key: SigningKey,
    *,
    root: str | Path,
    policy: Policy | None = None,
    ignore: str | Iterable[str] = (),
    output: str | Path | None = None,
) -> Certificate:
    """Sign a certificate of compliance for a fully compliant audit report.

    Args:
        report: the finished audit; every image must be compliant. Its
            ``evaluated_at`` becomes the certificate's evaluation time, so the
            same report gives the same payload bytes.
        key: the studio's signing key (Ed25519 signatures are deterministic,
            ECDSA ones are not; the payload is the same either way).
        root: the delivery root; subject names are relative to it.
        policy: the :class:`~provenance.policy.Policy` the report was made
            with (its text goes into the certificate). ``None`` finds it: the
            default charter, or the file the report names, if its SHA-256 matches.
        ignore: glob patterns of files under ``root`` the certificate leaves out
            (``("*.tmp", ".DS_Store")``; one string is one pattern); recorded in
            ``predicate.ignore``, so the verifier leaves them out too
            (:mod:`provenance.certificate.globs` gives the matching rules).
        output: the file the certificate will be written to; left out of the
            subjects when it lies under ``root``.
    Every other regular file under ``root`` that is not an image of the report
    is covered by digest (``predicate.files``, not audited).
    Returns:
        The signed :class:`Certificate` (write ``certificate.to_json()``).
    Raises:
        NonCompliant: some image is not compliant, or there is none.
        UsageError: an image lies outside ``root``; two images have the same
            name; the policy cannot be found or does not match the report; the
            payload would exceed :data:`MAX_PAYLOAD_BYTES` (split the delivery);
            an ignore glob is empty; a file under ``root`` cannot be covered
            (:func:`~provenance.certificate.coverage.other_files` says why).
        TypeError: ``report`` is not an ``AuditReport`` or ``key`` not a ``SigningKey``.
    Side effects: reads and hashes the files under ``root`` that are not images
    (no clock, no file written; may read the policy file).
    """
    if not isinstance(report, AuditReport):
        raise TypeError(f"report must be a provenance.AuditReport, not {type(report).__name__}")
    if not isinstance(key, SigningKey):
        raise TypeError(f"key must be a provenance.SigningKey (the private key), not {type(key).__name__}")
    patterns = ignore_patterns(ignore)
    report.raise_for_status()
    chosen = _policy_for(report, policy)
    files = other_files(report, root, ignore=patterns, exclude=() if output is None else (output,))
    statement = build_statement(report, root=root, policy=chosen, files=files, ignore=patterns)
    from securesystemslib.dsse import Envelope

    payload = serialize_statement(statement)
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise UsageError(
            f"the certificate's payload would be {len(payload):,} bytes, more than the {_mib(MAX_PAYLOAD_BYTES)} "
            "a verifier accepts: certify the delivery in smaller parts"
        )
    envelope = Envelope(payload, PAYLOAD_TYPE, {})
    signature = envelope.sign(key.to_sslib_signer())
    return Certificate(
        payload=envelope.payload,
        payload_type=envelope.payload_type,
        signatures=(EnvelopeSignature(signature.keyid, bytes.fromhex(signature.signature)),),
    )

