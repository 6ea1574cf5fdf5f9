"""Issuing a certificate: sign the Statement of a fully compliant audit report."""

from __future__ import annotations

from pathlib import Path

from ..errors import PolicyError, UsageError
from ..keys import SigningKey
from ..policy import Policy, default_policy, load_policy
from ..report import AuditReport
from ._text import _mib
from .envelope import MAX_PAYLOAD_BYTES, PAYLOAD_TYPE, Certificate, EnvelopeSignature
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
    report: AuditReport, key: SigningKey, *, root: str | Path, policy: Policy | None = None
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
    Returns:
        The signed :class:`Certificate` (write ``certificate.to_json()``).
    Raises:
        NonCompliant: some image is not compliant, or there is none.
        UsageError: an image lies outside ``root``; two images have the same
            name; the policy cannot be found or does not match the report; the
            payload would exceed :data:`MAX_PAYLOAD_BYTES` (split the delivery).
    Side effects: none (no clock, no file written; may read the policy file).
    """
    report.raise_for_status()
    statement = build_statement(report, root=root, policy=_policy_for(report, policy))
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

